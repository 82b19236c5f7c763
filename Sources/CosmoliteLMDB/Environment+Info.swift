// SPDX-License-Identifier: Apache-2.0

extension Environment {
    /// A snapshot of the environment's map and reader table, from `mdb_env_info` and `mdb_env_stat`.
    public struct Info: Sendable, Hashable {
        /// The current size of the memory map in bytes (the current maximum size of the database; it grows
        /// automatically).
        public var mapSize: Int
        /// The database page size in bytes.
        public var pageSize: Int
        /// The number of the last page in use (pages are numbered from 0).
        public var lastPageNumber: Int
        /// The ID of the last committed transaction.
        public var lastTransactionID: Int
        /// The number of reader lock table slots.
        public var maxReaders: Int
        /// The number of reader lock table slots that have been taken (LMDB's `me_numreaders`, a high-water mark
        /// that includes slots kept by pooled read transactions and by other processes).
        public var readersInUse: Int

        /// The bytes of the map in use: `(lastPageNumber + 1) × pageSize`.
        public var usedBytes: Int {
            (lastPageNumber + 1) * pageSize
        }

        /// Creates a snapshot from its parts.
        public init(
            mapSize: Int, pageSize: Int, lastPageNumber: Int, lastTransactionID: Int, maxReaders: Int,
            readersInUse: Int
        ) {
            self.mapSize = mapSize
            self.pageSize = pageSize
            self.lastPageNumber = lastPageNumber
            self.lastTransactionID = lastTransactionID
            self.maxReaders = maxReaders
            self.readersInUse = readersInUse
        }
    }
}
