// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
@testable import CosmoliteQuery
import CosmoliteSQL
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// The process-wide memos of parsed queries and plans keep only entries of bounded size: long texts, long
/// parameter values and plans of many key intervals (long `IN` lists) are parsed and planned every time.
struct QueryCacheBoundsTests {
    @Test func longTextsAreParsedEveryTime() throws {
        let cache = QueryCache()
        let short = "SELECT * FROM c WHERE c.a IN (1, 2, 3)"
        let long = "SELECT * FROM c WHERE c.a IN (" + (0..<4_000).map(String.init).joined(separator: ", ") + ")"
        #expect(long.utf8.count > QueryCache.maxCachedTextBytes)
        let first = try cache.entry(short)
        #expect(cache.contains(short) && first.memoized)
        #expect(try cache.entry(short).serial == first.serial)
        let once = try cache.entry(long)
        #expect(!cache.contains(long) && !once.memoized)
        #expect(try cache.entry(long).serial != once.serial)
    }

    @Test func largePlansAndValuesAreNotCached() throws {
        let test = try TestStore(strict: false)
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}]}}"#)))
        let cache = PlanCache()
        let text = "SELECT * FROM c WHERE c.a IN (" + (0..<100).map { "@p\($0)" }.joined(separator: ", ") + ")"
        let query = try Query.parse(text)
        try test.store.withQuerySnapshot(container: "c") { _, runtime, now in
            // 100 parameters: three values (few intervals, small), 100 distinct short ones (100 intervals, small
            // values), 100 copies of one long value (one interval, large values).
            let sets: [(values: [JSONValue], cached: Bool)] = [
                ((0..<100).map { .number(Double($0 % 3)) }, true),
                ((0..<100).map { .number(Double($0)) }, false),
                (Array(repeating: .string(String(repeating: "v", count: 40)), count: 100), false),
            ]
            for (i, set) in sets.enumerated() {
                let parameters = Dictionary(uniqueKeysWithValues: set.values.enumerated().map { ("p\($0.offset)", $0.element) })
                let key = PlanCache.Key(cid: runtime.cid, query: UInt64(i + 1), parameters: Store.encode(parameters),
                                        partitionKey: nil)
                let entry = try cache.plan(key, text: text, runtime: runtime, cacheable: true, memoized: true) {
                    Planner(query: query, runtime: runtime, evaluator: Evaluator(parameters: parameters, now: Double(now)),
                            explicitKey: nil)
                }
                #expect(entry.plan.description.contains("cross-partition range index /a"), "\(entry.plan.description)")
                #expect(cache.contains(key) == set.cached, "value set \(i)")
            }
        }
    }
}
