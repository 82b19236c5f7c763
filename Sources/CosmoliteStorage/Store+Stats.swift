// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB
import Foundation

/// Figures about a store as a whole and about some of its containers, from ``Store/statistics(containers:largestPartitions:)``.
public struct StoreStatistics: Sendable {
    /// Per-container figures, in the order asked for (else by id).
    public let containers: [ContainerStatistics]
    /// Per-LMDB-database figures (`docs`, `pidx`, `gidx`, `cidx`, `uniq`, `ttl`, `feed`, `meta`, `containers`).
    public let databases: [DatabaseUsage]
    /// The size of the memory map in bytes: the most the data file can grow to before the map is grown again
    /// (it grows by itself).
    public let mapSize: Int
    /// The page size in bytes.
    public let pageSize: Int
    /// The bytes of the data file in use: every page up to the last one written, free pages included.
    public let usedBytes: Int
    /// The size of `data.mdb` on disk.
    public let fileBytes: Int
    /// Pages inside ``usedBytes`` that no database uses: LMDB's free list (reused by later writes), plus the
    /// few pages of the free list itself. Derived as the pages in use minus the two meta pages, the main
    /// database's page and the pages of every named database.
    public let freePages: Int
    /// Reader-table slots taken (a high-water mark: slots kept by open processes, including their idle pooled
    /// read transactions).
    public let readers: Int
    /// Reader-table slots available.
    public let maxReaders: Int
    /// The last committed transaction.
    public let lastTransactionID: Int
}

/// Figures about one container.
public struct ContainerStatistics: Sendable {
    /// The container id.
    public let id: String
    /// Live items.
    public let items: Int
    /// Items past their TTL that are not yet purged (invisible to reads).
    public let expiredItems: Int
    /// Logical partitions (distinct partition-key values), counting partitions of live and expired items.
    public let logicalPartitions: Int
    /// The largest logical partitions by item count, largest first.
    public let largestPartitions: [PartitionStatistics]
    /// UTF-8 bytes of the stored JSON documents (system properties included).
    public let documentBytes: Int
    /// Rows per LMDB database for this container: `pidx`, `gidx`, `cidx`, `uniq`, `ttl`, `feed`.
    public let indexEntries: [(database: String, entries: Int)]
    /// Cross-partition index (`gidx`) rows per indexed path and composite-index (`cidx`) rows per composite
    /// index, most entries first.
    public let paths: [IndexPathStatistics]
    /// The online transformation of the container's rows under way, or `nil`.
    public let transformation: TransformationStatistics?
}

/// An online transformation of a container's rows, under way since a replace changed its indexing policy, computed
/// properties or `defaultTtl` (see ``Store/replaceContainer(_:)``).
public struct TransformationStatistics: Sendable {
    /// Whether its index rows change (a re-indexing); otherwise only its `ttl` rows do.
    public let reindexes: Bool
    /// Items visited so far.
    public let visited: Int
    /// Items when it began; 0 when only `ttl` rows change (no count is taken for those).
    public let total: Int
    /// Progress in percent as ``Store/indexTransformationProgress(in:)`` reports it (100 when only `ttl` rows change).
    public let progress: Int
}

/// One logical partition's size.
public struct PartitionStatistics: Sendable {
    /// The partition-key value.
    public let partitionKey: PartitionKey
    /// Items in it (live and expired).
    public let items: Int
    /// UTF-8 bytes of its documents.
    public let bytes: Int
}

/// Index rows of one path (or one composite index).
public struct IndexPathStatistics: Sendable {
    /// The path (`/status`, `/tags/[]/name`), a composite index (`(/tenantId ASC, /updatedAt DESC)`), or, for a
    /// path no sampled document has, `#` and its 8-byte hash in hex.
    public let path: String
    /// `gidx` for a path, `cidx` for a composite index.
    public let database: String
    /// Index rows.
    public let entries: Int
}

/// One LMDB database's size, from `mdb_stat`.
public struct DatabaseUsage: Sendable {
    /// The database name.
    public let name: String
    /// Key/value rows.
    public let entries: Int
    /// Pages (branch, leaf and overflow).
    public let pages: Int
    /// ``pages`` times the page size.
    public let bytes: Int
    /// The depth of its B-tree.
    public let depth: Int
}

extension Store {
    /// How many documents of each container are parsed to name the index paths in ``ContainerStatistics/paths``.
    static let pathNamingSample = 1_000

    /// Counts what the store holds: items, logical partitions, index rows, pages, map and readers.
    ///
    /// Container figures come from one read transaction that scans the containers' rows (document headers,
    /// index keys) without parsing documents, except a sample of up to 1,000 documents per container used to
    /// name index paths: it costs about as much as reading every key once. Store figures come from `mdb_stat`
    /// and `mdb_env_info`.
    ///
    /// - Parameters:
    ///   - containers: The containers to describe (every container when `nil`).
    ///   - largestPartitions: How many of the largest logical partitions to list per container.
    /// - Throws: ``StoreError`` 404 when a named container does not exist.
    public func statistics(containers: [String]? = nil, largestPartitions: Int = 5) throws -> StoreStatistics {
        let info = try StoreError.wrapping { try environment.info }
        let now = nowSeconds()
        let named: [(String, Database)] = [
            ("docs", dbs.docs), ("pidx", dbs.partitionIndex), ("gidx", dbs.globalIndex), ("cidx", dbs.compositeIndex),
            ("uniq", dbs.unique), ("ttl", dbs.ttl), ("feed", dbs.feed), ("meta", dbs.meta),
            ("containers", dbs.containers),
        ]
        let (perContainer, usage) = try read { txn, catalog in
            let runtimes: [ContainerRuntime]
            if let containers {
                runtimes = try containers.map { try self.runtime($0, in: catalog) }
            } else {
                runtimes = catalog.byName.values.sorted { $0.id < $1.id }
            }
            let perContainer = try runtimes.map {
                try self.containerStatistics(txn, $0, now: now, largest: max(0, largestPartitions))
            }
            let usage = try named.map { name, db in
                let s = try txn.statistics(db)
                let pages = s.branchPages + s.leafPages + s.overflowPages
                return DatabaseUsage(name: name, entries: s.entries, pages: pages, bytes: pages * s.pageSize,
                                     depth: s.depth)
            }
            return (perContainer, usage)
        }
        let totalPages = info.lastPageNumber + 1
        let treePages = usage.reduce(0) { $0 + $1.pages }
        var status = stat()
        let fileBytes = stat(path + "/data.mdb", &status) == 0 ? Int(status.st_size) : 0
        return StoreStatistics(
            containers: perContainer, databases: usage, mapSize: info.mapSize, pageSize: info.pageSize,
            usedBytes: info.usedBytes, fileBytes: fileBytes, freePages: max(0, totalPages - 2 - 1 - treePages),
            readers: info.readersInUse, maxReaders: info.maxReaders, lastTransactionID: info.lastTransactionID)
    }

    private func containerStatistics(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, now: UInt64,
                                     largest: Int) throws -> ContainerStatistics {
        let prefix = runtime.keyPrefix
        var live = 0
        var expired = 0
        var partitions = 0
        var documentBytes = 0
        var top = [(key: [UInt8], items: Int, bytes: Int)]()
        var current: (key: [UInt8], items: Int, bytes: Int)?
        var names = self.knownPathNames(runtime)
        var sampled = 0
        func finish(_ partition: (key: [UInt8], items: Int, bytes: Int)) {
            guard largest > 0 else { return }
            if top.count < largest || partition.items > top[top.count - 1].items {
                let at = top.firstIndex { $0.items < partition.items } ?? top.count
                top.insert(partition, at: at)
                if top.count > largest { top.removeLast() }
            }
        }
        try scan(txn, dbs.docs, prefix: prefix, after: nil) { _, value in
            let record = try DocumentRecord.decodeFixed(value)
            if isExpired(runtime, timestamp: record.timestamp, itemTTL: record.itemTTL, now: now) {
                expired += 1
            } else {
                live += 1
            }
            let bodyBytes = value.count - record.bodyOffset
            documentBytes += bodyBytes
            let pkLength = Int(value.readBigEndian(UInt16.self, at: 30))
            let pk = UnsafeRawBufferPointer(rebasing: value[DocumentRecord.fixedHeaderSize..<(DocumentRecord.fixedHeaderSize + pkLength)])
            if let open = current, pk.equals(open.key) {
                current!.items += 1
                current!.bytes += bodyBytes
            } else {
                if let open = current { finish(open) }
                partitions += 1
                current = (Array(pk), 1, bodyBytes)
            }
            if sampled < Self.pathNamingSample,
               case .object(let document)? = try? JSONReader.parse(UnsafeRawBufferPointer(rebasing: value[record.bodyOffset...])) {
                sampled += 1
                Self.namePaths(in: document, into: &names)
            }
            return true
        }
        if let open = current { finish(open) }

        var entries = [(database: String, entries: Int)]()
        var perPath = [ByteKey: (database: String, entries: Int)]()
        for (name, db) in [("pidx", dbs.partitionIndex), ("gidx", dbs.globalIndex), ("cidx", dbs.compositeIndex),
                           ("uniq", dbs.unique), ("ttl", dbs.ttl), ("feed", dbs.feed)] {
            var count = 0
            let byPath = name == "gidx" || name == "cidx"
            var lastHash = [UInt8]()
            var lastCount = 0
            try scan(txn, db, prefix: prefix, after: nil) { key, _ in
                count += 1
                if byPath, key.count >= 12 {
                    let hash = UnsafeRawBufferPointer(rebasing: key[4..<12])
                    if hash.equals(lastHash) {
                        lastCount += 1
                    } else {
                        if lastCount > 0 { perPath[ByteKey(lastHash), default: (name, 0)].entries += lastCount }
                        lastHash = Array(hash)
                        lastCount = 1
                    }
                }
                return true
            }
            if lastCount > 0 { perPath[ByteKey(lastHash), default: (name, 0)].entries += lastCount }
            entries.append((name, count))
        }
        let paths = perPath.map { hash, value in
            IndexPathStatistics(path: names[hash] ?? "#" + hash.bytes.map { String(format: "%02x", $0) }.joined(),
                                database: value.database, entries: value.entries)
        }.sorted { ($0.entries, $1.path) > ($1.entries, $0.path) }
        return ContainerStatistics(
            id: runtime.id, items: live, expiredItems: expired, logicalPartitions: partitions,
            largestPartitions: try top.map {
                PartitionStatistics(partitionKey: try PartitionKey.decode(fullEncoding: $0.key), items: $0.items,
                                    bytes: $0.bytes)
            },
            documentBytes: documentBytes, indexEntries: entries, paths: paths,
            transformation: try runtime.transformation.map { transformation in
                let visited = try transformationPosition(txn, runtime.cid)?.done ?? 0
                return TransformationStatistics(
                    reindexes: transformation.reindexes, visited: Int(visited), total: Int(transformation.total),
                    progress: transformation.progress(visited: visited))
            })
    }

    /// Names of the path hashes the container's definition knows: `id`, `_ts`, included plain paths, composite,
    /// vector and full-text indexes.
    private func knownPathNames(_ runtime: ContainerRuntime) -> [ByteKey: String] {
        var names = [ByteKey: String]()
        names[ByteKey(CompiledIndexingPolicy.idPathHash)] = "/id"
        names[ByteKey(CompiledIndexingPolicy.tsPathHash)] = "/_ts"
        for explicit in runtime.policy.explicitPaths {
            names[ByteKey(explicit.hash)] = "/" + explicit.properties.joined(separator: "/")
        }
        for composite in runtime.policy.composites {
            let parts = zip(composite.paths, composite.descending).map { path, descending in
                "/" + path.joined(separator: "/") + (descending ? " DESC" : " ASC")
            }
            names[ByteKey(composite.hash)] = "(" + parts.joined(separator: ", ") + ")"
        }
        for index in runtime.policy.vectorPaths {
            names[ByteKey(index.hash)] = "vector /" + index.properties.joined(separator: "/")
        }
        for index in runtime.policy.fullTextPaths {
            names[ByteKey(index.hash)] = "full-text /" + index.properties.joined(separator: "/")
        }
        return names
    }

    /// Adds the name of every concrete path of `document` (`/a/b`, `/tags/[]/name`) under its index hash, and of
    /// every object's path under its spatial rows' hash (`spatial /location`).
    private static func namePaths(in document: JSONObject, into names: inout [ByteKey: String]) {
        var bytes = [UInt8]()
        var text = ""
        func walk(_ value: JSONValue) {
            let hash = ByteKey(IndexPath.hash(bytes))
            if names[hash] == nil { names[hash] = text }
            if case .object = value {
                let spatial = ByteKey(IndexPath.hash(bytes + CompiledIndexingPolicy.spatialMarker))
                if names[spatial] == nil { names[spatial] = "spatial " + text }
            }
            switch value {
            case .object(let members):
                for (key, child) in members {
                    let (markBytes, markText) = (bytes.count, text)
                    IndexPath.appendProperty(key, to: &bytes)
                    text += "/" + key
                    walk(child)
                    bytes.removeSubrange(markBytes...)
                    text = markText
                }
            case .array(let elements):
                let (markBytes, markText) = (bytes.count, text)
                bytes.append(IndexPath.arrayStep)
                text += "/[]"
                for element in elements { walk(element) }
                bytes.removeSubrange(markBytes...)
                text = markText
            default:
                break
            }
        }
        for (key, child) in document {
            bytes = []
            IndexPath.appendProperty(key, to: &bytes)
            text = "/" + key
            walk(child)
        }
    }
}
