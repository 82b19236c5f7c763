// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Computed properties (`computedProperties` in a container definition), as Cosmos DB defines them: derived from
/// each item by a query, read by queries like top-level properties, left out of `SELECT *`, and indexed only where
/// the indexing policy names them. Every store here runs in strict mode, so the consistency checker recomputes the
/// index terms (computed values included) after every commit.
struct ComputedPropertyTests {
    static let computed = #"""
        [{"name": "cp_lowerName", "query": "SELECT VALUE LOWER(c.name) FROM c"},
         {"name": "cp_discount", "query": "SELECT VALUE c.price * 0.2 FROM root c"},
         {"name": "cp_tags", "query": "SELECT VALUE [c.category, LOWER(c.name)] FROM c"}]
        """#

    /// A container whose policy indexes `/*` only (which does not cover computed properties), or also names them.
    static func definition(_ id: String, indexed: Bool) -> String {
        let extra = indexed
            ? #", {"path": "/cp_lowerName/?"}, {"path": "/cp_discount/?"}, {"path": "/cp_tags/[]/?"}"#
            : ""
        let composites = indexed ? #", "compositeIndexes": [[{"path": "/category"}, {"path": "/cp_lowerName"}]]"# : ""
        return #"{"id": "\#(id)", "partitionKey": {"paths": ["/category"]}, "computedProperties": \#(computed), "#
            + #""indexingPolicy": {"includedPaths": [{"path": "/*"}\#(extra)]\#(composites)}}"#
    }

    static let documents = [
        #"{"id": "1", "category": "bikes", "name": "Touring BLUE", "price": 100}"#,
        #"{"id": "2", "category": "bikes", "name": "road red", "price": 300, "cp_lowerName": "persisted"}"#,
        #"{"id": "3", "category": "helmets", "name": "Aero", "price": 50}"#,
        #"{"id": "4", "category": "helmets", "name": "aero", "price": 40}"#,
        #"{"id": "5", "category": "bikes", "price": 75}"#,
        #"{"id": "6", "category": "locks", "name": "U-Lock", "price": "n/a"}"#,
    ]

    func fixture() throws -> TestStore {
        let test = try TestStore()
        for (id, indexed) in [("plain", false), ("indexed", true)] {
            try test.store.createContainer(try ContainerDefinition(json: try json(Self.definition(id, indexed: indexed))))
            for d in Self.documents { _ = try test.store.createItem(in: id, json: Array(d.utf8)) }
        }
        return test
    }

    func ids(_ values: [JSONValue]) -> [String] { values.compactMap { $0["id"]?.stringValue ?? $0.stringValue } }

    @Test func queriesReadThemLikePersistedProperties() throws {
        let store = try fixture().store
        for container in ["plain", "indexed"] {
            let rows = try queryAll(store, container,
                                    "SELECT c.id, c.cp_lowerName, c.cp_discount FROM c WHERE c.category = 'bikes'")
            #expect(Set(rows) == Set([
                try json(#"{"id": "1", "cp_lowerName": "touring blue", "cp_discount": 20}"#),
                // The computed value hides the persisted property of the same name.
                try json(#"{"id": "2", "cp_lowerName": "road red", "cp_discount": 60}"#),
                // LOWER of an undefined name is undefined: left out, as a missing persisted property would be.
                try json(#"{"id": "5", "cp_discount": 15}"#),
            ]), "\(container)")
            // Any alias, brackets and parameters reach them too.
            #expect(ids(try queryAll(store, container, #"SELECT VALUE r.id FROM root r WHERE r["cp_lowerName"] = 'aero'"#))
                        .sorted() == ["3", "4"])
            #expect(ids(try queryAll(store, container, "SELECT VALUE x.id FROM x WHERE x[@p] < 12",
                                     parameters: ["p": "cp_discount"])).sorted() == ["3", "4"])
            #expect(ids(try queryAll(store, container,
                                     "SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(c.cp_tags, 'helmets')")).sorted()
                        == ["3", "4"])
            #expect(try queryAll(store, container, "SELECT VALUE t FROM t IN c.cp_tags WHERE t = 'u-lock'")
                        == ["u-lock"])
        }
    }

    @Test func wildcardProjectionsLeaveThemOut() throws {
        let store = try fixture().store
        let star = try queryAll(store, "indexed", "SELECT * FROM c WHERE c.id = '2'")
        #expect(star.count == 1)
        #expect(star.first?["cp_lowerName"] == "persisted", "SELECT * returns the stored item, persisted name included")
        #expect(star.first?["cp_discount"] == nil)
        let whole = try queryAll(store, "indexed", "SELECT VALUE c FROM c WHERE c.id = '1'")
        #expect(whole.first?["cp_lowerName"] == nil)
        #expect(whole.first?["name"] == "Touring BLUE")
    }

    @Test func theIndexServesThemOnlyWhereThePolicyNamesThem() throws {
        let store = try fixture().store
        let equality = "SELECT VALUE c.id FROM c WHERE c.cp_lowerName = 'aero'"
        #expect(try store.explain(in: "indexed", equality).contains("range index /cp_lowerName"))
        #expect(!(try store.explain(in: "plain", equality).contains("/cp_lowerName")), "the root /* does not cover them")

        // ORDER BY needs the range index, as for any path.
        let message = expectStatus(400) { _ = try queryAll(store, "plain", "SELECT * FROM c ORDER BY c.cp_discount") }
        #expect(message?.contains("/cp_discount") == true, "\(message ?? "")")
        let ordered = try queryAll(store, "indexed", "SELECT VALUE c.id FROM c ORDER BY c.cp_discount DESC", pageSize: 2)
        #expect(ids(ordered) == ["2", "1", "5", "3", "4", "6"], "an undefined value sorts lowest, as a missing property's")
        let composite = try queryAll(store, "indexed",
                                     "SELECT VALUE c.id FROM c ORDER BY c.category, c.cp_lowerName", pageSize: 1)
        #expect(ids(composite) == ["5", "2", "1", "3", "4", "6"])

        // Index and scan agree, page by page.
        for query in [
            "SELECT VALUE c.id FROM c WHERE c.cp_lowerName >= 'r'",
            "SELECT VALUE c.id FROM c WHERE c.cp_discount BETWEEN 10 AND 20",
            "SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(c.cp_tags, 'aero')",
            "SELECT VALUE c.id FROM c WHERE c.cp_lowerName IN ('aero', 'road red') AND c.category = 'helmets'",
            "SELECT VALUE COUNT(1) FROM c WHERE IS_DEFINED(c.cp_lowerName)",
            "SELECT c.cp_lowerName, COUNT(1) AS n FROM c GROUP BY c.cp_lowerName",
        ] {
            let pageSize = query.contains("COUNT") ? nil : 2  // aggregates cannot be continued
            let scanned = try queryAll(store, "plain", query, pageSize: pageSize)
            let indexed = try queryAll(store, "indexed", query, pageSize: pageSize)
            #expect(Set(scanned) == Set(indexed) && scanned.count == indexed.count, "\(query)")
            #expect(!scanned.isEmpty, "\(query)")
        }
    }

    @Test func writesKeepTheirIndexTermsCurrent() throws {
        let store = try fixture().store
        let key = PartitionKey("helmets")
        let byName = "SELECT VALUE c.id FROM c WHERE c.cp_lowerName = @n"
        _ = try store.patchItem(in: "indexed", id: "3", partitionKey: key,
                                operations: [PatchOperation(.set, path: try JSONPointer("/name"), value: "Kask")])
        #expect(ids(try queryAll(store, "indexed", byName, parameters: ["n": "aero"])) == ["4"])
        #expect(ids(try queryAll(store, "indexed", byName, parameters: ["n": "kask"])) == ["3"])
        _ = try store.replaceItem(in: "indexed", id: "4", partitionKey: key,
                                  json: Array(#"{"id": "4", "category": "helmets", "price": 40}"#.utf8))
        #expect(ids(try queryAll(store, "indexed", byName, parameters: ["n": "aero"])).isEmpty)
        try store.deleteItem(in: "indexed", id: "3", partitionKey: key)
        #expect(ids(try queryAll(store, "indexed", byName, parameters: ["n": "kask"])).isEmpty)
        // A persisted property with a computed property's name is never indexed or read by queries.
        _ = try store.upsertItem(in: "indexed", json: Array(
            #"{"id": "7", "category": "locks", "name": "Chain", "cp_lowerName": "aero"}"#.utf8))
        #expect(ids(try queryAll(store, "indexed", byName, parameters: ["n": "aero"])).isEmpty)
    }

    @Test func replacingTheDefinitionReindexes() throws {
        let test = try TestStore()
        let store = test.store
        let base = #"{"id": "p", "partitionKey": {"paths": ["/category"]}"#
        try store.createContainer(try ContainerDefinition(json: try json(base + "}")))
        for d in Self.documents { _ = try store.createItem(in: "p", json: Array(d.utf8)) }
        let withIndex = base + #", "computedProperties": [{"name": "cp_len", "query": "SELECT VALUE LENGTH(c.name) FROM c"}], "#
            + #""indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/cp_len/?"}]}}"#
        try store.replaceContainer(try ContainerDefinition(json: try json(withIndex)))
        // Until the items are re-indexed, filters on the new property scan.
        #expect(ids(try queryAll(store, "p", "SELECT VALUE c.id FROM c WHERE c.cp_len = 4")).sorted() == ["3", "4"])
        #expect(!(try store.explain(in: "p", "SELECT VALUE c.id FROM c WHERE c.cp_len = 4").contains("/cp_len")))
        try store.finishIndexTransformations()
        let query = "SELECT VALUE c.id FROM c WHERE c.cp_len = 4 ORDER BY c.cp_len"
        #expect(try store.explain(in: "p", query).contains("/cp_len"))
        #expect(ids(try queryAll(store, "p", query)).sorted() == ["3", "4"])

        // Cosmos's rule: an indexed computed property leaves the indexing policy before it is removed.
        let dropped = base + #", "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/cp_len/?"}]}}"#
        let message = expectStatus(400) { try store.replaceContainer(try ContainerDefinition(json: try json(dropped))) }
        #expect(message?.contains("remove its paths from the policy first") == true, "\(message ?? "")")
        #expect(try store.container("p").definition.computedProperties.map(\.name) == ["cp_len"], "nothing changed")
        try store.replaceContainer(try ContainerDefinition(json: try json(base + "}")))
        #expect(try queryAll(store, "p", "SELECT VALUE c.cp_len FROM c").isEmpty)
    }

    @Test func aSubqueryThatRebindsTheAliasReadsItsOwnValues() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "s", "partitionKey": {"paths": ["/k"]}, "computedProperties": [{"name": "cp", "query": "SELECT VALUE 'computed' FROM c"}]}"#)))
        _ = try test.store.createItem(in: "s", json: Array(#"{"id": "1", "k": "a", "items": [{"cp": "inner"}]}"#.utf8))
        #expect(try queryAll(test.store, "s", "SELECT VALUE c.cp FROM c") == ["computed"])
        #expect(try queryAll(test.store, "s", "SELECT VALUE ARRAY(SELECT VALUE c.cp FROM c IN c.items) FROM c")
                    == [try json(#"["inner"]"#)])
        #expect(try queryAll(test.store, "s", "SELECT VALUE ARRAY(SELECT VALUE c.cp FROM i IN c.items) FROM c")
                    == [try json(#"["computed"]"#)])
    }

    @Test func anEvaluationErrorIsUndefinedNotAFailedWrite() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "e", "partitionKey": {"paths": ["/k"]}, "computedProperties": [{"name": "cp_like", "query": "SELECT VALUE c.name LIKE 'a%' ESCAPE c.esc FROM c"}], "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/cp_like/?"}]}}"#)))
        _ = try test.store.createItem(in: "e", json: Array(#"{"id": "1", "k": "a", "name": "ab", "esc": "!"}"#.utf8))
        _ = try test.store.createItem(in: "e", json: Array(#"{"id": "2", "k": "a", "name": "ab", "esc": "two"}"#.utf8))
        #expect(try queryAll(test.store, "e", "SELECT VALUE c.cp_like FROM c") == [true])
        // The same expression written in a query is a 400 that says what to fix.
        let message = expectStatus(400) {
            _ = try queryAll(test.store, "e", "SELECT VALUE c.name LIKE 'a%' ESCAPE c.esc FROM c")
        }
        #expect(message?.contains("ESCAPE") == true, "\(message ?? "")")
    }

    @Test(arguments: [
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM c WHERE c.y"}]"#, "WHERE is not allowed"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM c JOIN t IN c.tags"}]"#, "JOIN is not allowed"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM c ORDER BY c.x"}]"#, "ORDER BY is not allowed"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM c GROUP BY c.x"}]"#, "GROUP BY is not allowed"),
        (#"[{"name": "a", "query": "SELECT TOP 1 VALUE c.x FROM c"}]"#, "TOP is not allowed"),
        (#"[{"name": "a", "query": "SELECT DISTINCT VALUE c.x FROM c"}]"#, "DISTINCT is not allowed"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM c OFFSET 0 LIMIT 1"}]"#, "OFFSET LIMIT is not allowed"),
        (#"[{"name": "a", "query": "SELECT c.x FROM c"}]"#, "SELECT VALUE"),
        (#"[{"name": "a", "query": "SELECT VALUE x FROM x IN c.tags"}]"#, "FROM c"),
        (#"[{"name": "a", "query": "SELECT VALUE EXISTS(SELECT VALUE t FROM t IN c.tags) FROM c"}]"#, "subquery"),
        (#"[{"name": "a", "query": "SELECT VALUE (SELECT VALUE 1) FROM c"}]"#, "subquery"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x + @p FROM c"}]"#, "parameter"),
        (#"[{"name": "a", "query": "SELECT VALUE COUNT(1) FROM c"}]"#, "aggregate"),
        (#"[{"name": "a", "query": "SELECT VALUE GetCurrentTimestamp() - c._ts FROM c"}]"#, "when it is computed"),
        (#"[{"name": "a", "query": "SELECT VALUE ST_DISTANCE(c.loc, c.home) FROM c"}]"#, "spatial function ST_DISTANCE"),
        (#"[{"name": "a", "query": "SELECT VALUE d.x FROM c"}]"#, "only the FROM alias"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM"}]"#, "line 1"),
        (#"[{"name": "a", "query": "SELECT VALUE NOPE(c.x) FROM c"}]"#, "NOPE"),
        (#"[{"name": "a", "query": "SELECT VALUE c.x FROM c"}, {"name": "b", "query": "SELECT VALUE c.a + 1 FROM c"}]"#,
         "another computed property ('a')"),
        (#"[{"name": "id", "query": "SELECT VALUE c.x FROM c"}]"#, "system property"),
        (#"[{"name": "_ts", "query": "SELECT VALUE c.x FROM c"}]"#, "system property"),
        (#"[{"name": "k", "query": "SELECT VALUE c.x FROM c"}]"#, "partition key"),
        (#"[{"name": "a", "query": "SELECT VALUE 1 FROM c"}, {"name": "a", "query": "SELECT VALUE 2 FROM c"}]"#,
         "defined twice"),
        (#"[{"name": "a"}]"#, "computedProperties[0].query: required"),
        (#"[{"name": "a", "query": "SELECT VALUE 1 FROM c", "indexed": true}]"#, "unknown property 'indexed'"),
        (#"{"name": "a"}"#, "must be an array"),
    ])
    func badDefinitionsAreRefused(computed: String, expected: String) throws {
        let text = #"{"id": "x", "partitionKey": {"paths": ["/k"]}, "computedProperties": \#(computed)}"#
        let message = expectStatus(400) { _ = try ContainerDefinition(json: try json(text)) }
        #expect(message?.contains(expected) == true, "\(message ?? "")")
    }

    @Test func atMostTwentyPerContainer() throws {
        func definition(_ count: Int) throws -> ContainerDefinition {
            let list = (0..<count).map { #"{"name": "cp\#($0)", "query": "SELECT VALUE \#($0) FROM c"}"# }
            return try ContainerDefinition(json: try json(
                #"{"id": "x", "partitionKey": {"paths": ["/k"]}, "computedProperties": [\#(list.joined(separator: ","))]}"#))
        }
        #expect(try definition(20).computedProperties.count == 20)
        let message = expectStatus(400) { _ = try definition(21) }
        #expect(message?.contains("at most 20") == true, "\(message ?? "")")
    }

    @Test func theDefinitionRoundTrips() throws {
        let definition = try ContainerDefinition(json: try json(Self.definition("r", indexed: true)))
        #expect(try ContainerDefinition(json: definition.json) == definition)
        guard case .array(let listed)? = definition.json["computedProperties"] else {
            Issue.record("computedProperties is missing from the JSON form")
            return
        }
        #expect(listed.map { $0["name"] } == ["cp_lowerName", "cp_discount", "cp_tags"])
        let test = try TestStore()
        try test.store.createContainer(definition)
        #expect(try test.store.container("r").definition.computedProperties == definition.computedProperties)
    }
}
