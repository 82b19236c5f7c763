// SPDX-License-Identifier: Apache-2.0

import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open LMDB environment: one directory holding `data.mdb` and `lock.mdb`, with a fixed set of named databases.
///
/// Open it with `Environment.open(path:configuration:)`; there is at most one instance per directory in a process,
/// and the environment is closed when the last reference goes away.
///
/// All methods may be called from any thread. They are synchronous and may block: `write(_:)` waits for other
/// writers of this process (and of other processes, through LMDB's writer lock), and every call briefly waits while
/// the map is being resized. Transaction bodies are synchronous closures, so a transaction is never held across
/// `await`.
///
/// Never start a transaction inside another transaction body of the same environment (`read` inside `write`,
/// `write` inside `read`, `read` inside `read`), and do not call `info`, `statistics(_:)`, `copy(to:compact:)` or
/// `sync(force:)` there either: the process stops with a message instead of deadlocking when the map grows. Use
/// the `Transaction` you were given. Likewise, a body must not wait for another thread that is itself starting a
/// transaction of the same environment.
// @unchecked Sendable: the mutable state is protected: the read pool by its own lock, `writeHitMapFull` by
// `writerLock` (only the thread running the write transaction touches it), the map size by `gate` (resized only
// while it is held exclusive), and the growth counter is atomic. LMDB is used within its documented thread rules:
// MDB_NOTLS for read transactions, one write transaction at a time, each transaction on one thread at a time.
public final class Environment: @unchecked Sendable {
    /// The canonical absolute path of the environment's directory.
    public let path: String
    /// The configuration the environment was opened with.
    let configuration: Configuration
    /// The `MDB_env *`.
    let handle: OpaquePointer
    /// A process-unique identity, so that a `Database` can be checked against the environment using it.
    let id: UInt64
    /// The handles of the named databases, opened once at open time and never closed.
    private let databaseHandles: [String: UInt32]
    /// A descriptor of `lock.mdb` for ``otherProcessUsingIt()``, closed only after the environment (closing it earlier
    /// would release LMDB's record locks of this process); -1 when it could not be opened.
    let lockProbe: Int32

    /// Held shared by active transactions, exclusive while the map is resized.
    let gate = TransactionGate()
    /// Serializes write transactions within this process, first come first served.
    let writerLock = TicketLock()
    /// Reset read transactions waiting to be renewed.
    let readPool = ReadTransactionPool()
    /// How many times this process grew the map.
    let growthCounter = Atomic<Int>(0)
    /// Set when a write operation of the current write transaction failed with `MDB_MAP_FULL`.
    /// Only accessed by the thread holding `writerLock`.
    var writeHitMapFull = false

    private static let identities = Atomic<UInt64>(0)

    init(path: String, configuration: Configuration, handle: OpaquePointer, databaseHandles: [String: UInt32]) {
        self.path = path
        self.configuration = configuration
        self.handle = handle
        self.databaseHandles = databaseHandles
        self.id = Self.identities.wrappingAdd(1, ordering: .relaxed).newValue
        self.lockProbe = Self.openLockProbe(directory: path)
    }

    deinit {
        // No transaction can be active: each one keeps the environment alive.
        readPool.drain()
        LMDBCalls.closeEnvironment(handle)
        if lockProbe >= 0 { close(lockProbe) }
        EnvironmentRegistry.shared.remove(path: path, id: id)
    }

    /// The handle of a named database listed in `Configuration.databases`.
    ///
    /// Asking for a database that was not listed is a programming error and stops the process. The handle is
    /// valid for as long as this environment instance is open.
    public func database(_ name: String) -> Database {
        guard let dbi = databaseHandles[name] else {
            preconditionFailure("Database '\(name)' is not in the configuration of the environment at \(path)")
        }
        return Database(name: name, dbi: dbi, environmentID: id)
    }

    /// The largest key size in bytes that LMDB accepts (511 for the system library). Keys must not be empty.
    ///
    /// The corresponding LMDB function is `mdb_env_get_maxkeysize`.
    public var maxKeySize: Int {
        LMDBCalls.maxKeySize(handle)
    }

    /// How many times this process has grown the memory map since the environment was opened (growing it during the
    /// open itself, for a store that opens nearly full, is not counted).
    public var growthCount: Int {
        growthCounter.load(ordering: .relaxed)
    }

    /// Map and reader-table figures.
    ///
    /// Must not be called inside a transaction body of this environment.
    /// The corresponding LMDB functions are `mdb_env_info` and `mdb_env_stat`.
    public var info: Info {
        get throws(LMDBError) {
            gate.lockShared(for: "Environment.info")
            defer { gate.unlockShared() }
            return try LMDBCalls.environmentInfo(handle)
        }
    }

    /// Statistics about one database, in a read transaction of its own.
    ///
    /// Must not be called inside a transaction body of this environment; use `Transaction.statistics(_:)` there.
    /// The corresponding LMDB function is `mdb_stat`.
    public func statistics(_ database: Database) throws -> DatabaseStatistics {
        try read { transaction in
            try transaction.statistics(database)
        }
    }

    /// Writes a consistent copy of the environment (a hot backup) into `directory`, which is created if missing
    /// and must not already contain a `data.mdb`. Writers may continue meanwhile; with `compact`, free pages are
    /// omitted and pages renumbered (slower, smaller).
    ///
    /// The copy runs under a read transaction, and map growth waits for it to finish. Must not be called inside a
    /// transaction body of this environment.
    /// The corresponding LMDB function is `mdb_env_copy2` (with `MDB_CP_COMPACT` when `compact` is true).
    public func copy(to directory: String, compact: Bool) throws(LMDBError) {
        let target = try Self.prepareDirectory(directory, create: true, fileMode: configuration.fileMode)
        while true {
            gate.lockShared(for: "Environment.copy(to:compact:)")
            let copied = Result { () throws(LMDBError) in
                try LMDBCalls.copy(handle, to: target, compact: compact)
            }
            gate.unlockShared()
            switch copied {
            case .success:
                return
            case .failure(let error):
                guard error.code == .mapResized else {
                    throw error
                }
                // Another process grew the map: mdb_env_copy2 had created data.mdb (exclusively) before its read
                // transaction failed to start. Remove that empty file, adopt the new size, and copy again.
                Self.removeDataFile(in: target)
                try adoptExternalMapSize()
            }
        }
    }

    /// Flushes written data to disk. Only useful with `Durability.relaxed` (or to force a flush); with
    /// `.durable`, every commit is already flushed. Throws `accessDenied` for a read-only environment.
    ///
    /// With `force` false, a `.relaxed` environment skips the flush. Must not be called inside a transaction body
    /// of this environment.
    /// The corresponding LMDB function is `mdb_env_sync`.
    public func sync(force: Bool = true) throws(LMDBError) {
        gate.lockShared(for: "Environment.sync(force:)")
        defer { gate.unlockShared() }
        try LMDBCalls.sync(handle, force: force)
    }

    /// Clears reader lock table slots left behind by processes that died, and returns how many were cleared.
    /// Stale readers keep old pages from being reused, which makes the file grow.
    ///
    /// The corresponding LMDB function is `mdb_reader_check`.
    public func checkStaleReaders() throws(LMDBError) -> Int {
        try LMDBCalls.checkStaleReaders(handle)
    }

    /// The flags the environment was opened with, for tests and diagnostics.
    ///
    /// The corresponding LMDB function is `mdb_env_get_flags`.
    package var openFlags: EnvironmentFlags {
        get throws(LMDBError) {
            try LMDBCalls.environmentFlags(handle)
        }
    }

    /// The process-unique identity of this instance (a reopened path gets a new one), for tests.
    package var instanceID: UInt64 {
        id
    }

    /// The number of reset read transactions waiting in the pool, for tests.
    package var pooledReadTransactionCount: Int {
        readPool.count
    }
}
