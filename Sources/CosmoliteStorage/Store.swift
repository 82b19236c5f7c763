// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import CosmoliteJSON
package import CosmoliteLMDB
import Synchronization

/// An embedded document store with Azure Cosmos DB semantics: partitioned containers of JSON items on LMDB.
///
/// Open a store, create containers from Cosmos-style definitions, then write and read items:
///
/// ```swift
/// let store = try Store.open(at: "./cosmolite-store")
/// _ = try store.createContainer(try ContainerDefinition(json: try JSONReader.parse("""
///     {"id": "integrations", "partitionKey": {"paths": ["/tenantId"]},
///      "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/providerName", "/name"]}]}}
///     """)))
/// let item = try store.createItem(in: "integrations", json: Array(#"{"id":"1","tenantId":"acme"}"#.utf8))
/// let again = try store.readItem(in: "integrations", id: "1", partitionKey: PartitionKey("acme"))
/// ```
///
/// Every write is one LMDB transaction that updates the item, its index entries, unique keys, TTL and
/// change-feed rows together: it commits whole or leaves nothing. Writes are serialized on one writer;
/// reads run concurrently on snapshots. Both are synchronous and short; the `async` overloads run them off the
/// caller's task so no transaction is ever held across an `await`.
///
/// ## Topics
/// - Containers: ``createContainer(_:)``, ``container(_:)``, ``containers()``, ``replaceContainer(_:)``,
///   ``deleteContainer(_:)``, ``applyContainerDefinitions(_:)``
/// - Items: ``createItem(in:json:partitionKey:)``, ``readItem(in:id:partitionKey:)``, ``replaceItem(in:id:partitionKey:json:ifMatch:)``,
///   ``upsertItem(in:json:partitionKey:ifMatch:)``, ``deleteItem(in:id:partitionKey:ifMatch:)``,
///   ``patchItem(in:id:partitionKey:operations:ifMatch:)``, ``deleteAllItems(in:partitionKey:)``
/// - Groups of writes: ``executeBatch(in:partitionKey:operations:)``, ``bulk(in:operations:)``
/// - Feeds: ``readItems(in:partitionKey:maxItemCount:continuation:)``,
///   ``readChanges(in:partitionKey:from:maxItemCount:)``
/// - Maintenance: ``purgeExpired(limit:)``, ``verify()``, ``advanceIndexTransformations(limit:)``,
///   ``finishIndexTransformations(stepSize:)``, ``indexTransformationProgress(in:)``
public final class Store: Sendable {
    /// The store's directory.
    public let path: String
    /// How the store was opened.
    public let configuration: StoreConfiguration

    let environment: Environment
    package let dbs: Databases
    let databaseRID: [UInt8]
    let tokenKey: HMACSHA256.PreparedKey
    private let catalogCache = Mutex(CachedCatalog(catalog: .empty, snapshot: nil))
    private let sweeper = Mutex<Task<Void, Never>?>(nil)
    /// The background task driving index transformations, and whether more work was announced since it last looked.
    let indexer = Mutex<(task: Task<Void, Never>?, pending: Bool)>((nil, false))

    /// Handles of the named LMDB databases.
    package struct Databases: Sendable {
        package let meta, containers, docs, partitionIndex, globalIndex, compositeIndex, unique, ttl, feed: Database
    }

    /// The containers as of one catalog epoch.
    struct Catalog: Sendable {
        let epoch: UInt64
        let byName: [String: ContainerRuntime]
        /// The containers again when there are few: comparing a few names costs less than hashing one, and every
        /// request looks its container up.
        private let few: [ContainerRuntime]?

        init(epoch: UInt64, byName: [String: ContainerRuntime]) {
            self.epoch = epoch
            self.byName = byName
            self.few = byName.count <= 8 ? Array(byName.values) : nil
        }

        /// The container named `name`, if it exists.
        func runtime(named name: String) -> ContainerRuntime? {
            guard let few else { return byName[name] }
            for runtime in few where runtime.id == name { return runtime }
            return nil
        }

        static let empty = Catalog(epoch: .max, byName: [:])
    }

    /// The cached catalog, and the newest read snapshot (LMDB transaction ID) known to see exactly it.
    ///
    /// Read transactions with the same ID see the same committed state, so a read at that snapshot can use the
    /// catalog without reading the epoch again. Only read-only transactions record or use a snapshot: a write
    /// transaction's ID is one past the state it starts from.
    private struct CachedCatalog: Sendable {
        var catalog: Catalog
        var snapshot: Int?
    }

    // MARK: - Opening

    /// Opens (creating if needed) the store in the directory `path`.
    ///
    /// The store's format version is checked: a store written by a newer Cosmolite is refused with a clear
    /// message rather than misread. A format-1 store (Cosmolite before arrays and objects had range entries) opened
    /// writable, by the only process that has it open, is upgraded in place: the open records the upgrade as an
    /// online index transformation of each container, which the background task then carries out while queries keep
    /// answering (see `Store+FormatUpgrade.swift`). Otherwise (read-only, or open in another process, which may be
    /// an older Cosmolite) it is used in format 1 as it is, and ``formatVersion()`` says so.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/unavailable`` when the directory cannot be used, the
    ///   store is of another format version, or it is locked; ``StoreError/Code/corrupted`` when the file is
    ///   not a Cosmolite store.
    public static func open(at path: String, configuration: StoreConfiguration = StoreConfiguration()) throws -> Store {
        var envConfig = Environment.Configuration(databases: KeyLayout.DBI.all)
        envConfig.mapSize = configuration.initialMapSize
        envConfig.durability = configuration.durability == .durable ? .durable : .relaxed
        envConfig.readOnly = configuration.readOnly
        let environment: Environment
        do {
            environment = try Environment.open(path: path, configuration: envConfig)
        } catch {
            throw StoreError.opening(path: path, error)
        }
        return try Store(path: path, environment: environment, configuration: configuration)
    }

    private init(path: String, environment: Environment, configuration: StoreConfiguration) throws {
        self.path = path
        self.environment = environment
        self.configuration = configuration
        func db(_ name: String) -> Database { environment.database(name) }
        let dbs = Databases(
            meta: db(KeyLayout.DBI.meta), containers: db(KeyLayout.DBI.containers), docs: db(KeyLayout.DBI.docs),
            partitionIndex: db(KeyLayout.DBI.partitionIndex), globalIndex: db(KeyLayout.DBI.globalIndex),
            compositeIndex: db(KeyLayout.DBI.compositeIndex), unique: db(KeyLayout.DBI.unique),
            ttl: db(KeyLayout.DBI.ttl), feed: db(KeyLayout.DBI.feed))
        self.dbs = dbs
        let (secret, rid, format) = try Self.initializeMeta(environment: environment, dbs: dbs,
                                                           readOnly: configuration.readOnly)
        self.tokenKey = HMACSHA256.PreparedKey(try SymmetricKey(bytes: secret))
        self.databaseRID = rid
        if format < KeyLayout.formatVersion && !configuration.readOnly { try upgradeFormat() }
        startSweeper()
        if try read({ txn, catalog in
            try catalog.byName.values.contains { $0.transformation != nil } || !deletedContainers(txn).isEmpty
        }) {
            startIndexer()
        }
    }

    deinit {
        sweeper.withLock { $0?.cancel() }
        indexer.withLock { $0.task?.cancel() }
    }

    func sweeperTask(_ task: Task<Void, Never>) {
        sweeper.withLock { $0 = task }
    }

    /// Checks (or writes, on a new store) the format version; returns the token secret, the database rid and the
    /// format version found (a format-1 store is upgraded by the caller).
    private static func initializeMeta(environment: Environment, dbs: Databases,
                                       readOnly: Bool) throws -> ([UInt8], [UInt8], UInt32) {
        func check(_ version: [UInt8]) throws -> UInt32 {
            guard version.count == 4 else { throw StoreError.corrupted("the store's format record is damaged") }
            let found = version.readBigEndian(UInt32.self, at: 0)
            if found > KeyLayout.formatVersion {
                throw StoreError(.unavailable,
                    "this store has format version \(found), newer than this Cosmolite supports "
                        + "(\(KeyLayout.formatVersion)); upgrade Cosmolite to open it")
            }
            if found < KeyLayout.oldestUpgradableFormat {
                throw StoreError(.unavailable,
                    "this store has format version \(found), older than this Cosmolite can upgrade "
                        + "(\(KeyLayout.oldestUpgradableFormat)); export it with the older version and import it here")
            }
            return found
        }
        let existing = try StoreError.wrapping {
            try environment.read { txn -> ([UInt8], [UInt8], [UInt8])? in
                guard let version = try txn.get(dbs.meta, key: KeyLayout.MetaKey.format) else { return nil }
                let secret = try txn.get(dbs.meta, key: KeyLayout.MetaKey.secret) ?? []
                let rid = try txn.get(dbs.meta, key: KeyLayout.MetaKey.databaseRID) ?? []
                return (version, secret, rid)
            }
        }
        if let (version, secret, rid) = existing {
            let found = try check(version)
            guard secret.count == 32, rid.count == 4 else { throw StoreError.corrupted("the store's meta records are damaged") }
            return (secret, rid, found)
        }
        if readOnly {
            throw StoreError(.unavailable, "the store is empty and was opened read-only; open it writable once to create it")
        }
        let secret = try SecureRandom.bytes(count: 32)
        let rid = try SecureRandom.bytes(count: 4)
        return try StoreError.wrapping {
            try environment.write { txn in
                // Another process may have initialized the store meanwhile: keep what is there.
                if let version = try txn.get(dbs.meta, key: KeyLayout.MetaKey.format) {
                    let found = try check(version)
                    return (try txn.get(dbs.meta, key: KeyLayout.MetaKey.secret) ?? [],
                            try txn.get(dbs.meta, key: KeyLayout.MetaKey.databaseRID) ?? [], found)
                }
                var version = [UInt8]()
                version.appendBigEndian(KeyLayout.formatVersion)
                try txn.put(dbs.meta, key: KeyLayout.MetaKey.format, value: version)
                try txn.put(dbs.meta, key: KeyLayout.MetaKey.secret, value: secret)
                try txn.put(dbs.meta, key: KeyLayout.MetaKey.databaseRID, value: rid)
                var epoch = [UInt8]()
                epoch.appendBigEndian(UInt64(0))
                try txn.put(dbs.meta, key: KeyLayout.MetaKey.epoch, value: epoch)
                return (secret, rid, KeyLayout.formatVersion)
            }
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a read transaction with the current catalog. Never call from inside a write.
    func read<R>(_ body: (borrowing Transaction, Catalog) throws -> R) throws -> R {
        try StoreError.wrapping {
            try environment.read { txn in
                let catalog = try currentCatalog(txn)
                return try body(txn, catalog)
            }
        }
    }

    /// Runs `body` in the write transaction; commits when it returns. The body may run more than once (the map
    /// grew); it must have no effects outside the transaction.
    func write<R>(_ body: (borrowing Transaction, Catalog, inout WriteState) throws -> R) throws -> R {
        let (result, touched) = try StoreError.wrapping {
            try environment.write { txn in
                let catalog = try currentCatalog(txn)
                var state = WriteState()
                let result = try body(txn, catalog, &state)
                try state.flush(txn, dbs: dbs)
                return (result, state.touched)
            }
        }
        if configuration.strictMode && !touched.isEmpty {
            try strictCheck(touched)
        }
        return result
    }

    /// The catalog as of the transaction's snapshot, reloading the cache when the epoch moved.
    func currentCatalog(_ txn: borrowing Transaction) throws -> Catalog {
        let snapshot = txn.isReadOnly ? txn.id : nil
        let cached = catalogCache.withLock { $0 }
        if let snapshot, cached.snapshot == snapshot { return cached.catalog }
        let epoch = try Self.readEpoch(txn, dbs: dbs)
        if cached.catalog.epoch == epoch {
            if let snapshot {
                catalogCache.withLock { current in
                    if current.catalog.epoch == epoch, current.snapshot ?? 0 < snapshot { current.snapshot = snapshot }
                }
            }
            return cached.catalog
        }
        // Loaded before the transaction changes anything, so it reflects committed state and can be shared
        // even when this transaction is a write that later aborts.
        let loaded = try loadCatalog(txn, epoch: epoch)
        catalogCache.withLock { current in
            if current.catalog.epoch == .max || current.catalog.epoch < epoch {
                current = CachedCatalog(catalog: loaded, snapshot: snapshot)
            }
        }
        return loaded
    }

    static func readEpoch(_ txn: borrowing Transaction, dbs: Databases) throws -> UInt64 {
        // On the path of every write and of reads at a new snapshot: a direct lookup, without a generic closure.
        try KeyLayout.MetaKey.epoch.withUnsafeBytes { key in
            guard let value = try txn.value(dbs.meta, forKey: key), value.count == 8 else { return 0 }
            return value.readBigEndian(UInt64.self, at: 0)
        }
    }

    /// The store's format version (`meta/format`); every change to it moves the epoch.
    static func readFormat(_ txn: borrowing Transaction, dbs: Databases) throws -> UInt32 {
        guard let value = try txn.get(dbs.meta, key: KeyLayout.MetaKey.format), value.count == 4 else {
            throw StoreError.corrupted("the store's format record is damaged")
        }
        return value.readBigEndian(UInt32.self, at: 0)
    }

    private func loadCatalog(_ txn: borrowing Transaction, epoch: UInt64) throws -> Catalog {
        var byName = [String: ContainerRuntime]()
        let format = try Self.readFormat(txn, dbs: dbs)
        try txn.forEach(dbs.containers, prefix: []) { key, value in
            guard key.count == 4 else { throw StoreError.corrupted("a container record has a malformed key; run verify") }
            let runtime = try decodeRuntime(txn, cid: key.readBigEndian(UInt32.self, at: 0), record: value,
                                            format: format)
            byName[runtime.id] = runtime
            return true
        }
        return Catalog(epoch: epoch, byName: byName)
    }

    /// The container `cid` from its record `record` and its transformation row as `txn` sees it.
    func decodeRuntime(_ txn: borrowing Transaction, cid: UInt32, record: UnsafeRawBufferPointer,
                       format: UInt32) throws -> ContainerRuntime {
        try KeyLayout.MetaKey.transformation(cid).withUnsafeBytes { key in
            try ContainerRecord.decode(cid: cid, bytes: record, databaseRID: databaseRID,
                                       transformation: try txn.value(dbs.meta, forKey: key), format: format)
        }
    }

    /// The container named `id`, or a 404.
    func runtime(_ id: String, in catalog: Catalog) throws -> ContainerRuntime {
        guard let runtime = catalog.runtime(named: id) else {
            throw StoreError.notFound("container '\(id)' does not exist; create it first (cosmolite containers create)")
        }
        return runtime
    }

    /// The current time in whole seconds.
    package func nowSeconds() -> UInt64 { UInt64(max(0, configuration.clock()).rounded(.down)) }
}
