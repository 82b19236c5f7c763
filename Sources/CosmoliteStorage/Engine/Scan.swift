// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB

extension UnsafeRawBufferPointer {
    /// Whether the bytes start with `prefix`.
    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard count >= prefix.count else { return false }
        for i in 0..<prefix.count where self[i] != prefix[i] { return false }
        return true
    }

    /// Whether the bytes equal `other`.
    func equals(_ other: [UInt8]) -> Bool {
        count == other.count && hasPrefix(other)
    }
}

extension Store {
    /// Visits rows of `db` whose key starts with `prefix`, in key order, starting strictly after `after` (a full
    /// key) when given. `body` returns `false` to stop. Buffers are valid only inside `body`.
    func scan(_ txn: borrowing Transaction, _ db: Database, prefix: [UInt8], after: [UInt8]?,
              _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        try txn.withCursor(db) { cursor in
            var found = try cursor.seek(atLeast: after ?? prefix)
            if found, let after, cursor.key.equals(after) { found = try cursor.next() }
            while found {
                let key = cursor.key
                guard key.hasPrefix(prefix) else { return }
                guard try body(key, cursor.value) else { return }
                found = try cursor.next()
            }
        }
    }
}
