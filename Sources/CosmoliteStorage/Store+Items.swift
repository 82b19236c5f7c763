// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON
import CosmoliteLMDB

// MARK: - Item operations (synchronous; see Store+Async.swift for the async overloads)

extension Store {
    /// Creates an item. The id must be new in its logical partition (the same id may exist under another
    /// partition-key value: that is a different item).
    ///
    /// - Parameters:
    ///   - container: The container id.
    ///   - json: The document as UTF-8 JSON; system properties in it are ignored.
    ///   - partitionKey: The partition key given with the request, checked against the document's (optional).
    /// - Returns: The stored item with its system properties.
    /// - Throws: ``StoreError``: 400 invalid document/id/ttl or partition-key mismatch (sub-status 1001),
    ///   404 no such container, 409 the id or a unique key already exists, 413 the item exceeds 2 MB.
    public func createItem(in container: String, json: [UInt8], partitionKey: PartitionKey? = nil) throws -> Item {
        try writeItem(container) { txn, state, runtime, now in
            try self.create(txn, &state, runtime, json: json, explicitKey: partitionKey, now: now)
        }
    }

    /// Creates an item from a document tree. See ``createItem(in:json:partitionKey:)``.
    public func createItem(in container: String, document: JSONValue, partitionKey: PartitionKey? = nil) throws -> Item {
        try writeItem(container) { txn, state, runtime, now in
            try self.create(txn, &state, runtime, document, explicitKey: partitionKey, now: now)
        }
    }

    /// Reads an item by id and partition key (a point read).
    ///
    /// - Throws: ``StoreError`` 404 when the item does not exist or has expired; 400 for a malformed id or key.
    public func readItem(in container: String, id: String, partitionKey: PartitionKey) throws -> Item {
        guard let item = try readItem(in: container, id: id, partitionKey: partitionKey, ifNoneMatch: nil) else {
            throw StoreError(.internalError, "a read without If-None-Match returned nothing")
        }
        return item
    }

    /// Reads an item unless it still has the entity tag `ifNoneMatch` (Cosmos's `If-None-Match`; `*` matches any).
    ///
    /// - Returns: The item, or `nil` when its `_etag` equals `ifNoneMatch`, or `ifNoneMatch` is `*` (HTTP 304, not
    ///   modified).
    /// - Throws: ``StoreError`` 404 when the item does not exist or has expired.
    public func readItem(in container: String, id: String, partitionKey: PartitionKey,
                         ifNoneMatch: String?) throws -> Item? {
        var item: Item?
        try visitItem(in: container, id: id, partitionKey: partitionKey, ifNoneMatch: ifNoneMatch) {
            body, timestamp, cid, lsn in
            item = Item(json: Array(body), id: id, partitionKey: partitionKey, timestamp: Int(timestamp), cid: cid,
                        lsn: lsn)
        }
        return item
    }

    /// Reads an item in place: `body` gets the stored document (UTF-8 JSON with its system properties, the bytes
    /// ``Item/json`` would hold) without a copy being made.
    ///
    /// The buffer points into the store's memory map and is valid only during the call: copy what must outlive
    /// it. `body` runs inside the read transaction, so it should be short and must not block on other work.
    /// - Throws: ``StoreError`` 404 when the item does not exist or has expired; 400 for a malformed id or key;
    ///   whatever `body` throws.
    @inlinable
    public func withItemJSON<R>(in container: String, id: String, partitionKey: PartitionKey,
                                _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var result: R?
        try visitItem(in: container, id: id, partitionKey: partitionKey, ifNoneMatch: nil) { json, _, _, _ in
            result = try body(json)
        }
        guard let result else { throw StoreError(.internalError, "a read without If-None-Match returned nothing") }
        return result
    }

    /// The point read behind ``readItem(in:id:partitionKey:ifNoneMatch:)`` and ``withItemJSON(in:id:partitionKey:_:)``:
    /// finds the live item and hands `visit` its document bytes (valid during the call), its `_ts`, its container's
    /// number and its write sequence number; does not call `visit` when the item's `_etag` equals `ifNoneMatch`.
    ///
    /// Not generic, so that a read costs no generic-metadata lookups whatever module calls it.
    @usableFromInline
    func visitItem(in container: String, id: String, partitionKey: PartitionKey, ifNoneMatch: String?,
                   _ visit: (UnsafeRawBufferPointer, UInt64, UInt32, UInt64) throws -> Void) throws {
        // A read needs no more than a non-empty id: an id that could never have been written simply does not exist.
        guard !id.isEmpty else { throw StoreError.badRequest("the item id must not be empty") }
        try read { txn, catalog in
            let runtime = try self.runtime(container, in: catalog)
            // Only a container with a TTL can hold expired items: the others need no clock.
            let now = runtime.definition.defaultTtl == nil ? 0 : self.nowSeconds()
            try runtime.definition.partitionKey.validate(partitionKey)
            var key = [UInt8]()
            key.reserveCapacity(16 + id.utf8.count + 32)
            key.appendBigEndian(runtime.cid)
            partitionKey.appendKeyComponent(to: &key)
            KeyLayout.appendID(id, to: &key)
            try key.withUnsafeBytes { k in
                try txn.withValue(self.dbs.docs, forKey: k) { bytes in
                    guard let bytes else { throw Self.itemNotFound(id, partitionKey, container) }
                    let fixed = try DocumentRecord.decodeFixed(bytes)
                    if self.isExpired(runtime, timestamp: fixed.timestamp, itemTTL: fixed.itemTTL, now: now) {
                        throw Self.itemNotFound(id, partitionKey, container)
                    }
                    // `*` matches any version (the SDKs' "To match any Etag use *").
                    if let ifNoneMatch,
                       ifNoneMatch == "*" || ifNoneMatch == ResourceID.etag(cid: runtime.cid, lsn: fixed.lsn) {
                        return
                    }
                    try visit(UnsafeRawBufferPointer(rebasing: bytes[fixed.bodyOffset...]), fixed.timestamp, runtime.cid,
                              fixed.lsn)
                }
            }
        }
    }

    /// Replaces an existing item.
    ///
    /// - Parameters:
    ///   - id: The id of the item to replace. A document with another `id` renames the item, as the service allows
    ///     (the partition key must stay): it keeps its `_rid`, and the old id is free again.
    ///   - ifMatch: When set, the write happens only if the item's current `_etag` equals it (else 412).
    /// - Throws: ``StoreError`` 404 no such item, 409 unique-key conflict (or, renaming, a live item with the new id),
    ///   412 stale `ifMatch`, 400/413 as for create.
    public func replaceItem(in container: String, id: String, partitionKey: PartitionKey, json: [UInt8],
                            ifMatch: String? = nil) throws -> Item {
        try replaceItem(in: container, id: id, partitionKey: partitionKey, document: try PreparedDocument.parse(json),
                        ifMatch: ifMatch)
    }

    /// Replaces an existing item with a document tree. See ``replaceItem(in:id:partitionKey:json:ifMatch:)``.
    public func replaceItem(in container: String, id: String, partitionKey: PartitionKey, document: JSONValue,
                            ifMatch: String? = nil) throws -> Item {
        try writeItem(container) { txn, state, runtime, now in
            try self.replace(txn, &state, runtime, id: id, partitionKey: partitionKey, document, ifMatch: ifMatch,
                             now: now)
        }
    }

    /// Creates the item, or replaces it if an item with its id exists in its partition.
    ///
    /// `ifMatch` guards the replacement only: a stale one is a 412 when the item exists, and ignored when it does
    /// not (the upsert creates it), as in the service.
    ///
    /// - Returns: The stored item and whether it was created (201) rather than replaced (200).
    public func upsertItem(in container: String, json: [UInt8], partitionKey: PartitionKey? = nil,
                           ifMatch: String? = nil) throws -> (item: Item, created: Bool) {
        try upsertItem(in: container, document: try PreparedDocument.parse(json), partitionKey: partitionKey,
                       ifMatch: ifMatch)
    }

    /// Upserts a document tree. See ``upsertItem(in:json:partitionKey:ifMatch:)``.
    public func upsertItem(in container: String, document: JSONValue, partitionKey: PartitionKey? = nil,
                           ifMatch: String? = nil) throws -> (item: Item, created: Bool) {
        try writeItem(container) { txn, state, runtime, now in
            try self.upsert(txn, &state, runtime, document, explicitKey: partitionKey, ifMatch: ifMatch, now: now)
        }
    }

    /// Deletes an item.
    ///
    /// - Throws: ``StoreError`` 404 when it does not exist (or has expired), 412 when `ifMatch` is stale.
    public func deleteItem(in container: String, id: String, partitionKey: PartitionKey, ifMatch: String? = nil) throws {
        try writeItem(container) { txn, state, runtime, now in
            try self.delete(txn, &state, runtime, id: id, partitionKey: partitionKey, ifMatch: ifMatch, now: now)
        }
    }

    /// Applies Cosmos patch operations (`add`, `set`, `replace`, `remove`, `incr`, `move`; at most 10) to an item.
    ///
    /// All operations apply or none do. `id`, the partition-key paths and system properties cannot be patched.
    /// With a `condition` (Cosmos's filter predicate, see ``PatchCondition``) the patch applies only when the item's
    /// current version satisfies it, checked in the same transaction as the write.
    ///
    /// - Throws: ``StoreError`` 400 for an invalid operation or a missing target, 404, 409 as for replace; 412 when
    ///   `ifMatch` is stale or the item does not satisfy `condition`.
    public func patchItem(in container: String, id: String, partitionKey: PartitionKey, operations: [PatchOperation],
                          ifMatch: String? = nil, condition: PatchCondition? = nil) throws -> Item {
        try writeItem(container) { txn, state, runtime, now in
            try self.patch(txn, &state, runtime, id: id, partitionKey: partitionKey, operations: operations,
                           ifMatch: ifMatch, condition: condition, now: now)
        }
    }

    /// Deletes every item of one logical partition, with all their index, unique-key, TTL and feed rows, in one
    /// transaction.
    ///
    /// - Returns: The number of items deleted (expired items are removed too but not counted).
    public func deleteAllItems(in container: String, partitionKey: PartitionKey) throws -> Int {
        try writeItem(container) { txn, state, runtime, now in
            try self.removePartition(txn, &state, runtime, partitionKey: partitionKey, now: now)
        }
    }

    /// Removes every item of one logical partition (live or expired) with all its rows, inside a write.
    ///
    /// - Returns: The number of live items removed.
    func removePartition(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                         partitionKey: PartitionKey, now: UInt64) throws -> Int {
        try runtime.definition.partitionKey.validate(partitionKey)
        var prefix = runtime.keyPrefix
        partitionKey.appendKeyComponent(to: &prefix)
        var removed = 0
        try forEachStoredItem(txn, runtime, prefix: prefix) { locator, stored in
            if !isExpired(runtime, timestamp: stored.record.timestamp, itemTTL: stored.record.itemTTL, now: now) {
                removed += 1
            }
            try removeRows(txn, &state, runtime, locator: locator, stored: stored)
        }
        return removed
    }

    /// Visits every stored item (live or expired) whose `docs` key starts with `prefix`, decoded, so that `body`
    /// may change rows: the keys are collected first, then each item is loaded and visited.
    func forEachStoredItem(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, prefix: [UInt8],
                           _ body: (Locator, StoredItem) throws -> Void) throws {
        var keys = [[UInt8]]()
        try txn.forEach(dbs.docs, prefix: prefix) { key, _ in
            keys.append(Array(key))
            return true
        }
        let components = runtime.definition.partitionKey.paths.count
        for key in keys {
            guard let stored = try loadStored(txn, key: key) else { continue }
            let locator = try key.withUnsafeBytes {
                try Locator(bytes: UnsafeRawBufferPointer(rebasing: $0[4...]), components: components)
            }
            try body(locator, stored)
        }
    }

    /// Checks a document against the container's rules without writing it: it is a JSON object of at most 2 MB
    /// with a valid string id, a valid `ttl`, and a partition-key value within limits.
    ///
    /// Unique keys and existing ids are checked only by a write, since they depend on the stored items.
    ///
    /// - Returns: The document's id and partition key.
    /// - Throws: ``StoreError`` 400 or 413 saying what to fix; 404 when the container does not exist.
    public func validateItem(in container: String, document: JSONValue) throws -> (id: String, partitionKey: PartitionKey) {
        let runtime = try read { _, catalog in try self.runtime(container, in: catalog) }
        let prepared = try PreparedDocument(document, runtime: runtime, explicitKey: nil)
        let size = JSONWriter.serialize(.object(prepared.members)).count
        guard size <= PreparedDocument.maxItemBytes else {
            throw StoreError.tooLarge("the item is \(size) bytes; the limit is \(PreparedDocument.maxItemBytes) bytes (2 MB)")
        }
        return (prepared.id, prepared.partitionKey)
    }

    // MARK: - Shared plumbing

    /// Runs one item write on a container in its own transaction.
    func writeItem<R>(_ container: String,
                      _ body: (borrowing Transaction, inout WriteState, ContainerRuntime, UInt64) throws -> R) throws -> R {
        let now = nowSeconds()
        return try write { txn, catalog, state in
            let runtime = try self.runtime(container, in: catalog)
            return try body(txn, &state, runtime, now)
        }
    }

    static func itemNotFound(_ id: String, _ key: PartitionKey, _ container: String) -> StoreError {
        .notFound("item '\(id)' does not exist in partition \(key) of container '\(container)'")
    }

    // MARK: - Operations inside a transaction (shared by single writes, batches and bulk)

    func create(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                _ json: JSONValue, explicitKey: PartitionKey?, now: UInt64) throws -> Item {
        let document = try PreparedDocument(json, runtime: runtime, explicitKey: explicitKey)
        let admitted = try admitCreate(txn, runtime, document, now: now)
        return try putItem(txn, &state, runtime, document, locator: admitted.locator, previous: admitted.previous,
                           now: now, uniqueChecked: admitted.uniqueChecked)
    }

    /// Creates an item from JSON bytes; the same outcome as parsing them and creating the tree, but a create that a
    /// unique key or an existing id refuses is refused before the document tree is built.
    ///
    /// The bytes are first validated in full while only the members the admission checks read are built (id, ttl,
    /// and the first property of each partition-key and unique-key path). Those checks see exactly those members
    /// either way, so they pass or fail, with the same message, as on the whole tree. Any error in this first pass
    /// falls through to the whole parse, which reports it.
    func create(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                json bytes: [UInt8], explicitKey: PartitionKey?, now: UInt64) throws -> Item {
        guard bytes.count <= PreparedDocument.maxItemBytes,
              let members = try? bytes.withUnsafeBytes({ try JSONReader.parseMembers($0, selecting: runtime.admissionMembers) }),
              let head = try? PreparedDocument(.object(members), runtime: runtime, explicitKey: explicitKey) else {
            return try create(txn, &state, runtime, try PreparedDocument.parse(bytes), explicitKey: explicitKey, now: now)
        }
        let admitted = try admitCreate(txn, runtime, head, now: now)
        let document = try PreparedDocument(try PreparedDocument.parse(bytes), runtime: runtime, explicitKey: explicitKey)
        return try putItem(txn, &state, runtime, document, locator: admitted.locator, previous: admitted.previous,
                           now: now, uniqueChecked: admitted.uniqueChecked)
    }

    /// What a create must pass before anything is written: no live item of the partition holds one of its
    /// unique-key tuples, and no live item has its id.
    ///
    /// Reads only the id, the partition key, the ttl and the unique-key paths of `document`.
    /// - Parameter renamed: For a replace that renames an item: its old id and locator. Its unique-key tuples pass to
    ///   the new version, so they are no conflict.
    /// - Returns: Where the item goes, the expired version it replaces (if any) and the unique-key check's result
    ///   for ``putItem(_:_:_:_:locator:previous:now:uniqueChecked:renamed:)``.
    /// - Throws: ``StoreError`` 409 for a unique-key violation or an existing id.
    private func admitCreate(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, _ document: PreparedDocument,
                             renamed: (id: String, locator: Locator)? = nil, now: UInt64)
        throws -> (locator: Locator, previous: StoredItem?,
                   uniqueChecked: (tuples: UniqueTuples, expiredOwners: [Locator])) {
        let locator = Locator(partitionKey: document.partitionKey, id: document.id)
        // Unique keys before the id: a create that collides on a unique key is rejected after one lookup. A stored
        // version at this same locator (live or expired) owns its tuples under this locator, which is no conflict;
        // so the order changes only which 409 message a create colliding on both counts gets.
        let tuples = runtime.uniqueTuples(of: document.members)
        let expiredOwners = try checkUniqueKeys(txn, runtime, document, tuples: tuples, previousTuples: [],
                                                locator: locator, releasing: renamed?.locator, now: now)
        let key = KeyLayout.documentKey(runtime.cid, locator.bytes)
        var previous: StoredItem?
        if let header = try loadHeader(txn, key: key) {
            if !isExpired(runtime, timestamp: header.timestamp, itemTTL: header.itemTTL, now: now) {
                // The first sentence is the service's own.
                let exists = "Resource with specified id or name already exists. An item with id '\(document.id)' "
                    + "already exists in partition \(document.partitionKey)"
                throw StoreError.conflict(renamed.map { "cannot rename item '\($0.id)' to '\(document.id)': " + exists }
                                              ?? exists + "; use replace or upsert to change it")
            }
            previous = try loadStored(txn, key: key)   // expired: its rows are replaced
        }
        return (locator, previous, (tuples, expiredOwners))
    }

    func replace(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime, id: String,
                 partitionKey: PartitionKey, _ json: JSONValue, ifMatch: String?, now: UInt64) throws -> Item {
        let document = try PreparedDocument(json, runtime: runtime, explicitKey: partitionKey)
        let (locator, previous) = try liveItem(txn, runtime, id: id, partitionKey: partitionKey, ifMatch: ifMatch,
                                               now: now)
        guard document.id == id else {
            return try rename(txn, &state, runtime, previous, id: id, at: locator, to: document, now: now)
        }
        return try putItem(txn, &state, runtime, document, locator: locator, previous: previous, now: now)
    }

    /// A replace whose document has another id, which the service allows (only the partition key must stay): the
    /// item moves to the new id, in one step, keeping its `_rid`. 409 when a live item has the new id, or when
    /// another item holds one of the new version's unique-key values.
    ///
    /// Every check comes before any write, as for the other operations, so a refused rename inside a bulk request
    /// leaves nothing behind.
    private func rename(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                        _ old: StoredItem, id oldID: String, at oldLocator: Locator, to document: PreparedDocument,
                        now: UInt64) throws -> Item {
        let admitted = try admitCreate(txn, runtime, document, renamed: (oldID, oldLocator), now: now)
        let item = try putItem(txn, &state, runtime, document, locator: admitted.locator, previous: admitted.previous,
                               now: now, uniqueChecked: admitted.uniqueChecked, renamed: old)
        try removeRows(txn, &state, runtime, locator: oldLocator, stored: old)
        return item
    }

    func upsert(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                _ json: JSONValue, explicitKey: PartitionKey?, ifMatch: String?,
                now: UInt64) throws -> (item: Item, created: Bool) {
        let document = try PreparedDocument(json, runtime: runtime, explicitKey: explicitKey)
        let locator = Locator(partitionKey: document.partitionKey, id: document.id)
        let previous = try loadStored(txn, key: KeyLayout.documentKey(runtime.cid, locator.bytes))
        let live = previous.map {
            !isExpired(runtime, timestamp: $0.record.timestamp, itemTTL: $0.record.itemTTL, now: now)
        } ?? false
        // If-Match guards the replacing half of an upsert only: when there is no item, the upsert creates it, as
        // the service does ("ignored ... for upsert requests if the item doesn't exist", the SDKs' request options).
        if let ifMatch, live, let previous, ResourceID.etag(cid: runtime.cid, lsn: previous.record.lsn) != ifMatch {
            throw Self.staleIfMatch(document.id, document.partitionKey)
        }
        let item = try putItem(txn, &state, runtime, document, locator: locator, previous: previous, now: now)
        return (item, !live)
    }

    func delete(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime, id: String,
                partitionKey: PartitionKey, ifMatch: String?, now: UInt64) throws {
        let (locator, stored) = try liveItem(txn, runtime, id: id, partitionKey: partitionKey, ifMatch: ifMatch,
                                             now: now)
        try removeRows(txn, &state, runtime, locator: locator, stored: stored)
    }

    func patch(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime, id: String,
               partitionKey: PartitionKey, operations: [PatchOperation], ifMatch: String?,
               condition: PatchCondition?, now: UInt64) throws -> Item {
        guard !operations.isEmpty else { throw StoreError.badRequest("a patch takes 1 to 10 operations, got none") }
        guard operations.count <= PatchOperation.maxOperations else {
            throw StoreError.badRequest("The number of patch operations can't exceed \(PatchOperation.maxOperations). "
                + "This patch has \(operations.count); split it.")
        }
        let keyPaths = runtime.partitionKeyPaths
        for (i, op) in operations.enumerated() {
            for pointer in [op.path] + (op.from.map { [$0] } ?? []) {
                let segments = pointer.segments
                // The service's words (partial-document-update-getting-started.md); `_id` is on its list too.
                if let first = segments.first, first == "_id" || PreparedDocument.systemProperties.contains(first) {
                    throw StoreError.badRequest("Invalid patch request: Can't patch system property \(first). "
                        + "(patch operation \(i), \(op.kind.rawValue) \(pointer))")
                }
                if segments.first == "id" {
                    throw StoreError.badRequest("patch operation \(i) (\(op.kind.rawValue) \(pointer)): the id cannot "
                        + "be patched; replace the item with the new id to rename it")
                }
                for path in keyPaths where segments.starts(with: path) || path.starts(with: segments) {
                    throw StoreError.badRequest("patch operation \(i) (\(op.kind.rawValue) \(pointer)): the "
                        + "partition-key path cannot be patched; delete and re-create the item to move it")
                }
            }
        }
        let (locator, previous) = try liveItem(txn, runtime, id: id, partitionKey: partitionKey, ifMatch: ifMatch,
                                               now: now)
        var document = JSONValue.object(previous.document)
        if let condition, try !condition.holds(for: document, now: configuration.clock()) {
            throw StoreError.preconditionFailed(
                "item '\(id)' in partition \(partitionKey) does not satisfy the patch condition; nothing was changed "
                    + "(read the item to see its current values)")
        }
        do {
            try PatchOperation.apply(operations, to: &document)
        } catch {
            throw StoreError.badRequest("\(error)")
        }
        let prepared = try PreparedDocument(document, runtime: runtime, explicitKey: partitionKey)
        return try putItem(txn, &state, runtime, prepared, locator: locator, previous: previous, now: now)
    }

    /// The live item at (id, partitionKey), checking `ifMatch`; 404 / 412 otherwise.
    func liveItem(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, id: String, partitionKey: PartitionKey,
                  ifMatch: String?, now: UInt64) throws -> (Locator, StoredItem) {
        try PreparedDocument.validateID(id)
        try runtime.definition.partitionKey.validate(partitionKey)
        let locator = Locator(partitionKey: partitionKey, id: id)
        guard let stored = try loadStored(txn, key: KeyLayout.documentKey(runtime.cid, locator.bytes)),
              !isExpired(runtime, timestamp: stored.record.timestamp, itemTTL: stored.record.itemTTL, now: now)
        else {
            throw Self.itemNotFound(id, partitionKey, runtime.id)
        }
        if let ifMatch, ifMatch != ResourceID.etag(cid: runtime.cid, lsn: stored.record.lsn) {
            throw Self.staleIfMatch(id, partitionKey)
        }
        return (locator, stored)
    }

    /// The 412 for an `If-Match` that no longer matches the item's `_etag`.
    static func staleIfMatch(_ id: String, _ partitionKey: PartitionKey) -> StoreError {
        StoreError.preconditionFailed(
            "item '\(id)' in partition \(partitionKey) changed since it was read (its _etag no longer matches "
                + "If-Match); read it again and retry")
    }
}
