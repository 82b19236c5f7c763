// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `ARRAY_CONTAINS(c.tags, value)` with a scalar value reads the index of the array's elements (`/tags/[]`), as
/// Cosmos DB serves it, whenever the policy indexes those elements.
struct ArrayElementIndexTests {
    static func sortedIDs(_ rows: [JSONValue]) -> [String] { ids(rows).sorted() }

    /// Arrays of every shape next to values that are not arrays, so that only arrays holding the value match.
    static let tags: [JSONValue?] = [
        .array(["x", "y"]), "x", .array([.array(["x"])]), .array([.object(["k": "x"]), "x", "x"]), .array([]),
        .array([1, "1", true, .null]), .object(["0": "x"]), nil, .array([1.0, .string(String(repeating: "l", count: 300))]),
        .array([.string(String(repeating: "l", count: 300) + "!")]),
        .array([.string(String(repeating: "l", count: 300)), "y", .string(String(repeating: "l", count: 300) + "!")]),
    ]

    static func fill(_ store: Store, _ containers: [String]) throws {
        var ops = [BatchOperation]()
        for (i, tags) in Self.tags.enumerated() {
            for copy in 0..<3 {
                var document: JSONObject = ["id": .string("d\(i)-\(copy)"), "pk": .string("p\(copy)")]
                if let tags { document["tags"] = tags }
                ops.append(BatchOperation(.create, resourceBody: .object(document)))
            }
        }
        for container in containers {
            #expect(try store.bulk(in: container, operations: ops).allSatisfy { $0.isSuccess })
        }
    }

    @Test func elementIndexAnswersLikeAScan() throws {
        let test = try storeWithContainers([
            "all": indexAll,
            "elements": #"{"includedPaths": [{"path": "/tags/[]/?"}], "excludedPaths": [{"path": "/*"}]}"#,
            "excluded": #"{"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/tags/*"}]}"#,
            "plain": indexNothing,
        ])
        let store = test.store
        try Self.fill(store, ["all", "elements", "excluded", "plain"])
        let long = JSONValue.string(String(repeating: "l", count: 300))
        let queries: [(String, [String: JSONValue], PartitionKey?)] = [
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'x')", [:], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, @v)", ["v": 1], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, @v, true)", ["v": "1"], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, @v, false)", ["v": .bool(true)], PartitionKey("p1")),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, null)", [:], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, @v)", ["v": long], nil),
            ("SELECT * FROM c WHERE c.pk = 'p2' AND ARRAY_CONTAINS(c.tags, 'y')", [:], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS_ANY(c.tags, @v)", ["v": 1], nil),
            // Several values: an array holding two of them must give its item once.
            ("SELECT * FROM c WHERE ARRAY_CONTAINS_ANY(c.tags, 'x', 1, null, 'y', @v)", ["v": long], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 1) OR (ARRAY_CONTAINS(c.tags, null) OR ARRAY_CONTAINS(c.tags, true))",
             [:], PartitionKey("p2")),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS_ANY(c.tags, @v, @w)",
             ["v": long, "w": .string(long.stringValue! + "!")], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS_ALL(c.tags, 'x', 'y')", [:], nil),
            ("SELECT * FROM c WHERE ARRAY_CONTAINS_ALL(c.tags, 1, '1', true)", [:], PartitionKey("p0")),
        ]
        for (text, parameters, key) in queries {
            let expected = Self.sortedIDs(try queryAll(store, "plain", text, parameters: parameters, partitionKey: key))
            #expect(!expected.isEmpty, "\(text) \(parameters)")
            for container in ["all", "elements", "excluded"] {
                let plan = try store.explain(in: container, text, parameters: parameters, partitionKey: key)
                #expect(plan.contains("/tags/[] (array element") == (container != "excluded"), "\(container): \(plan)")
                // ARRAY_CONTAINS_ALL says more than the elements' index reads: it is also checked per item.
                if text.contains("_ALL") { #expect(plan.contains("residual filter: WHERE"), "\(container): \(plan)") }
                #expect(Self.sortedIDs(try queryAll(store, container, text, parameters: parameters, partitionKey: key, pageSize: 2))
                        == expected, "\(container): \(text) \(parameters)")
            }
        }
        // Only the matching entries are read: three copies of each of the two arrays holding "x".
        let page = try store.query(in: "all", "SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'x')", maxItemCount: 100)
        #expect(page.items.count == 6)
        #expect(page.metrics.indexEntriesRead == 6, "\(page.metrics)")
        // An object to find, or a partial match on one, is left to the filter. An OR of an array element and an
        // equality on the same path reads both indexes, a union.
        for (text, access) in [("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, {k: 'x'}, true)", "full scan"),
                               ("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'x') OR c.tags = 'x'", "union of 2")] {
            let plan = try store.explain(in: "all", text)
            #expect(plan.contains(access), "\(plan)")
            #expect(ids(try queryAll(store, "all", text)).sorted() == ids(try queryAll(store, "plain", text)).sorted())
        }
    }

    /// The elements' index is used only once a transformation that adds it is complete.
    @Test func addedElementIndexIsReadOnceBuilt() throws {
        let test = try TestStore()
        let store = test.store
        try store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/tags/*"}]}}"#)))
        try Self.fill(store, ["c"])
        let text = "SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'x')"
        #expect(!(try store.explain(in: "c", text)).contains("array element"))
        try store.replaceContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}]}}"#)))
        #expect(!(try store.explain(in: "c", text)).contains("array element"))
        #expect(try queryAll(store, "c", text).count == 6)
        try store.finishIndexTransformations()
        #expect(try store.explain(in: "c", text).contains("array element"))
        #expect(try queryAll(store, "c", text).count == 6)
    }
}
