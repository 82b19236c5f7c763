// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB
@testable import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// The consistency checker (``Store/verify(containers:)``), which strict mode runs after every commit, finds each
/// kind of damage: rows missing, stale rows, rows pointing at another item, items sharing a unique key.
struct StoreCheckerTests {
    /// A store (not strict: the damage is done behind its back) with items in every kind of row.
    static func damageable() throws -> TestStore {
        let test = try TestStore(strict: false)
        try test.store.createContainer(try ContainerDefinition(json: try JSONReader.parse(#"""
            {"id": "c", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 1000,
             "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/u"]}]},
             "indexingPolicy": {"compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}]]}}
            """#)))
        for i in 0..<5 {
            _ = try test.store.createItem(in: "c", json: Array(#"""
                {"id": "i\#(i)", "k": "p\#(i % 2)", "u": "u\#(i)", "a": \#(i), "b": "b\#(i)", "tags": ["x", "y"]}
                """#.utf8))
        }
        return test
    }

    static let databases = ["pidx", "gidx", "cidx", "uniq", "ttl", "feed"]

    /// The database the checker's reports call `name`.
    static func database(_ store: Store, _ name: String) -> Database {
        switch name {
        case "pidx": store.dbs.partitionIndex
        case "gidx": store.dbs.globalIndex
        case "cidx": store.dbs.compositeIndex
        case "uniq": store.dbs.unique
        case "ttl": store.dbs.ttl
        default: store.dbs.feed
        }
    }

    /// The keys of `db`, in key order.
    static func keys(_ store: Store, _ db: Database) throws -> [[UInt8]] {
        try store.environment.read { txn in
            var keys = [[UInt8]]()
            try txn.forEach(db, prefix: []) { key, _ in
                keys.append(Array(key))
                return true
            }
            return keys
        }
    }

    static func messages(_ store: Store, in database: String) throws -> [String] {
        try store.verify().filter { $0.database == database }.map(\.message)
    }

    @Test func anUndamagedStoreHasNoProblem() throws {
        let test = try Self.damageable()
        #expect(try test.store.verify().isEmpty)
        for name in Self.databases {
            #expect(try !Self.keys(test.store, Self.database(test.store, name)).isEmpty, "the fixture has \(name) rows")
        }
    }

    @Test(arguments: databases)
    func aMissingRowIsFound(database: String) throws {
        let test = try Self.damageable()
        let store = test.store
        let db = Self.database(store, database)
        let victim = try #require(try Self.keys(store, db).last)
        try store.environment.write { txn in _ = try txn.delete(db, key: victim) }
        let found = try Self.messages(store, in: database)
        #expect(found.count == 1 && found[0].contains("missing for item 'i"), "\(found)")
    }

    @Test(arguments: ["pidx", "gidx", "cidx", "ttl"])
    func aStaleRowIsFound(database: String) throws {
        let test = try Self.damageable()
        let store = test.store
        let db = Self.database(store, database)
        let stale = try #require(try Self.keys(store, db).first) + [0x7F]
        try store.environment.write { txn in try txn.put(db, key: stale, value: []) }
        let found = try Self.messages(store, in: database)
        let hex = stale.withUnsafeBytes { Store.hex($0) }
        #expect(found == ["row \(hex) belongs to no item (stale entry)"], "\(found)")
    }

    @Test(arguments: ["uniq", "feed"])
    func aRowPointingAtAnotherItemIsFound(database: String) throws {
        let test = try Self.damageable()
        let store = test.store
        let db = Self.database(store, database)
        let rows = try Self.keys(store, db)
        let other = try store.environment.read { txn in try txn.get(db, key: rows[1]) }
        try store.environment.write { txn in try txn.put(db, key: rows[0], value: other!) }
        let found = try Self.messages(store, in: database)
        #expect(found.count == 1 && found[0].contains("points at another item"), "\(found)")
    }

    /// Two items of a partition stored with the same unique-key values (as a bug in the unique-key check would
    /// leave them).
    @Test func itemsSharingAUniqueKeyAreFound() throws {
        let test = try Self.damageable()
        let store = test.store
        // i2 takes i0's value of /u (both are in partition p0), behind the unique-key check's back.
        try store.environment.write { txn in
            let runtime = try store.runtime("c", in: try store.currentCatalog(txn))
            let key = KeyLayout.documentKey(runtime.cid, Locator(partitionKey: PartitionKey("p0"), id: "i2").bytes)
            let stored = try #require(try store.loadStored(txn, key: key))
            var body = stored.document
            body["u"] = "u0"
            let record = stored.record
            try txn.put(store.dbs.docs, key: key, value: DocumentRecord.encode(
                itemTTL: record.itemTTL, timestamp: record.timestamp, lsn: record.lsn, rid: record.rid,
                partitionKeyEncoding: record.partitionKeyEncoding, id: record.id, body: body).bytes)
        }
        let found = try Self.messages(store, in: "uniq")
        #expect(found.contains { $0.contains("share the values of unique key #0") }, "\(found)")
        #expect(found.contains { $0.contains("belongs to no item (stale entry)") }, "i2's own row for u2: \(found)")
    }

    /// Rows of a container number that has no container record are orphans, unless the container was deleted and
    /// its rows are still being removed (a `drop` marker); a marker beside a live container is damage too.
    @Test func orphanRowsAndDeletionMarkersAreChecked() throws {
        let test = try Self.damageable()
        let store = test.store
        try store.environment.write { txn in try txn.put(store.dbs.feed, key: [0, 0, 3, 0xE7, 1], value: [1]) }
        #expect(try store.verify().map(\.message) == ["1 row(s) of unknown container #999"])
        try store.environment.write { txn in try txn.put(store.dbs.meta, key: KeyLayout.MetaKey.drop(999), value: []) }
        #expect(try store.verify().isEmpty)
        let cid = try store.read { _, catalog in try store.runtime("c", in: catalog).cid }
        try store.environment.write { txn in try txn.put(store.dbs.meta, key: KeyLayout.MetaKey.drop(cid), value: []) }
        #expect(try store.verify().map(\.message) == ["container #\(cid) exists but is marked deleted"])
    }

    /// Transaction ranges of the change feed (invariant 9): a reversed, overlapping or too high range, and one of a
    /// container that does not exist, are found.
    @Test func transactionRangesAreChecked() throws {
        let test = try Self.damageable()
        let store = test.store
        let cid = try store.read { _, catalog in try store.runtime("c", in: catalog).cid }
        func range(_ cid: UInt32, _ first: UInt64, _ last: UInt64) throws {
            var value = [UInt8]()
            value.appendBigEndian(first)
            try store.environment.write { txn in
                try txn.put(store.dbs.meta, key: KeyLayout.MetaKey.transaction(cid, last: last), value: value)
            }
        }
        try range(cid, 1, 2)
        try range(cid, 3, 5)
        #expect(try store.verify().isEmpty)
        try range(cid, 5, 5)
        #expect(try Self.messages(store, in: "meta").count == 1)
        try store.environment.write { txn in
            try txn.delete(store.dbs.meta, key: KeyLayout.MetaKey.transaction(cid, last: 5))
        }
        try range(cid, 4, 6)  // overlaps 3...5 (and was never handed out: the counter is 5)
        #expect(try Self.messages(store, in: "meta").count == 1)
        try store.environment.write { txn in
            try txn.delete(store.dbs.meta, key: KeyLayout.MetaKey.transaction(cid, last: 6))
        }
        try range(cid, 6, 9)  // past the counter
        #expect(try Self.messages(store, in: "meta").first?.contains("passes the sequence counter") == true)
        try store.environment.write { txn in
            try txn.delete(store.dbs.meta, key: KeyLayout.MetaKey.transaction(cid, last: 9))
        }
        try range(999, 1, 2)
        #expect(try store.verify().map(\.message) == ["1 transaction range(s) of unknown container #999"])
    }

    @Test func aTransformationPositionWithoutATransformationIsFound() throws {
        let test = try Self.damageable()
        let store = test.store
        let cid = try store.read { _, catalog in try store.runtime("c", in: catalog).cid }
        try store.environment.write { txn in
            try txn.put(store.dbs.meta, key: KeyLayout.MetaKey.transformationPosition(cid), value: [0, 0, 0, 0, 0, 0, 0, 1])
        }
        #expect(try Self.messages(store, in: "meta").count == 1)
    }
}
