// SPDX-License-Identifier: Apache-2.0
//
// Online index transformation: a replace that changes a container's indexing policy, computed properties or
// `defaultTtl` records where the container stood (`meta/xform`, see IndexTransformation.swift) and returns; the
// items' index and `ttl` rows are then rewritten in steps of a bounded number of items, one write transaction each,
// in `docs` key order, with the position kept in `meta/xpos`. Writers interleave with the steps. Which definition an
// item's rows follow is decided by `storedRows` (invariant 7 of KeyLayout.swift), for writers, steps and the checker
// alike.

import CosmoliteJSON
import CosmoliteLMDB
import Synchronization

extension Store {
    // MARK: - Public API

    /// Re-indexes up to `limit` more items of the containers whose index is being transformed, in one
    /// transaction, and completes each transformation that has visited all its items.
    ///
    /// A replace that changes the indexing policy, the computed properties or the `defaultTtl`
    /// (``replaceContainer(_:)``) starts a transformation and returns without rewriting the items' rows. By default
    /// a background task drives it (``StoreConfiguration/indexesInBackground``); this call drives it by hand. Until
    /// a transformation completes, queries use only the indexes the old and the new policy share, and answer
    /// correctly either way.
    ///
    /// - Parameter limit: The most items to visit in this call (at least 1).
    /// - Returns: Whether a transformation is still under way after this step.
    @discardableResult
    public func advanceIndexTransformations(limit: Int = 250) throws -> Bool {
        let limit = max(1, limit)
        return try write { txn, catalog, state in
            var budget = limit
            var remaining = false
            for runtime in catalog.byName.values.sorted(by: { $0.cid < $1.cid }) where runtime.transformation != nil {
                guard budget > 0 else {
                    remaining = true
                    break
                }
                let (visited, completed) = try self.stepIndexTransformation(txn, &state, runtime, limit: budget)
                budget -= visited
                remaining = remaining || !completed
            }
            return remaining
        }
    }

    /// Completes every index transformation under way, a bounded step (one transaction) at a time, so writers of
    /// this and other processes interleave with it.
    ///
    /// - Parameter stepSize: Items re-indexed per transaction.
    public func finishIndexTransformations(stepSize: Int = 250) throws {
        while try advanceIndexTransformations(limit: stepSize) {}
    }

    /// The progress of the container's index transformation in percent, as Cosmos reports it
    /// (`x-ms-documentdb-collection-index-transformation-progress`): 100 when none is under way, or when the one under
    /// way rewrites only `ttl` rows (a `defaultTtl` change, which Cosmos applies without re-indexing).
    ///
    /// - Throws: ``StoreError`` 404 when the container does not exist.
    public func indexTransformationProgress(in container: String) throws -> Int {
        try read { txn, catalog in
            let runtime = try self.runtime(container, in: catalog)
            guard let transformation = runtime.transformation else { return 100 }
            return transformation.progress(visited: try self.transformationPosition(txn, runtime.cid)?.done ?? 0)
        }
    }

    // MARK: - The background task

    /// Announces work (an index transformation, or a deleted container's rows) to the background task, starting it if
    /// it is not running (when configured).
    func startIndexer() {
        guard configuration.indexesInBackground, !configuration.readOnly else { return }
        let stepSize = max(1, configuration.indexTransformationStepSize)
        indexer.withLock { indexer in
            indexer.pending = true
            guard indexer.task == nil else { return }
            // The task holds the store only during a step, so releasing the store stops it between steps.
            indexer.task = Task.detached(priority: .utility) { [weak self] in
                while !Task.isCancelled, self?.takeAnnouncedIndexWork() == true {
                    while !Task.isCancelled, await self?.backgroundMaintenanceStep(stepSize) == true {}
                }
            }
        }
    }

    /// Whether work was announced since the background task last looked; clears its slot when not, under the lock,
    /// so that a replace announcing work as the task ends either is seen here or starts a new task.
    private func takeAnnouncedIndexWork() -> Bool {
        indexer.withLock { indexer in
            if indexer.pending {
                indexer.pending = false
                return true
            }
            indexer.task = nil
            return false
        }
    }

    /// One background step on the writer queue: one step of index transformations, then one of container
    /// deletions (each its own transaction, `stepSize` items or 20 × `stepSize` rows); whether more remains.
    ///
    /// This is housekeeping: a failure (a full disk, say) leaves the work where it was, with queries still correct;
    /// the next replace, delete or open of the store resumes it.
    private func backgroundMaintenanceStep(_ stepSize: Int) async -> Bool {
        (try? await offload(write: true) {
            let transforming = try self.advanceIndexTransformations(limit: stepSize)
            let deleting = try self.advanceContainerDeletions(limit: stepSize * 20)
            return transforming || deleting
        }) == true
    }

    /// Waits until the background task has no work left (returns at once when none runs).
    package func backgroundIndexingFinished() async {
        while let task = indexer.withLock({ $0.task }) {
            await task.value
            // A cancelled task ends without clearing its slot.
            if indexer.withLock({ $0.task }) == task { return }
        }
    }

    // MARK: - Which definition an item's rows follow

    /// The rows a stored item version was written with: its index terms, and the expiry its `ttl` row holds (`nil`:
    /// it has none). They follow the container's definition, or during a transformation the definition it started
    /// from, for an item no step has visited and no write has touched since it began.
    func storedRows(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, locator: Locator,
                    record: DocumentRecord, document: JSONObject) throws -> (terms: CompiledIndexingPolicy.Terms,
                                                                            expiry: UInt64?) {
        if let transformation = runtime.transformation, record.lsn <= transformation.startLSN,
           try !isVisited(txn, runtime.cid, locator: locator) {
            return (transformation.from.terms(of: document),
                    transformation.fromExpiry(timestamp: record.timestamp, itemTTL: record.itemTTL))
        }
        return (runtime.policy.terms(of: document), runtime.expiry(timestamp: record.timestamp, itemTTL: record.itemTTL))
    }

    /// Whether the transformation of container `cid` has visited the item at `locator`.
    private func isVisited(_ txn: borrowing Transaction, _ cid: UInt32, locator: Locator) throws -> Bool {
        guard let position = try transformationPosition(txn, cid), let last = position.last else { return false }
        let bytes = locator.bytes
        return !last.lexicographicallyPrecedes(bytes)
    }

    /// The stored position of a transformation: items visited, and the `PK ‖ ID` of the last one (nil before the
    /// first step).
    func transformationPosition(_ txn: borrowing Transaction, _ cid: UInt32) throws -> (done: UInt64, last: [UInt8]?)? {
        guard let value = try txn.get(dbs.meta, key: KeyLayout.MetaKey.transformationPosition(cid)) else { return nil }
        guard value.count >= 8 else {
            throw StoreError.corrupted("the index transformation position of container #\(cid) is damaged; run verify")
        }
        return (value.readBigEndian(UInt64.self, at: 0), value.count > 8 ? Array(value[8...]) : nil)
    }

    // MARK: - Beginning, stepping, completing

    /// Begins the transformation of `old`'s container to `definition` (in the replace's transaction). A
    /// transformation already under way is completed first, so that every item follows one of two policies.
    ///
    /// - Parameter items: The container's item count, counted before the transaction (progress needs only an
    ///   estimate, and counting inside would hold writers up).
    /// - Returns: The transformation, or `nil` when the container has no items (nothing to re-index).
    func beginIndexTransformation(_ txn: borrowing Transaction, _ state: inout WriteState, _ old: ContainerRuntime,
                                  to definition: ContainerDefinition, items: UInt64) throws -> IndexTransformation? {
        if old.transformation != nil {
            while try !stepIndexTransformation(txn, &state, old, limit: .max).completed {}
        }
        // The estimate may be stale: look for one item rather than trusting a zero.
        var empty = true
        try scan(txn, dbs.docs, prefix: old.keyPrefix, after: nil) { _, _ in
            empty = false
            return false
        }
        guard !empty else { return nil }
        // In a format-1 store (one another process kept from upgrading), every item has format-1 terms.
        let transformation = IndexTransformation(
            from: old.definition, to: definition, startLSN: try state.currentLSN(old.cid, txn, dbs: dbs), total: items,
            format: old.policy.compoundTerms ? KeyLayout.formatVersion : 1)
        try txn.put(dbs.meta, key: KeyLayout.MetaKey.transformation(old.cid), value: transformation.record)
        return transformation
    }

    /// The number of `docs` rows of the container `definition` names, when replacing it with `definition` re-indexes
    /// it (else 0: a transformation of the `ttl` rows alone reports no progress), read in a read transaction before
    /// the replace's (for a transformation's progress).
    func itemCountEstimate(reindexingTo definition: ContainerDefinition) throws -> UInt64 {
        try read { txn, catalog in
            guard let runtime = catalog.runtime(named: definition.id), definition.reindexes(from: runtime.definition)
            else { return 0 }
            var items: UInt64 = 0
            try scan(txn, dbs.docs, prefix: runtime.keyPrefix, after: nil) { _, _ in
                items += 1
                return true
            }
            return items
        }
    }

    /// Re-indexes up to `limit` items of a container's transformation, from its stored position, and completes it
    /// (deleting its records, moving the catalog epoch) when no item remains.
    func stepIndexTransformation(_ txn: borrowing Transaction, _ state: inout WriteState,
                                         _ runtime: ContainerRuntime,
                                         limit: Int) throws -> (visited: Int, completed: Bool) {
        guard let transformation = runtime.transformation else { return (0, true) }
        let cid = runtime.cid
        let position = try transformationPosition(txn, cid)
        let done = position?.done ?? 0
        // The rows to rewrite (with their expiry inputs), and the last row seen (where the next step resumes).
        var items = [(key: [UInt8], timestamp: UInt64, itemTTL: Int32?)]()
        var last: [UInt8]?
        var seen = 0
        var more = false
        try scan(txn, dbs.docs, prefix: runtime.keyPrefix, after: position?.last.map { runtime.keyPrefix + $0 }) { key, value in
            guard seen < limit else {
                more = true
                return false
            }
            seen += 1
            last = Array(key)
            // Items written since the transformation began already follow the new definition.
            let fixed = try DocumentRecord.decodeFixed(value)
            if fixed.lsn <= transformation.startLSN { items.append((Array(key), fixed.timestamp, fixed.itemTTL)) }
            return true
        }
        let components = runtime.partitionKeyPaths.count
        for item in items {
            let locator = try item.key.withUnsafeBytes {
                try Locator(bytes: UnsafeRawBufferPointer(rebasing: $0[4...]), components: components)
            }
            // Only a new indexing policy needs the document itself.
            if transformation.reindexes, let stored = try loadStored(txn, key: item.key) {
                try updateIndexRows(txn, cid, locator: locator, old: transformation.from.terms(of: stored.document),
                                    new: runtime.policy.terms(of: stored.document))
            }
            let oldExpiry = transformation.fromExpiry(timestamp: item.timestamp, itemTTL: item.itemTTL)
            let newExpiry = runtime.expiry(timestamp: item.timestamp, itemTTL: item.itemTTL)
            if oldExpiry != newExpiry {
                if let oldExpiry {
                    try txn.delete(dbs.ttl, key: KeyLayout.ttlKey(cid, expiresAt: oldExpiry, locator: locator.bytes))
                }
                if let newExpiry {
                    try txn.put(dbs.ttl, key: KeyLayout.ttlKey(cid, expiresAt: newExpiry, locator: locator.bytes),
                                value: [])
                }
            }
        }
        state.touch(cid)
        guard more, let last else {
            try txn.delete(dbs.meta, key: KeyLayout.MetaKey.transformation(cid))
            try txn.delete(dbs.meta, key: KeyLayout.MetaKey.transformationPosition(cid))
            _ = try bumpEpoch(txn)
            return (seen, true)
        }
        var value = [UInt8]()
        value.appendBigEndian(done + UInt64(seen))
        value.append(contentsOf: last[4...])
        try txn.put(dbs.meta, key: KeyLayout.MetaKey.transformationPosition(cid), value: value)
        return (seen, false)
    }
}
