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

    private func check(_ txn: borrowing Transaction, _ runtime: ContainerRuntime,
                       into problems: inout [ConsistencyProblem]) throws {
        let cid = runtime.cid
        let prefix = KeyLayout.containerPrefix(cid)
        func problem(_ db: String, _ message: String) {
            problems.append(ConsistencyProblem(container: runtime.id, database: db, message: message))
        }
        var expectedPartition = [ByteKey: String]()
        var expectedGlobal = [ByteKey: String]()
        var expectedComposite = [ByteKey: String]()
        var expectedUnique = [ByteKey: (value: [UInt8], owner: String)]()
        var expectedTTL = [ByteKey: String]()
        var expectedFeed = [ByteKey: (value: [UInt8], owner: String)]()
        var maxLSN: UInt64 = 0

        try scan(txn, dbs.docs, prefix: prefix, after: nil) { key, value in
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
            maxLSN = max(maxLSN, record.lsn)
            let described = "\(owner) in partition \(partitionKey)"
            let rows = try self.storedRows(txn, runtime, locator: locator, record: record, document: document)
            let terms = rows.terms
            for term in terms.range {
                expectedPartition[ByteKey(self.partitionIndexKey(cid, term, locator))] = described
                expectedGlobal[ByteKey(self.globalIndexKey(cid, term, locator))] = described
            }
            for term in terms.globalOnly {
                expectedGlobal[ByteKey(self.globalIndexKey(cid, term, locator))] = described
            }
            for term in terms.composite {
                expectedComposite[ByteKey(self.globalIndexKey(cid, term, locator))] = described
            }
            for tuple in runtime.uniqueTuples(of: document) {
                let uniqueKey = runtime.uniqueKey(constraint: tuple.constraint, locatorPK: locator.pk[...],
                                                  digest: tuple.digest)
                if let other = expectedUnique[ByteKey(uniqueKey)] {
                    problem("uniq", "\(described) and \(other.owner) share the values of unique key "
                        + "#\(tuple.constraint)")
                }
                expectedUnique[ByteKey(uniqueKey)] = (locator.bytes, described)
            }
            if let expiry = rows.expiry {
                expectedTTL[ByteKey(KeyLayout.ttlKey(cid, expiresAt: expiry, locator: locator.bytes))] = described
            }
            expectedFeed[ByteKey(KeyLayout.feedKey(cid, record.lsn))] = (locator.bytes, described)
            return true
        }

        func compare(_ db: Database, _ name: String, _ expected: [ByteKey: String]) throws {
            var remaining = expected
            try scan(txn, db, prefix: prefix, after: nil) { key, _ in
                if remaining.removeValue(forKey: ByteKey(Array(key))) == nil {
                    problem(name, "row \(Self.hex(key)) belongs to no item (stale entry)")
                }
                return true
            }
            for owner in Set(remaining.values).sorted() {
                problem(name, "rows missing for \(owner)")
            }
        }
        func compareValued(_ db: Database, _ name: String, _ expected: [ByteKey: (value: [UInt8], owner: String)]) throws {
            var remaining = expected
            try scan(txn, db, prefix: prefix, after: nil) { key, value in
                guard let want = remaining.removeValue(forKey: ByteKey(Array(key))) else {
                    problem(name, "row \(Self.hex(key)) belongs to no item (stale entry)")
                    return true
                }
                if !value.equals(want.value) { problem(name, "the row for \(want.owner) points at another item") }
                return true
            }
            for owner in Set(remaining.values.map(\.owner)).sorted() {
                problem(name, "row missing for \(owner)")
            }
        }
        try compare(dbs.partitionIndex, "pidx", expectedPartition)
        try compare(dbs.globalIndex, "gidx", expectedGlobal)
        try compare(dbs.compositeIndex, "cidx", expectedComposite)
        try compare(dbs.ttl, "ttl", expectedTTL)
        try compareValued(dbs.unique, "uniq", expectedUnique)
        try compareValued(dbs.feed, "feed", expectedFeed)
        let counter = try txn.get(dbs.meta, key: KeyLayout.MetaKey.lsn(cid)).map { $0.readBigEndian(UInt64.self, at: 0) } ?? 0
        if counter < maxLSN {
            problem("meta", "the sequence counter (\(counter)) is below the highest item sequence number (\(maxLSN))")
        }
        if let transformation = runtime.transformation, transformation.startLSN > counter {
            problem("meta", "the index transformation began at sequence number \(transformation.startLSN), after the "
                + "counter (\(counter))")
        }
        if runtime.transformation == nil, try txn.get(dbs.meta, key: KeyLayout.MetaKey.transformationPosition(cid)) != nil {
            problem("meta", "an index transformation position is stored, but no transformation is under way")
        }
    }

    private func checkOrphans(_ txn: borrowing Transaction, _ catalog: Catalog,
                              into problems: inout [ConsistencyProblem]) throws {
        let known = Set(catalog.byName.values.map(\.cid))
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
                if !known.contains(cid) { orphans[cid, default: 0] += 1 }
                return true
            }
            for (cid, count) in orphans.sorted(by: { $0.key < $1.key }) {
                problems.append(ConsistencyProblem(container: nil, database: name,
                                                   message: "\(count) row(s) of unknown container #\(cid)"))
            }
        }
    }

    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = bytes.prefix(48).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
        return bytes.count > 48 ? shown + "…" : shown
    }
}
