// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB
import Foundation

/// What ``Store/applyContainerDefinitions(_:)`` did with one definition.
public struct ContainerApplyResult: Sendable {
    /// What happened.
    public enum Outcome: String, Sendable {
        /// The container did not exist and was created.
        case created
        /// The container exists with the same definition.
        case unchanged
        /// The container exists and differs (see ``ContainerApplyResult/differences``); nothing was changed.
        case differs
    }

    /// The container id.
    public let id: String
    /// The file the definition came from, if any.
    public let source: String?
    /// What happened.
    public let outcome: Outcome
    /// The top-level fields that differ (`indexingPolicy`, `defaultTtl`, ...), for ``Outcome/differs``.
    public let differences: [String]
}

extension Store {
    /// Creates a container.
    ///
    /// - Throws: ``StoreError`` 409 if a container with this id exists.
    @discardableResult
    public func createContainer(_ definition: ContainerDefinition) throws -> ContainerProperties {
        try definition.checkWritable()
        let now = nowSeconds()
        return try write { txn, catalog, state in
            if catalog.byName[definition.id] != nil {
                throw StoreError.conflict("container '\(definition.id)' already exists; use replace to change it")
            }
            let cid = try txn.get(dbs.meta, key: KeyLayout.MetaKey.nextContainer)
                .map { $0.readBigEndian(UInt32.self, at: 0) } ?? 1
            guard cid < UInt32.max else { throw StoreError(.storageFull, "container numbers are exhausted") }
            var next = [UInt8]()
            next.appendBigEndian(cid + 1)
            try txn.put(dbs.meta, key: KeyLayout.MetaKey.nextContainer, value: next)
            let epoch = try bumpEpoch(txn)
            let properties = makeProperties(definition, cid: cid, now: now, epoch: epoch)
            try txn.put(dbs.containers, key: KeyLayout.containerPrefix(cid), value: ContainerRecord.encode(properties))
            state.touch(cid)
            return properties
        }
    }

    /// The container `id`.
    ///
    /// - Throws: ``StoreError`` 404 if it does not exist.
    public func container(_ id: String) throws -> ContainerProperties {
        try read { _, catalog in try self.runtime(id, in: catalog).properties }
    }

    /// All containers, ordered by id.
    public func containers() throws -> [ContainerProperties] {
        try read { _, catalog in catalog.byName.values.map(\.properties).sorted { $0.id < $1.id } }
    }

    /// Replaces a container's definition.
    ///
    /// The partition key and unique-key policy are immutable (400 if they differ). A new indexing policy, or new
    /// computed properties, start an online index transformation and the call returns: the items are re-indexed
    /// afterwards in bounded steps (one transaction each), by a background task
    /// (``StoreConfiguration/indexesInBackground``) or by ``finishIndexTransformations(stepSize:)``. Meanwhile writes
    /// go on, and queries answer correctly using only the indexes both policies share: paths the new policy adds
    /// serve queries once the transformation completes, paths it removes stop serving them at once. Progress:
    /// ``indexTransformationProgress(in:)``. A transformation still under way is completed first, in this call.
    /// A new `defaultTtl` applies to existing items at once (reads and queries see it in the next transaction); their
    /// `ttl` rows, which only tell the sweeper where to look, are rewritten by the same kind of online transformation.
    /// Items that expired under the old `defaultTtl` are removed in the replace's own transaction, so that a longer
    /// TTL, or none, never brings them back.
    ///
    /// - Throws: ``StoreError`` 404 no such container, 400 for an immutable field changed (the partition key, the
    ///   unique-key policy, an existing vector path or vector index) or for a computed property removed while the
    ///   indexing policy still names it (Cosmos's rule: remove it from the policy first).
    @discardableResult
    public func replaceContainer(_ definition: ContainerDefinition) throws -> ContainerProperties {
        try definition.checkWritable()
        let now = nowSeconds()
        let items = try itemCountEstimate(reindexingTo: definition)
        let (properties, transforming) = try write { txn, catalog, state in
            let old = try self.runtime(definition.id, in: catalog)
            if old.definition.partitionKey != definition.partitionKey {
                throw StoreError.badRequest(
                    "container '\(definition.id)': the partition key cannot be changed (it is "
                        + "\(old.definition.partitionKey.paths.joined(separator: ", "))); create a new container and "
                        + "copy the items")
            }
            if old.definition.uniqueKeyPolicy != definition.uniqueKeyPolicy {
                throw StoreError.badRequest(
                    "container '\(definition.id)': the unique-key policy cannot be changed after creation; create a "
                        + "new container and copy the items")
            }
            try definition.checkVectorSettings(replacing: old.definition)
            let kept = Set(definition.computedProperties.map(\.name))
            let named = definition.indexingPolicy.topLevelNames
            for removed in old.definition.computedProperties where !kept.contains(removed.name) {
                if named.contains(removed.name) {
                    throw StoreError.badRequest(
                        "container '\(definition.id)': the computed property '\(removed.name)' cannot be removed while "
                            + "the indexing policy names /\(removed.name); remove its paths from the policy first")
                }
            }
            let epoch = try bumpEpoch(txn)
            let properties = makeProperties(definition, cid: old.cid, now: now, epoch: epoch)
            let transformation = definition.transforms(from: old.definition)
                ? try beginIndexTransformation(txn, &state, old, to: definition, items: items) : old.transformation
            let record = ContainerRecord.encode(properties)
            try txn.put(dbs.containers, key: KeyLayout.containerPrefix(old.cid), value: record)
            if old.definition.defaultTtl != nil, old.definition.defaultTtl != definition.defaultTtl,
               transformation != nil {
                // An item that has expired stays deleted: under a longer or no `defaultTtl` it would be read again.
                // Any earlier transformation is complete now, and the new one has visited no item: the `ttl` rows,
                // like every row, are still the old definition's, which the container as now written reads them as.
                let current = try record.withUnsafeBytes {
                    try decodeRuntime(txn, cid: old.cid, record: $0, format: Self.readFormat(txn, dbs: dbs))
                }
                _ = try purgeExpired(txn, &state, current, expiringUnder: old.definition, now: now, limit: .max)
            }
            state.touch(old.cid)
            return (properties, transformation != nil)
        }
        if transforming { startIndexer() }
        return properties
    }

    /// Deletes a container with every item and every index, unique-key, TTL and change-feed row.
    ///
    /// The container is gone when the call returns: reads, queries and writes get 404, and a container of the same id
    /// may be created at once (it gets a new internal number). Its rows are removed afterwards in bounded steps, one
    /// transaction each, as index transformations are (``StoreConfiguration/indexesInBackground``, or
    /// ``finishContainerDeletions(stepSize:)``), so that deleting a large container never holds writers up for long.
    ///
    /// - Throws: ``StoreError`` 404 if it does not exist.
    public func deleteContainer(_ id: String) throws {
        try write { txn, catalog, state in
            let runtime = try self.runtime(id, in: catalog)
            try txn.delete(dbs.meta, key: KeyLayout.MetaKey.lsn(runtime.cid))
            try txn.delete(dbs.meta, key: KeyLayout.MetaKey.transformation(runtime.cid))
            try txn.delete(dbs.meta, key: KeyLayout.MetaKey.transformationPosition(runtime.cid))
            try txn.delete(dbs.containers, key: runtime.keyPrefix)
            try txn.put(dbs.meta, key: KeyLayout.MetaKey.drop(runtime.cid), value: [])
            _ = try bumpEpoch(txn)
            state.forget(runtime.cid)
        }
        startIndexer()
    }

    /// Applies container definitions idempotently: creates those missing, and reports those that exist with
    /// another definition without changing them.
    ///
    /// - Parameter definitions: The definitions, each with the file it came from (for reports).
    public func applyContainerDefinitions(
        _ definitions: [(definition: ContainerDefinition, source: String?)]
    ) throws -> [ContainerApplyResult] {
        var results = [ContainerApplyResult]()
        for (definition, source) in definitions {
            do {
                let existing = try container(definition.id)
                let diff = definition.differences(from: existing.definition)
                results.append(ContainerApplyResult(id: definition.id, source: source,
                                                    outcome: diff.isEmpty ? .unchanged : .differs, differences: diff))
            } catch let error as StoreError where error.code == .notFound {
                try createContainer(definition)
                results.append(ContainerApplyResult(id: definition.id, source: source, outcome: .created,
                                                    differences: []))
            }
        }
        return results
    }

    /// Checks that `directory` is an existing folder; a 400 naming it otherwise.
    ///
    /// - Parameters:
    ///   - name: The folder's role, for the message ("the seed folder").
    ///   - contents: What the folder should hold, for the message when a file was given ("the seed files").
    package static func requireFolder(_ directory: String, named name: String, holding contents: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw StoreError.badRequest("\(name) '\(directory)' does not exist")
        }
        guard isDirectory.boolValue else {
            throw StoreError.badRequest("'\(directory)' is a file, not a folder; pass the folder that holds \(contents)")
        }
    }

    /// Reads every `*.json` container definition in a folder (sorted by file name), validating all of them
    /// before returning.
    ///
    /// - Throws: ``StoreError`` 400 naming the file and the problem.
    public static func loadContainerDefinitions(
        fromDirectory directory: String
    ) throws -> [(definition: ContainerDefinition, source: String?)] {
        let names: [String]
        try requireFolder(directory, named: "the container folder", holding: "the container definitions (*.json)")
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw StoreError.badRequest("cannot read the container folder '\(directory)' (check its permissions)")
        }
        var seen = [String: String]()
        return try names.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StoreError.badRequest("\(path): cannot read the file")
            }
            let definition: ContainerDefinition
            do {
                definition = try ContainerDefinition(jsonBytes: Array(data))
                try definition.checkWritable()
            } catch let error as StoreError {
                throw StoreError(error.code, "\(path): \(error.message)")
            }
            if let other = seen[definition.id] {
                throw StoreError.badRequest("\(path): container '\(definition.id)' is also defined in \(other)")
            }
            seen[definition.id] = path
            return (definition, path)
        }
    }

    // MARK: - Helpers

    private func makeProperties(_ definition: ContainerDefinition, cid: UInt32, now: UInt64,
                                epoch: UInt64) -> ContainerProperties {
        ContainerProperties(
            definition: definition, rid: ResourceID.container(database: databaseRID, cid: cid), timestamp: Int(now),
            etag: ResourceID.etag(cid: cid, lsn: epoch),
            selfLink: ResourceID.containerLink(database: databaseRID, cid: cid))
    }

    /// Increments the catalog epoch (readers reload the container catalog when it moves).
    func bumpEpoch(_ txn: borrowing Transaction) throws -> UInt64 {
        let epoch = try Self.readEpoch(txn, dbs: dbs) + 1
        var value = [UInt8]()
        value.appendBigEndian(epoch)
        try txn.put(dbs.meta, key: KeyLayout.MetaKey.epoch, value: value)
        return epoch
    }

    /// Deletes up to `limit` rows of `db` whose key starts with `prefix` (not empty), through one cursor (no key is
    /// copied); returns how many it deleted.
    func deletePrefix(_ txn: borrowing Transaction, _ db: Database, _ prefix: [UInt8], limit: Int = .max) throws -> Int {
        try txn.withCursor(db) { cursor in
            var deleted = 0
            var onRow = try cursor.seek(atLeast: prefix)
            while deleted < limit, onRow, cursor.key.starts(with: prefix) {
                try cursor.deleteCurrent()
                deleted += 1
                onRow = try cursor.next()
            }
            return deleted
        }
    }
}
