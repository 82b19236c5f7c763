// SPDX-License-Identifier: Apache-2.0

import Synchronization

extension Environment {
    /// The smallest growth step: 64 MiB.
    package static let minimumGrowthStep = 64 << 20
    /// The largest growth step: 1 GiB.
    package static let maximumGrowthStep = 1 << 30
    /// Map sizes are multiples of this (a multiple of every common OS page size).
    package static let mapSizeGranularity = 64 << 10
    /// The map grows before a write transaction when more than this percentage of it is in use.
    package static let proactiveGrowthPercentage = 85

    /// The map size after one growth step: double `current`, but by at least 64 MiB and at most 1 GiB.
    package static func grownMapSize(from current: Int) -> Int {
        let step = min(max(current, minimumGrowthStep), maximumGrowthStep)
        let (target, overflow) = current.addingReportingOverflow(step)
        return overflow ? Int.max & ~(mapSizeGranularity - 1) : roundedMapSize(target)
    }

    /// `bytes` rounded up to a multiple of `mapSizeGranularity`.
    package static func roundedMapSize(_ bytes: Int) -> Int {
        let granularity = mapSizeGranularity
        guard bytes <= Int.max - granularity else {
            return Int.max & ~(granularity - 1)
        }
        return (max(bytes, 1) + granularity - 1) / granularity * granularity
    }

    /// Whether more than `proactiveGrowthPercentage` of the map is in use. The caller holds the gate.
    func isNearlyFull() throws(LMDBError) -> Bool {
        let info = try LMDBCalls.environmentInfo(handle)
        return info.usedBytes > info.mapSize / 100 * Self.proactiveGrowthPercentage
    }

    /// Grows a just-opened environment's map until at most `proactiveGrowthPercentage` of it is in use, while the
    /// process has no transaction on it (so no one waits).
    ///
    /// LMDB opens an existing store with the larger of the requested map size and the space its data uses, so a
    /// store larger than the requested size opens full. Without this, the process's first write would grow the map,
    /// which must wait for every read transaction under way to end (``growMap()``).
    static func growWhileNearlyFull(_ handle: OpaquePointer) throws(LMDBError) {
        var info = try LMDBCalls.environmentInfo(handle)
        while info.usedBytes > info.mapSize / 100 * proactiveGrowthPercentage {
            try LMDBCalls.setMapSize(handle, grownMapSize(from: info.mapSize))
            info = try LMDBCalls.environmentInfo(handle)
        }
    }

    /// Grows the map by one step. The caller holds `writerLock` but not the gate.
    ///
    /// lmdb.h allows `mdb_env_set_mapsize` only while no transaction is active in the process, so this waits for
    /// the gate exclusive. Pooled (reset) transactions are not active, but they are aborted first to be safe.
    func growMap() throws(LMDBError) {
        gate.lockExclusive()
        defer { gate.unlockExclusive() }
        readPool.drain()
        let current = try LMDBCalls.environmentInfo(handle).mapSize
        try LMDBCalls.setMapSize(handle, Self.grownMapSize(from: current))
        growthCounter.add(1, ordering: .relaxed)
    }

    /// Adopts the map size another process set (after `MDB_MAP_RESIZED`). The caller does not hold the gate.
    func adoptExternalMapSize() throws(LMDBError) {
        gate.lockExclusive()
        defer { gate.unlockExclusive() }
        readPool.drain()
        try LMDBCalls.setMapSize(handle, 0)
    }
}
