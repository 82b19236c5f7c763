// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// Online index transformations: a replace that changes the indexing policy returns at once, the items are
/// re-indexed in steps, and meanwhile writes go on and queries answer correctly.
struct IndexTransformationTests {
    static let policies = [
        // The default: everything.
        #"{"id": "c", "partitionKey": {"paths": ["/k"]}}"#,
        // Only /a and /tags, with a composite index.
        #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}, {"path": "/tags/[]/?"}], "excludedPaths": [{"path": "/*"}], "compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}]]}}"#,
        // Everything but /a, and an indexed computed property.
        #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "computedProperties": [{"name": "cp_b", "query": "SELECT VALUE LOWER(c.b) FROM c"}], "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/cp_b/?"}], "excludedPaths": [{"path": "/a/?"}]}}"#,
        // The same computed property name with another query, and another composite.
        #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "computedProperties": [{"name": "cp_b", "query": "SELECT VALUE UPPER(c.b) FROM c"}], "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/cp_b/?"}], "compositeIndexes": [[{"path": "/b"}, {"path": "/a"}]]}}"#,
        // No index at all.
        #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "indexingPolicy": {"indexingMode": "none", "automatic": false}}"#,
    ]

    /// Queries whose answers must not depend on which indexes serve them.
    static let queries = [
        "SELECT VALUE c.id FROM c WHERE c.a = 2",
        "SELECT VALUE c.id FROM c WHERE c.a >= 3 AND c.k = 'p1'",
        "SELECT VALUE c.id FROM c WHERE c.b = 'Beta'",
        "SELECT VALUE c.id FROM c WHERE c.cp_b = 'beta' OR c.cp_b = 'GAMMA'",
        "SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(c.tags, 'red')",
        "SELECT VALUE c.id FROM c WHERE c.nested.n < 4",
        "SELECT VALUE c.id FROM c WHERE c.id = 'i7' AND c.k = 'p1'",
    ]

    static func document(_ i: Int, version: Int, using random: inout SeededGenerator) -> JSONValue {
        let names = ["Alpha", "Beta", "Gamma", "beta"]
        let tags: [JSONValue] = ["red", "blue", "green"].filter { _ in Bool.random(using: &random) }.map { .string($0) }
        var members: [(String, JSONValue)] = [
            ("id", .string("i\(i)")), ("k", .string("p\(i % 3)")),
            ("b", .string(names[Int.random(in: 0..<names.count, using: &random)])),
            ("tags", .array(tags)), ("nested", .object(["n": .number(Double(Int.random(in: 0..<8, using: &random)))])),
            ("v", .number(Double(version))),
        ]
        if Bool.random(using: &random) || version == 0 {
            members.append(("a", .number(Double(Int.random(in: 0..<5, using: &random)))))
        }
        // An item's own ttl (seconds, or -1 for never), which counts only where the container has a defaultTtl.
        if version > 0, Int.random(in: 0..<4, using: &random) == 0 {
            members.append(("ttl", .number(Bool.random(using: &random) ? -1 : 12)))
        }
        return .object(JSONObject(members))
    }

    /// `definition` (one of ``policies``) with a `defaultTtl`, or as it is for `nil`.
    static func definition(_ definition: String, defaultTtl: Int?) -> String {
        guard let defaultTtl else { return definition }
        return definition.replacingOccurrences(of: #""id": "c","#, with: #""id": "c", "defaultTtl": \#(defaultTtl),"#)
    }

    /// A container without indexes but those of `id` and `_ts` (queries on other paths scan it) with the same
    /// computed property and `defaultTtl` as `policy` defines. (Not the mode none, which takes no `defaultTtl`.)
    static func reference(for policy: String, defaultTtl: Int? = nil) -> String {
        let function = policy.contains("UPPER") ? "UPPER" : policy.contains("LOWER") ? "LOWER" : nil
        let computed = function.map {
            #", "computedProperties": [{"name": "cp_b", "query": "SELECT VALUE \#($0)(c.b) FROM c"}]"#
        } ?? ""
        let ttl = defaultTtl.map { #", "defaultTtl": \#($0)"# } ?? ""
        return #"{"id": "ref", "partitionKey": {"paths": ["/k"]}"# + computed + ttl
            + #", "indexingPolicy": {"includedPaths": [], "excludedPaths": [{"path": "/*"}]}}"#
    }

    /// A strict test store whose container `c` has `policies[policy]` and `items` random items.
    static func filled(policy: Int, items: Int, seed: UInt64) throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(policies[policy])))
        var random = SeededGenerator(seed: seed)
        for i in 0..<items { _ = try test.store.createItem(in: "c", document: document(i, version: 0, using: &random)) }
        return test
    }

    static func sortedIDs(_ store: Store, _ container: String, _ query: String) throws -> [String] {
        try queryAll(store, container, query, pageSize: 4).compactMap(\.stringValue).sorted()
    }

    /// Random writes, replaces (of the indexing policy, the `defaultTtl` or both), steps, clock moves and purges,
    /// interleaved; the store runs in strict mode, so the checker proves after every commit that each item's index
    /// and `ttl` rows follow the definition its position says. Queries are compared with a container that has no
    /// index (so always scans) and the same `defaultTtl`, so the same items expire in both.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func writesStepsAndReplacesInterleaved(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let test = try TestStore()
        let store = test.store
        try store.createContainer(try ContainerDefinition(json: try json(Self.policies[0])))
        try store.createContainer(try ContainerDefinition(json: try json(Self.reference(for: Self.policies[0]))))
        var version = 0
        /// Runs `body` on both containers; they must agree on whether the item exists (it may have expired).
        func onBoth(_ what: String, _ body: (String) throws -> Void) throws {
            var found = [Bool]()
            for container in ["c", "ref"] {
                do {
                    try body(container)
                    found.append(true)
                } catch let error as StoreError where error.code == .notFound {
                    found.append(false)
                }
            }
            #expect(found[0] == found[1], "seed \(seed): \(what) found the item in one container only")
        }
        func write(_ i: Int) throws {
            version += 1
            let document = Self.document(i, version: version, using: &random)
            for container in ["c", "ref"] { _ = try store.upsertItem(in: container, document: document) }
        }
        for i in 0..<40 { try write(i) }
        let ttls: [Int?] = [nil, -1, 20, 45]
        var current = (policy: 0, ttl: 0)
        var transformations = 0
        for round in 0..<70 {
            switch Int.random(in: 0..<12, using: &random) {
            case 0, 1:
                var next = current
                // The mode none takes no defaultTtl (index-policy.md).
                while next == current || Self.policies[next.policy].contains(#""none""#) && ttls[next.ttl] != nil {
                    next = (Int.random(in: 0..<Self.policies.count, using: &random),
                            Int.random(in: 0..<ttls.count, using: &random))
                }
                let definition = Self.definition(Self.policies[next.policy], defaultTtl: ttls[next.ttl])
                try store.replaceContainer(try ContainerDefinition(json: try json(definition)))
                let reference = Self.reference(for: Self.policies[next.policy], defaultTtl: ttls[next.ttl])
                try store.replaceContainer(try ContainerDefinition(json: try json(reference)))
                current = next
                transformations += 1
            case 2, 3:
                try store.advanceIndexTransformations(limit: Int.random(in: 1...9, using: &random))
            case 4:
                let i = Int.random(in: 0..<50, using: &random)
                try onBoth("delete i\(i)") {
                    try store.deleteItem(in: $0, id: "i\(i)", partitionKey: PartitionKey("p\(i % 3)"))
                }
            case 5:
                let i = Int.random(in: 0..<50, using: &random)
                let operations = [PatchOperation(.set, path: try JSONPointer("/b"), value: "Gamma"),
                                  PatchOperation(.incr, path: try JSONPointer("/v"), value: 1)]
                try onBoth("patch i\(i)") {
                    _ = try store.patchItem(in: $0, id: "i\(i)", partitionKey: PartitionKey("p\(i % 3)"),
                                            operations: operations)
                }
            case 6:
                test.clock.advance(by: Double(Int.random(in: 1...15, using: &random)))
            case 7:
                try store.purgeExpired(limit: Int.random(in: 1...20, using: &random))
            default:
                try write(Int.random(in: 0..<50, using: &random))
            }
            if round % 6 == 5 {
                for query in Self.queries {
                    #expect(try Self.sortedIDs(store, "c", query) == Self.sortedIDs(store, "ref", query),
                            "seed \(seed), round \(round): \(query)")
                }
            }
        }
        #expect(transformations > 0, "seed \(seed) never replaced the definition")
        try store.finishIndexTransformations(stepSize: 5)
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        for query in Self.queries {
            #expect(try Self.sortedIDs(store, "c", query) == Self.sortedIDs(store, "ref", query), "seed \(seed): \(query)")
        }
        // Every item the container shows is still stored, and once every row follows the definition, a purge
        // leaves exactly the visible items.
        try store.purgeExpired(limit: 1_000)
        let visible = try Self.sortedIDs(store, "c", "SELECT VALUE c.id FROM c")
        let statistics = try store.statistics(containers: ["c"]).containers[0]
        #expect(statistics.items == visible.count && statistics.expiredItems == 0,
                "seed \(seed): \(statistics.items) live and \(statistics.expiredItems) expired items, \(visible.count) visible")
        #expect(try store.verify().isEmpty)
    }

    @Test func progressAndPlansFollowTheSteps() throws {
        let test = try Self.filled(policy: 4, items: 30, seed: 9)
        let store = test.store
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        let query = "SELECT VALUE c.id FROM c WHERE c.a = 2"
        let expected = try Self.sortedIDs(store, "c", query)
        #expect(!expected.isEmpty)

        try store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[1])))
        #expect(try store.container("c").definition.indexingPolicy.compositeIndexes.count == 1, "the replace returned")
        #expect(try store.indexTransformationProgress(in: "c") == 0)
        #expect(try store.explain(in: "c", query).contains("scan"))
        let ordered = "SELECT VALUE c.id FROM c ORDER BY c.a, c.b DESC"
        let message = expectStatus(400) { _ = try queryAll(store, "c", ordered) }
        #expect(message?.contains("Container 'c' is re-indexing") == true, "\(message ?? "")")

        #expect(try store.advanceIndexTransformations(limit: 10))
        #expect(try store.indexTransformationProgress(in: "c") == 33)
        #expect(try Self.sortedIDs(store, "c", query) == expected)
        #expect(try store.advanceIndexTransformations(limit: 10))
        #expect(try store.indexTransformationProgress(in: "c") == 66)
        #expect(try store.explain(in: "c", query).contains("scan"))
        #expect(try !store.advanceIndexTransformations(limit: 10), "the last step completes it")
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        #expect(try store.explain(in: "c", query).contains("composite index (/a ASC, /b DESC) seek /a"))
        #expect(try Self.sortedIDs(store, "c", query) == expected)
        #expect(try queryAll(store, "c", ordered).count == 30)
        #expect(try !store.advanceIndexTransformations(), "nothing left")
    }

    @Test func removedIndexesStopServingAtOnceAndTheirRowsGoWithTheSteps() throws {
        let test = try Self.filled(policy: 1, items: 12, seed: 5)
        let store = test.store
        func rows() throws -> Int {
            try store.statistics(containers: ["c"]).containers[0].indexEntries
                .filter { ["pidx", "gidx", "cidx"].contains($0.database) }.reduce(0) { $0 + $1.entries }
        }
        #expect(try rows() > 0)
        try store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[4])))
        #expect(try !store.explain(in: "c", "SELECT * FROM c WHERE c.a = 1").contains("index"))
        _ = expectStatus(400) { _ = try queryAll(store, "c", "SELECT * FROM c ORDER BY c.a, c.b DESC") }
        try store.advanceIndexTransformations(limit: 5)
        let halfway = try rows()
        #expect(halfway > 0)
        try store.finishIndexTransformations()
        #expect(try rows() == 0)
    }

    @Test func aReplaceDuringATransformationCompletesItFirst() throws {
        let test = try Self.filled(policy: 0, items: 20, seed: 6)
        let store = test.store
        try store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[2])))
        try store.advanceIndexTransformations(limit: 7)
        try store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[3])))
        #expect(try store.indexTransformationProgress(in: "c") == 0)
        // The new property query (UPPER) is not served from the index the LOWER one built.
        #expect(try !store.explain(in: "c", "SELECT * FROM c WHERE c.cp_b = 'BETA'").contains("/cp_b"))
        try store.finishIndexTransformations()
        #expect(try store.explain(in: "c", "SELECT * FROM c WHERE c.cp_b = 'BETA'").contains("/cp_b"))
        // A replace that changes only the TTL leaves the index alone.
        try store.replaceContainer(try ContainerDefinition(json: try json(
            Self.policies[3].replacingOccurrences(of: #""id": "c","#, with: #""id": "c", "defaultTtl": 3600,"#))))
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        #expect(try store.verify().isEmpty)
    }

    @Test func anEmptyContainerHasNothingToTransform() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(Self.policies[0])))
        try test.store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[1])))
        #expect(try test.store.indexTransformationProgress(in: "c") == 100)
        #expect(try test.store.explain(in: "c", "SELECT * FROM c WHERE c.a = 1").contains("composite index (/a ASC, /b DESC) seek /a"))
    }

    @Test func aTransformationResumesAfterTheStoreIsReopened() throws {
        let directory = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = TestStore.configuration()
        do {
            let store = try Store.open(at: directory, configuration: configuration)
            try store.createContainer(try ContainerDefinition(json: try json(Self.policies[0])))
            var random = SeededGenerator(seed: 7)
            for i in 0..<10 { _ = try store.createItem(in: "c", document: Self.document(i, version: 0, using: &random)) }
            try store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[1])))
            try store.advanceIndexTransformations(limit: 4)
            #expect(try store.indexTransformationProgress(in: "c") == 40)
        }
        let store = try Store.open(at: directory, configuration: configuration)
        #expect(try store.indexTransformationProgress(in: "c") == 40)
        #expect(try store.verify().isEmpty)
        try store.finishIndexTransformations()
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        #expect(try store.explain(in: "c", "SELECT * FROM c WHERE c.a = 1").contains("composite index (/a ASC, /b DESC) seek /a"))
    }

    @Test func theBackgroundTaskCompletesIt() async throws {
        // Not strict: the checker after each of the steps would cost more than the steps.
        let test = try TestStore(strict: false, indexesInBackground: true)
        let store = test.store
        try await store.createContainer(try ContainerDefinition(json: try json(Self.policies[0])))
        var random = SeededGenerator(seed: 8)
        let operations = (0..<2_500).map { BatchOperation(.create, resourceBody: Self.document($0, version: 0, using: &random)) }
        _ = try await store.bulk(in: "c", operations: operations)
        try await store.replaceContainer(try ContainerDefinition(json: try json(Self.policies[1])))
        await store.backgroundIndexingFinished()
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        #expect(try store.explain(in: "c", "SELECT * FROM c WHERE c.a = 1").contains("composite index (/a ASC, /b DESC) seek /a"))
        #expect(try store.verify().isEmpty)
    }
}
