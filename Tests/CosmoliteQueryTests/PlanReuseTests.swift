// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
@testable import CosmoliteQuery
import CosmoliteSQL
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// A plan made for a query at some parameter values is reused at others (the plan caches). Whatever the values,
/// the query must run with the plan that planning it afresh at those values gives: where a value's type or length
/// changes which index is best, the reused choice must not carry over.
struct PlanReuseTests {
    static let definition = #"""
        {"id": "c", "partitionKey": {"paths": ["/tenantId"]},
         "indexingPolicy": {"includedPaths": [{"path": "/*"}],
                            "compositeIndexes": [[{"path": "/a"}, {"path": "/b"}],
                                                 [{"path": "/tenantId"}, {"path": "/status"}, {"path": "/updatedAt", "order": "descending"}]]}}
        """#

    static func store() throws -> TestStore {
        let test = try TestStore(strict: false)
        try test.store.createContainer(try ContainerDefinition(json: try json(definition)))
        var ops = [BatchOperation]()
        for i in 0..<60 {
            ops.append(BatchOperation(.create, resourceBody: .object([
                "id": .string("i\(i)"), "tenantId": .string("t\(i % 3)"), "a": i % 4 == 0 ? .number(Double(i)) : .string("v\(i)"),
                "b": .number(Double(i % 7)), "status": .string(i % 2 == 0 ? "on" : "off"),
                "updatedAt": .string("2024-01-\(10 + i % 20)"),
            ])))
        }
        #expect(try test.store.bulk(in: "c", operations: ops).allSatisfy { $0.isSuccess })
        return test
    }

    static let long = JSONValue.string(String(repeating: "v", count: 300))

    /// Queries, and parameter values that give them different plans (types that are not index-usable, strings
    /// too long to keep whole in a key, partition keys given or derived).
    static let cases: [(text: String, values: [[String: JSONValue]], partitionKeys: [PartitionKey?])] = [
        ("SELECT * FROM c WHERE c.a > @v", [["v": "v1"], ["v": long], ["v": 5], ["v": .array([1])], ["v": .null], ["v": "v3"]], [nil]),
        ("SELECT * FROM c WHERE c.a >= @lo AND c.a < @hi",
         [["lo": "v1", "hi": "v5"], ["lo": 1, "hi": "v5"], ["lo": long, "hi": long], ["lo": 1, "hi": 30],
          ["lo": "v2", "hi": "v9"]], [nil]),
        ("SELECT * FROM c WHERE c.tenantId = @t AND c.id = @id",
         [["t": "t1", "id": "i4"], ["t": "t1", "id": 4], ["t": 1, "id": "i4"], ["t": "t2", "id": "i5"]], [nil, PartitionKey("t1")]),
        ("SELECT * FROM c WHERE c.tenantId = @t AND c.status = @s ORDER BY c.updatedAt DESC",
         [["t": "t1", "s": "on"], ["t": "t1", "s": true], ["t": .object(["x": 1]), "s": "on"], ["t": long, "s": long],
          ["t": "t2", "s": "off"]],
         [nil, PartitionKey("t0")]),
        ("SELECT * FROM c WHERE c[@p] = @v ORDER BY c.b",
         [["p": "b", "v": 3], ["p": "a", "v": 3], ["p": "status", "v": "on"], ["p": 1, "v": 3], ["p": "b", "v": 5]], [nil]),
        ("SELECT * FROM c WHERE STARTSWITH(c.a, @p)", [["p": "v1"], ["p": long], ["p": 5], ["p": "v2"]], [nil, PartitionKey("t1")]),
        ("SELECT * FROM c WHERE c.tenantId = @t AND c.a LIKE @p",
         [["t": "t1", "p": "v1%"], ["t": "t1", "p": "v_%"], ["t": "t2", "p": .string(long.stringValue! + "%")], ["t": "t0", "p": "v2%"],
          ["t": "t1", "p": 1]], [nil]),
        ("SELECT * FROM c WHERE c.a IN (@x, @y)",
         [["x": "v1", "y": "v2"], ["x": 1, "y": "v5"], ["x": .array([1]), "y": "v1"], ["x": long, "y": "v1"], ["x": "v3", "y": "v4"]],
         [nil, PartitionKey("t2")]),
        ("SELECT * FROM c WHERE c.a = @x OR c.b = @y",
         [["x": "v1", "y": 3], ["x": .array([1]), "y": 3], ["x": long, "y": 2], ["x": "v2", "y": 5], ["x": 4, "y": .null]],
         [nil, PartitionKey("t0")]),
        ("SELECT * FROM c WHERE c.tenantId IN (@x, @y) ORDER BY c.tenantId",
         [["x": "t1", "y": "t2"], ["x": "t0", "y": 3], ["x": "t2", "y": .object([:])], ["x": "t0", "y": "t1"]], [nil]),
    ]

    /// Every pair of value sets, in both orders: the plan built from the choice the first one's full planning made
    /// equals the second one's own full plan whenever their signatures match (and when they do not, the cache
    /// plans in full anyway).
    @Test func aChoiceReusedAtOtherValuesGivesTheFreshPlan() throws {
        let test = try Self.store()
        try test.store.withQuerySnapshot(container: "c") { _, runtime, now in
            for (text, valueSets, partitionKeys) in Self.cases {
                let query = try Query.parse(text)
                for partitionKey in partitionKeys {
                    func planner(_ values: [String: JSONValue]) -> Planner {
                        Planner(query: query, runtime: runtime, evaluator: Evaluator(parameters: values, now: Double(now)),
                                explicitKey: partitionKey)
                    }
                    var signatures = Set<[UInt8]>()
                    var reused = 0
                    for first in valueSets {
                        for second in valueSets {
                            let earlier = try planner(first).analyze()
                            let later = planner(second)
                            let analysis = try later.analyze()
                            signatures.insert(analysis.signature)
                            guard earlier.signature == analysis.signature else { continue }
                            let choice = try planner(first).plan(earlier).choice
                            let fresh = try later.plan(analysis).plan
                            let rebuilt = try #require(later.plan(analysis, choice: choice),
                                                       "\(text) at \(second) after \(first): the choice does not apply")
                            #expect(Self.same(rebuilt, fresh), "\(text) pk \(String(describing: partitionKey)) at \(second) after \(first)")
                            if first != second { reused += 1 }
                        }
                    }
                    // The value sets were picked to need different plans: each case must exercise several signatures.
                    #expect(signatures.count > 1, "\(text): the values do not change the signature")
                    #expect(reused > 0, "\(text): no two value sets share a signature")
                }
            }
        }
    }

    /// Through the public API: each page reports the plan `explain` gives for the same values, whatever values the
    /// query ran at before.
    @Test(arguments: [false, true])
    func pagesRunWithTheFreshPlan(reversed: Bool) throws {
        let test = try Self.store()
        for (text, valueSets, partitionKeys) in Self.cases {
            var plans = Set<String>()
            for values in reversed ? valueSets.reversed() : valueSets {
                for partitionKey in partitionKeys {
                    let page = try test.store.query(in: "c", text, parameters: values, partitionKey: partitionKey, maxItemCount: 5)
                    let expected = try test.store.explain(in: "c", text, parameters: values, partitionKey: partitionKey)
                    #expect(page.plan == expected, "\(text) at \(values) pk \(String(describing: partitionKey))")
                    plans.insert(page.plan)
                }
            }
            #expect(plans.count > 1, "\(text): the values do not change the plan")
        }
    }

    static func sameScan(_ x: QueryPlan.Scan, _ y: QueryPlan.Scan) -> Bool {
        x.source == y.source && x.intervals == y.intervals && x.reverse == y.reverse && x.prefix == y.prefix
            && x.prefixComponents == y.prefixComponents && x.elementValues == y.elementValues
    }

    /// Two plans read the same keys in the same way and leave the same checks.
    static func same(_ a: QueryPlan, _ b: QueryPlan) -> Bool {
        let access: Bool
        switch (a.access, b.access) {
        case (.point(let x), .point(let y)):
            access = x == y
        case (.scan(let x), .scan(let y)):
            access = sameScan(x, y)
        case (.union(let x), .union(let y)):
            access = x.count == y.count && zip(x, y).allSatisfy { sameScan($0.scan, $1.scan) && $0.disjunct == $1.disjunct }
        default:
            access = false
        }
        return access && (a.residual == nil) == (b.residual == nil) && a.partitionFilter == b.partitionFilter
            && a.orderComponent?.index == b.orderComponent?.index
            && a.orderComponent?.allowUndefined == b.orderComponent?.allowUndefined && a.description == b.description
    }
}
