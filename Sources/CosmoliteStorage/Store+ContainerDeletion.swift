// SPDX-License-Identifier: Apache-2.0
//
// Deleting a container removes its record at once (`deleteContainer`) and leaves `meta/"drop" ‖ cid`; its rows are
// then removed in steps of a bounded number of rows, one write transaction each, database by database, by the
// background task that also drives index transformations. While rows remain, invariant 8 of KeyLayout.swift
// accounts for them. Internal numbers are never reused, so a container created with the same id meanwhile has
// other keys.

import CosmoliteLMDB

extension Store {
    /// Removes up to `limit` more rows of deleted containers, in one transaction, and forgets each deleted
    /// container once its rows are all gone.
    ///
    /// ``deleteContainer(_:)`` removes the container at once and leaves its rows to this step. By default the
    /// background task drives it (``StoreConfiguration/indexesInBackground``); this call drives it by hand.
    ///
    /// - Parameter limit: The most rows to remove in this call (at least 1).
    /// - Returns: Whether rows of a deleted container remain after this step.
    @discardableResult
    public func advanceContainerDeletions(limit: Int = 5_000) throws -> Bool {
        let limit = max(1, limit)
        return try write { txn, _, _ in
            var budget = limit
            for cid in try self.deletedContainers(txn) {
                let prefix = KeyLayout.containerPrefix(cid)
                for db in [dbs.docs, dbs.partitionIndex, dbs.globalIndex, dbs.compositeIndex, dbs.unique, dbs.ttl,
                           dbs.feed] {
                    budget -= try self.deletePrefix(txn, db, prefix, limit: budget)
                    if budget == 0 { return true }
                }
                budget -= try self.deletePrefix(txn, dbs.meta, KeyLayout.MetaKey.transactionPrefix(cid), limit: budget)
                if budget == 0 { return true }
                try txn.delete(dbs.meta, key: KeyLayout.MetaKey.drop(cid))
            }
            return false
        }
    }

    /// Removes every remaining row of deleted containers, a bounded step (one transaction) at a time, so that
    /// writers of this and other processes interleave with it.
    ///
    /// - Parameter stepSize: Rows removed per transaction.
    public func finishContainerDeletions(stepSize: Int = 5_000) throws {
        while try advanceContainerDeletions(limit: stepSize) {}
    }

    /// The internal numbers of the deleted containers whose rows are still being removed.
    func deletedContainers(_ txn: borrowing Transaction) throws -> [UInt32] {
        let prefix = KeyLayout.MetaKey.dropPrefix
        var cids = [UInt32]()
        try scan(txn, dbs.meta, prefix: prefix, after: nil) { key, _ in
            if key.count == prefix.count + 4 { cids.append(key.readBigEndian(UInt32.self, at: prefix.count)) }
            return true
        }
        return cids
    }
}
