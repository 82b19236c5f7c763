// SPDX-License-Identifier: Apache-2.0

/// Cosmos-style resource ids (`_rid`), links (`_self`) and entity tags (`_etag`).
///
/// A database rid is 4 random bytes chosen when the store is created; a container rid appends the container's
/// 4-byte number; a document rid appends the 8-byte lsn of the write that created it. Rids are base64 with
/// `/` replaced by `-`, as the service writes them, so they are safe in links.
enum ResourceID {
    static func container(database: [UInt8], cid: UInt32) -> String {
        var bytes = database
        bytes.appendBigEndian(cid)
        return encode(bytes)
    }

    static func document(database: [UInt8], cid: UInt32, rid: UInt64) -> String {
        var bytes = database
        bytes.appendBigEndian(cid)
        bytes.appendBigEndian(rid)
        return encode(bytes)
    }

    static func containerLink(database: [UInt8], cid: UInt32) -> String {
        "dbs/\(encode(database))/colls/\(container(database: database, cid: cid))/"
    }

    static func documentLink(database: [UInt8], cid: UInt32, rid: UInt64) -> String {
        "dbs/\(encode(database))/colls/\(container(database: database, cid: cid))/docs/"
            + "\(document(database: database, cid: cid, rid: rid))/"
    }

    /// The quoted entity tag of a write: `"<cid 8 hex>-0000-0000-<lsn 16 hex as 4-12>"`, with quotes.
    static func etag(cid: UInt32, lsn: UInt64) -> String {
        let c = hex(UInt64(cid), digits: 8)
        let l = hex(lsn, digits: 16)
        return "\"\(c)-0000-0000-\(l.prefix(4))-\(l.suffix(12))\""
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-".utf8)

    /// Base64 (RFC 4648 with `-` in place of `/`) with padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
