// SPDX-License-Identifier: Apache-2.0
//
// Row-level maintenance of items: every write of an item updates its `docs` row and all derived rows
// (`pidx`, `gidx`, `cidx` with its vector rows, `uniq`, `ttl`, `feed`) in the caller's transaction.
//
// Discipline: every check that can reject a write (existence, etag, unique keys, size) runs BEFORE the first
// mutation, so a rejected operation leaves no trace even when other operations of the same transaction
// commit (bulk writes). LMDB failures propagate and abort the whole transaction.

import CosmoliteJSON
import CosmoliteLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an item lives: its bounded partition-key and id key components (`PK ‖ ID`).
struct Locator: Hashable, Sendable {
    var pk: [UInt8]
    var id: [UInt8]

    init(pk: [UInt8], id: [UInt8]) {
        self.pk = pk
        self.id = id
    }

    init(partitionKey: PartitionKey, id: String) {
        self.pk = partitionKey.keyComponent
        var idBytes = [UInt8]()
        KeyLayout.appendID(id, to: &idBytes)
        self.id = idBytes
    }

    var bytes: [UInt8] { pk + id }

    /// Whether `stored` is this locator's `PK ‖ ID`.
    func isStored(as stored: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == pk.count + id.count else { return false }
        return pk.withUnsafeBytes { pk in
            id.withUnsafeBytes { id in
                (pk.isEmpty || memcmp(stored.baseAddress!, pk.baseAddress!, pk.count) == 0)
                    && (id.isEmpty || memcmp(stored.baseAddress! + pk.count, id.baseAddress!, id.count) == 0)
            }
        }
    }

    /// Splits stored `PK ‖ ID` bytes (PK has `components` key components).
    init(bytes: UnsafeRawBufferPointer, components: Int) throws {
        var offset = 0
        for _ in 0..<components {
            guard let end = OrderedEncoding.componentEnd(in: bytes, from: offset) else {
                throw StoreError.corrupted("a stored item locator is malformed; run verify")
            }
            offset = end
        }
        guard let end = OrderedEncoding.componentEnd(in: bytes, from: offset), end == bytes.count else {
            throw StoreError.corrupted("a stored item locator is malformed; run verify")
        }
        self.pk = Array(bytes[0..<offset])
        self.id = Array(bytes[offset..<end])
    }
}

/// A stored item version, decoded for a write or a check.
struct StoredItem {
    var record: DocumentRecord
    var body: [UInt8]
    var document: JSONObject
}

extension Store {
    // MARK: - Loading

    /// The `docs` row at `key`, live or expired, with its header.
    func loadStored(_ txn: borrowing Transaction, key: [UInt8]) throws -> StoredItem? {
        try key.withUnsafeBytes { k in
            try txn.withValue(dbs.docs, forKey: k) { bytes -> StoredItem? in
                guard let bytes else { return nil }
                let record = try DocumentRecord.decode(bytes)
                let body = Array(UnsafeRawBufferPointer(rebasing: bytes[record.bodyOffset...]))
                guard case .object(let document)? = try? JSONReader.parse(body) else {
                    throw StoreError.corrupted("the stored body of item '\(record.id)' is not a JSON object; run verify")
                }
                return StoredItem(record: record, body: body, document: document)
            }
        }
    }

    /// The header of the `docs` row at `key` (no body parsing), or nil.
    func loadHeader(_ txn: borrowing Transaction, key: [UInt8]) throws -> DocumentRecord.Fixed? {
        try key.withUnsafeBytes { k in
            try txn.withValue(dbs.docs, forKey: k) { bytes in try bytes.map(DocumentRecord.decodeFixed) }
        }
    }

    /// Whether a stored version has expired at `now`.
    package func isExpired(_ runtime: ContainerRuntime, timestamp: UInt64, itemTTL: Int32?, now: UInt64) -> Bool {
        guard let expiry = runtime.expiry(timestamp: timestamp, itemTTL: itemTTL) else { return false }
        return now >= expiry
    }

    func item(_ runtime: ContainerRuntime, stored: StoredItem, partitionKey: PartitionKey) -> Item {
        Item(json: stored.body, id: stored.record.id, partitionKey: partitionKey,
             timestamp: Int(stored.record.timestamp), cid: runtime.cid, lsn: stored.record.lsn)
    }

    // MARK: - Writing

    /// Unique-key tuples of a document, one per constraint of the container's policy.
    typealias UniqueTuples = [(constraint: UInt8, digest: [UInt8])]

    /// Checks the unique keys of `document` (to be stored at `locator`) without writing anything.
    ///
    /// Tuples equal to `previousTuples` (the stored version's) are not looked up: the item keeps owning them. A
    /// tuple owned by this same locator is no conflict either.
    ///
    /// - Returns: The locators of expired items that still own one of the tuples: the write must remove them.
    /// - Throws: ``StoreError`` 409 when a live item of the partition owns one of the tuples.
    func checkUniqueKeys(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, _ document: PreparedDocument,
                         tuples: UniqueTuples, previousTuples: UniqueTuples, locator: Locator,
                         releasing released: Locator? = nil, now: UInt64) throws -> [Locator] {
        var expiredOwners = [Locator]()
        for (i, tuple) in tuples.enumerated() {
            if i < previousTuples.count, previousTuples[i].digest == tuple.digest { continue }
            let key = runtime.uniqueKey(constraint: tuple.constraint, locatorPK: locator.pk[...], digest: tuple.digest)
            enum Owner { case noneOrSelf, live, mayHaveExpired(Locator) }
            let owner: Owner = try key.withUnsafeBytes { key in
                guard let owner = try txn.value(dbs.unique, forKey: key), !locator.isStored(as: owner),
                      released.map({ !$0.isStored(as: owner) }) ?? true else {
                    return .noneOrSelf
                }
                // Without a container TTL no item ever expires, so the owner is live: nothing more to read.
                if runtime.definition.defaultTtl == nil { return .live }
                return .mayHaveExpired(try Locator(bytes: owner, components: runtime.partitionKeyPaths.count))
            }
            let ownerLocator: Locator
            switch owner {
            case .noneOrSelf: continue
            case .live: throw runtime.uniqueKeyConflict(Int(tuple.constraint), partition: document.partitionKey)
            case .mayHaveExpired(let other): ownerLocator = other
            }
            let ownerLive = try loadHeader(txn, key: KeyLayout.documentKey(runtime.cid, ownerLocator.bytes)).map {
                !isExpired(runtime, timestamp: $0.timestamp, itemTTL: $0.itemTTL, now: now)
            } ?? false
            if ownerLive { throw runtime.uniqueKeyConflict(Int(tuple.constraint), partition: document.partitionKey) }
            expiredOwners.append(ownerLocator)
        }
        return expiredOwners
    }

    /// Writes `document` as the new version of the item at `locator`, replacing `previous` (the stored version,
    /// live or expired) if any. Checks unique keys and size first; then updates every row.
    ///
    /// - Parameters:
    ///   - uniqueChecked: The tuples and expired owners from an earlier ``checkUniqueKeys`` of this same document and
    ///     locator in this transaction, or `nil` to check here.
    ///   - renamed: The live item this one replaces under another id (a replace that changes the id): the new
    ///     version keeps its `_rid` and never moves its `_ts` back. The caller removes it after this call, which
    ///     leaves the unique-key rows this version took over in place (they no longer name it).
    func putItem(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                 _ document: PreparedDocument, locator: Locator, previous: StoredItem?, now: UInt64,
                 uniqueChecked: (tuples: UniqueTuples, expiredOwners: [Locator])? = nil,
                 renamed: StoredItem? = nil) throws -> Item {
        let cid = runtime.cid

        // Checks (no mutation yet): unique keys first, so a rejected write costs no serialization.
        let tuples = uniqueChecked?.tuples ?? runtime.uniqueTuples(of: document.members)
        let previousTuples = previous.map { runtime.uniqueTuples(of: $0.document) } ?? []
        let expiredOwners = try uniqueChecked?.expiredOwners
            ?? checkUniqueKeys(txn, runtime, document, tuples: tuples, previousTuples: previousTuples,
                               locator: locator, now: now)
        let previousLive = previous.map {
            !isExpired(runtime, timestamp: $0.record.timestamp, itemTTL: $0.record.itemTTL, now: now)
        } ?? false
        // _ts never decreases for an item, whatever the clock does.
        let earlier = renamed ?? (previousLive ? previous : nil)
        let ts = max(now, earlier?.record.timestamp ?? 0)
        let lsn = try state.nextLSN(cid, txn, dbs: dbs)
        let rid = earlier?.record.rid ?? lsn
        var stored = document.members
        stored["_rid"] = .string(ResourceID.document(database: databaseRID, cid: cid, rid: rid))
        stored["_self"] = .string(ResourceID.documentLink(database: databaseRID, cid: cid, rid: rid))
        stored["_etag"] = .string(ResourceID.etag(cid: cid, lsn: lsn))
        stored["_attachments"] = .string("attachments/")
        stored["_ts"] = .number(Double(ts))
        let record = DocumentRecord.encode(
            itemTTL: document.itemTTL, timestamp: ts, lsn: lsn, rid: rid,
            partitionKeyEncoding: document.partitionKey.fullEncoding, id: document.id, body: stored)
        let bodyCount = record.bytes.count - record.bodyOffset
        guard bodyCount <= PreparedDocument.maxItemBytes else {
            throw StoreError.tooLarge(
                "the item is \(bodyCount) bytes with its system properties; the limit is "
                    + "\(PreparedDocument.maxItemBytes) bytes (2 MB)")
        }

        // Mutations.
        for owner in expiredOwners where owner != locator {
            if let other = try loadStored(txn, key: KeyLayout.documentKey(cid, owner.bytes)) {
                try removeRows(txn, &state, runtime, locator: owner, stored: other)
            }
        }
        let newTerms = runtime.policy.terms(of: stored)
        let newExpiry = runtime.expiry(timestamp: ts, itemTTL: document.itemTTL)
        if let previous {
            let old = try storedRows(txn, runtime, locator: locator, record: previous.record,
                                     document: previous.document)
            try updateIndexRows(txn, cid, locator: locator, old: old.terms, new: newTerms)
            for (i, old) in previousTuples.enumerated() where i >= tuples.count || tuples[i].digest != old.digest {
                try deleteUniqueRow(txn, runtime, locator: locator, constraint: old.constraint, digest: old.digest)
            }
            if let oldExpiry = old.expiry, oldExpiry != newExpiry {
                try txn.delete(dbs.ttl, key: KeyLayout.ttlKey(cid, expiresAt: oldExpiry, locator: locator.bytes))
            }
            try txn.delete(dbs.feed, key: KeyLayout.feedKey(cid, previous.record.lsn))
        } else {
            try updateIndexRows(txn, cid, locator: locator, old: .empty, new: newTerms)
        }
        for (i, tuple) in tuples.enumerated() {
            if i < previousTuples.count, previousTuples[i].digest == tuple.digest { continue }
            let key = runtime.uniqueKey(constraint: tuple.constraint, locatorPK: locator.pk[...], digest: tuple.digest)
            try txn.put(dbs.unique, key: key, value: locator.bytes)
        }
        if let newExpiry {
            try txn.put(dbs.ttl, key: KeyLayout.ttlKey(cid, expiresAt: newExpiry, locator: locator.bytes), value: [])
        }
        try txn.put(dbs.feed, key: KeyLayout.feedKey(cid, lsn), value: locator.bytes)
        try txn.put(dbs.docs, key: KeyLayout.documentKey(cid, locator.bytes), value: record.bytes)
        return Item(json: Array(record.bytes[record.bodyOffset...]), id: document.id, partitionKey: document.partitionKey,
                    timestamp: Int(ts), cid: cid, lsn: lsn)
    }

    /// Removes an item version and every row derived from it.
    func removeRows(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                    locator: Locator, stored: StoredItem) throws {
        let cid = runtime.cid
        state.touch(cid)
        let rows = try storedRows(txn, runtime, locator: locator, record: stored.record, document: stored.document)
        try updateIndexRows(txn, cid, locator: locator, old: rows.terms, new: .empty)
        for tuple in runtime.uniqueTuples(of: stored.document) {
            try deleteUniqueRow(txn, runtime, locator: locator, constraint: tuple.constraint, digest: tuple.digest)
        }
        if let expiry = rows.expiry {
            try txn.delete(dbs.ttl, key: KeyLayout.ttlKey(cid, expiresAt: expiry, locator: locator.bytes))
        }
        try txn.delete(dbs.feed, key: KeyLayout.feedKey(cid, stored.record.lsn))
        try txn.delete(dbs.docs, key: KeyLayout.documentKey(cid, locator.bytes))
    }

    /// Deletes a `uniq` row if this item owns it.
    private func deleteUniqueRow(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, locator: Locator,
                                 constraint: UInt8, digest: [UInt8]) throws {
        let key = runtime.uniqueKey(constraint: constraint, locatorPK: locator.pk[...], digest: digest)
        if let owner = try txn.get(dbs.unique, key: key), owner == locator.bytes {
            try txn.delete(dbs.unique, key: key)
        }
    }

    /// Applies the difference between two term sets to the index DBIs.
    func updateIndexRows(_ txn: borrowing Transaction, _ cid: UInt32, locator: Locator,
                         old: CompiledIndexingPolicy.Terms, new: CompiledIndexingPolicy.Terms) throws {
        // One scratch buffer for every key of this item (no allocation per index row).
        var key = [UInt8]()
        key.reserveCapacity(160)
        func partitionRow(_ term: [UInt8]) -> [UInt8] {
            key.removeAll(keepingCapacity: true)
            key.appendBigEndian(cid)
            key.append(contentsOf: term[0..<8])
            key.append(contentsOf: locator.pk)
            key.append(contentsOf: term[8...])
            key.append(contentsOf: locator.id)
            return key
        }
        func globalRow(_ term: [UInt8]) -> [UInt8] {
            key.removeAll(keepingCapacity: true)
            key.appendBigEndian(cid)
            key.append(contentsOf: term)
            key.append(contentsOf: locator.pk)
            key.append(contentsOf: locator.id)
            return key
        }
        // Range terms are sorted: merge them.
        var i = 0, j = 0
        while i < old.range.count || j < new.range.count {
            let order: Int
            if i == old.range.count { order = 1 } else if j == new.range.count { order = -1 } else {
                order = old.range[i] == new.range[j] ? 0 : (old.range[i].lexicographicallyPrecedes(new.range[j]) ? -1 : 1)
            }
            if order == 0 {
                i += 1
                j += 1
            } else if order < 0 {
                try txn.delete(dbs.partitionIndex, key: partitionRow(old.range[i]))
                try txn.delete(dbs.globalIndex, key: globalRow(old.range[i]))
                i += 1
            } else {
                try txn.put(dbs.partitionIndex, key: partitionRow(new.range[j]), value: [])
                try txn.put(dbs.globalIndex, key: globalRow(new.range[j]), value: [])
                j += 1
            }
        }
        for term in old.globalOnly where !new.globalOnly.contains(term) {
            try txn.delete(dbs.globalIndex, key: globalRow(term))
        }
        for term in new.globalOnly where !old.globalOnly.contains(term) {
            try txn.put(dbs.globalIndex, key: globalRow(term), value: [])
        }
        for term in old.composite where !new.composite.contains(term) {
            try txn.delete(dbs.compositeIndex, key: globalRow(term))
        }
        for term in new.composite where !old.composite.contains(term) {
            try txn.put(dbs.compositeIndex, key: globalRow(term), value: [])
        }
        // Rows with values (`cidx`: vector rows and full-text postings, `term ‖ PK ‖ ID` → value): written when new
        // or changed.
        if !old.valued.isEmpty || !new.valued.isEmpty {
            var oldValues = [[UInt8]: [UInt8]](minimumCapacity: old.valued.count)
            for row in old.valued { oldValues[row.term] = row.value }
            var newTerms = Set<[UInt8]>(minimumCapacity: new.valued.count)
            for row in new.valued {
                newTerms.insert(row.term)
                if oldValues[row.term] != row.value {
                    try txn.put(dbs.compositeIndex, key: globalRow(row.term), value: row.value)
                }
            }
            for row in old.valued where !newTerms.contains(row.term) {
                try txn.delete(dbs.compositeIndex, key: globalRow(row.term))
            }
        }
        if old.fullTextCounts != new.fullTextCounts {
            try updateFullTextCounters(txn, cid, old: old.fullTextCounts, new: new.fullTextCounts)
        }
    }

    /// Moves each full-text index's counter row (``KeyLayout/fullTextCounterKey(_:hash:)``: items, then their terms)
    /// from an item's old share to its new one. A counter that reaches zero items is removed.
    private func updateFullTextCounters(_ txn: borrowing Transaction, _ cid: UInt32,
                                        old: [CompiledIndexingPolicy.Terms.FullTextCount],
                                        new: [CompiledIndexingPolicy.Terms.FullTextCount]) throws {
        var deltas = [[UInt8]: (items: Int64, words: Int64)]()
        for (shares, sign) in [(old, Int64(-1)), (new, 1)] {
            for share in shares {
                deltas[share.hash, default: (0, 0)].items += sign
                deltas[share.hash]!.words += sign * Int64(share.words)
            }
        }
        for (hash, delta) in deltas where delta != (0, 0) {
            let key = KeyLayout.fullTextCounterKey(cid, hash: hash)
            var (items, words) = try txn.get(dbs.compositeIndex, key: key).map {
                (Int64($0.readBigEndian(UInt64.self, at: 0)), Int64($0.readBigEndian(UInt64.self, at: 8)))
            } ?? (0, 0)
            items += delta.items
            words += delta.words
            guard items > 0 else {
                try txn.delete(dbs.compositeIndex, key: key)
                continue
            }
            var value = [UInt8]()
            value.appendBigEndian(UInt64(items))
            value.appendBigEndian(UInt64(max(words, 0)))
            try txn.put(dbs.compositeIndex, key: key, value: value)
        }
    }

    /// `cid ‖ pathHash ‖ PK ‖ V ‖ ID`.
    func partitionIndexKey(_ cid: UInt32, _ term: [UInt8], _ locator: Locator) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(4 + term.count + locator.pk.count + locator.id.count)
        key.appendBigEndian(cid)
        key.append(contentsOf: term[0..<8])
        key.append(contentsOf: locator.pk)
        key.append(contentsOf: term[8...])
        key.append(contentsOf: locator.id)
        return key
    }

    /// `cid ‖ hash ‖ V... ‖ PK ‖ ID` (global range index and composite index).
    func globalIndexKey(_ cid: UInt32, _ term: [UInt8], _ locator: Locator) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(4 + term.count + locator.pk.count + locator.id.count)
        key.appendBigEndian(cid)
        key.append(contentsOf: term)
        key.append(contentsOf: locator.pk)
        key.append(contentsOf: locator.id)
        return key
    }
}
