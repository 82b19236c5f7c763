// SPDX-License-Identifier: Apache-2.0
//
// # On-disk key layout (format version 2; format 1 lacked the array and object V of pidx/gidx, see below)
//
// One LMDB environment (a directory holding `data.mdb` and `lock.mdb`) with these named databases.
// All integers are BIG-ENDIAN so that byte order equals numeric order. `cid` is the container's
// 4-byte internal number, assigned at creation from `meta/nextContainer` and never reused.
//
//   DBI         key                                                   value
//   ----------  ----------------------------------------------------  ---------------------------------
//   meta        ASCII name (see MetaKey)                               per key (format, secret, epoch...)
//   meta        "lsn" ‖ cid(4)                                         last write sequence number (u64)
//   meta        "xform" ‖ cid(4)                                       index transformation under way (JSON, see
//                                                                      IndexTransformation); absent when none
//   meta        "xpos" ‖ cid(4)                                        its progress: items done(8) ‖ PK ‖ ID of the
//                                                                      last `docs` row it visited; absent at start
//   meta        "drop" ‖ cid(4)                                        empty: container `cid` was deleted and its
//                                                                      rows are being removed in steps
//   containers  cid(4)                                                 container record (JSON, see ContainerRecord)
//   docs        cid(4) ‖ PK ‖ ID                                       document record (see DocumentRecord)
//   pidx        cid(4) ‖ pathHash(8) ‖ PK ‖ V ‖ ID                     empty  (partition-local range index)
//   gidx        cid(4) ‖ pathHash(8) ‖ V ‖ PK ‖ ID                     empty  (cross-partition range index)
//   cidx        cid(4) ‖ compositeHash(8) ‖ V1 ‖ ... ‖ Vn ‖ PK ‖ ID    empty  (composite index, DESC = inverted)
//   cidx        cid(4) ‖ vectorHash(8) ‖ PK ‖ ID                      the item's vector: n little-endian IEEE 754
//                                                                      doubles (vector index, see below)
//   cidx        cid(4) ‖ fullTextHash(8) ‖ T ‖ PK ‖ ID                 termCount(4) ‖ position(4)... (full-text
//                                                                      index posting, see below)
//   cidx        cid(4) ‖ fullTextHash(8) ‖ 00                          items(8) ‖ terms(8) (full-text counter)
//   cidx        cid(4) ‖ spatialHash(8) ‖ C ‖ PK ‖ ID                  empty  (spatial index, see below)
//   uniq        cid(4) ‖ constraint(1) ‖ PK ‖ tupleDigest(16)          PK ‖ ID of the owning item
//   ttl         cid(4) ‖ expiresAt(8, unix seconds) ‖ PK ‖ ID          empty
//   feed        cid(4) ‖ lsn(8)                                        PK ‖ ID of the item written at lsn
//
// Components (all self-delimiting, encoded by `OrderedEncoding`, whose byte order is Cosmos's
// cross-type order undefined < null < false < true < number < string < array < object):
//
//   PK   the partition-key value: one key component per partition-key path (1 for Hash, up to 3 for
//        MultiHash), each a key component with strings bounded to `partitionKeyStringBound` bytes.
//   ID   the item id as a string key component bounded to `idStringBound` bytes.
//   V    an indexed value as a key component, strings bounded to `valueStringBound` bytes
//        (composite components: `compositeStringBound(n)`). In `pidx`/`gidx`, V is a scalar, an array element
//        (paths with `[]`), undefined (an explicitly included path the item lacks), or, since format 2, a whole
//        array or object at a property path outside arrays whose scalar would be indexed (tag ‖ 00 ‖ digest, below,
//        over the value with its objects' members sorted by key):
//        ORDER BY over the path returns those items after the strings, as Cosmos does. A format-1 store is upgraded
//        in place by an index transformation that adds them (Store+FormatUpgrade.swift).
//
// A string longer than its bound is stored in truncated form: its escaped prefix, the marker
// 0x00 0x02 and the first 16 bytes of SHA-256 of the whole string. Arrays and objects inside keys are
// tag ‖ 0x00 ‖ 16 digest bytes. This is how LMDB's 511-byte key limit (MDB_MAXKEYSIZE) never reaches a
// user: ids of 1023 UTF-8 bytes, partition-key values of 2048 bytes and long indexed strings all fit.
// Consequences, relied on by readers:
//   * equality is exact (the digest distinguishes strings that share the prefix);
//   * order is exact except among truncated strings sharing the same prefix, which sort by digest:
//     an ORDER BY over such values must re-sort ties by the full value;
//   * the full PK and ID are stored in the document record, and lookups compare them.
//
// `pathHash` is the first 8 bytes of SHA-256 over the canonical path bytes (IndexPath). The
// `compositeHash` is the same over the composite definition (paths and orders), the `vectorHash` over the vector
// index's path bytes and the marker 56 04 (distinct from every composite definition, whose paths each end in an
// order byte and 03). A vector index row exists for each item whose value at the path is a non-empty array of
// numbers, and holds those numbers exactly (the JSON numbers are doubles): `ORDER BY VectorDistance(...)` scores
// the rows of a partition or container without reading the items, with the same arithmetic as from the JSON.
//
// The `fullTextHash` is the same over the full-text index's path bytes and the marker 46 04. For each item whose
// value at the path is a string, each distinct term T of its analyzed text (FullTextAnalyzer: words lowered,
// stop words left out, stemmed; a string key component bounded to `valueStringBound` bytes) has one posting row,
// holding the item's number of terms and the positions of T among its words. Postings of a term are in document-key
// order, so a partition's postings of T are one key range (`… ‖ T ‖ PK`). One counter row per index holds the number
// of items in the container (every item counts, with a string or not) and their total number of terms: with a
// term's number of postings, the corpus statistics BM25 needs (`FullTextScore`), read without the items.
//
// The `spatialHash` is the same over the bytes of a property path where a GeoJSON shape lies and the marker 53 04.
// A spatial index (`spatialIndexes`) covers the shapes at its path or, for `/*` paths, anywhere below it outside
// arrays; each shape found at a covered path P that is valid GeoJSON under the index's model (GeoShape) has one row
// under spatialHash(P). The component C is a number key component on the index's grid (SpatialFrame: Z-order over
// 2^26 × 2^26 cells of the earth, or of the Geometry model's boundingBox): a point's cell, or for another shape the
// first cell of the smallest aligned block of cells holding its bounding box. A shape without such a block (across
// the antimeridian, holding a pole, outside the frame) has C = the empty string. Blocks nest or are apart, so a
// spatial condition reads the cell intervals of its area, the first cells of the blocks enclosing them, and the
// empty-string key.
//
// Worked example: container cid 3, partition key "acme", id "a1":
//   docs key = 00 00 00 03 | 07 61 63 6d 65 00 01 | 07 61 31 00 01
//               cid          PK "acme"              ID "a1"
//
// ## Invariants (checked by StoreChecker, after every commit in strict mode)
//   1. Every document has exactly one `docs` row, keyed by its own PK and ID.
//   2. For every indexed (path, value) of a live document there is exactly one `pidx` row and one `gidx`
//      row, and one `cidx` row per composite index, and one vector row per vector index whose path holds a
//      non-empty array of numbers, holding them, and one posting per term of each full-text index's string,
//      holding its positions; each full-text index's counter row holds the number of items and the sum of their
//      term counts (absent when there are no items); each GeoJSON shape at a path a spatial index covers, valid
//      under its model, has one spatial row at its cell or block (or the empty string); there are no other index
//      rows. A computed property's
//      values are indexed at the path `/name` as if stored there (a persisted property of that name is not).
//   3. For every unique-key constraint of the container there is exactly one `uniq` row per document,
//      whose value is that document's PK ‖ ID; no two documents of a partition share a tuple.
//   4. A document with an effective expiry has exactly one `ttl` row holding that expiry; others none.
//   5. Every document has exactly one `feed` row, at its record's lsn; `meta/lsn‖cid` is at least the
//      highest lsn in the container. Each write takes a new lsn, so `_etag` changes on every write.
//   6. `_ts` of a document never decreases across its writes.
//   7. While an index transformation is under way (`xform`), invariants 2 and 4 hold for each item under one of
//      two definitions: the new one (the container record's) when the item was written after the transformation
//      began (its lsn is above the recorded start) or its `docs` key is at or before the `xpos` position;
//      otherwise the one the transformation started from (its indexing policy and computed properties, and its
//      `defaultTtl` for the `ttl` row). `xpos` never exists without `xform`. Reads decide expiry by the new
//      `defaultTtl` alone; a `ttl` row only tells the sweeper where to look.
//   8. Rows of a `cid` that has no `containers` record exist only while `meta/"drop" ‖ cid` does (a deleted
//      container whose rows are being removed); `drop` never exists beside a `containers` record.

package import CosmoliteJSON
import CosmoliteCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names of the LMDB databases and builders for their keys.
///
/// See the header of this file for the full on-disk format and its invariants.
package enum KeyLayout {
    /// The on-disk format version written to `meta/format`: 2 since arrays and objects at indexed property paths
    /// have range entries (format 1 had none; `Store+FormatUpgrade.swift` adds them in place).
    static let formatVersion: UInt32 = 2
    /// The oldest format a store may have and be upgraded in place when opened writable.
    static let oldestUpgradableFormat: UInt32 = 1

    /// Named LMDB databases, all opened once when the store opens.
    enum DBI {
        static let meta = "meta"
        static let containers = "containers"
        static let docs = "docs"
        static let partitionIndex = "pidx"
        static let globalIndex = "gidx"
        static let compositeIndex = "cidx"
        static let unique = "uniq"
        static let ttl = "ttl"
        static let feed = "feed"
        static let all = [meta, containers, docs, partitionIndex, globalIndex, compositeIndex, unique, ttl, feed]
    }

    /// Keys of the `meta` database.
    enum MetaKey {
        static let format = Array("format".utf8)
        static let secret = Array("secret".utf8)
        static let epoch = Array("epoch".utf8)
        static let nextContainer = Array("nextContainer".utf8)
        static let databaseRID = Array("dbrid".utf8)
        static func lsn(_ cid: UInt32) -> [UInt8] {
            var key = Array("lsn".utf8)
            key.appendBigEndian(cid)
            return key
        }
        /// The index transformation under way in container `cid`.
        static func transformation(_ cid: UInt32) -> [UInt8] {
            var key = Array("xform".utf8)
            key.appendBigEndian(cid)
            return key
        }
        /// Container `cid` was deleted; its rows are being removed.
        static func drop(_ cid: UInt32) -> [UInt8] {
            var key = dropPrefix
            key.appendBigEndian(cid)
            return key
        }
        static let dropPrefix = Array("drop".utf8)
        /// The lsns `first...last` of container `cid` were handed out by one transactional batch, whose changes the
        /// change feed returns together; the value is `first` (8 bytes). Older Cosmolite versions ignore these rows.
        static func transaction(_ cid: UInt32, last: UInt64) -> [UInt8] {
            var key = transactionPrefix(cid)
            key.appendBigEndian(last)
            return key
        }
        /// The prefix of every container's transaction ranges.
        static let transactionsPrefix = Array("txn".utf8)
        /// The prefix of container `cid`'s transaction ranges.
        static func transactionPrefix(_ cid: UInt32) -> [UInt8] {
            var key = transactionsPrefix
            key.appendBigEndian(cid)
            return key
        }
        /// How far the index transformation of container `cid` has come.
        static func transformationPosition(_ cid: UInt32) -> [UInt8] {
            var key = Array("xpos".utf8)
            key.appendBigEndian(cid)
            return key
        }
    }

    // MARK: - Bounds (keep every key ≤ 511 bytes)

    /// Longest escaped string kept whole in a partition-key component (per component).
    package static let partitionKeyStringBound = 100
    /// Longest escaped string kept whole in an id component.
    package static let idStringBound = 100
    /// Longest escaped string kept whole in a range-index value.
    package static let valueStringBound = 128

    /// Longest escaped string kept whole in each value of an `n`-path composite index.
    package static func compositeStringBound(_ n: Int) -> Int {
        max(shortestStringBound, min(valueStringBound, 220 / max(n, 1)))
    }

    /// The least of the bounds above: a string of at most this many escaped bytes is kept whole in every key.
    package static let shortestStringBound = 24
    /// The greatest of the bounds above: a string of more escaped bytes is truncated in every key.
    package static let longestStringBound = max(partitionKeyStringBound, idStringBound, valueStringBound)

    /// The digest used for truncated strings and hashed containers in keys.
    package static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] { SHA256.hash(bytes) }

    // MARK: - Components

    /// Appends the id's key component.
    package static func appendID(_ id: String, to key: inout [UInt8]) {
        appendString(id, bound: idStringBound, to: &key)
    }

    /// Appends a string key component. Fast path for the common case (short, no NUL byte): the full form
    /// `0x07 ‖ bytes ‖ 0x00 0x01` written directly; anything else goes through `OrderedEncoding`.
    package static func appendString(_ string: String, bound: Int, to key: inout [UInt8]) {
        let done = string.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count <= bound else { return false }
            if let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil { return false }
            key.append(0x07)
            key.append(contentsOf: bytes)
            key.append(0x00)
            key.append(0x01)
            return true
        }
        if done != true {
            OrderedEncoding.appendKeyComponent(string: string, maxStringBytes: bound, digest: digest, to: &key)
        }
    }

    /// Appends an indexed value's key component.
    package static func appendValue(_ value: JSONValue?, bound: Int = valueStringBound, descending: Bool = false,
                            to key: inout [UInt8]) {
        OrderedEncoding.appendKeyComponent(value, maxStringBytes: bound, descending: descending, digest: digest,
                                           to: &key)
    }

    /// The key of a document: `cid ‖ PK ‖ ID`.
    package static func documentKey(_ cid: UInt32, _ locator: [UInt8]) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(4 + locator.count)
        key.appendBigEndian(cid)
        key.append(contentsOf: locator)
        return key
    }

    /// A prefix covering all of a container's rows in a DBI keyed by `cid` first.
    package static func containerPrefix(_ cid: UInt32) -> [UInt8] {
        var key = [UInt8]()
        key.appendBigEndian(cid)
        return key
    }

    /// The key of a change-feed row.
    static func feedKey(_ cid: UInt32, _ lsn: UInt64) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(12)
        key.appendBigEndian(cid)
        key.appendBigEndian(lsn)
        return key
    }

    /// A full-text term as its postings' key component `T` (a string component bounded to `valueStringBound`).
    package static func fullTextTerm(_ term: String) -> [UInt8] {
        var component = [UInt8]()
        appendValue(.string(term), to: &component)
        return component
    }

    /// A spatial index row's component `C`: a point's cell number, or the empty string for every other shape (and
    /// a point outside the index's frame).
    package static func spatialTerm(cell: UInt64?) -> [UInt8] {
        var component = [UInt8]()
        appendValue(cell.map { .number(Double($0)) } ?? .string(""), to: &component)
        return component
    }

    /// The key of a full-text index's counter row, `cid ‖ fullTextHash(8) ‖ 00`: its items (u64) and their terms at
    /// the path (u64). No posting sorts among them: a posting's term component starts with the string tag 07.
    package static func fullTextCounterKey(_ cid: UInt32, hash: [UInt8]) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(13)
        key.appendBigEndian(cid)
        key.append(contentsOf: hash)
        key.append(0x00)
        return key
    }

    /// The key of a TTL row.
    static func ttlKey(_ cid: UInt32, expiresAt: UInt64, locator: [UInt8]) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(12 + locator.count)
        key.appendBigEndian(cid)
        key.appendBigEndian(expiresAt)
        key.append(contentsOf: locator)
        return key
    }
}

// MARK: - Big-endian helpers

extension Array where Element == UInt8 {
    /// Appends `value` in big-endian byte order.
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        Swift.withUnsafeBytes(of: &big) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a big-endian integer at `offset` (caller checks bounds).
    func readBigEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        Swift.withUnsafeMutableBytes(of: &value) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: self[offset..<(offset + MemoryLayout<T>.size)]))
        }
        return T(bigEndian: value)
    }
}

extension Array where Element == UInt8 {
    /// Reads a big-endian integer at `offset` (caller checks bounds).
    func readBigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        withUnsafeBytes { $0.readBigEndian(type, at: offset) }
    }
}
