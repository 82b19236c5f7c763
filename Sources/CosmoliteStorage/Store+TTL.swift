// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB

extension Store {
    /// Physically removes expired items (with all their rows), oldest expiry first.
    ///
    /// Expired items are already invisible to reads, queries and feeds; this reclaims their space. The background
    /// sweeper (``StoreConfiguration/ttlSweepInterval``) calls it periodically.
    ///
    /// - Parameter limit: The most items to remove in this call (one transaction).
    /// - Returns: The number of items removed.
    @discardableResult
    public func purgeExpired(limit: Int = 1_000) throws -> Int {
        let now = nowSeconds()
        return try write { txn, catalog, state in
            var removed = 0
            for runtime in catalog.byName.values where runtime.definition.defaultTtl != nil {
                guard removed < limit else { break }
                removed += try self.purgeExpired(txn, &state, runtime, expiringUnder: runtime.definition, now: now,
                                                 limit: limit - removed)
            }
            return removed
        }
    }

    /// Removes, with all their rows, up to `limit` items of one container that have expired by `now` under
    /// `definition` (the container's own, or the one a replace is leaving), found through their `ttl` rows, which
    /// must be that definition's; returns how many.
    func purgeExpired(_ txn: borrowing Transaction, _ state: inout WriteState, _ runtime: ContainerRuntime,
                      expiringUnder definition: ContainerDefinition, now: UInt64, limit: Int) throws -> Int {
        var due = [[UInt8]]()
        try scan(txn, dbs.ttl, prefix: runtime.keyPrefix, after: nil) { key, _ in
            guard key.readBigEndian(UInt64.self, at: 4) <= now, due.count < limit else { return false }
            due.append(Array(key[12...]))
            return true
        }
        let components = runtime.definition.partitionKey.paths.count
        var removed = 0
        for locatorBytes in due {
            let locator = try locatorBytes.withUnsafeBytes { try Locator(bytes: $0, components: components) }
            guard let stored = try loadStored(txn, key: KeyLayout.documentKey(runtime.cid, locator.bytes)),
                  let expiry = definition.expiry(timestamp: stored.record.timestamp, itemTTL: stored.record.itemTTL),
                  now >= expiry
            else { continue }
            try removeRows(txn, &state, runtime, locator: locator, stored: stored)
            removed += 1
        }
        return removed
    }

    /// Starts the background TTL sweeper, if configured.
    func startSweeper() {
        guard let interval = configuration.ttlSweepInterval, interval > 0, !configuration.readOnly else { return }
        let task = Task.detached(priority: .background) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard !Task.isCancelled, let store = self else { return }
                // Removal is housekeeping: a failure (a busy or full disk) is retried at the next interval and
                // never affects visibility, which reads enforce themselves.
                while let removed = try? store.purgeExpired(limit: 1_000), removed == 1_000, !Task.isCancelled {}
            }
        }
        sweeperTask(task)
    }
}
