// SPDX-License-Identifier: Apache-2.0

/// An LMDB transaction, lent to the body of `Environment.read(_:)` or `Environment.write(_:)`.
///
/// A transaction is valid only inside that body: it is non-copyable and borrowed, so it cannot be stored or
/// returned, and it is not `Sendable`, so it stays on the thread running the body. Every buffer it hands out points
/// into the database and is valid only inside the closure it is passed to (and, in a write transaction, only until
/// the next write).
///
/// Keys are compared bytewise (`memcmp` order, a shorter key sorting before any longer key it prefixes), must be
/// 1 to `Environment.maxKeySize` bytes, and values may be empty. Write operations on a read-only transaction, and
/// databases of another environment, are programming errors that stop the process.
///
/// If the body returns, `write` commits; if it throws, `write` aborts. An uncommitted transaction is aborted when it
/// is destroyed.
public struct Transaction: ~Copyable {
    /// The `MDB_txn *`.
    let handle: OpaquePointer
    /// The environment, kept alive while the transaction exists.
    let environment: Environment
    /// Whether this is a read-only transaction (from `Environment.read(_:)`).
    public let isReadOnly: Bool
    /// Set once the handle has been committed, aborted or reset.
    private var isFinished = false

    init(handle: OpaquePointer, environment: Environment, isReadOnly: Bool) {
        self.handle = handle
        self.environment = environment
        self.isReadOnly = isReadOnly
    }

    deinit {
        if !isFinished {
            LMDBCalls.abort(handle)
        }
    }

    /// Commits; the handle is freed whether or not the commit succeeds.
    consuming func commit() throws(LMDBError) {
        isFinished = true
        try LMDBCalls.commit(handle)
    }

    /// Aborts; the handle is freed.
    consuming func abort() {
        isFinished = true
        LMDBCalls.abort(handle)
    }

    /// Resets a read-only transaction and returns its handle for the pool.
    consuming func resetForReuse() -> OpaquePointer {
        isFinished = true
        LMDBCalls.reset(handle)
        return handle
    }

    // MARK: - Reading

    /// The transaction ID: for a read-only transaction, the ID of the committed transaction whose snapshot it sees.
    ///
    /// The corresponding LMDB function is `mdb_txn_id`.
    public var id: Int {
        LMDBCalls.transactionID(handle)
    }

    /// Calls `body` with the value stored under `key`, or with `nil` if there is none, without copying it.
    ///
    /// The buffer is valid only inside `body`, which must not write through this transaction. Throws
    /// `badValueSize` for an empty or too long key.
    /// The corresponding LMDB function is `mdb_get`.
    public func withValue<R>(
        _ database: Database, forKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        let value = try LMDBCalls.get(handle, dbi(database), key: key)
        return try body(value)
    }

    /// Calls `body` with the value stored under `key`, or with `nil` if there is none, without copying it.
    ///
    /// The buffer is valid only inside `body`, which must not write through this transaction.
    /// The corresponding LMDB function is `mdb_get`.
    public func withValue<R>(
        _ database: Database, forKey key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try key.withUnsafeBytes { key in
            try withValue(database, forKey: key, body)
        }
    }

    /// The value stored under `key`, or `nil` if there is none, without copying it and without a closure.
    ///
    /// The buffer points into the database. It is valid until the transaction writes or its body ends, like the
    /// buffers of ``Cursor/key`` and ``Cursor/value``; never keep it longer. Use it on hot paths that look up
    /// many keys in one transaction, where a generic closure per lookup would cost more than the lookup. Throws
    /// `badValueSize` for an empty or too long key.
    /// The corresponding LMDB function is `mdb_get`.
    public func value(_ database: Database, forKey key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        try LMDBCalls.get(handle, dbi(database), key: key)
    }

    /// Hints the CPU to start loading the first `limit` bytes of `value` (a buffer this transaction handed out)
    /// into the cache, without waiting for them.
    ///
    /// A value LMDB returns is usually cold: its pages are mapped but not cached. Prefetching every line at once
    /// lets the loads overlap (with each other and with whatever the caller does next) instead of arriving one
    /// after the other as the value is read. Purely a performance hint: it changes no data and cannot fail.
    public func prefetch(_ value: UnsafeRawBufferPointer, limit: Int = 4_096) {
        guard let base = value.baseAddress else { return }
        LMDBCalls.prefetch(base, byteCount: min(value.count, limit))
    }

    /// A copy of the value stored under `key`, or `nil` if there is none.
    ///
    /// The corresponding LMDB function is `mdb_get`.
    public func get(_ database: Database, key: [UInt8]) throws(LMDBError) -> [UInt8]? {
        let dbi = dbi(database)
        return try Self.withBytes(key) { key throws(LMDBError) in
            try LMDBCalls.get(handle, dbi, key: key).map { [UInt8]($0) }
        }
    }

    /// Whether a value is stored under `key`.
    ///
    /// The corresponding LMDB function is `mdb_get`.
    public func contains(_ database: Database, key: [UInt8]) throws(LMDBError) -> Bool {
        let dbi = dbi(database)
        return try Self.withBytes(key) { key throws(LMDBError) in
            try LMDBCalls.get(handle, dbi, key: key) != nil
        }
    }

    /// The number of entries in `database`, as seen by this transaction.
    ///
    /// The corresponding LMDB function is `mdb_stat`.
    public func entryCount(_ database: Database) throws(LMDBError) -> Int {
        try statistics(database).entries
    }

    /// Statistics about `database`, as seen by this transaction.
    ///
    /// The corresponding LMDB function is `mdb_stat`.
    public func statistics(_ database: Database) throws(LMDBError) -> DatabaseStatistics {
        try LMDBCalls.statistics(handle, dbi(database))
    }

    /// Opens a cursor on `database` and calls `body` with it; the cursor is closed when `body` returns.
    ///
    /// The cursor is valid only inside `body`. In a write transaction, writes made through the transaction while
    /// the cursor is open are allowed; LMDB keeps the cursor's position consistent.
    /// The corresponding LMDB functions are `mdb_cursor_open` and `mdb_cursor_close`.
    public func withCursor<R>(_ database: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        let cursor = Cursor(
            handle: try LMDBCalls.openCursor(handle, dbi(database)), environment: environment, isReadOnly: isReadOnly
        )
        return try body(cursor)
    }

    // MARK: - Writing

    /// Stores `value` under `key`, replacing any existing value unless `noOverwrite` is set.
    ///
    /// Returns `false` (and leaves the database unchanged) only when `noOverwrite` is set and the key exists;
    /// `MDB_KEYEXIST` is not thrown. Throws `badValueSize` for an empty or too long key. Write transactions only.
    /// The corresponding LMDB function is `mdb_put` (with `MDB_NOOVERWRITE` when `noOverwrite` is true).
    @discardableResult
    public func put(
        _ database: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, noOverwrite: Bool = false
    ) throws(LMDBError) -> Bool {
        requireWritable("put")
        let dbi = dbi(database)
        return try trackingMapFull { () throws(LMDBError) in
            try LMDBCalls.put(handle, dbi, key: key, data: value, noOverwrite: noOverwrite)
        }
    }

    /// Stores `value` under `key`, replacing any existing value unless `noOverwrite` is set.
    ///
    /// Returns `false` (and leaves the database unchanged) only when `noOverwrite` is set and the key exists.
    /// Write transactions only.
    /// The corresponding LMDB function is `mdb_put` (with `MDB_NOOVERWRITE` when `noOverwrite` is true).
    @discardableResult
    public func put(
        _ database: Database, key: [UInt8], value: [UInt8], noOverwrite: Bool = false
    ) throws(LMDBError) -> Bool {
        try Self.withBytes(key) { key throws(LMDBError) in
            try Self.withBytes(value) { value throws(LMDBError) in
                try put(database, key: key, value: value, noOverwrite: noOverwrite)
            }
        }
    }

    /// Deletes the entry stored under `key`; returns `false` if there was none. Write transactions only.
    ///
    /// The corresponding LMDB function is `mdb_del`.
    @discardableResult
    public func delete(_ database: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        requireWritable("delete")
        let dbi = dbi(database)
        return try trackingMapFull { () throws(LMDBError) in
            try LMDBCalls.delete(handle, dbi, key: key)
        }
    }

    /// Deletes the entry stored under `key`; returns `false` if there was none. Write transactions only.
    ///
    /// The corresponding LMDB function is `mdb_del`.
    @discardableResult
    public func delete(_ database: Database, key: [UInt8]) throws(LMDBError) -> Bool {
        try Self.withBytes(key) { key throws(LMDBError) in
            try delete(database, key: key)
        }
    }

    /// Deletes every entry of `database`; the database itself (and its handle) remains. Write transactions only.
    ///
    /// The corresponding LMDB function is `mdb_drop` (with `del` = 0).
    public func deleteAll(_ database: Database) throws(LMDBError) {
        requireWritable("deleteAll")
        let dbi = dbi(database)
        try trackingMapFull { () throws(LMDBError) in
            try LMDBCalls.empty(handle, dbi)
        }
    }

    // MARK: - Helpers

    /// The handle of `database`, after checking that it belongs to this transaction's environment.
    func dbi(_ database: Database) -> UInt32 {
        precondition(
            database.environmentID == environment.id,
            "Database '\(database.name)' belongs to another Environment than the one at \(environment.path)"
        )
        return database.dbi
    }

    /// Stops the process if this is a read-only transaction.
    func requireWritable(_ operation: StaticString) {
        precondition(!isReadOnly, "\(operation) called on a read-only transaction")
    }

    /// Runs a write operation, remembering `MDB_MAP_FULL` so that `Environment.write(_:)` grows the map and
    /// retries even if the body swallows the error.
    func trackingMapFull<R>(_ operation: () throws(LMDBError) -> R) throws(LMDBError) -> R {
        do throws(LMDBError) {
            return try operation()
        } catch {
            if error.code == .mapFull {
                environment.writeHitMapFull = true
            }
            throw error
        }
    }

    /// Calls `body` with the bytes of `array`, keeping the typed error.
    static func withBytes<R>(
        _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(LMDBError) -> R
    ) throws(LMDBError) -> R {
        let result = array.withUnsafeBytes { bytes in
            Result { () throws(LMDBError) in try body(bytes) }
        }
        return try result.get()
    }
}

@available(*, unavailable, message: "A Transaction is valid only inside its body, on the thread running it")
extension Transaction: Sendable {}
