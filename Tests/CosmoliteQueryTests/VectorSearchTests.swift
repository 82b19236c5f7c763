// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// `VectorDistance` and `ORDER BY VectorDistance(...)`: exact scores, results most similar first, pages that
/// concatenate to the whole, and the service's refusals.
struct VectorSearchTests {
    /// Items `i0` … `i(n-1)` over partitions `p0` … `p3`, each with a 4-dimensional vector `v` of small integers
    /// (ties happen), a `kind`, and every seventh without a vector.
    static func store(items n: Int = 60, policy: String = indexAll, extra: String = "") throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(policy)\#(extra)}"#)))
        var random = SeededGenerator(seed: 0x7EC)
        for i in 0..<n {
            var item: JSONObject = ["id": .string("i\(i)"), "pk": .string("p\(i % 4)"), "kind": .string(i % 3 == 0 ? "a" : "b")]
            if i % 5 == 0 { item["w"] = .number(Double(i)) }
            if i % 7 != 3 {
                item["v"] = .array((0..<4).map { _ in .number(Double(Int.random(in: -3...3, using: &random))) })
            }
            _ = try test.store.createItem(in: "c", document: .object(item))
        }
        return test
    }

    static let query: [Double] = [1, 2, -1, 0.5]

    /// The score by the definitions, written apart from the implementation.
    static func expectedScore(_ v: [Double], _ q: [Double], _ function: String) -> Double? {
        let dot = zip(v, q).map { $0 * $1 }.reduce(0, +)
        switch function {
        case "dotproduct": return dot
        case "euclidean": return zip(v, q).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        default:
            let norms = (v.map { $0 * $0 }.reduce(0, +) * q.map { $0 * $0 }.reduce(0, +)).squareRoot()
            return norms == 0 ? nil : dot / norms
        }
    }

    /// The expected ranking of every item's `(id, score)`: most similar first, ties by id (the test's items have
    /// keys in id order within a partition, and the ranking breaks ties by entry key; the check below compares
    /// scores and the set of ids, so ties may come in any order).
    static func expected(_ store: Store, _ function: String, where filter: (JSONObject) -> Bool = { _ in true })
        throws -> [(id: String, score: Double)] {
        let items = try queryAll(store, "c", "SELECT * FROM c")
        var rows = [(id: String, score: Double)]()
        for case .object(let item) in items where filter(item) {
            guard case .array(let v)? = item["v"] else { continue }
            let vector = v.compactMap { if case .number(let n) = $0 { n } else { nil } }
            if let score = expectedScore(vector, query, function) { rows.append((item["id"]!.stringValue!, score)) }
        }
        let higherFirst = function != "euclidean"
        return rows.sorted { higherFirst ? $0.score > $1.score : $0.score < $1.score }
    }

    static func rows(_ results: [JSONValue]) -> [(id: String, score: Double)] {
        results.map { ($0["id"]!.stringValue!, $0["s"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? .nan) }
    }

    /// Same scores in the same order (to rounding), and the same items.
    static func expectSameRanking(_ got: [(id: String, score: Double)], _ want: [(id: String, score: Double)],
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        for (g, w) in zip(got, want) where abs(g.score - w.score) > 1e-12 {
            Issue.record("score \(g.score) (\(g.id)) where \(w.score) (\(w.id)) was expected", sourceLocation: sourceLocation)
            return
        }
        #expect(Set(got.map(\.id)) == Set(want.map(\.id)), sourceLocation: sourceLocation)
        #expect(Set(got.map(\.id)).count == got.count, "an item came twice", sourceLocation: sourceLocation)
    }

    @Test func scoresFollowTheDefinitions() throws {
        let test = try Self.store(items: 1)
        func value(_ call: String) throws -> JSONValue? {
            try queryAll(test.store, "c", "SELECT VALUE {r: \(call)} FROM c")[0]["r"]
        }
        #expect(try value("VectorDistance([1, 0], [0, 1])") == .number(0))
        #expect(try value("VectorDistance([1, 2, 3], [2, 4, 6])") == .number(1))
        #expect(try value("VectorDistance([1, 2], [-1, -2], false, {'distanceFunction': 'cosine'})") == .number(-1))
        #expect(try value("VectorDistance([1, 2, 3], [4, 5, 6], false, {'distanceFunction': 'dotproduct'})") == .number(32))
        #expect(try value("VECTORDISTANCE([0, 0], [3, 4], true, {distanceFunction: 'euclidean', dataType: 'float32'})")
            == .number(5))
        // No score: different lengths, nested or non-numeric elements, empty vectors, a zero vector's cosine.
        for call in ["VectorDistance([1, 2], [1, 2, 3])", "VectorDistance([[1], [2]], [[1], [2]])",
                     "VectorDistance([1, 'a'], [1, 2])", "VectorDistance([], [])", "VectorDistance([0, 0], [1, 2])",
                     "VectorDistance(c.missing, [1])", "VectorDistance('ab', 'ab')"] {
            #expect(try value(call) == nil, "\(call)")
        }
        // The zero vector has a Euclidean distance and a dot product.
        #expect(try value("VectorDistance([0, 0], [1, 2], false, {distanceFunction: 'dotproduct'})") == .number(0))
    }

    @Test(arguments: ["cosine", "dotproduct", "euclidean"])
    func orderByRanksMostSimilarFirst(function: String) throws {
        let test = try Self.store()
        let options = "{'distanceFunction': '\(function)'}"
        let text = "SELECT c.id, VectorDistance(c.v, @q, false, \(options)) AS s FROM c "
            + "ORDER BY VectorDistance(c.v, @q, false, \(options))"
        let parameters: [String: JSONValue] = ["q": .array(Self.query.map(JSONValue.number))]
        let want = try Self.expected(test.store, function)
        #expect(want.count > 40)
        for pageSize in [nil, 1, 2, 3, 7] {
            let got = Self.rows(try queryAll(test.store, "c", text, parameters: parameters, pageSize: pageSize))
            Self.expectSameRanking(got, want)
        }
        // `ORDER BY RANK` (the service's form for scoring functions) ranks the same.
        let rank = text.replacingOccurrences(of: "ORDER BY", with: "ORDER BY RANK")
        Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", rank, parameters: parameters, pageSize: 3)), want)
        // TOP and OFFSET LIMIT take the best ones, paged or not.
        let top = text.replacingOccurrences(of: "SELECT", with: "SELECT TOP 5")
        for pageSize in [nil, 2] {
            Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", top, parameters: parameters, pageSize: pageSize)),
                                   Array(want.prefix(5)))
            Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", text + " OFFSET 4 LIMIT 6",
                                                          parameters: parameters, pageSize: pageSize)),
                                   Array(want.dropFirst(4).prefix(6)))
        }
    }

    @Test func filtersAndPartitionScopeApplyBeforeRanking() throws {
        let test = try Self.store()
        let parameters: [String: JSONValue] = ["q": .array(Self.query.map(JSONValue.number))]
        let text = "SELECT TOP 4 c.id, VectorDistance(c.v, @q) AS s FROM c WHERE c.pk = 'p1' AND c.kind = 'b' "
            + "ORDER BY VectorDistance(c.v, @q)"
        let want = try Self.expected(test.store, "cosine") { $0["pk"] == "p1" && $0["kind"] == "b" }
        for pageSize in [nil, 1, 3] {
            Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", text, parameters: parameters,
                                                          pageSize: pageSize)), Array(want.prefix(4)))
        }
        let scoped = try queryAll(test.store, "c", "SELECT c.id, VectorDistance(c.v, @q) AS s FROM c "
            + "ORDER BY VectorDistance(c.v, @q)", parameters: parameters, partitionKey: PartitionKey("p2"), pageSize: 2)
        Self.expectSameRanking(Self.rows(scoped), try Self.expected(test.store, "cosine") { $0["pk"] == "p2" })
        // The plan says how it ranks.
        let plan = try test.store.explain(in: "c", text, parameters: parameters)
        #expect(plan.contains("ranked by VectorDistance (cosine, highest first)"), "\(plan)")
    }

    @Test func pagingUnderWritesReturnsUnchangedItemsOnce() throws {
        let test = try Self.store()
        let parameters: [String: JSONValue] = ["q": .array(Self.query.map(JSONValue.number))]
        let text = "SELECT c.id, VectorDistance(c.v, @q) AS s FROM c ORDER BY VectorDistance(c.v, @q)"
        let before = Set(try Self.expected(test.store, "cosine").map(\.id))
        var seen = [String]()
        var token: String?
        var round = 0
        repeat {
            let page = try test.store.query(in: "c", text, parameters: parameters, maxItemCount: 3, continuation: token)
            seen += try page.items.map { try $0.value()["id"]!.stringValue! }
            token = page.continuation
            // Between pages: a new item that ranks first, and one that ranks last, and a deletion of an unseen one.
            round += 1
            let best: JSONValue = .array(Self.query.map(JSONValue.number))
            _ = try test.store.createItem(in: "c", document: .object(["id": .string("n\(round)"), "pk": "p0", "v": best]))
            let worst: JSONValue = .array(Self.query.map { JSONValue.number(-$0) })
            _ = try test.store.createItem(in: "c", document: .object(["id": .string("w\(round)"), "pk": "p1", "v": worst]))
        } while token != nil
        #expect(Set(seen).count == seen.count, "an item came twice")
        #expect(before.isSubset(of: Set(seen)), "an unchanged item was missed")
    }

    @Test func thePathsPolicyGivesTheMeasureUnlessTheOptionsDo() throws {
        let policy = #", "vectorEmbeddingPolicy": {"vectorEmbeddings": [{"path": "/v", "dimensions": 4, "# 
            + #""distanceFunction": "euclidean"}]}"#
        let test = try Self.store(policy: #"{"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/v/*"}], "#
            + #""vectorIndexes": [{"path": "/v", "type": "flat"}]}"#, extra: policy)
        let parameters: [String: JSONValue] = ["q": .array(Self.query.map(JSONValue.number))]
        for score in ["VectorDistance(c.v, @q)", "VectorDistance(@q, c['v'])", "VectorDistance(c.v, @q, true, {})"] {
            let text = "SELECT c.id, \(score) AS s FROM c ORDER BY \(score)"
            Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", text, parameters: parameters, pageSize: 5)),
                                   try Self.expected(test.store, "euclidean"))
            #expect(try test.store.explain(in: "c", text, parameters: parameters).contains("(euclidean, lowest first)"))
        }
        // Options override the policy.
        let cosine = "VectorDistance(c.v, @q, false, {'distanceFunction': 'Cosine'})"
        Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", "SELECT c.id, \(cosine) AS s FROM c ORDER BY \(cosine)",
                                                      parameters: parameters, pageSize: 5)),
                               try Self.expected(test.store, "cosine"))
        // Another expression over the same numbers is not the path: the defaults apply.
        let other = "VectorDistance(ARRAY_SLICE(c.v, 0), @q)"
        Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", "SELECT c.id, \(other) AS s FROM c ORDER BY \(other)",
                                                      parameters: parameters)),
                               try Self.expected(test.store, "cosine"))
    }

    @Test func joinRowsAreRankedOneByOne() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}}"#)))
        _ = try test.store.createItem(in: "c", document: try json(
            #"{"id": "a", "pk": "x", "chunks": [{"n": 1, "v": [1, 0]}, {"n": 2, "v": [0, 1]}, {"n": 3, "v": [1, 1]}]}"#))
        _ = try test.store.createItem(in: "c", document: try json(
            #"{"id": "b", "pk": "x", "chunks": [{"n": 4, "v": [-1, 0]}, {"n": 5, "v": [2, 1.9]}]}"#))
        let text = "SELECT VALUE k.n FROM c JOIN k IN c.chunks ORDER BY VectorDistance(k.v, [1, 1])"
        for pageSize in [nil, 1, 2] {
            #expect(try queryAll(test.store, "c", text, pageSize: pageSize) == [3, 5, 1, 2, 4], "\(String(describing: pageSize))")
        }
    }

    @Test func distinctKeepsEachValueAtItsBestRank() throws {
        let test = try Self.store()
        let parameters: [String: JSONValue] = ["q": .array(Self.query.map(JSONValue.number))]
        // Each kind once, ranked by its best item.
        let ranking = try Self.expected(test.store, "euclidean")
        let kinds = try queryAll(test.store, "c", "SELECT VALUE c.kind FROM c WHERE IS_DEFINED(c.v)")
        var want = [JSONValue]()
        for row in ranking {
            let kind = try queryAll(test.store, "c", "SELECT VALUE c.kind FROM c WHERE c.id = @id",
                                    parameters: ["id": .string(row.id)])[0]
            if !want.contains(kind) { want.append(kind) }
        }
        #expect(Set(kinds).count == 2 && want.count == 2)
        let text = "SELECT DISTINCT VALUE c.kind FROM c ORDER BY VectorDistance(c.v, @q, false, {distanceFunction: 'euclidean'})"
        for pageSize in [nil, 1] {
            #expect(try queryAll(test.store, "c", text, parameters: parameters, pageSize: pageSize) == want)
        }
        // Whole items are all distinct.
        let items = "SELECT DISTINCT c.id, VectorDistance(c.v, @q) AS s FROM c ORDER BY VectorDistance(c.v, @q)"
        Self.expectSameRanking(Self.rows(try queryAll(test.store, "c", items, parameters: parameters, pageSize: 4)),
                               try Self.expected(test.store, "cosine"))
    }

    @Test func rankIsAWordOnlyBeforeAScoringFunction() throws {
        let test = try Self.store(items: 3)
        // An alias or property named rank keeps working.
        #expect(try queryAll(test.store, "c", "SELECT VALUE rank.id FROM rank ORDER BY rank.id") == ["i0", "i1", "i2"])
        // No item has the property: all come, as items lacking an ORDER BY path do.
        #expect(try queryAll(test.store, "c", "SELECT VALUE c.id FROM c ORDER BY c.rank").compactMap(\.stringValue).sorted()
                == ["i0", "i1", "i2"])
    }

    @Test func refusals() throws {
        let test = try Self.store(items: 3)
        let bad = [
            ("SELECT * FROM c ORDER BY VectorDistance(c.v, [1, 2, 3, 4]), c.id", "must be the only ORDER BY item"),
            ("SELECT * FROM c ORDER BY VectorDistance(c.v, [1, 2, 3, 4]) DESC",
             "Specifying a sorting order (ASC or DESC) with VectorDistance function is not supported"),
            ("SELECT * FROM c ORDER BY VectorDistance(c.v, [1, 2, 3, 4]) ASC", "(ASC or DESC)"),
            ("SELECT * FROM c ORDER BY VectorDistance(c.v, [1, 2, 3, 4], false, {distanceFunction: c.kind})",
             "must be constants"),
            ("SELECT * FROM c ORDER BY VectorDistance(c.v, [1, 2, 3, 4], false, {distanceFunction: 'manhattan'})",
             "is not a valid value for option 'distanceFunction'; use 'cosine', 'dotproduct', 'euclidean'"),
            ("SELECT VALUE VectorDistance(c.v, [1, 2, 3, 4], false, {dataType: 'float64'}) FROM c",
             "not a valid value for option 'dataType'"),
            ("SELECT VALUE VectorDistance(c.v, [1, 2, 3, 4], 'yes') FROM c", "bruteForce"),
            ("SELECT VALUE VectorDistance(c.v, [1, 2, 3, 4], true, {filterPriority: 2}) FROM c", "a number from 0 to 1"),
            ("SELECT VALUE VectorDistance(c.v, [1, 2, 3, 4], true, {metric: 'cosine'}) FROM c", "'metric' is not a valid option name for VectorDistance"),
            ("SELECT VALUE VectorDistance(c.v, [1, 2, 3, 4], true, 'cosine') FROM c", "must be an object"),
            ("SELECT VALUE VectorDistance(c.v) FROM c", "takes 2 to 4 arguments"),
            ("SELECT * FROM c ORDER BY RANK VectorDistance(c.v, [1, 2, 3, 4]) * 2",
             "line 1, column 31: The ORDER BY RANK clause must be followed by a VectorDistance and/or a FullTextScore "
                + "function call"),
            ("SELECT * FROM c ORDER BY RANK VectorDistance(c.v, [1, 2, 3, 4]) DESC", "(ASC or DESC)"),
            ("SELECT * FROM c ORDER BY RANK VectorDistance(c.v, [1, 2, 3, 4]), c.id", "takes one scoring function"),
        ]
        for (text, message) in bad {
            let got = expectStatus(400) { _ = try queryAll(test.store, "c", text) }
            #expect(got?.contains(message) == true, "\(text): \(got ?? "")")
        }
    }

    /// The embedding policy of `/v` (4 dimensions, cosine) as a container-definition suffix.
    static let embedding = #", "vectorEmbeddingPolicy": {"vectorEmbeddings": [{"path": "/v", "dimensions": 4}]}"#
    /// A policy with a flat vector index on `/v`.
    static let vectorIndexed = #"{"includedPaths": [{"path": "/*"}], "vectorIndexes": [{"path": "/v", "type": "flat"}]}"#

    @Test func aVectorIndexServesTheSameRankingWithoutReadingEveryItem() throws {
        let indexed = try Self.store(policy: Self.vectorIndexed, extra: Self.embedding)
        let plain = try Self.store(extra: Self.embedding)
        let parameters: [String: JSONValue] = ["q": .array(Self.query.map(JSONValue.number))]
        var queries = [String]()
        for function in ["cosine", "dotproduct", "euclidean"] {
            let score = "VectorDistance(c.v, @q, false, {distanceFunction: '\(function)'})"
            queries += [
                "SELECT c.id, \(score) AS s FROM c ORDER BY \(score)",
                "SELECT TOP 7 c.id, \(score) AS s FROM c WHERE c.kind = 'b' ORDER BY \(score)",
                "SELECT c.id, \(score) AS s FROM c WHERE c.pk = 'p3' ORDER BY \(score) OFFSET 2 LIMIT 5",
                "SELECT VALUE c.id FROM c WHERE c.pk IN ('p1', 'p2') AND c.kind != 'a' ORDER BY \(score)",
                // Most rows project to undefined: a page may hold none of them and still be followed by more.
                "SELECT VALUE c.w FROM c ORDER BY \(score)",
                "SELECT TOP 3 VALUE c.w FROM c ORDER BY \(score)",
                // Aggregates count every item, with a vector or not: they read the items.
                "SELECT COUNT(1) AS n FROM c ORDER BY \(score)",
            ]
        }
        for text in queries {
            let plan = try indexed.store.explain(in: "c", text, parameters: parameters)
            #expect(plan.contains("vector index /v") == !text.contains("COUNT"), "\(text): \(plan)")
            #expect(!(try plain.store.explain(in: "c", text, parameters: parameters)).contains("vector index"))
            let want = try queryAll(plain.store, "c", text, parameters: parameters)
            #expect(!want.isEmpty)
            for pageSize in [nil, 1, 2, 3, 7] {
                #expect(try queryAll(indexed.store, "c", text, parameters: parameters, pageSize: pageSize) == want,
                        "\(text), pages of \(String(describing: pageSize))")
            }
        }
        // With a partition key, only that partition's rows are read.
        let scoped = try indexed.store.query(in: "c", "SELECT TOP 3 * FROM c ORDER BY VectorDistance(c.v, @q)",
                                             parameters: parameters, partitionKey: PartitionKey("p2"))
        #expect(scoped.items.count == 3)
        #expect(scoped.metrics.documentsLoaded == 3)
        #expect(scoped.metrics.indexEntriesRead < 20)
        // The first page of the whole container reads the three best items only.
        let top = try indexed.store.query(in: "c", "SELECT TOP 3 c.id FROM c ORDER BY VectorDistance(c.v, @q)",
                                          parameters: parameters)
        #expect(top.metrics.documentsLoaded == 3)
        // Another path, a JOIN or DISTINCT read the items.
        for text in ["SELECT VALUE c.id FROM c ORDER BY VectorDistance(c.w, @q)",
                     "SELECT DISTINCT VALUE c.kind FROM c ORDER BY VectorDistance(c.v, @q)",
                     "SELECT VALUE t FROM c JOIN t IN c.tags ORDER BY VectorDistance(c.v, @q)",
                     "SELECT VALUE c.id FROM c ORDER BY VectorDistance(c.v, [c.v[0], 1, 2, 3])"] {
            #expect(!(try indexed.store.explain(in: "c", text, parameters: parameters)).contains("vector index"), "\(text)")
        }
    }

    @Test func aCachedPlanChoiceFollowsWhetherTheConstantIsAVector() throws {
        let test = try Self.store(items: 20, policy: Self.vectorIndexed, extra: Self.embedding)
        let text = "SELECT VALUE c.id FROM c WHERE c.kind = 'b' ORDER BY VectorDistance(c.v, @q)"
        // Not a vector: no item has a score, and the plan reads the items; then a vector: the index serves.
        let first = try test.store.query(in: "c", text, parameters: ["q": "not a vector"])
        #expect(first.items.isEmpty && !first.plan.contains("vector index"), "\(first.plan)")
        let second = try test.store.query(in: "c", text, parameters: ["q": [1, 0, 0, 0]])
        #expect(!second.items.isEmpty && second.plan.contains("vector index /v"), "\(second.plan)")
    }

    @Test func vectorRowsFollowEveryWrite() throws {
        // Strict mode checks every vector row against its item after each commit.
        let test = try Self.store(items: 12, policy: Self.vectorIndexed, extra: Self.embedding)
        let store = test.store
        _ = try store.replaceItem(in: "c", id: "i0", partitionKey: PartitionKey("p0"),
                                  document: try json(#"{"id": "i0", "pk": "p0", "v": [9, 9, 9, 9]}"#))
        _ = try store.patchItem(in: "c", id: "i1", partitionKey: PartitionKey("p1"),
                                operations: [PatchOperation(.set, path: try JSONPointer("/v/2"), value: 7)])
        _ = try store.patchItem(in: "c", id: "i2", partitionKey: PartitionKey("p2"),
                                operations: [PatchOperation(.set, path: try JSONPointer("/v"), value: "not a vector")])
        _ = try store.patchItem(in: "c", id: "i3", partitionKey: PartitionKey("p3"),
                                operations: [PatchOperation(.add, path: try JSONPointer("/v"), value: [1, 0, 0, 0])])
        try store.deleteItem(in: "c", id: "i4", partitionKey: PartitionKey("p0"))
        _ = try store.upsertItem(in: "c", document: try json(#"{"id": "n", "pk": "p1", "v": [0.5, -0.25, 1e-3, 2]}"#))
        #expect(try store.verify().isEmpty)
        let plain = try Self.store(items: 0, extra: Self.embedding)
        for case .object(let item) in try queryAll(store, "c", "SELECT * FROM c") {
            var copy = item
            for key in ["_rid", "_self", "_etag", "_attachments", "_ts"] { copy[key] = nil }
            _ = try plain.store.createItem(in: "c", document: .object(copy))
        }
        let parameters: [String: JSONValue] = ["q": [1, 1, 1, 1]]
        let text = "SELECT c.id, VectorDistance(c.v, @q) AS s FROM c ORDER BY VectorDistance(c.v, @q)"
        let got = try queryAll(store, "c", text, parameters: parameters, pageSize: 2)
        #expect(got == (try queryAll(plain.store, "c", text, parameters: parameters)))
        #expect(got.first?["id"] == "i0" && !got.contains { $0["id"] == "i2" || $0["id"] == "i4" })
    }

    @Test func hierarchicalPartitionKeyPrefixesScopeTheRows() throws {
        var stores = [TestStore]()
        for policy in [Self.vectorIndexed, indexAll] {
            let test = try TestStore()
            try test.store.createContainer(try ContainerDefinition(json: try json(
                #"{"id": "c", "partitionKey": {"paths": ["/a", "/b"], "kind": "MultiHash", "version": 2}, "#
                    + #""indexingPolicy": "# + policy + Self.embedding + "}")))
            for i in 0..<48 {
                _ = try test.store.createItem(in: "c", document: .object([
                    "id": .string("i\(i)"), "a": .string("a\(i % 3)"), "b": .string("b\(i % 4)"),
                    "v": [.number(Double(i % 7)), .number(Double(i % 5)), 1, .number(Double(i % 2))]]))
            }
            stores.append(test)
        }
        let parameters: [String: JSONValue] = ["q": [1, 0, 2, 1]]
        let score = "VectorDistance(c.v, @q)"
        for (text, key) in [("SELECT VALUE c.id FROM c WHERE c.a = 'a1' ORDER BY \(score)", nil),
                            ("SELECT VALUE c.id FROM c WHERE c.a = 'a2' AND c.b = 'b1' ORDER BY \(score)", nil),
                            ("SELECT VALUE c.id FROM c ORDER BY \(score)", PartitionKey(["a0", "b2"]))] as [(String, PartitionKey?)] {
            #expect(try stores[0].store.explain(in: "c", text, parameters: parameters, partitionKey: key)
                .contains("vector index /v of the partition"), "\(text)")
            let want = try queryAll(stores[1].store, "c", text, parameters: parameters, partitionKey: key)
            #expect(!want.isEmpty)
            #expect(try queryAll(stores[0].store, "c", text, parameters: parameters, partitionKey: key, pageSize: 3) == want,
                    "\(text) \(String(describing: key))")
        }
    }

    @Test func negativeZeroIsStoredAsZero() throws {
        // JSON keeps no negative zero (a stored -0 reads back as 0): the row holds what the item holds, which
        // strict mode checks after the commit.
        let test = try Self.store(items: 0, policy: Self.vectorIndexed, extra: Self.embedding)
        _ = try test.store.createItem(in: "c", json: Array(#"{"id": "z", "pk": "p", "x": -0.0, "v": [-0.0, 1, -0, 2]}"#.utf8))
        #expect(try test.store.verify().isEmpty)
        let rows = try queryAll(test.store, "c", "SELECT VALUE VectorDistance(c.v, [0, 1, 0, 2]) FROM c ORDER BY VectorDistance(c.v, [0, 1, 0, 2])")
        #expect(rows == [1])
    }

    @Test func anAddedVectorIndexServesOnceItsRowsAreBuilt() throws {
        let test = try TestStore(indexesInBackground: false)
        let definition = #"{"id": "c", "partitionKey": {"paths": ["/pk"]}"# + Self.embedding
        try test.store.createContainer(try ContainerDefinition(json: try json(definition + "}")))
        for i in 0..<40 {
            _ = try test.store.createItem(in: "c", document: .object(
                ["id": .string("i\(i)"), "pk": .string("p\(i % 3)"), "v": [.number(Double(i % 5)), 1, 0, .number(Double(i))]]))
        }
        let parameters: [String: JSONValue] = ["q": [1, 2, 3, 4]]
        let text = "SELECT VALUE c.id FROM c ORDER BY VectorDistance(c.v, @q)"
        let want = try queryAll(test.store, "c", text, parameters: parameters)
        try test.store.replaceContainer(try ContainerDefinition(json: try json(
            definition + #", "indexingPolicy": "# + Self.vectorIndexed + "}")))
        // Re-indexing: the index does not serve yet, and answers stay the same.
        #expect(try test.store.indexTransformationProgress(in: "c") < 100)
        #expect(!(try test.store.explain(in: "c", text, parameters: parameters)).contains("vector index"))
        _ = try test.store.advanceIndexTransformations(limit: 15)
        #expect(try queryAll(test.store, "c", text, parameters: parameters, pageSize: 4) == want)
        try test.store.finishIndexTransformations()
        #expect(try test.store.explain(in: "c", text, parameters: parameters).contains("vector index /v"))
        #expect(try queryAll(test.store, "c", text, parameters: parameters, pageSize: 4) == want)
        // Removing it removes its rows (strict mode checks that none is left).
        try test.store.replaceContainer(try ContainerDefinition(json: try json(definition + "}")))
        try test.store.finishIndexTransformations()
        #expect(try test.store.verify().isEmpty)
        #expect(try queryAll(test.store, "c", text, parameters: parameters) == want)
    }
}
