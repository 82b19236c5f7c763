// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB

/// One inconsistency found by ``Store/verify(containers:)``.
public struct ConsistencyProblem: Sendable, Hashable, CustomStringConvertible {
    /// The container concerned, if known.
    public let container: String?
    /// The LMDB database (`docs`, `pidx`, `gidx`, `cidx`, `uniq`, `ttl`, `feed`, `meta`, `containers`).
    public let database: String
    /// What is wrong.
    public let message: String

    /// `container 'x' [pidx]: message`.
    public var description: String {
        "\(container.map { "container '\($0)'" } ?? "store") [\(database)]: \(message)"
    }
}

extension Store {
    /// Checks every invariant of the on-disk format (see `KeyLayout.swift`) in one read transaction: each item
    /// against its index, unique-key, TTL and change-feed rows, and every such row against the items.
    ///
    /// - Parameter containers: The containers to check (all when `nil`); rows of unknown containers are
    ///   reported only when checking all.
    /// - Returns: The problems found; empty when the store is consistent.
    public func verify(containers: [String]? = nil) throws -> [ConsistencyProblem] {
        try read { txn, catalog in
            var problems = [ConsistencyProblem]()
            let runtimes = catalog.byName.values.filter { containers?.contains($0.id) ?? true }.sorted { $0.cid < $1.cid }
            for runtime in runtimes {
                try self.check(txn, runtime, into: &problems)
            }
            if containers == nil {
                try self.checkOrphans(txn, catalog, into: &problems)
            }
            return problems
        }
    }

    /// Runs the checker over the containers a commit touched, failing loudly (strict mode).
    func strictCheck(_ touched: Set<UInt32>) throws {
        let names = try read { _, catalog in catalog.byName.values.filter { touched.contains($0.cid) }.map(\.id) }
        guard !names.isEmpty else { return }
        let problems = try verify(containers: names)
        if !problems.isEmpty {
            throw StoreError(.internalError, "strict mode: the store is inconsistent after a commit: "
                + problems.prefix(5).map(\.description).joined(separator: "; "))
        }
    }

    /// The rows one item must have, by database (keys; `uniq` and `feed` rows also hold the item's locator).
    private struct ExpectedRows {
        var partition = [[UInt8]]()
        var global = [[UInt8]]()
        var composite = [[UInt8]]()
        /// Rows of `cidx` with the value each must hold (vector rows, full-text postings).
        var valued = [(key: [UInt8], value: [UInt8])]()
        /// `uniq` keys with their constraint numbers.
        var unique = [(key: [UInt8], constraint: UInt8)]()
        var ttl = [[UInt8]]()
        var feed = [UInt8]()
        /// The item's shares of the full-text counter rows.
        var fullTextCounts = [CompiledIndexingPolicy.Terms.FullTextCount]()
    }

    /// The databases whose rows derive from items, as the checker names them.
    private enum RowTable: CaseIterable {
        case partition, global, composite, unique, ttl, feed

        var name: String {
            switch self {
            case .partition: "pidx"
            case .global: "gidx"
            case .composite: "cidx"
            case .unique: "uniq"
            case .ttl: "ttl"
            case .feed: "feed"
            }
        }

        func database(_ dbs: Databases) -> Database {
            switch self {
            case .partition: dbs.partitionIndex
            case .global: dbs.globalIndex
            case .composite: dbs.compositeIndex
            case .unique: dbs.unique
            case .ttl: dbs.ttl
            case .feed: dbs.feed
            }
        }

        func keys(_ rows: ExpectedRows) -> [[UInt8]] {
            switch self {
            case .partition: rows.partition
            case .global: rows.global
            case .composite: rows.composite + rows.valued.map(\.key)
            case .unique: rows.unique.map(\.key)
            case .ttl: rows.ttl
            case .feed: [rows.feed]
            }
        }
    }

    private func expectedRows(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, locator: Locator,
                              record: DocumentRecord, document: JSONObject) throws -> ExpectedRows {
        let cid = runtime.cid
        let stored = try storedRows(txn, runtime, locator: locator, record: record, document: document)
        var rows = ExpectedRows()
        for term in stored.terms.range {
            rows.partition.append(partitionIndexKey(cid, term, locator))
            rows.global.append(globalIndexKey(cid, term, locator))
        }
        rows.global += stored.terms.globalOnly.map { globalIndexKey(cid, $0, locator) }
        rows.composite = stored.terms.composite.map { globalIndexKey(cid, $0, locator) }
        rows.valued = stored.terms.valued.map { (globalIndexKey(cid, $0.term, locator), $0.value) }
        rows.fullTextCounts = stored.terms.fullTextCounts
        rows.unique = runtime.uniqueTuples(of: document).map {
            (runtime.uniqueKey(constraint: $0.constraint, locatorPK: locator.pk[...], digest: $0.digest), $0.constraint)
        }
        if let expiry = stored.expiry { rows.ttl = [KeyLayout.ttlKey(cid, expiresAt: expiry, locator: locator.bytes)] }
        rows.feed = KeyLayout.feedKey(cid, record.lsn)
        return rows
    }

    /// Walks the container's items that decode, reporting through `problem` those that do not and the body checks
    /// of those that do; `body` gets each decodable item.
    private func forEachCheckableItem(
        _ txn: borrowing Transaction, _ runtime: ContainerRuntime, problem: (String, String) -> Void,
        _ body: (Locator, DocumentRecord, JSONObject, String) throws -> Void
    ) throws {
        let cid = runtime.cid
        try scan(txn, dbs.docs, prefix: runtime.keyPrefix, after: nil) { key, value in
            let record: DocumentRecord
            do { record = try DocumentRecord.decode(value) } catch {
                problem("docs", "row \(Self.hex(key)) has an undecodable record header")
                return true
            }
            let owner = "item '\(record.id)'"
            let partitionKey: PartitionKey
            do { partitionKey = try PartitionKey.decode(fullEncoding: record.partitionKeyEncoding) } catch {
                problem("docs", "\(owner) has an undecodable partition key")
                return true
            }
            let locator = Locator(partitionKey: partitionKey, id: record.id)
            guard key.equals(KeyLayout.documentKey(cid, locator.bytes)) else {
                problem("docs", "\(owner) in partition \(partitionKey) is stored under a key that does not match it")
                return true
            }
            guard case .object(let document)? = try? JSONReader.parse(UnsafeRawBufferPointer(rebasing: value[record.bodyOffset...])) else {
                problem("docs", "\(owner) in partition \(partitionKey) has a body that is not a JSON object")
                return true
            }
            if document["id"]?.stringValue != record.id {
                problem("docs", "\(owner): the body's id differs from the record's")
            }
            if document["_etag"]?.stringValue != ResourceID.etag(cid: cid, lsn: record.lsn) {
                problem("docs", "\(owner): _etag does not match the record's sequence number")
            }
            if document["_ts"]?.numberValue != Double(record.timestamp) {
                problem("docs", "\(owner): _ts does not match the record header")
            }
            if let extracted = try? runtime.definition.partitionKey.extract(from: document), extracted != partitionKey {
                problem("docs", "\(owner): the body's partition-key value differs from the record's")
            }
            try body(locator, record, document, "\(owner) in partition \(partitionKey)")
            return true
        }
    }

    /// Checks one container in memory bounded by one item, however large it is.
    ///
    /// 1. Each item's rows are looked up one by one: missing rows, and `uniq`/`feed` rows holding another item,
    ///    are reported here. Rows found holding the item are counted per database.
    /// 2. Each database's rows of the container are counted. As every row found in step 1 is distinct, a database
    ///    with more rows than that holds rows no item accounts for.
    /// 3. Only for such a database, its expected keys are collected (walking the items again) to name the stale
    ///    rows.
    private func check(_ txn: borrowing Transaction, _ runtime: ContainerRuntime,
                       into problems: inout [ConsistencyProblem]) throws {
        let cid = runtime.cid
        let prefix = runtime.keyPrefix
        func problem(_ db: String, _ message: String) {
            problems.append(ConsistencyProblem(container: runtime.id, database: db, message: message))
        }
        func value(_ table: RowTable, _ key: [UInt8]) throws -> [UInt8]? {
            try key.withUnsafeBytes { try txn.value(table.database(dbs), forKey: $0).map(Array.init) }
        }
        var found = [RowTable: Int]()
        var maxLSN: UInt64 = 0
        // Each full-text index's counts, summed over the items (invariant 2).
        var counters = [[UInt8]: (items: UInt64, words: UInt64)]()

        try forEachCheckableItem(txn, runtime, problem: problem) { locator, record, document, described in
            maxLSN = max(maxLSN, record.lsn)
            let rows = try expectedRows(txn, runtime, locator: locator, record: record, document: document)
            for table in [RowTable.partition, .global, .composite, .ttl] {
                var missing = false
                for key in table.keys(rows) {
                    if try value(table, key) == nil { missing = true } else { found[table, default: 0] += 1 }
                }
                if missing { problem(table.name, "rows missing for \(described)") }
            }
            for (key, held) in rows.valued where try value(.composite, key).map({ $0 != held }) == true {
                problem("cidx", "the row \(Self.hex(key)) of \(described) does not hold what the item gives (its "
                    + "vector or its terms' positions)")
            }
            for share in rows.fullTextCounts {
                counters[share.hash, default: (0, 0)].items += 1
                counters[share.hash]!.words += share.words
            }
            for (key, constraint) in rows.unique {
                guard let owner = try value(.unique, key) else {
                    problem("uniq", "row missing for \(described)")
                    continue
                }
                if owner == locator.bytes {
                    found[.unique, default: 0] += 1
                } else if let other = try sharingItem(txn, runtime, locator: owner, uniqueKey: key) {
                    problem("uniq", "\(described) and \(other) share the values of unique key #\(constraint)")
                } else {
                    problem("uniq", "the row for \(described) points at another item")
                }
            }
            if let owner = try value(.feed, rows.feed) {
                if owner == locator.bytes {
                    found[.feed, default: 0] += 1
                } else {
                    problem("feed", "the row for \(described) points at another item")
                }
            } else {
                problem("feed", "row missing for \(described)")
            }
        }

        for (hash, expected) in counters {
            let key = KeyLayout.fullTextCounterKey(cid, hash: hash)
            guard let held = try value(.composite, key) else {
                problem("cidx", "the counter row of full-text index \(Self.hex(hash)) is missing")
                continue
            }
            found[.composite, default: 0] += 1
            if held.count != 16 || held.readBigEndian(UInt64.self, at: 0) != expected.items
                || held.readBigEndian(UInt64.self, at: 8) != expected.words {
                problem("cidx", "the counter row of full-text index \(Self.hex(hash)) does not hold its "
                    + "\(expected.items) items and \(expected.words) terms")
            }
        }
        for table in RowTable.allCases {
            var rows = 0
            try scan(txn, table.database(dbs), prefix: prefix, after: nil) { _, _ in
                rows += 1
                return true
            }
            guard rows > found[table, default: 0] else { continue }
            var expected = Set<ByteKey>()
            try forEachCheckableItem(txn, runtime, problem: { _, _ in }) { locator, record, document, _ in
                let rows = try expectedRows(txn, runtime, locator: locator, record: record, document: document)
                for key in table.keys(rows) { expected.insert(ByteKey(key)) }
            }
            if table == .composite {
                for hash in counters.keys { expected.insert(ByteKey(KeyLayout.fullTextCounterKey(cid, hash: hash))) }
            }
            try scan(txn, table.database(dbs), prefix: prefix, after: nil) { key, _ in
                if !expected.contains(ByteKey(Array(key))) {
                    problem(table.name, "row \(Self.hex(key)) belongs to no item (stale entry)")
                }
                return true
            }
        }

        let counter = try txn.get(dbs.meta, key: KeyLayout.MetaKey.lsn(cid)).map { $0.readBigEndian(UInt64.self, at: 0) } ?? 0
        if counter < maxLSN {
            problem("meta", "the sequence counter (\(counter)) is below the highest item sequence number (\(maxLSN))")
        }
        // Transaction ranges (invariant 9): well formed, disjoint, at or below the counter.
        let rangePrefix = KeyLayout.MetaKey.transactionPrefix(cid)
        var previousLast: UInt64 = 0
        try scan(txn, dbs.meta, prefix: rangePrefix, after: nil) { key, value in
            guard key.count == rangePrefix.count + 8, value.count == 8 else {
                problem("meta", "a transaction range row is malformed")
                return true
            }
            let last = key.readBigEndian(UInt64.self, at: rangePrefix.count)
            let first = value.readBigEndian(UInt64.self, at: 0)
            if first == 0 || first >= last || last > counter || first <= previousLast {
                problem("meta", "the transaction range \(first)...\(last) is reversed, overlaps another or passes the "
                    + "sequence counter (\(counter))")
            }
            previousLast = last
            return true
        }
        if let transformation = runtime.transformation, transformation.startLSN > counter {
            problem("meta", "the index transformation began at sequence number \(transformation.startLSN), after the "
                + "counter (\(counter))")
        }
        if runtime.transformation == nil, try txn.get(dbs.meta, key: KeyLayout.MetaKey.transformationPosition(cid)) != nil {
            problem("meta", "an index transformation position is stored, but no transformation is under way")
        }
    }

    /// The item (described) at `locator` when it exists and also has the unique-key row `uniqueKey`: two items
    /// sharing the values of a unique key.
    private func sharingItem(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, locator bytes: [UInt8],
                             uniqueKey: [UInt8]) throws -> String? {
        guard let locator = try? bytes.withUnsafeBytes({
                  try Locator(bytes: $0, components: runtime.partitionKeyPaths.count)
              }),
              let other = try? loadStored(txn, key: KeyLayout.documentKey(runtime.cid, locator.bytes)),
              runtime.uniqueTuples(of: other.document).contains(where: {
                  runtime.uniqueKey(constraint: $0.constraint, locatorPK: locator.pk[...], digest: $0.digest) == uniqueKey
              })
        else { return nil }
        let partition = (try? PartitionKey.decode(fullEncoding: other.record.partitionKeyEncoding))?.description ?? "?"
        return "item '\(other.record.id)' in partition \(partition)"
    }

    private func checkOrphans(_ txn: borrowing Transaction, _ catalog: Catalog,
                              into problems: inout [ConsistencyProblem]) throws {
        let known = Set(catalog.byName.values.map(\.cid))
        // A deleted container's rows are removed in steps: they are expected until its `drop` marker goes.
        let deleted = Set(try deletedContainers(txn))
        for cid in deleted.intersection(known).sorted() {
            problems.append(ConsistencyProblem(container: nil, database: "meta",
                                               message: "container #\(cid) exists but is marked deleted"))
        }
        let transactions = KeyLayout.MetaKey.transactionsPrefix
        var strayRanges = [UInt32: Int]()
        try scan(txn, dbs.meta, prefix: transactions, after: nil) { key, _ in
            guard key.count == transactions.count + 12 else { return true }  // reported with the container
            let cid = key.readBigEndian(UInt32.self, at: transactions.count)
            if !known.contains(cid), !deleted.contains(cid) { strayRanges[cid, default: 0] += 1 }
            return true
        }
        for (cid, count) in strayRanges.sorted(by: { $0.key < $1.key }) {
            problems.append(ConsistencyProblem(container: nil, database: "meta",
                                               message: "\(count) transaction range(s) of unknown container #\(cid)"))
        }
        let tables: [(Database, String)] = [
            (dbs.docs, "docs"), (dbs.partitionIndex, "pidx"), (dbs.globalIndex, "gidx"), (dbs.compositeIndex, "cidx"),
            (dbs.unique, "uniq"), (dbs.ttl, "ttl"), (dbs.feed, "feed"),
        ]
        for (db, name) in tables {
            var orphans = [UInt32: Int]()
            try txn.forEach(db, prefix: []) { key, _ in
                guard key.count >= 4 else {
                    problems.append(ConsistencyProblem(container: nil, database: name, message: "row with a short key"))
                    return true
                }
                let cid = key.readBigEndian(UInt32.self, at: 0)
                if !known.contains(cid), !deleted.contains(cid) { orphans[cid, default: 0] += 1 }
                return true
            }
            for (cid, count) in orphans.sorted(by: { $0.key < $1.key }) {
                problems.append(ConsistencyProblem(container: nil, database: name,
                                                   message: "\(count) row(s) of unknown container #\(cid)"))
            }
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = bytes.prefix(48).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
        return bytes.count > 48 ? shown + "…" : shown
    }
}
