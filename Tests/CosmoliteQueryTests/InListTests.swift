// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `path IN (v1, v2, ...)` reads one key interval per value, as Cosmos DB serves it from its indexes: on the
/// partition key it visits only the listed partitions, on a range-indexed path only the matching entries.
struct InListTests {
    /// 300 partitions of 10 items; `status` cycles through five values, `rank` through 0–9.
    static func store() throws -> TestStore {
        let statuses = ["active", "disabled", "error", "expired", "pending"]
        return try indexedStore(items: 3000) { i in
            ["id": .string("i" + String(String(10_000 + i).dropFirst())), "tenantId": .string("t\(i / 10)"),
             "status": .string(statuses[i % 5]), "rank": .number(Double(i % 10))]
        }
    }

    @Test func partitionKeyListVisitsOnlyThosePartitions() throws {
        let test = try Self.store()
        let query = "SELECT * FROM c WHERE c.tenantId IN ('t7', 't3', 'nobody', 't3', 't250')"
        let page = try test.store.query(in: "c", query, maxItemCount: 100)
        #expect(page.plan.contains("scan by partition key (5 values)"), "\(page.plan)")
        #expect(page.plan.contains("no residual filter"), "\(page.plan)")
        #expect(page.items.count == 30)
        #expect(page.metrics.documentsLoaded == 30, "\(page.metrics)")
        #expect(Set(try page.items.map { try $0.value()["tenantId"]?.stringValue ?? "" }) == ["t3", "t7", "t250"])
    }

    @Test func indexedListReadsOnlyMatchingEntries() throws {
        let test = try Self.store()
        let page = try test.store.query(in: "c", "SELECT * FROM c WHERE c.status IN ('error', 'pending') AND c.rank IN (4, 9)",
                                        maxItemCount: 2000)
        #expect(page.plan.contains("cross-partition range index /"), "\(page.plan)")
        #expect(page.plan.contains("(2 values)"), "\(page.plan)")
        // Items 4, 9, 14, ... have status error or pending and rank 4 or 9: 600 of 3,000.
        #expect(page.items.count == 600)
        #expect(page.metrics.indexEntriesRead <= 1_200, "\(page.metrics)")
        let inPartition = try test.store.query(in: "c", "SELECT * FROM c WHERE c.tenantId = 't5' AND c.rank IN (1, 2, 3)",
                                               maxItemCount: 100)
        #expect(inPartition.plan.contains("partition range index /rank (3 values)"), "\(inPartition.plan)")
        #expect(ids(try inPartition.items.map { try $0.value() }).sorted() == ["i0051", "i0052", "i0053"])
        #expect(inPartition.metrics.indexEntriesRead == 3, "\(inPartition.metrics)")
    }

    /// ORs of equalities on one path are IN lists; on several paths, a union of index reads (`UnionTests`).
    @Test func orsOfEqualitiesOnOnePath() throws {
        let test = try Self.store()
        let statuses = try test.store.query(
            in: "c", "SELECT * FROM c WHERE c.status = 'error' OR (c.status = 'pending' OR c.status IN ('nope', 'error'))",
            maxItemCount: 2000)
        #expect(statuses.plan.contains("cross-partition range index /status (4 values); no residual filter"), "\(statuses.plan)")
        #expect(statuses.items.count == 1200)
        #expect(statuses.metrics.indexEntriesRead == 1200, "\(statuses.metrics)")
        let partitions = try test.store.query(in: "c", "SELECT * FROM c WHERE c.tenantId = 't1' OR c.tenantId = 't2'",
                                              maxItemCount: 100)
        #expect(partitions.plan.contains("scan by partition key (2 values)"), "\(partitions.plan)")
        #expect(partitions.metrics.documentsLoaded == 20, "\(partitions.metrics)")
        let mixed = try test.store.query(in: "c", "SELECT * FROM c WHERE c.status = 'error' OR c.rank = 1", maxItemCount: 2000)
        #expect(mixed.plan.contains("union of 2 reads"), "\(mixed.plan)")
        #expect(mixed.items.count == 900)
    }

    /// Pages resume inside and across the intervals, forward and in reverse, and give the order of a plain sort.
    @Test(arguments: [1, 2, 3, 7])
    func pagesCrossIntervals(pageSize: Int) throws {
        let test = try Self.store()
        let wanted = ["pending", "error", "active"]
        for descending in [false, true] {
            let query = "SELECT * FROM c WHERE c.tenantId = 't9' AND c.status IN ('pending', 'error', 'nope', 'active') "
                + "ORDER BY c.status" + (descending ? " DESC" : "")
            #expect(try test.store.explain(in: "c", query).contains("(4 values)"))
            let rows = try queryAll(test.store, "c", query, pageSize: pageSize)
            let statuses = rows.compactMap { $0["status"]?.stringValue }
            let expected = wanted.sorted(by: descending ? (>) : (<)).flatMap { Array(repeating: $0, count: 2) }
            #expect(statuses == expected, "page size \(pageSize), descending \(descending)")
            #expect(Set(ids(rows)).count == 6)
        }
        let byKey = try queryAll(test.store, "c", "SELECT * FROM c WHERE c.tenantId IN ('t2', 't1') ORDER BY c.tenantId DESC",
                                 pageSize: pageSize)
        #expect(byKey.compactMap { $0["tenantId"]?.stringValue } == Array(repeating: "t2", count: 10) + Array(repeating: "t1", count: 10))
    }

    /// Long strings share a truncated key: their intervals overlap and merge, and the list is still checked per
    /// item. Values of several types, `null` included, and a list of one value (an equality) answer like a scan.
    @Test func truncatedAndMixedValuesMatchAScan() throws {
        let test = try storeWithContainers(["range": indexAll, "plain": indexNothing])
        let store = test.store
        let long = String(repeating: "L", count: 200)
        let values: [JSONValue] = [.string(long + "a"), .string(long + "b"), .string(long), "a", "b", .number(1), .number(2),
                                   .bool(true), .bool(false), .null, .array([1]), .object(["v": 1])]
        var ops = [BatchOperation]()
        for (i, value) in values.enumerated() {
            for copy in 0..<2 {
                ops.append(BatchOperation(.create, resourceBody: .object([
                    "id": .string("d\(i)-\(copy)"), "pk": .string("p\(copy)"), "v": value,
                ])))
            }
        }
        ops.append(BatchOperation(.create, resourceBody: .object(["id": "none", "pk": "p0"])))
        for container in ["range", "plain"] {
            #expect(try store.bulk(in: container, operations: ops).allSatisfy { $0.isSuccess })
        }
        let lists: [[JSONValue]] = [
            [.string(long + "a"), .string(long + "c")], [.string(long + "b"), .string(long), "a"], [.number(1), "1", .bool(true)],
            [.null, .bool(false), .number(2)], ["b"], [.string(long + "a")], ["a", "a", "b"],
        ]
        for list in lists {
            let parameters = Dictionary(uniqueKeysWithValues: list.enumerated().map { ("p\($0.offset)", $0.element) })
            let text = "SELECT * FROM c WHERE c.v IN (" + list.indices.map { "@p\($0)" }.joined(separator: ", ") + ")"
            let expected = ids(try queryAll(store, "plain", text, parameters: parameters)).sorted()
            #expect(!expected.isEmpty, "\(list)")
            let plan = try store.explain(in: "range", text, parameters: parameters)
            #expect(plan.contains("cross-partition range index /v"), "\(plan)")
            #expect(ids(try queryAll(store, "range", text, parameters: parameters, pageSize: 3)).sorted() == expected,
                    "\(list)")
        }
    }
}
