// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `IN` on a composite index's path followed by the ORDER BY paths: the index serves the order by reading one
/// interval per value and merging them, instead of walking the ORDER BY path's range index and filtering.
struct MergedOrderTests {
    static let policy = #"""
        {"includedPaths": [{"path": "/*"}], "compositeIndexes": [
          [{"path": "/s"}, {"path": "/u", "order": "descending"}],
          [{"path": "/pk"}, {"path": "/s"}, {"path": "/u"}, {"path": "/v", "order": "descending"}]]}
        """#
    static let long = String(repeating: "x", count: 150)

    /// 400 items in 4 partitions: `s` among strings (two long ones sharing their key prefix), a number, a boolean and
    /// null, sometimes missing; `u` with many ties, sometimes missing; `v` a number.
    static func store() throws -> TestStore {
        let test = try storeWithContainers(["m": policy, "plain": indexNothing])
        var rng = SeededGenerator(seed: 11)
        let statuses: [JSONValue] = ["a", "b", "c", "d", .string(long + "1"), .string(long + "2"), 1, true, .null]
        var operations = [BatchOperation]()
        for i in 0..<400 {
            var item: JSONObject = ["id": .string("d" + String(String(1000 + i).dropFirst())), "pk": .string("p\(i % 4)")]
            if i % 23 != 0 { item["s"] = statuses.randomElement(using: &rng)! }
            if i % 19 != 0 { item["u"] = .number(Double(Int.random(in: 0..<40, using: &rng))) }
            item["v"] = .number(Double(Int.random(in: 0..<3, using: &rng)))
            operations.append(BatchOperation(.create, resourceBody: .object(item)))
        }
        for container in ["m", "plain"] {
            #expect(try test.store.bulk(in: container, operations: operations).allSatisfy(\.isSuccess))
        }
        return test
    }

    @Test(arguments: [
        ("c.s IN ('a', 'c', 1)", " ORDER BY c.u DESC", nil),
        ("c.s IN ('a', 'c', 1)", " ORDER BY c.u", nil),
        ("c.s IN ('a', 'a', null, 'c')", " ORDER BY c.u DESC", nil),
        ("c.s IN (@l1, @l2, 'd')", " ORDER BY c.u", nil),
        ("c.pk = 'p1' AND c.s IN ('b', 'd', true)", " ORDER BY c.u, c.v DESC", nil),
        ("c.s IN ('b', 'd', true)", " ORDER BY c.u DESC, c.v", "p2"),
        ("c.pk = 'p3' AND c.s IN (@l1, 'a', 'nothing') AND c.u > 10", " ORDER BY c.u, c.v DESC", nil),
        // The IN on the partition key, an equality after it, then the ORDER BY paths.
        ("c.pk IN ('p1', 'p2', 'p9') AND c.s = 'b'", " ORDER BY c.u DESC, c.v", nil),
        ("c.s = 'c' AND c.pk IN ('p0', 'p3')", " ORDER BY c.u, c.v DESC", nil),
    ] as [(String, String, String?)])
    func mergedIntervalsServeTheOrder(condition: String, order: String, partition: String?) throws {
        let test = try Self.store()
        let parameters: [String: JSONValue] = ["l1": .string(Self.long + "1"), "l2": .string(Self.long + "2")]
        let key = partition.map { PartitionKey($0) }
        let text = "SELECT * FROM c WHERE " + condition + order
        let first = try test.store.query(in: "m", text, parameters: parameters, partitionKey: key, maxItemCount: 1)
        #expect(first.plan.contains("values, merged"), "\(first.plan)")
        // Every item the condition selects, those lacking an ORDER BY path included (first, or last when descending),
        // as the service returns them.
        let expected = try queryAll(test.store, "plain", "SELECT * FROM c WHERE " + condition, parameters: parameters,
                                    partitionKey: key)
        let paths = order.dropFirst(" ORDER BY ".count).split(separator: ",").map {
            let words = $0.split(separator: " ")
            return (String(words[0].dropFirst(2)), words.count > 1 && words[1] == "DESC")
        }
        var sequences = [[String]]()
        for pageSize in [1, 2, 3, 7, 1000] {
            let items = try queryAll(test.store, "m", text, parameters: parameters, partitionKey: key, pageSize: pageSize)
            let found = ids(items)
            #expect(found.sorted() == ids(expected).sorted(), "\(text), pages of \(pageSize)")
            #expect(Set(found).count == found.count, "\(text), pages of \(pageSize): duplicates")
            for (x, y) in zip(items, items.dropFirst()) {
                for (path, descending) in paths {
                    let c = OrderedEncoding.compare(x[path], y[path]) * (descending ? -1 : 1)
                    if c < 0 { break }
                    #expect(c == 0, "\(text): \(x["id"]!) before \(y["id"]!)")
                }
            }
            sequences.append(found)
        }
        #expect(Set(sequences).count == 1, "\(text): the page size changed the order")
    }

    /// The merge reads the entries of the listed values only.
    @Test func readsOnlyTheListedValuesEntries() throws {
        let test = try Self.store()
        let page = try test.store.query(in: "m", "SELECT * FROM c WHERE c.s IN ('a', 'b') ORDER BY c.u DESC",
                                        maxItemCount: 1000)
        // One entry per item with one of the values, each a result (those without `u` last).
        let listed = try queryAll(test.store, "plain", "SELECT VALUE COUNT(1) FROM c WHERE c.s IN ('a', 'b')")
        #expect(listed == [.number(Double(page.metrics.indexEntriesRead))], "\(page.metrics)")
        #expect(page.items.count == page.metrics.indexEntriesRead && page.metrics.indexEntriesRead < 400 / 3)
        #expect(try page.items.last?.value()["u"] == nil && page.items.first?.value()["u"] != nil)
        #expect(page.continuation == nil)
    }

    /// A token of a merged scan resumes in the merged scan; one of another query is refused as always.
    @Test func tokensResumeAcrossIntervals() throws {
        let test = try Self.store()
        let text = "SELECT VALUE c.id FROM c WHERE c.s IN ('a', 'b', 'c') ORDER BY c.u"
        var seen = [String]()
        var token: String?
        repeat {
            let page = try test.store.query(in: "m", text, maxItemCount: 5, continuation: token)
            seen += try page.items.map { try $0.value().stringValue ?? "" }
            token = page.continuation
        } while token != nil
        let whole = try test.store.query(in: "m", text, maxItemCount: 1000)
        #expect(seen == (try whole.items.map { try $0.value().stringValue ?? "" }))
        let other = try test.store.query(in: "m", text, maxItemCount: 5).continuation
        _ = expectStatus(400) {
            _ = try test.store.query(in: "m", "SELECT VALUE c.id FROM c WHERE c.s IN ('a', 'b') ORDER BY c.u",
                                     maxItemCount: 5, continuation: other)
        }
    }
}
