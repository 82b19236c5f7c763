// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `COUNT` of a constant over what the index selects exactly is answered from the index entries, without loading
/// documents, in a container whose items never expire; otherwise each item is loaded and checked.
struct IndexCountTests {
    /// 200 items in 4 partitions; `status` cycles through 4 values and `rank` through 0–4.
    static func store(defaultTtl: Int? = nil) throws -> TestStore {
        let test = try TestStore(strict: false)
        let ttl = defaultTtl.map { #", "defaultTtl": \#($0)"# } ?? ""
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
                + #""compositeIndexes": [[{"path": "/status"}, {"path": "/rank"}]]}"# + ttl + "}")))
        let statuses = ["active", "error", "expired", "pending"]
        var ops = [BatchOperation]()
        for i in 0..<200 {
            var document: JSONObject = ["id": .string("i\(i)"), "tenantId": .string("t\(i % 4)"),
                                        "status": .string(statuses[i % 4 == 0 ? 1 : i % 3]), "rank": .number(Double(i % 5))]
            if defaultTtl != nil && i % 2 == 0 { document["ttl"] = 10 }
            ops.append(BatchOperation(.create, resourceBody: .object(document)))
        }
        #expect(try test.store.bulk(in: "c", operations: ops).allSatisfy { $0.isSuccess })
        return test
    }

    /// The count by loading every item, for comparison.
    static func scanned(_ store: Store, _ condition: String, partitionKey: PartitionKey? = nil) throws -> Int {
        try queryAll(store, "c", "SELECT * FROM c WHERE " + condition, partitionKey: partitionKey).count
    }

    @Test(arguments: [
        ("c.status = 'error'", nil), ("c.status IN ('error', 'pending')", nil), ("c.tenantId IN ('t1', 't3')", nil),
        ("c.status = 'error' AND c.rank = 2", "t1"), ("STARTSWITH(c.status, 'e')", nil), ("c.rank >= 3", "t2"),
    ] as [(String, String?)])
    func countsIndexEntries(condition: String, partition: String?) throws {
        let test = try Self.store()
        let key = partition.map { PartitionKey($0) }
        let page = try test.store.query(in: "c", "SELECT VALUE COUNT(1) FROM c WHERE " + condition, partitionKey: key)
        let expected = try Self.scanned(test.store, condition, partitionKey: key)
        #expect(expected > 0)
        #expect(try page.items.map { try $0.value() } == [.number(Double(expected))], "\(condition)")
        #expect(page.metrics.documentsLoaded == 0, "\(condition): \(page.plan) \(page.metrics)")
        let named = try queryAll(test.store, "c", "SELECT COUNT(1) AS n, COUNT(undefined) AS none, 'x' AS k FROM c WHERE "
                                 + condition, partitionKey: key)
        #expect(named == [.object(["n": .number(Double(expected)), "none": 0, "k": "x"])], "\(condition)")
    }

    /// With an ORDER BY that a composite index serves, COUNT agrees with the rows: every item the WHERE selects, those
    /// lacking the ORDER BY path and those holding an array there included.
    @Test func countUnderOrderByAgreesWithTheRows() throws {
        let test = try TestStore(strict: false)
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
                + #""compositeIndexes": [[{"path": "/status"}, {"path": "/rank"}]]}}"#)))
        var ops = [BatchOperation]()
        for i in 0..<40 {
            var document: JSONObject = ["id": .string("i\(i)"), "tenantId": .string("t\(i % 2)"), "status": "error"]
            if i % 4 != 0 { document["rank"] = i % 3 == 0 ? .array([1]) : .number(Double(i)) }
            ops.append(BatchOperation(.create, resourceBody: .object(document)))
        }
        #expect(try test.store.bulk(in: "c", operations: ops).allSatisfy { $0.isSuccess })
        let condition = "FROM c WHERE c.status = 'error' ORDER BY c.rank"
        #expect(try test.store.explain(in: "c", "SELECT * " + condition).contains("composite"))
        let rows = try queryAll(test.store, "c", "SELECT * " + condition).count
        #expect(rows == 40)
        #expect(try queryAll(test.store, "c", "SELECT VALUE COUNT(1) " + condition) == [.number(Double(rows))])
    }

    /// A filter left after the index, a count of a property, or items that may expire: each item is loaded.
    @Test func loadsItemsWhenTheIndexIsNotEnough() throws {
        let test = try Self.store()
        for text in ["SELECT VALUE COUNT(1) FROM c WHERE c.status = 'error' AND c.rank * 2 = 4",
                     "SELECT VALUE COUNT(c.rank) FROM c WHERE c.status = 'error'"] {
            let page = try test.store.query(in: "c", text)
            #expect(page.metrics.documentsLoaded > 0, "\(text): \(page.metrics)")
        }
        let expiring = try Self.store(defaultTtl: -1)
        let before = try expiring.store.query(in: "c", "SELECT VALUE COUNT(1) FROM c WHERE c.status = 'error'")
        let all = try Self.scanned(expiring.store, "c.status = 'error'")
        #expect(try before.items.map { try $0.value() } == [.number(Double(all))])
        expiring.clock.advance(by: 11)
        let after = try expiring.store.query(in: "c", "SELECT VALUE COUNT(1) FROM c WHERE c.status = 'error'")
        let live = try Self.scanned(expiring.store, "c.status = 'error'")
        #expect(live < all)
        #expect(try after.items.map { try $0.value() } == [.number(Double(live))])
        // Every entry's item was read to find the expired ones; the live ones are counted as loaded.
        #expect(after.metrics.indexEntriesRead == all && after.metrics.documentsLoaded == live, "\(after.metrics)")
    }
}
