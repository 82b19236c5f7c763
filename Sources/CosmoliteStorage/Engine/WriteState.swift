// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB

/// Bookkeeping of one write transaction: sequence numbers handed out and containers touched.
///
/// Created fresh for every attempt of a write closure, so a replayed transaction starts clean.
struct WriteState {
    /// Last lsn handed out per container in this transaction.
    private var lastLSN: [UInt32: UInt64] = [:]
    /// First lsn handed out per container in this transaction.
    private var firstLSN: [UInt32: UInt64] = [:]
    /// Whether the writes are one Cosmos transaction (a transactional batch), which the change feed returns together:
    /// at commit, each container given two or more lsns records their range (`meta/"txn" ‖ cid ‖ last`).
    var isOneTransaction = false
    /// Containers whose rows this transaction changed.
    private(set) var touched: Set<UInt32> = []

    /// Allocates the next lsn of a container.
    mutating func nextLSN(_ cid: UInt32, _ txn: borrowing Transaction, dbs: Store.Databases) throws -> UInt64 {
        touched.insert(cid)
        if let last = lastLSN[cid] {
            lastLSN[cid] = last + 1
            return last + 1
        }
        let stored = try txn.get(dbs.meta, key: KeyLayout.MetaKey.lsn(cid)).map { $0.readBigEndian(UInt64.self, at: 0) } ?? 0
        lastLSN[cid] = stored + 1
        firstLSN[cid] = stored + 1
        return stored + 1
    }

    /// The current (last committed or allocated) lsn of a container.
    func currentLSN(_ cid: UInt32, _ txn: borrowing Transaction, dbs: Store.Databases) throws -> UInt64 {
        if let last = lastLSN[cid] { return last }
        return try txn.get(dbs.meta, key: KeyLayout.MetaKey.lsn(cid)).map { $0.readBigEndian(UInt64.self, at: 0) } ?? 0
    }

    /// Marks a container touched without allocating an lsn (deletes).
    mutating func touch(_ cid: UInt32) { touched.insert(cid) }

    /// Forgets a container (it was deleted in this transaction).
    mutating func forget(_ cid: UInt32) {
        lastLSN[cid] = nil
        firstLSN[cid] = nil
        touched.remove(cid)
    }

    /// Writes the lsn counters back, and the transaction's lsn ranges when it is one Cosmos transaction.
    func flush(_ txn: borrowing Transaction, dbs: Store.Databases) throws {
        for (cid, lsn) in lastLSN {
            var value = [UInt8]()
            value.appendBigEndian(lsn)
            try txn.put(dbs.meta, key: KeyLayout.MetaKey.lsn(cid), value: value)
            if isOneTransaction, let first = firstLSN[cid], first < lsn {
                var start = [UInt8]()
                start.appendBigEndian(first)
                try txn.put(dbs.meta, key: KeyLayout.MetaKey.transaction(cid, last: lsn), value: start)
            }
        }
    }
}
