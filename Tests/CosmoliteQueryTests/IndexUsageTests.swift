// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// Costs that must not grow with the number of partitions, and policy changes that take effect at once.
struct IndexUsageTests {
    static func store(compositeForCrossPartition: Bool) throws -> TestStore {
        let test = try TestStore(strict: false)
        let composite = compositeForCrossPartition
            ? #", "compositeIndexes": [[{"path": "/status"}, {"path": "/updatedAt", "order": "descending"}]]"# : ""
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}]"#
                + composite + "}}")))
        var ops = [BatchOperation]()
        for t in 0..<3000 {
            ops.append(BatchOperation(.create, resourceBody: .object([
                "id": .string("i\(t)"), "tenantId": .string("tenant-\(t)"),
                "status": .string(t % 10 == 0 ? "expired" : "active"),
                "updatedAt": .string("2024-01-\(String(format: "%02d", 1 + t % 28))T00:00:\(String(format: "%02d", t % 60))Z"),
            ])))
        }
        _ = try test.store.bulk(in: "c", operations: ops)
        return test
    }

    static let query = "SELECT * FROM c WHERE c.status = 'expired' ORDER BY c.updatedAt DESC"

    @Test func crossPartitionQueryWithACompositeReadsOnlyWhatItReturns() throws {
        let test = try Self.store(compositeForCrossPartition: true)
        let page = try test.store.query(in: "c", Self.query, maxItemCount: 10)
        #expect(page.items.count == 10)
        #expect(page.plan.contains("composite"))
        #expect(page.metrics.indexEntriesRead <= 11, "\(page.metrics)")
        #expect(page.metrics.documentsLoaded <= 11, "\(page.metrics)")
        let all = try queryAll(test.store, "c", Self.query, pageSize: 37)
        #expect(all.count == 300)
    }

    @Test func crossPartitionQueryWithoutCompositeStaysOnTheIndex() throws {
        let test = try Self.store(compositeForCrossPartition: false)
        let page = try test.store.query(in: "c", Self.query, maxItemCount: 10)
        #expect(page.items.count == 10)
        #expect(page.plan.contains("cross-partition range index"))
        // It walks the updatedAt index in order and filters: about 10 entries per match here, far fewer than the
        // 3,000 partitions.
        #expect(page.metrics.indexEntriesRead < 300, "\(page.metrics)")
    }

    /// A composite scan reads the components after its equality prefix straight from the key, without decoding the
    /// prefix; long equality values (stored truncated, with a digest) and ORDER BY values that a range index holds in
    /// its own way (arrays and objects, after the strings) or not at all (missing) must give the pages a range index
    /// would.
    @Test(arguments: [String(repeating: "s", count: 300), "short"])
    func compositeScanAfterAnEqualityPrefix(status: String) throws {
        let test = try TestStore(strict: false)
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
                + #""compositeIndexes": [[{"path": "/tenantId"}, {"path": "/status"}, {"path": "/updatedAt", "order": "descending"}]]}}"#)))
        var ops = [BatchOperation]()
        var expected = [(updatedAt: Double, id: String)]()
        // Descending: objects first, then arrays (each group in digest order), then the numbers, then the items
        // lacking the path (in key order), as the service returns them.
        var objects = Set<String>(), arrays = Set<String>()
        var missing = [String]()
        for i in 0..<120 {
            let id = "i\(String(format: "%03d", i))"
            let updatedAt: JSONValue? = switch i % 6 {
            case 0: nil
            case 1: .array([.number(Double(i))])
            case 2: .object(["n": .number(Double(i))])
            default: .number(Double(i % 17))
            }
            let matches = i % 4 != 3
            var document: [String: JSONValue] = ["id": .string(id), "tenantId": "t", "status": .string(matches ? status : status + "x")]
            if let updatedAt { document["updatedAt"] = updatedAt }
            ops.append(BatchOperation(.create, resourceBody: .object(JSONObject(document.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))))
            switch (matches, updatedAt) {
            case (true, .number(let n)?): expected.append((n, id))
            case (true, .array?): arrays.insert(id)
            case (true, .object?): objects.insert(id)
            case (true, nil): missing.append(id)
            default: break
            }
        }
        _ = try test.store.bulk(in: "c", operations: ops)
        let query = "SELECT * FROM c WHERE c.tenantId = 't' AND c.status = @s ORDER BY c.updatedAt DESC"
        #expect(try test.store.explain(in: "c", query, parameters: ["s": .string(status)]).contains("composite"))
        let ids = try queryAll(test.store, "c", query, parameters: ["s": .string(status)], pageSize: 7).map { document in
            guard case .string(let id)? = document["id"] else { return "?" }
            return id
        }
        expected.sort { $0.updatedAt != $1.updatedAt ? $0.updatedAt > $1.updatedAt : $0.id < $1.id }
        #expect(ids.count == objects.count + arrays.count + expected.count + missing.count)
        #expect(Set(ids.prefix(objects.count)) == objects)
        #expect(Set(ids.dropFirst(objects.count).prefix(arrays.count)) == arrays)
        #expect(Array(ids.dropFirst(objects.count + arrays.count).prefix(expected.count)) == expected.map(\.id))
        #expect(Array(ids.suffix(missing.count)) == missing)
    }

    @Test func replacingThePolicyDropsRemovedPathsAtOnceAndAddsNewOnesWhenReindexed() throws {
        let test = try TestStore()
        let store = test.store
        try store.createContainer(try ContainerDefinition(json: try json(#"{"id": "c", "partitionKey": {"paths": ["/k"]}}"#)))
        for i in 0..<20 {
            _ = try store.createItem(in: "c", document: .object(["id": .string("\(i)"), "k": "p", "a": .number(Double(i % 5)), "b": .number(Double(i))]))
        }
        #expect(try queryAll(store, "c", "SELECT VALUE c.b FROM c WHERE c.a = 3 ORDER BY c.b") == [3, 8, 13, 18])
        _ = expectStatus(400) { _ = try queryAll(store, "c", "SELECT * FROM c ORDER BY c.a, c.b DESC") }
        try store.replaceContainer(try ContainerDefinition(json: try json(#"""
            {"id": "c", "partitionKey": {"paths": ["/k"]},
             "indexingPolicy": {"includedPaths": [{"path": "/a/?"}], "excludedPaths": [{"path": "/*"}],
                                "compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}]]}}
            """#)))
        // The removed path stops being used at once; the new composite serves once the items are re-indexed.
        _ = expectStatus(400) { _ = try queryAll(store, "c", "SELECT * FROM c ORDER BY c.b") }
        let waiting = expectStatus(400) { _ = try queryAll(store, "c", "SELECT * FROM c ORDER BY c.a, c.b DESC") }
        #expect(waiting?.contains("re-indexing") == true, "\(waiting ?? "")")
        try store.finishIndexTransformations()
        #expect(try queryAll(store, "c", "SELECT VALUE c.b FROM c ORDER BY c.a, c.b DESC", pageSize: 3).prefix(4) == [15, 10, 5, 0])
        // Filters on the no-longer-indexed path still answer, by scanning.
        #expect(try queryAll(store, "c", "SELECT VALUE c.a FROM c WHERE c.b = 7") == [2])
        #expect(try store.verify().isEmpty)
    }
}
