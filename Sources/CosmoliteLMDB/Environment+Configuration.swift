// SPDX-License-Identifier: Apache-2.0

extension Environment {
    /// How to open an environment. Everything except `mapSize` must match when the same path is opened again
    /// while it is still open in this process (see `Environment.open(path:configuration:)`).
    public struct Configuration: Sendable, Hashable {
        /// The named databases to create (or, when `readOnly`, to open) when the environment is opened, all in
        /// one transaction. Only these can be used: see `Environment.database(_:)`.
        public var databases: [String]
        /// The initial size of the memory map in bytes, rounded up to a multiple of 64 KiB. The map grows by
        /// itself (see `Environment.write(_:)`), so this only needs to be a reasonable starting point. If the
        /// data file is already larger, LMDB uses at least the size in use.
        public var mapSize: Int
        /// The number of reader lock table slots (`mdb_env_set_maxreaders`), shared by all processes using the
        /// environment. Each pooled read transaction keeps one slot.
        public var maxReaders: Int
        /// The maximum number of named databases (`mdb_env_set_maxdbs`); `nil` means `databases.count + 4`.
        public var maxDatabases: Int?
        /// Whether commits are flushed to disk before `write` returns.
        public var durability: Durability
        /// Opens with `MDB_RDONLY`: no writes, the directory and the databases must already exist.
        public var readOnly: Bool
        /// The permissions of created files (`data.mdb`, `lock.mdb`); a created directory gets the same
        /// permissions plus search (`x`) wherever read is granted.
        public var fileMode: UInt32

        /// Creates a configuration.
        public init(
            databases: [String],
            mapSize: Int = 1 << 30,
            maxReaders: Int = 512,
            maxDatabases: Int? = nil,
            durability: Durability = .durable,
            readOnly: Bool = false,
            fileMode: UInt32 = 0o644
        ) {
            self.databases = databases
            self.mapSize = mapSize
            self.maxReaders = maxReaders
            self.maxDatabases = maxDatabases
            self.durability = durability
            self.readOnly = readOnly
            self.fileMode = fileMode
        }

        /// `maxDatabases`, or `databases.count + 4` when it is `nil`.
        var effectiveMaxDatabases: Int {
            maxDatabases ?? databases.count + 4
        }

        /// Throws `invalidArgument` for values LMDB would reject or misinterpret.
        func validate() throws(LMDBError) {
            func invalid(_ reason: String) -> LMDBError {
                LMDBError(code: .invalidArgument, function: "Environment.open", context: reason)
            }
            guard mapSize > 0 else {
                throw invalid("mapSize must be positive, not \(mapSize)")
            }
            guard maxReaders > 0, maxReaders <= Int(UInt32.max) else {
                throw invalid("maxReaders must be between 1 and \(UInt32.max), not \(maxReaders)")
            }
            guard effectiveMaxDatabases >= Set(databases).count, effectiveMaxDatabases <= Int(UInt32.max) else {
                throw invalid("maxDatabases (\(effectiveMaxDatabases)) is below the \(databases.count) databases")
            }
            guard !databases.contains(where: \.isEmpty) else {
                throw invalid("database names must not be empty")
            }
        }
    }
}
