// SPDX-License-Identifier: Apache-2.0

import CLMDB

/// The only place in Cosmolite that calls `mdb_*` functions.
///
/// Every call that returns a status goes through `check(_:_:_:)`, which turns a non-zero return code into an
/// `LMDBError` naming the function. Expected outcomes (`MDB_NOTFOUND`, `MDB_KEYEXIST` under `MDB_NOOVERWRITE`) are
/// returned as `nil` or `false` instead. Nothing here knows about locking: callers hold the right locks.
enum LMDBCalls {
    /// A cursor positioning operation (a subset of `MDB_cursor_op`).
    enum CursorOperation {
        case first, last, next, previous, setRange, setKey, current

        var raw: MDB_cursor_op {
            switch self {
            case .first: MDB_FIRST
            case .last: MDB_LAST
            case .next: MDB_NEXT
            case .previous: MDB_PREV
            case .setRange: MDB_SET_RANGE
            case .setKey: MDB_SET_KEY
            case .current: MDB_GET_CURRENT
            }
        }
    }

    /// A key and a value, pointing into the map (or into a write transaction's dirty pages).
    typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    /// Throws an `LMDBError` for a non-zero return code.
    @inline(__always)
    static func check(
        _ returnCode: Int32, _ function: StaticString, _ context: @autoclosure () -> String? = nil
    ) throws(LMDBError) {
        guard returnCode == MDB_SUCCESS else {
            throw LMDBError(returnCode: returnCode, function: "\(function)", context: context())
        }
    }

    /// The message `mdb_strerror` gives for a return code or `errno` value.
    static func message(for returnCode: Int32) -> String {
        String(cString: mdb_strerror(returnCode))
    }

    // MARK: - Environment

    static func createEnvironment() throws(LMDBError) -> OpaquePointer {
        var environment: OpaquePointer?
        try check(mdb_env_create(&environment), "mdb_env_create")
        guard let environment else {
            throw LMDBError(code: .outOfMemory, function: "mdb_env_create")
        }
        return environment
    }

    static func setMapSize(_ environment: OpaquePointer, _ bytes: Int) throws(LMDBError) {
        try check(mdb_env_set_mapsize(environment, bytes), "mdb_env_set_mapsize", "size: \(bytes)")
    }

    static func setMaxReaders(_ environment: OpaquePointer, _ readers: Int) throws(LMDBError) {
        try check(mdb_env_set_maxreaders(environment, UInt32(clamping: readers)), "mdb_env_set_maxreaders")
    }

    static func setMaxDatabases(_ environment: OpaquePointer, _ databases: Int) throws(LMDBError) {
        try check(mdb_env_set_maxdbs(environment, MDB_dbi(clamping: databases)), "mdb_env_set_maxdbs")
    }

    /// Opens the environment in `directory` with `MDB_NOTLS` (never `MDB_WRITEMAP`).
    static func openEnvironment(
        _ environment: OpaquePointer, directory: String, readOnly: Bool, noSync: Bool, mode: UInt32
    ) throws(LMDBError) {
        var flags = UInt32(MDB_NOTLS)
        if readOnly {
            flags |= UInt32(MDB_RDONLY)
        }
        if noSync {
            flags |= UInt32(MDB_NOSYNC)
        }
        try check(mdb_env_open(environment, directory, flags, mdb_mode_t(mode)), "mdb_env_open", "path: \(directory)")
    }

    static func closeEnvironment(_ environment: OpaquePointer) {
        mdb_env_close(environment)
    }

    /// The environment's current map and reader-table figures (`mdb_env_info`, plus the page size from
    /// `mdb_env_stat`). Reads the meta pages through the map: the caller must keep the map from being resized.
    static func environmentInfo(_ environment: OpaquePointer) throws(LMDBError) -> Environment.Info {
        var info = MDB_envinfo()
        try check(mdb_env_info(environment, &info), "mdb_env_info")
        var statistics = MDB_stat()
        try check(mdb_env_stat(environment, &statistics), "mdb_env_stat")
        return Environment.Info(
            mapSize: info.me_mapsize,
            pageSize: Int(statistics.ms_psize),
            lastPageNumber: info.me_last_pgno,
            lastTransactionID: info.me_last_txnid,
            maxReaders: Int(info.me_maxreaders),
            readersInUse: Int(info.me_numreaders)
        )
    }

    static func environmentFlags(_ environment: OpaquePointer) throws(LMDBError) -> EnvironmentFlags {
        var flags: UInt32 = 0
        try check(mdb_env_get_flags(environment, &flags), "mdb_env_get_flags")
        return EnvironmentFlags(
            noSync: flags & UInt32(MDB_NOSYNC) != 0,
            noTLS: flags & UInt32(MDB_NOTLS) != 0,
            writeMap: flags & UInt32(MDB_WRITEMAP) != 0,
            readOnly: flags & UInt32(MDB_RDONLY) != 0
        )
    }

    static func maxKeySize(_ environment: OpaquePointer) -> Int {
        Int(mdb_env_get_maxkeysize(environment))
    }

    static func sync(_ environment: OpaquePointer, force: Bool) throws(LMDBError) {
        try check(mdb_env_sync(environment, force ? 1 : 0), "mdb_env_sync")
    }

    static func copy(_ environment: OpaquePointer, to directory: String, compact: Bool) throws(LMDBError) {
        let flags = compact ? UInt32(MDB_CP_COMPACT) : 0
        try check(mdb_env_copy2(environment, directory, flags), "mdb_env_copy2", "path: \(directory)")
    }

    static func checkStaleReaders(_ environment: OpaquePointer) throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try check(mdb_reader_check(environment, &dead), "mdb_reader_check")
        return Int(dead)
    }

    // MARK: - Transactions

    static func beginTransaction(_ environment: OpaquePointer, readOnly: Bool) throws(LMDBError) -> OpaquePointer {
        var transaction: OpaquePointer?
        try check(mdb_txn_begin(environment, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &transaction), "mdb_txn_begin")
        guard let transaction else {
            throw LMDBError(code: .outOfMemory, function: "mdb_txn_begin")
        }
        return transaction
    }

    static func commit(_ transaction: OpaquePointer) throws(LMDBError) {
        try check(mdb_txn_commit(transaction), "mdb_txn_commit")
    }

    static func abort(_ transaction: OpaquePointer) {
        mdb_txn_abort(transaction)
    }

    static func reset(_ transaction: OpaquePointer) {
        mdb_txn_reset(transaction)
    }

    static func renew(_ transaction: OpaquePointer) throws(LMDBError) {
        try check(mdb_txn_renew(transaction), "mdb_txn_renew")
    }

    static func transactionID(_ transaction: OpaquePointer) -> Int {
        Int(mdb_txn_id(transaction))
    }

    // MARK: - Databases

    static func openDatabase(_ transaction: OpaquePointer, name: String, create: Bool) throws(LMDBError) -> UInt32 {
        var dbi: MDB_dbi = 0
        try check(
            mdb_dbi_open(transaction, name, create ? UInt32(MDB_CREATE) : 0, &dbi), "mdb_dbi_open",
            "database: \(name)"
        )
        return dbi
    }

    static func statistics(_ transaction: OpaquePointer, _ dbi: UInt32) throws(LMDBError) -> DatabaseStatistics {
        var statistics = MDB_stat()
        try check(mdb_stat(transaction, dbi, &statistics), "mdb_stat")
        return DatabaseStatistics(
            entries: statistics.ms_entries,
            depth: Int(statistics.ms_depth),
            branchPages: statistics.ms_branch_pages,
            leafPages: statistics.ms_leaf_pages,
            overflowPages: statistics.ms_overflow_pages,
            pageSize: Int(statistics.ms_psize)
        )
    }

    /// Empties a database (`mdb_drop` with `del` = 0); the handle stays open.
    static func empty(_ transaction: OpaquePointer, _ dbi: UInt32) throws(LMDBError) {
        try check(mdb_drop(transaction, dbi, 0), "mdb_drop")
    }

    // MARK: - Data

    /// Hints the CPU to cache `byteCount` bytes at `base` (see `cosmolite_prefetch` in shim.h).
    static func prefetch(_ base: UnsafeRawPointer, byteCount: Int) {
        cosmolite_prefetch(base, byteCount)
    }

    /// The value stored under `key`, or `nil` if there is none.
    static func get(
        _ transaction: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer
    ) throws(LMDBError) -> UnsafeRawBufferPointer? {
        var keyValue = value(of: key)
        var data = MDB_val()
        let returnCode = mdb_get(transaction, dbi, &keyValue, &data)
        if returnCode == MDB_NOTFOUND {
            return nil
        }
        try check(returnCode, "mdb_get")
        return buffer(of: data)
    }

    /// Stores `data` under `key`; returns `false` if `noOverwrite` is set and the key already exists.
    static func put(
        _ transaction: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
        noOverwrite: Bool
    ) throws(LMDBError) -> Bool {
        var keyValue = value(of: key)
        var dataValue = value(of: data)
        let returnCode = mdb_put(transaction, dbi, &keyValue, &dataValue, noOverwrite ? UInt32(MDB_NOOVERWRITE) : 0)
        if noOverwrite && returnCode == MDB_KEYEXIST {
            return false
        }
        try check(returnCode, "mdb_put")
        return true
    }

    /// Deletes `key`; returns `false` if it was not found.
    static func delete(
        _ transaction: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer
    ) throws(LMDBError) -> Bool {
        var keyValue = value(of: key)
        let returnCode = mdb_del(transaction, dbi, &keyValue, nil)
        if returnCode == MDB_NOTFOUND {
            return false
        }
        try check(returnCode, "mdb_del")
        return true
    }

    // MARK: - Cursors

    static func openCursor(_ transaction: OpaquePointer, _ dbi: UInt32) throws(LMDBError) -> OpaquePointer {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(transaction, dbi, &cursor), "mdb_cursor_open")
        guard let cursor else {
            throw LMDBError(code: .outOfMemory, function: "mdb_cursor_open")
        }
        return cursor
    }

    static func closeCursor(_ cursor: OpaquePointer) {
        mdb_cursor_close(cursor)
    }

    /// Moves the cursor; returns the entry it lands on, or `nil` at the end (`MDB_NOTFOUND`).
    static func cursorGet(
        _ cursor: OpaquePointer, _ operation: CursorOperation, key: UnsafeRawBufferPointer? = nil
    ) throws(LMDBError) -> Entry? {
        var keyValue = key.map(value(of:)) ?? MDB_val()
        var data = MDB_val()
        let returnCode = mdb_cursor_get(cursor, &keyValue, &data, operation.raw)
        if returnCode == MDB_NOTFOUND {
            return nil
        }
        try check(returnCode, "mdb_cursor_get")
        return (buffer(of: keyValue), buffer(of: data))
    }

    static func cursorPut(
        _ cursor: OpaquePointer, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer
    ) throws(LMDBError) {
        var keyValue = value(of: key)
        var dataValue = value(of: data)
        try check(mdb_cursor_put(cursor, &keyValue, &dataValue, 0), "mdb_cursor_put")
    }

    static func cursorDelete(_ cursor: OpaquePointer) throws(LMDBError) {
        try check(mdb_cursor_del(cursor, 0), "mdb_cursor_del")
    }

    // MARK: - MDB_val

    /// A valid address for empty buffers, which may have a `nil` base address.
    nonisolated(unsafe) private static let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Describes `buffer` to LMDB. LMDB never writes through the pointer for the calls made here.
    private static func value(of buffer: UnsafeRawBufferPointer) -> MDB_val {
        let address = buffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? emptyBytes
        return MDB_val(mv_size: buffer.count, mv_data: address)
    }

    private static func buffer(of value: MDB_val) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
    }
}
