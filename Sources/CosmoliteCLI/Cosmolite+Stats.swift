// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite stats [CONTAINER ...]`: what the store holds and how big it is.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show items, partitions, index entries, sizes, map, free pages and readers.",
            discussion: """
                Per container: live and expired items, logical partitions and the largest ones, bytes of \
                documents, rows per LMDB database (pidx, gidx, cidx, uniq, ttl, feed) and index rows per \
                indexed path. Index paths are named from the container's definition and a sample of its \
                documents; a path no sampled document has shows as #hash. A container whose rows are being \
                rewritten after a replace (a re-indexing, or ttl rows for a new defaultTtl) shows how far that \
                is. For the store: bytes per LMDB database, the data file's size and the part in use, the map \
                size (the map grows by itself), free pages (pages in use by no database, reused by later \
                writes) and reader slots taken.

                Counting reads every key of the containers once, in one read transaction.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: ArgumentHelp("The containers to describe (default: all).", valueName: "container"))
        var containers: [String] = []

        @Option(parsing: .unconditional,
                help: ArgumentHelp("How many of the largest logical partitions to list.", valueName: "n"))
        var top = 5

        @Flag(help: "List index rows per path.")
        var paths = false

        func validate() throws {
            guard top >= 0 else { throw ValidationError("--top must be a number of partitions, 0 or more; got \(top)") }
        }

        func run() throws {
            let store = try global.openStore(readOnly: true)
            let statistics = try store.statistics(containers: containers.isEmpty ? nil : containers,
                                                  largestPartitions: top)
            let output = global.output
            if output.isJSON {
                output.printJSON(Self.json(statistics, path: store.path))
            } else {
                printTables(statistics, path: store.path, output: output)
            }
        }

        private func printTables(_ s: StoreStatistics, path: String, output: Output) {
            output.printLine("store '\(path)': data file \(Units.bytes(s.fileBytes)), \(Units.bytes(s.usedBytes)) "
                + "in use, map \(Units.bytes(s.mapSize)), \(Units.count(s.freePages)) free pages "
                + "(\(Units.bytes(s.freePages * s.pageSize))), readers \(s.readers)/\(s.maxReaders), "
                + "last transaction \(s.lastTransactionID)")
            output.printLine("")
            var databases = Table(headers: ["database", "entries", "pages", "bytes", "depth"])
            for db in s.databases {
                databases.rows.append([db.name, Units.count(db.entries), Units.count(db.pages), Units.bytes(db.bytes),
                                       String(db.depth)])
            }
            output.printTable(databases)
            for container in s.containers {
                output.printLine("")
                output.printLine("container '\(container.id)': \(Units.count(container.items)) items"
                    + (container.expiredItems > 0 ? " (+\(Units.count(container.expiredItems)) expired)" : "")
                    + " in \(Units.count(container.logicalPartitions)) logical partition"
                    + "\(container.logicalPartitions == 1 ? "" : "s"), \(Units.bytes(container.documentBytes)) of "
                    + "documents")
                output.printLine("  rows: " + container.indexEntries.map { "\($0.database) \(Units.count($0.entries))" }
                    .joined(separator: ", "))
                if let transformation = container.transformation {
                    output.printLine(transformation.reindexes
                        ? "  re-indexing: \(transformation.progress) % (\(Units.count(transformation.visited)) of "
                            + "\(Units.count(transformation.total)) items visited)"
                        : "  rewriting ttl rows for a new defaultTtl: \(Units.count(transformation.visited)) items visited")
                }
                if !container.largestPartitions.isEmpty {
                    var table = Table(headers: ["  largest partitions", "items", "bytes"])
                    for partition in container.largestPartitions {
                        table.rows.append(["  " + partition.partitionKey.description, Units.count(partition.items),
                                           Units.bytes(partition.bytes)])
                    }
                    output.printTable(table)
                }
                if paths, !container.paths.isEmpty {
                    var table = Table(headers: ["  index path", "database", "entries"])
                    for path in container.paths {
                        table.rows.append(["  " + path.path, path.database, Units.count(path.entries)])
                    }
                    output.printTable(table)
                }
            }
        }

        /// The JSON form of the statistics.
        static func json(_ s: StoreStatistics, path: String) -> JSONValue {
            func number(_ n: Int) -> JSONValue { .number(Double(n)) }
            return .object(JSONObject([
                ("path", .string(path)), ("fileBytes", number(s.fileBytes)), ("usedBytes", number(s.usedBytes)),
                ("mapSize", number(s.mapSize)), ("pageSize", number(s.pageSize)), ("freePages", number(s.freePages)),
                ("readers", number(s.readers)), ("maxReaders", number(s.maxReaders)),
                ("lastTransactionID", number(s.lastTransactionID)),
                ("databases", .array(s.databases.map { db in
                    .object(JSONObject([
                        ("name", .string(db.name)), ("entries", number(db.entries)), ("pages", number(db.pages)),
                        ("bytes", number(db.bytes)), ("depth", number(db.depth)),
                    ]))
                })),
                ("containers", .array(s.containers.map { c in
                    .object(JSONObject([
                        ("id", .string(c.id)), ("items", number(c.items)), ("expiredItems", number(c.expiredItems)),
                        ("logicalPartitions", number(c.logicalPartitions)), ("documentBytes", number(c.documentBytes)),
                        ("largestPartitions", .array(c.largestPartitions.map { p in
                            .object(JSONObject([
                                ("partitionKey", p.partitionKey.jsonValue), ("items", number(p.items)),
                                ("bytes", number(p.bytes)),
                            ]))
                        })),
                        ("rows", .object(JSONObject(c.indexEntries.map { ($0.database, number($0.entries)) }))),
                        ("transformation", c.transformation.map { t in
                            .object(JSONObject([
                                ("reindexes", .bool(t.reindexes)), ("visited", number(t.visited)),
                                ("total", number(t.total)), ("progress", number(t.progress)),
                            ]))
                        } ?? .null),
                        ("paths", .array(c.paths.map { p in
                            .object(JSONObject([
                                ("path", .string(p.path)), ("database", .string(p.database)),
                                ("entries", number(p.entries)),
                            ]))
                        })),
                    ]))
                })),
            ]))
        }
    }
}
