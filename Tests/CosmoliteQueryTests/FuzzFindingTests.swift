// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// What the query-execution fuzzer (`Fuzz/Sources/QueryExecutionFuzzer`) found, each kept as a test.
struct FuzzFindingTests {
    /// Nested array literals built a result deeper than any JSON reader of the store reads back (128 levels), so
    /// the page came back with an item whose `value()` threw. Such a result is now refused with 400.
    @Test func resultsNestedDeeperThanDocumentsAre400() throws {
        let test = try storeWithContainers(["t": indexAll])
        _ = try test.store.createItem(in: "t", document: ["id": "a", "pk": "p", "deep": .array([.array([1])])])
        func nested(_ depth: Int, around inner: String = "1") -> String {
            String(repeating: "[", count: depth) + inner + String(repeating: "]", count: depth)
        }
        let deepest = try queryAll(test.store, "t", "SELECT VALUE \(nested(128)) FROM c")
        #expect(deepest.count == 1)
        let message = expectStatus(400) { _ = try queryAll(test.store, "t", "SELECT VALUE \(nested(129)) FROM c") }
        #expect(message?.contains("deeper than 128 levels") == true, "\(message ?? "")")
        // A document's own nesting counts too: c.deep is two levels.
        #expect(try queryAll(test.store, "t", "SELECT VALUE \(nested(126, around: "c.deep")) FROM c").count == 1)
        _ = expectStatus(400) { _ = try queryAll(test.store, "t", "SELECT VALUE \(nested(127, around: "c.deep")) FROM c") }
        _ = expectStatus(400) { _ = try queryAll(test.store, "t", "SELECT \(nested(128)) AS x FROM c") }
    }
}
