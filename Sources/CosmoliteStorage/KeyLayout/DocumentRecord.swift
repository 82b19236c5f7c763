// SPDX-License-Identifier: Apache-2.0
//
// # Document record (value of the `docs` DBI), record version 1
//
//   OFFSET  SIZE  DESCRIPTION
//   0       1     record version (1)
//   1       1     flags: bit 0 = the item carries its own `ttl`
//   2       4     item ttl in seconds (Int32), meaningful when flag bit 0 is set (-1 = never expire)
//   6       8     `_ts`: seconds since the Unix epoch of the last write
//   14      8     lsn of the last write (container sequence number); the `_etag` derives from it
//   22      8     rid: the lsn of the write that created the item; stable across replaces (`_rid`)
//   30      2     P = length of the full partition-key encoding
//   32      P     partition-key components, full OrderedEncoding (never truncated)
//   32+P    2     I = length of the id's UTF-8
//   34+P    I     id, UTF-8
//   34+P+I  ...   the document JSON exactly as returned to callers, system properties included
//
// The header lets point reads, `If-Match` checks and TTL checks run without parsing JSON.

import CosmoliteJSON

/// The decoded header of a stored document, and its encoder.
package struct DocumentRecord: Sendable {
    static let version: UInt8 = 1
    static let fixedHeaderSize = 32

    package var itemTTL: Int32?
    package var timestamp: UInt64
    package var lsn: UInt64
    package var rid: UInt64
    package var partitionKeyEncoding: [UInt8]
    package var id: String
    /// Offset of the JSON body in the record bytes.
    package var bodyOffset: Int

    /// Encodes a record, serializing `body` straight into it; returns the bytes and where the JSON starts.
    static func encode(itemTTL: Int32?, timestamp: UInt64, lsn: UInt64, rid: UInt64, partitionKeyEncoding: [UInt8],
                       id: String, body: JSONObject) -> (bytes: [UInt8], bodyOffset: Int) {
        var out = encode(itemTTL: itemTTL, timestamp: timestamp, lsn: lsn, rid: rid,
                         partitionKeyEncoding: partitionKeyEncoding, id: id, body: [])
        let offset = out.count
        JSONWriter.append(.object(body), to: &out)
        return (out, offset)
    }

    /// Encodes a record.
    static func encode(itemTTL: Int32?, timestamp: UInt64, lsn: UInt64, rid: UInt64,
                       partitionKeyEncoding: [UInt8], id: String, body: [UInt8]) -> [UInt8] {
        let idBytes = Array(id.utf8)
        var out = [UInt8]()
        out.reserveCapacity(fixedHeaderSize + partitionKeyEncoding.count + 2 + idBytes.count + body.count)
        out.append(version)
        out.append(itemTTL == nil ? 0 : 1)
        out.appendBigEndian(itemTTL ?? 0)
        out.appendBigEndian(timestamp)
        out.appendBigEndian(lsn)
        out.appendBigEndian(rid)
        out.appendBigEndian(UInt16(partitionKeyEncoding.count))
        out.append(contentsOf: partitionKeyEncoding)
        out.appendBigEndian(UInt16(idBytes.count))
        out.append(contentsOf: idBytes)
        out.append(contentsOf: body)
        return out
    }

    /// Reads only the fixed part of the header (no allocation): what point reads and TTL checks need.
    package struct Fixed {
        package var itemTTL: Int32?
        package var timestamp: UInt64
        package var lsn: UInt64
        package var rid: UInt64
        package var bodyOffset: Int
    }

    /// Decodes the fixed header and the body offset.
    package static func decodeFixed(_ bytes: UnsafeRawBufferPointer) throws -> Fixed {
        guard bytes.count >= fixedHeaderSize, bytes[0] == version else {
            throw StoreError.corrupted("a document record has an unknown version or is truncated; run verify")
        }
        let pkLength = Int(bytes.readBigEndian(UInt16.self, at: 30))
        guard bytes.count >= fixedHeaderSize + pkLength + 2 else {
            throw StoreError.corrupted("a document record is truncated; run verify")
        }
        let idLength = Int(bytes.readBigEndian(UInt16.self, at: fixedHeaderSize + pkLength))
        let bodyOffset = fixedHeaderSize + pkLength + 2 + idLength
        guard bytes.count >= bodyOffset else {
            throw StoreError.corrupted("a document record is truncated; run verify")
        }
        return Fixed(
            itemTTL: bytes[1] & 1 == 1 ? bytes.readBigEndian(Int32.self, at: 2) : nil,
            timestamp: bytes.readBigEndian(UInt64.self, at: 6),
            lsn: bytes.readBigEndian(UInt64.self, at: 14),
            rid: bytes.readBigEndian(UInt64.self, at: 22),
            bodyOffset: bodyOffset
        )
    }

    /// Decodes the whole header.
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws -> DocumentRecord {
        let fixed = try decodeFixed(bytes)
        let pkLength = Int(bytes.readBigEndian(UInt16.self, at: 30))
        let pk = Array(bytes[fixedHeaderSize..<(fixedHeaderSize + pkLength)])
        let idStart = fixedHeaderSize + pkLength + 2
        let id = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[idStart..<fixed.bodyOffset]), as: UTF8.self)
        return DocumentRecord(itemTTL: fixed.itemTTL, timestamp: fixed.timestamp, lsn: fixed.lsn, rid: fixed.rid,
                              partitionKeyEncoding: pk, id: id, bodyOffset: fixed.bodyOffset)
    }
}
