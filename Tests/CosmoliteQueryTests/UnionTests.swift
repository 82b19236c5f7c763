// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
@testable import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// An OR whose disjuncts each have an index read (`c.status = 'error' OR c.rank = 1`, on different paths) reads
/// them one after the other, as Cosmos DB unions index lookups: each item once, however many disjuncts it
/// satisfies, and pages resume in the right read.
struct UnionTests {
    /// 300 partitions of 10 items, with a status, a rank, a name and tags.
    static func store() throws -> TestStore {
        let statuses = ["active", "disabled", "error", "expired", "pending"]
        let test = try indexedStore(items: 3000) { i in
            ["id": .string("i\(i)"), "tenantId": .string("t\(i / 10)"), "status": .string(statuses[i % 5]),
             "rank": .number(Double(i % 10)), "name": .string(i % 7 == 0 ? "acme-\(i)" : "n\(i)"),
             "tags": .array(i % 11 == 0 ? ["x", "y"] : ["z"])]
        }
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "plain", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"indexingMode": "none"}}"#)))
        let all = try queryAll(test.store, "c", "SELECT * FROM c")
        #expect(try test.store.bulk(in: "plain", operations: all.map { BatchOperation(.create, resourceBody: $0) })
            .allSatisfy { $0.isSuccess })
        return test
    }

    static let queries = [
        "SELECT * FROM c WHERE c.status = 'error' OR c.rank = 2",
        "SELECT * FROM c WHERE c.rank IN (1, 2) OR STARTSWITH(c.name, 'acme-1') OR ARRAY_CONTAINS(c.tags, 'x')",
        "SELECT * FROM c WHERE (c.status = 'error' OR c.rank = 4) AND c.name != 'n4'",
        "SELECT * FROM c WHERE c.tenantId = 't7' AND (c.status = 'error' OR c.rank = 3)",
        "SELECT * FROM c WHERE c.tenantId = 't7' OR c.tenantId = 't9' OR c.status = 'pending'",
        "SELECT VALUE c.id FROM c JOIN t IN c.tags WHERE c.status = 'error' OR c.rank = 0",
        // The first read gives more items than its disjunct holds for (those with 'x' but not 'q'); the ones of
        // rank 0 among them belong to the second read alone (a fuzzer found them returned twice).
        "SELECT * FROM c WHERE ARRAY_CONTAINS_ALL(c.tags, 'x', 'q') OR c.rank = 0",
        "SELECT * FROM c WHERE c.rank = 0 OR ARRAY_CONTAINS_ALL(c.tags, 'x', 'q')",
    ]

    @Test(arguments: [1, 3, 50, 1000])
    func unionsAnswerLikeAScan(pageSize: Int) throws {
        let test = try Self.store()
        for text in Self.queries {
            let plan = try test.store.explain(in: "c", text)
            #expect(plan.contains("union of"), "\(plan)")
            // The ids (or, for SELECT VALUE c.id, the values): an item twice would show twice.
            func keys(_ rows: [JSONValue]) -> [String] { rows.map { $0["id"]?.stringValue ?? $0.stringValue ?? "?" } }
            let expected = keys(try queryAll(test.store, "plain", text)).sorted()
            let actual = keys(try queryAll(test.store, "c", text, pageSize: pageSize))
            #expect(!expected.isEmpty)
            #expect(actual.sorted() == expected, "\(text), page size \(pageSize)")
        }
    }

    /// The union reads only the entries of its disjuncts; a disjunct without an index read leaves the OR to a scan.
    @Test func readsOnlyTheDisjunctsEntries() throws {
        let test = try Self.store()
        let page = try test.store.query(in: "c", "SELECT * FROM c WHERE c.status = 'error' OR c.rank = 2",
                                        maxItemCount: 2000)
        // 600 errors (i % 5 == 2) and 300 of rank 2 (i % 10 == 2), which are all errors too.
        #expect(page.items.count == 600)
        #expect(page.metrics.indexEntriesRead == 900, "\(page.metrics)")
        let scan = try test.store.explain(in: "c", "SELECT * FROM c WHERE c.status = 'error' OR c.rank * 2 = 4")
        #expect(scan.contains("full scan"), "\(scan)")
        // At most 16 reads: a longer OR across paths is left to a scan, and still answers.
        let long = "SELECT * FROM c WHERE " + (0..<17).map { $0 % 2 == 0 ? "c.rank = \($0 % 10)" : "c.name = 'n\($0)'" }
            .joined(separator: " OR ")
        #expect(try test.store.explain(in: "c", long).contains("full scan"))
        let sixteen = "SELECT * FROM c WHERE " + (0..<16).map { $0 % 2 == 0 ? "c.rank = \($0 % 10)" : "c.name = 'n\($0)'" }
            .joined(separator: " OR ")
        #expect(try test.store.explain(in: "c", sixteen).contains("union of 16 reads"))
        #expect(ids(try queryAll(test.store, "c", sixteen, pageSize: 7)).sorted()
                == ids(try queryAll(test.store, "plain", sixteen)).sorted())
    }

    /// Aggregates, DISTINCT and GROUP BY over a union see each item once.
    @Test func aggregatesCountEachItemOnce() throws {
        let test = try Self.store()
        for text in ["SELECT VALUE COUNT(1) FROM c WHERE c.status = 'error' OR c.rank = 2",
                     "SELECT c.rank, COUNT(1) AS n FROM c WHERE c.status = 'error' OR c.rank IN (2, 3) GROUP BY c.rank",
                     "SELECT DISTINCT VALUE c.tenantId FROM c WHERE c.rank = 2 OR STARTSWITH(c.name, 'acme-2')"] {
            #expect(try test.store.explain(in: "c", text).contains("union of"))
            let expected = try queryAll(test.store, "plain", text, pageSize: -1).map(\.description).sorted()
            #expect(try queryAll(test.store, "c", text, pageSize: -1).map(\.description).sorted() == expected, "\(text)")
        }
    }

    /// A later read's position carries its branch; a token of the first read keeps the format tokens had.
    @Test func positionsRecordTheirRead() throws {
        let first = QueryPosition(key: [1, 2], rowsConsumed: 0, emitted: 3, skipped: 0, lastDistinct: [])
        #expect(first.encoded().first == 1)
        #expect(try QueryPosition(decoding: first.encoded()) == first)
        let later = QueryPosition(branch: 2, key: [1, 2], rowsConsumed: .max, emitted: 3, skipped: 1, lastDistinct: [9])
        #expect(later.encoded().first == 2)
        #expect(try QueryPosition(decoding: later.encoded()) == later)
        var zeroBranch = later.encoded()
        zeroBranch[zeroBranch.count - 1] = 0
        #expect(throws: StoreError.self) { try QueryPosition(decoding: zeroBranch) }
    }
}
