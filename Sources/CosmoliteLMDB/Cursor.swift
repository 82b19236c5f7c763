// SPDX-License-Identifier: Apache-2.0

/// A position in one database of a transaction, lent to the body of `Transaction.withCursor(_:_:)`.
///
/// The cursor is valid only inside that body (it is non-copyable, borrowed and not `Sendable`) and is closed when
/// the body returns. Entries are visited in key order (bytewise, `memcmp` order). Positioning methods return `true`
/// when the cursor lands on an entry and `false` when there is none (`MDB_NOTFOUND`, which is never thrown); any
/// other failure is thrown. `next()` on a fresh cursor behaves like `first()`, and `previous()` like `last()`.
public struct Cursor: ~Copyable {
    /// The `MDB_cursor *`.
    let handle: OpaquePointer
    /// The environment, to report `MDB_MAP_FULL` from writes.
    let environment: Environment
    /// Whether the cursor belongs to a read-only transaction.
    let isReadOnly: Bool

    init(handle: OpaquePointer, environment: Environment, isReadOnly: Bool) {
        self.handle = handle
        self.environment = environment
        self.isReadOnly = isReadOnly
    }

    deinit {
        LMDBCalls.closeCursor(handle)
    }

    // MARK: - Positioning

    /// Moves to the first entry; returns `false` if the database is empty.
    ///
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_FIRST`.
    public func first() throws(LMDBError) -> Bool {
        try move(.first) != nil
    }

    /// Moves to the last entry; returns `false` if the database is empty.
    ///
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_LAST`.
    public func last() throws(LMDBError) -> Bool {
        try lastEntry() != nil
    }

    /// Moves to the next entry; returns `false` (staying at the end) if there is none.
    ///
    /// Right after `deleteCurrent()`, this moves to the entry that followed the deleted one.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_NEXT`.
    public func next() throws(LMDBError) -> Bool {
        try nextEntry() != nil
    }

    /// Moves to the previous entry; returns `false` if there is none.
    ///
    /// Right after `deleteCurrent()`, this moves to the entry that preceded the deleted one.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_PREV`.
    public func previous() throws(LMDBError) -> Bool {
        try previousEntry() != nil
    }

    /// Moves to the first entry whose key is greater than or equal to `key`; returns `false` if there is none.
    ///
    /// Throws `badValueSize` for an empty key.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_SET_RANGE`.
    public func seek(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        try seekEntry(atLeast: key) != nil
    }

    /// Moves to the first entry whose key is greater than or equal to `key`; returns `false` if there is none.
    ///
    /// Throws `badValueSize` for an empty key.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_SET_RANGE`.
    public func seek(atLeast key: [UInt8]) throws(LMDBError) -> Bool {
        try Transaction.withBytes(key) { key throws(LMDBError) in
            try seek(atLeast: key)
        }
    }

    /// Moves to the entry whose key equals `key`; returns `false` if there is none.
    ///
    /// Throws `badValueSize` for an empty key.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_SET_KEY`.
    public func seek(exactly key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        try move(.setKey, key: key) != nil
    }

    /// Moves to the entry whose key equals `key`; returns `false` if there is none.
    ///
    /// Throws `badValueSize` for an empty key.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_SET_KEY`.
    public func seek(exactly key: [UInt8]) throws(LMDBError) -> Bool {
        try Transaction.withBytes(key) { key throws(LMDBError) in
            try seek(exactly: key)
        }
    }

    // MARK: - Positioning, returning the entry

    /// A key and its value, pointing into the database: valid until the cursor moves, the transaction writes, or
    /// the body ends, like ``key`` and ``value``.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    /// Moves to the next entry and returns it, or `nil` (staying at the end) if there is none.
    ///
    /// The same as `next()` followed by ``key`` and ``value``, in one LMDB call instead of three: for scans that
    /// read every entry they pass.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_NEXT`.
    public func nextEntry() throws(LMDBError) -> Entry? {
        try move(.next)
    }

    /// Moves to the previous entry and returns it, or `nil` if there is none.
    ///
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_PREV`.
    public func previousEntry() throws(LMDBError) -> Entry? {
        try move(.previous)
    }

    /// Moves to the last entry and returns it, or `nil` if the database is empty.
    ///
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_LAST`.
    public func lastEntry() throws(LMDBError) -> Entry? {
        try move(.last)
    }

    /// Moves to the first entry whose key is greater than or equal to `key` and returns it, or `nil` if there is
    /// none.
    ///
    /// Throws `badValueSize` for an empty key.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_SET_RANGE`.
    public func seekEntry(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        try move(.setRange, key: key)
    }

    // MARK: - Current entry

    /// The key of the entry the cursor is on.
    ///
    /// The buffer is valid until the cursor moves, the transaction writes, or the body ends. Reading it when the
    /// cursor is not on an entry (never positioned, or the last positioning returned `false`) stops the process.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_GET_CURRENT`.
    public var key: UnsafeRawBufferPointer {
        current().key
    }

    /// The value of the entry the cursor is on.
    ///
    /// The buffer is valid until the cursor moves, the transaction writes, or the body ends. Reading it when the
    /// cursor is not on an entry stops the process.
    /// The corresponding LMDB function is `mdb_cursor_get` with `MDB_GET_CURRENT`.
    public var value: UnsafeRawBufferPointer {
        current().value
    }

    // MARK: - Writing

    /// Deletes the entry the cursor is on. Write transactions only.
    ///
    /// The cursor stays valid but no longer rests on an entry you read: call `next()` to move to the entry that
    /// followed the deleted one (it returns `false` if the deleted entry was the last), or `previous()` to move to
    /// the entry that preceded it. So the loop "visit; maybe `deleteCurrent()`; `next()`" visits every entry exactly
    /// once. (LMDB's `MDB_GET_CURRENT` also reports the following entry until the cursor moves; do not rely on
    /// `key` or `value` between `deleteCurrent()` and the next move.)
    /// The corresponding LMDB function is `mdb_cursor_del`.
    public func deleteCurrent() throws(LMDBError) {
        precondition(!isReadOnly, "deleteCurrent called on a cursor of a read-only transaction")
        try trackingMapFull { () throws(LMDBError) in
            try LMDBCalls.cursorDelete(handle)
        }
    }

    /// Stores `value` under `key` (replacing any existing value) and moves the cursor to that entry.
    /// Write transactions only.
    ///
    /// The corresponding LMDB function is `mdb_cursor_put`.
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(LMDBError) {
        precondition(!isReadOnly, "put called on a cursor of a read-only transaction")
        try trackingMapFull { () throws(LMDBError) in
            try LMDBCalls.cursorPut(handle, key: key, data: value)
        }
    }

    /// Stores `value` under `key` (replacing any existing value) and moves the cursor to that entry.
    /// Write transactions only.
    ///
    /// The corresponding LMDB function is `mdb_cursor_put`.
    public func put(key: [UInt8], value: [UInt8]) throws(LMDBError) {
        try Transaction.withBytes(key) { key throws(LMDBError) in
            try Transaction.withBytes(value) { value throws(LMDBError) in
                try put(key: key, value: value)
            }
        }
    }

    // MARK: - Helpers

    /// Performs a positioning operation and returns the entry landed on, or `nil` for `MDB_NOTFOUND`.
    func move(
        _ operation: LMDBCalls.CursorOperation, key: UnsafeRawBufferPointer? = nil
    ) throws(LMDBError) -> LMDBCalls.Entry? {
        try LMDBCalls.cursorGet(handle, operation, key: key)
    }

    private func current() -> LMDBCalls.Entry {
        let entry: LMDBCalls.Entry?
        do throws(LMDBError) {
            entry = try move(.current)
        } catch {
            preconditionFailure("Cursor is not positioned on an entry (\(error))")
        }
        guard let entry else {
            preconditionFailure("Cursor is not positioned on an entry (it is past the end)")
        }
        return entry
    }

    private func trackingMapFull(_ operation: () throws(LMDBError) -> Void) throws(LMDBError) {
        do throws(LMDBError) {
            try operation()
        } catch {
            if error.code == .mapFull {
                environment.writeHitMapFull = true
            }
            throw error
        }
    }
}

@available(*, unavailable, message: "A Cursor is valid only inside its body, on the thread running it")
extension Cursor: Sendable {}
