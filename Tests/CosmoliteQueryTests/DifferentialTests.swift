// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Runs random queries over random data through the planner (indexed container) and through a plain scan of an
/// identical container without indexes, then compares: same results, and ORDER BY results in order.
struct DifferentialTests {
    static let policies = [
        #"{"includedPaths": [{"path": "/*"}], "compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}], [{"path": "/tenantId"}, {"path": "/b"}, {"path": "/a"}]]}"#,
        #"{"includedPaths": [{"path": "/a/?"}, {"path": "/b/*"}, {"path": "/n/d/?"}, {"path": "/tenantId/?"}], "excludedPaths": [{"path": "/*"}], "compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}]]}"#,
    ]

    @Test(arguments: [(7, 0), (8, 1), (99, 0), (2024, 1), (3, 1), (1234, 0), (77, 1), (5150, 0)] as [(UInt64, Int)])
    func plannerAgreesWithAScan(seed: UInt64, policy: Int) throws {
        var rng = SeededGenerator(seed: seed)
        let test = try TestStore(strict: false)
        let store = test.store
        try store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "indexed", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": "# + Self.policies[policy] + "}")))
        try store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "plain", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"indexingMode": "none"}}"#)))
        let scalars: [JSONValue?] = [nil, .null, true, false, -2, -1, 0, 1, 2.5, 3, "s0", "s1", "s2", "S1", .array([1, 2]), .object(["x": 1])]
        var ops = [BatchOperation]()
        for i in 0..<240 {
            var o: JSONObject = ["id": .string("d\(i)"), "tenantId": .string("t\(Int.random(in: 0..<4, using: &rng))")]
            if let a = scalars.randomElement(using: &rng)! { o["a"] = a }
            if Bool.random(using: &rng) { o["b"] = .string("b\(Int.random(in: 0..<4, using: &rng))") }
            if Int.random(in: 0..<3, using: &rng) > 0 { o["n"] = .object(["d": .number(Double(Int.random(in: 0..<10, using: &rng)))]) }
            o["tags"] = .array((0..<Int.random(in: 0..<3, using: &rng)).map { _ in .string("x\(Int.random(in: 0..<3, using: &rng))") })
            ops.append(BatchOperation(.create, resourceBody: .object(o)))
        }
        #expect(try store.bulk(in: "indexed", operations: ops).allSatisfy { $0.isSuccess })
        #expect(try store.bulk(in: "plain", operations: ops).allSatisfy { $0.isSuccess })

        // Each query is generated twice from the same draws: with its values written in (planned afresh, as every
        // text is new) and with them as parameters (one text serves many values, so most plans come from the plan
        // caches: a choice made at other values, or a plan made at these).
        var parameters = [String: JSONValue]()
        func parameterize(_ literal: String, _ value: JSONValue) -> (literal: String, parameter: String) {
            let name = "p\(parameters.count)"
            parameters[name] = value
            return (literal, "@" + name)
        }
        func literal() -> (literal: String, parameter: String) {
            let choices: [(String, JSONValue)] = [("-1", -1), ("0", 0), ("1", 1), ("2.5", 2.5), ("3", 3), ("'s1'", "s1"),
                                                  ("'s0'", "s0"), ("true", true), ("null", .null), ("'S1'", "S1")]
            let (text, json) = choices.randomElement(using: &rng)!
            return parameterize(text, json)
        }
        func string(_ prefix: String, _ range: Range<Int>) -> (literal: String, parameter: String) {
            let text = prefix + String(Int.random(in: range, using: &rng))
            return parameterize("'\(text)'", .string(text))
        }
        func number(_ range: Range<Int>) -> (literal: String, parameter: String) {
            let n = Int.random(in: range, using: &rng)
            return parameterize(String(n), .number(Double(n)))
        }
        func conjunct() -> (literal: String, parameter: String) {
            func form(_ values: (literal: String, parameter: String)..., text: ([String]) -> String)
                -> (literal: String, parameter: String) {
                (text(values.map(\.literal)), text(values.map(\.parameter)))
            }
            switch Int.random(in: 0..<20, using: &rng) {
            case 0: return form(literal()) { "c.a = \($0[0])" }
            case 1: return form(literal()) { "c.a > \($0[0])" }
            case 2: return form(literal()) { "c.a <= \($0[0])" }
            case 3: return form(string("b", 0..<4)) { "c.b = \($0[0])" }
            case 4: return form(string("t", 0..<4)) { "c.tenantId = \($0[0])" }
            case 5: return form(number(0..<5), number(4..<10)) { "c.n.d BETWEEN \($0[0]) AND \($0[1])" }
            case 6: return form(string("x", 0..<3)) { "ARRAY_CONTAINS(c.tags, \($0[0]))" }
            case 7: return ("IS_DEFINED(c.a)", "IS_DEFINED(c.a)")
            case 8: return form(literal()) { "(c.b = 'b1' OR c.a = \($0[0]))" }
            case 9 where Bool.random(using: &rng): return form(string("t", 0..<4)) { "c.tenantId > \($0[0])" }
            case 10: return form(string("d", 0..<24)) { "c.id >= \($0[0])" }
            case 11: return form(string("x", 0..<3)) { "EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = \($0[0]))" }
            // Prefix conditions (a key range of the strings with the prefix, the condition kept as a filter).
            case 12: return form(string("b", 0..<4)) { "STARTSWITH(c.b, \($0[0]))" }
            case 13: return form(Bool.random(using: &rng) ? parameterize("'s'", "s") : parameterize("'S'", "S")) {
                "STARTSWITH(c.a, \($0[0]))"
            }
            case 14:
                let pattern = Bool.random(using: &rng) ? "b%" : "b[12]%"
                return form(parameterize("'\(pattern)'", .string(pattern))) { "c.b LIKE \($0[0])" }
            case 15: return form(string("d", 0..<3), parameterize("'s'", "s")) {
                "STARTSWITH(c.id, \($0[0])) AND STARTSWITH(c.a, \($0[1]))"
            }
            // IN lists (one key interval per value).
            case 16: return form(string("b", 0..<4), string("b", 0..<4)) { "c.b IN (\($0[0]), \($0[1]))" }
            case 17: return form(literal(), literal(), literal()) { "c.a IN (\($0[0]), \($0[1]), \($0[2]))" }
            case 18: return form(string("t", 0..<4), string("t", 0..<4)) { "c.tenantId IN (\($0[0]), \($0[1]))" }
            case 19: return form(string("b", 0..<4), literal()) { "(c.b = \($0[0]) OR c.b = \($0[1]) OR c.b = 'b3')" }
            default: return form(string("b", 0..<4)) { "c.b != \($0[0])" }
            }
        }
        let orders: [(String, [(String, Bool)])] = [
            ("", []), ("", []), (" ORDER BY c.a", [("a", false)]), (" ORDER BY c.a DESC", [("a", true)]),
            (" ORDER BY c.b", [("b", false)]), (" ORDER BY c.n.d DESC", [("n.d", true)]),
            (" ORDER BY c.a, c.b DESC", [("a", false), ("b", true)]), (" ORDER BY c.a DESC, c.b", [("a", true), ("b", false)]),
            (" ORDER BY c.tenantId DESC", [("tenantId", true)]), (" ORDER BY c.id", [("id", false)]),
        ]
        for round in 0..<120 {
            parameters = [:]
            let conjuncts = (0..<Int.random(in: 0...3, using: &rng)).map { _ in conjunct() }
            let whereText = conjuncts.isEmpty ? "" : " WHERE " + conjuncts.map(\.literal).joined(separator: " AND ")
            let whereWithParameters = conjuncts.isEmpty ? "" : " WHERE " + conjuncts.map(\.parameter).joined(separator: " AND ")
            let (orderText, order) = orders.randomElement(using: &rng)!
            let pageSize = Int.random(in: 1...9, using: &rng)
            let key: PartitionKey? = Int.random(in: 0..<5, using: &rng) == 0 ? PartitionKey("t\(Int.random(in: 0..<4, using: &rng))") : nil
            let text = "SELECT * FROM c" + whereText + orderText
            let context = "seed \(seed) policy \(policy) round \(round): \(text) pk \(String(describing: key)) page \(pageSize)"
            let expected = try queryAll(store, "plain", "SELECT * FROM c" + whereText, partitionKey: key)
            func value(_ doc: JSONValue, _ path: String) -> JSONValue? {
                path.split(separator: ".").reduce(Optional(doc)) { $0?[String($1)] }
            }
            // An ORDER BY returns every item the WHERE selects, as the service does: those lacking the path first
            // (last when descending), arrays and objects after the strings.
            let expectedIDs = expected.compactMap { $0["id"]?.stringValue }.sorted()
            // Every ORDER BY generated here is served by the policies' indexes, so none may be refused.
            for (form, actual) in [
                ("values written in", try queryAll(store, "indexed", text, partitionKey: key, pageSize: pageSize)),
                ("parameters \(parameters)", try queryAll(store, "indexed", "SELECT * FROM c" + whereWithParameters + orderText,
                                                        parameters: parameters, partitionKey: key, pageSize: pageSize)),
            ] {
                let actualIDs = actual.compactMap { $0["id"]?.stringValue }
                #expect(actualIDs.sorted() == expectedIDs, "\(context), \(form)")
                #expect(Set(actualIDs).count == actualIDs.count, "\(context), \(form): duplicates")
                guard !order.isEmpty else { continue }
                for (x, y) in zip(actual, actual.dropFirst()) {
                    for (path, descending) in order {
                        // Arrays sort among themselves, and objects, by a digest: any order of them is right.
                        let (u, v) = (value(x, path), value(y, path))
                        let c = switch (u, v) {
                        case (.array?, .array?), (.object?, .object?): 0
                        default: OrderedEncoding.compare(u, v)
                        }
                        let adjusted = descending ? -c : c
                        if adjusted < 0 { break }
                        if adjusted > 0 {
                            Issue.record("\(context), \(form): out of order \(x["id"]!) before \(y["id"]!)")
                            break
                        }
                    }
                }
            }
        }
    }

    /// Items that exist unchanged during the whole paging appear exactly once, while others are written between
    /// pages.
    @Test func pagingUnderConcurrentWrites() throws {
        let test = try TestStore(strict: false)
        let store = test.store
        try store.createContainer(try ContainerDefinition(json: try json(#"{"id": "c", "partitionKey": {"paths": ["/k"]}}"#)))
        for i in 0..<150 {
            _ = try store.createItem(in: "c", document: .object(["id": .string("s\(i)"), "k": .string("p\(i % 3)"), "rank": .number(Double(i % 17)), "stable": true]))
        }
        for query in ["SELECT * FROM c WHERE c.stable = true ORDER BY c.rank", "SELECT * FROM c ORDER BY c.rank DESC",
                      "SELECT * FROM c WHERE c.k = 'p1'", "SELECT * FROM c"] {
            var seen = [String]()
            var token: String?
            var page = 0
            repeat {
                let result = try store.query(in: "c", query, maxItemCount: 11, continuation: token)
                seen += try result.items.map { try $0.value()["id"]?.stringValue ?? "" }
                token = result.continuation
                page += 1
                _ = try store.createItem(in: "c", document: .object(["id": .string("n\(page)-\(query.count)"), "k": .string("p\(page % 3)"), "rank": .number(Double(page % 17))]))
                if page % 2 == 0 {
                    try? store.deleteItem(in: "c", id: "n\(page - 1)-\(query.count)", partitionKey: PartitionKey("p\((page - 1) % 3)"))
                }
            } while token != nil
            let stable = seen.filter { $0.hasPrefix("s") }
            #expect(Set(stable).count == stable.count, "\(query): duplicates")
            let expectedStable = query.contains("'p1'") ? 50 : 150
            #expect(Set(stable).count == expectedStable, "\(query): every stable item once")
            #expect(Set(seen).count == seen.count, "\(query): no item twice")
        }
    }
}
