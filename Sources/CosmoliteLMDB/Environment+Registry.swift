// SPDX-License-Identifier: Apache-2.0

extension Environment {
    /// Opens the environment in the directory `path`, or returns the instance already open for it.
    ///
    /// `path` is a directory holding `data.mdb` and `lock.mdb`; it is created (with missing parents) unless
    /// `configuration.readOnly`. lmdb.h forbids opening the same environment twice in one process, so a
    /// process-wide registry maps each canonical directory path to its live instance: opening it again (through any
    /// spelling of the path) returns the identical instance, provided the configuration agrees. `readOnly`,
    /// `durability`, `maxReaders` and `maxDatabases` (when not `nil`) must be equal and `databases` must be a
    /// subset of the open instance's; otherwise this throws `LMDBError.Code.incompatible` naming the differences.
    /// (`mapSize` and `fileMode` only matter for the first open.) When the last reference is released the
    /// environment is closed, and a later open reopens it.
    ///
    /// Every named database is created (or, read-only, opened) here, in one transaction. Errors are thrown with a
    /// readable description, for example `noSuchFile` for a read-only open of a missing store, `notADirectory` for a
    /// regular file, `accessDenied` for a directory without permission, `invalid` for a file that is not an LMDB
    /// environment, and `notFound` (naming the database) for a database missing from a read-only store.
    ///
    /// The environment uses `MDB_NOTLS` (so read transactions are not tied to threads) and never `MDB_WRITEMAP`.
    /// Blocks while another thread opens or closes an environment.
    /// The corresponding LMDB functions are `mdb_env_create`, `mdb_env_open` and `mdb_dbi_open`.
    public static func open(path: String, configuration: Configuration) throws(LMDBError) -> Environment {
        try configuration.validate()
        let directory = try prepareDirectory(path, create: !configuration.readOnly, fileMode: configuration.fileMode)
        return try EnvironmentRegistry.shared.environment(at: directory, configuration: configuration)
    }

    /// Throws `incompatible` if this open instance cannot serve `requested`.
    func checkCompatible(with requested: Configuration) throws(LMDBError) {
        var differences: [String] = []
        if requested.readOnly != configuration.readOnly {
            differences.append("readOnly is \(configuration.readOnly), requested \(requested.readOnly)")
        }
        if requested.durability != configuration.durability {
            differences.append("durability is \(configuration.durability), requested \(requested.durability)")
        }
        if requested.maxReaders != configuration.maxReaders {
            differences.append("maxReaders is \(configuration.maxReaders), requested \(requested.maxReaders)")
        }
        if let maxDatabases = requested.maxDatabases, maxDatabases != configuration.effectiveMaxDatabases {
            differences.append("maxDatabases is \(configuration.effectiveMaxDatabases), requested \(maxDatabases)")
        }
        let missing = Set(requested.databases).subtracting(configuration.databases).sorted()
        if !missing.isEmpty {
            differences.append("databases \(missing) were not opened")
        }
        guard differences.isEmpty else {
            throw LMDBError(
                code: .incompatible, function: "Environment.open",
                context: "\(path) is already open in this process with another configuration: "
                    + differences.joined(separator: "; ")
            )
        }
    }

    /// Creates and opens an LMDB environment in `directory` and opens its named databases. On any failure the
    /// environment handle is closed again (lmdb.h requires `mdb_env_close` even after a failed `mdb_env_open`).
    static func openHandle(
        directory: String, configuration: Configuration
    ) throws(LMDBError) -> (handle: OpaquePointer, databases: [String: UInt32]) {
        let handle = try LMDBCalls.createEnvironment()
        do throws(LMDBError) {
            try LMDBCalls.setMapSize(handle, roundedMapSize(configuration.mapSize))
            try LMDBCalls.setMaxReaders(handle, configuration.maxReaders)
            try LMDBCalls.setMaxDatabases(handle, configuration.effectiveMaxDatabases)
            try LMDBCalls.openEnvironment(
                handle, directory: directory, readOnly: configuration.readOnly,
                noSync: configuration.durability == .relaxed, mode: configuration.fileMode
            )
            let databases = try openDatabases(handle, names: configuration.databases, create: !configuration.readOnly)
            if !configuration.readOnly { try growWhileNearlyFull(handle) }
            return (handle, databases)
        } catch {
            LMDBCalls.closeEnvironment(handle)
            throw error
        }
    }

    /// Opens (creating them if `create`) the named databases in one transaction, so that the handles become
    /// shared by every later transaction.
    private static func openDatabases(
        _ handle: OpaquePointer, names: [String], create: Bool
    ) throws(LMDBError) -> [String: UInt32] {
        let transaction = try LMDBCalls.beginTransaction(handle, readOnly: !create)
        var databases: [String: UInt32] = [:]
        do throws(LMDBError) {
            for name in names where databases[name] == nil {
                do throws(LMDBError) {
                    databases[name] = try LMDBCalls.openDatabase(transaction, name: name, create: create)
                } catch {
                    guard error.code == .notFound else {
                        throw error
                    }
                    throw LMDBError(
                        code: .notFound, function: "mdb_dbi_open",
                        context: "database '\(name)' does not exist and the environment is opened read-only"
                    )
                }
            }
        } catch {
            LMDBCalls.abort(transaction)
            throw error
        }
        try LMDBCalls.commit(transaction)
        return databases
    }
}

/// The process-wide map from canonical directory path to the open `Environment`, so that a directory is never
/// opened twice in one process (lmdb.h: closing a second descriptor would break LMDB's fcntl locks).
///
/// An environment is removed only after it has been closed; until then, an open of the same path waits, so the
/// old and the new `MDB_env` never overlap.
// @unchecked Sendable: `entries` is only read or written while `lock` is held.
final class EnvironmentRegistry: @unchecked Sendable {
    static let shared = EnvironmentRegistry()

    private struct Entry {
        weak var environment: Environment?
        let id: UInt64
    }

    private let lock = PlatformLock()
    private var entries: [String: Entry] = [:]

    /// Returns the open environment for `directory`, or opens one.
    ///
    /// No strong reference is released while `lock` is held: releasing the last one would run the environment's
    /// deinit, which takes `lock` again.
    func environment(at directory: String, configuration: Environment.Configuration) throws(LMDBError) -> Environment {
        lock.lock()
        while let entry = entries[directory] {
            if let existing = entry.environment {
                lock.unlock()
                try existing.checkCompatible(with: configuration)
                return existing
            }
            // The previous instance is being deinitialized; wait until it has closed its handle.
            lock.wait()
        }
        defer { lock.unlock() }
        let opened = try Environment.openHandle(directory: directory, configuration: configuration)
        let environment = Environment(
            path: directory, configuration: configuration, handle: opened.handle, databaseHandles: opened.databases
        )
        entries[directory] = Entry(environment: environment, id: environment.id)
        return environment
    }

    /// Forgets a closed environment and wakes threads waiting to reopen its path.
    func remove(path: String, id: UInt64) {
        lock.withLock {
            if entries[path]?.id == id {
                entries[path] = nil
            }
            lock.broadcast()
        }
    }
}
