// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Transaction {
    /// Calls `body` with every entry of `database` whose key starts with `prefix`, in ascending key order, or in
    /// descending order when `reverse` is set, until `body` returns `false`. An empty prefix visits every entry.
    ///
    /// The key and value buffers are valid only during that call of `body`. `body` may write through a write
    /// transaction (the iteration stays consistent), but buffers from earlier calls are then invalid.
    /// Reverse iteration starts at the last key with the prefix, found by seeking to the first key past every key
    /// with the prefix (the prefix with its trailing `0xFF` bytes removed and its last byte incremented; no such
    /// key exists for an all-`0xFF` prefix, so iteration then starts at the last entry).
    /// The corresponding LMDB function is `mdb_cursor_get` (`MDB_SET_RANGE`, `MDB_NEXT`, `MDB_PREV`, `MDB_LAST`).
    public func forEach(
        _ database: Database, prefix: [UInt8], reverse: Bool = false,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(database) { cursor in
            try prefix.withUnsafeBytes { prefixBytes in
                var entry = try reverse
                    ? Self.lastEntry(cursor, prefix: prefix) : Self.firstEntry(cursor, prefix: prefix)
                while let current = entry, Self.key(current.key, hasPrefix: prefixBytes) {
                    guard try body(current.key, current.value) else {
                        return
                    }
                    entry = try cursor.move(reverse ? .previous : .next)
                }
            }
        }
    }

    /// The smallest key greater than every key that starts with `prefix`, or `nil` if there is none (the prefix is
    /// empty or all `0xFF`).
    package static func keyAfterPrefix(_ prefix: [UInt8]) -> [UInt8]? {
        var bound = prefix
        while let last = bound.last {
            if last == 0xFF {
                bound.removeLast()
            } else {
                bound[bound.count - 1] = last + 1
                return bound
            }
        }
        return nil
    }

    private static func firstEntry(_ cursor: borrowing Cursor, prefix: [UInt8]) throws(LMDBError) -> LMDBCalls.Entry? {
        if prefix.isEmpty {
            return try cursor.move(.first)
        }
        return try withBytes(prefix) { prefix throws(LMDBError) in
            try cursor.move(.setRange, key: prefix)
        }
    }

    private static func lastEntry(_ cursor: borrowing Cursor, prefix: [UInt8]) throws(LMDBError) -> LMDBCalls.Entry? {
        guard let bound = keyAfterPrefix(prefix) else {
            return try cursor.move(.last)
        }
        let atBound = try withBytes(bound) { bound throws(LMDBError) in
            try cursor.move(.setRange, key: bound)
        }
        return try atBound == nil ? cursor.move(.last) : cursor.move(.previous)
    }

    private static func key(_ key: UnsafeRawBufferPointer, hasPrefix prefix: UnsafeRawBufferPointer) -> Bool {
        guard key.count >= prefix.count else {
            return false
        }
        guard let prefixStart = prefix.baseAddress, let keyStart = key.baseAddress else {
            return true
        }
        return memcmp(keyStart, prefixStart, prefix.count) == 0
    }
}
