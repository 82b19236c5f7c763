// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// What a page of `SELECT *` loads. A full page needs only the next entry's key for its continuation, so in a
/// container whose items never expire it loads just the items it returns; where items may expire, it loads the
/// next item too, to give a token only when a live item follows. TOP stops before loading past its count.
struct PageLoadTests {
    /// An indexing policy that includes `/name/?` explicitly, so that its range index holds the items lacking it
    /// too and serves ORDER BY c.name alone.
    static let explicitPolicy = #"{"includedPaths": [{"path": "/tenantId/?"}, {"path": "/name/?"}], "#
        + #""excludedPaths": [{"path": "/*"}]}"#

    /// 25 items of tenant `t` (names `n00`–`n24`) and 5 of tenant `u`; with a `defaultTtl`, the item named `n24`
    /// lives 10 seconds. Without a `policy`, the default one: ORDER BY c.name then reads the items lacking a name
    /// by a scan of the partition, and the others from the range index.
    static func store(defaultTtl: Int? = nil, policy: String? = explicitPolicy) throws -> TestStore {
        let test = try TestStore()
        let ttl = defaultTtl.map { #", "defaultTtl": \#($0)"# } ?? ""
        let indexing = policy.map { #", "indexingPolicy": "# + $0 } ?? ""
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}"# + ttl + indexing + "}")))
        var ops = [BatchOperation]()
        for i in 0..<30 {
            let name = "n" + (i < 10 ? "0" : "") + String(i % 25)
            var document: JSONObject = ["id": .string("i\(i)"), "tenantId": .string(i < 25 ? "t" : "u"),
                                        "name": .string(name)]
            if defaultTtl != nil && i == 24 { document["ttl"] = 10 }
            ops.append(BatchOperation(.create, resourceBody: .object(document)))
        }
        #expect(try test.store.bulk(in: "c", operations: ops).allSatisfy { $0.isSuccess })
        return test
    }

    static let query = "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name"

    /// The items' names (their ids for those without one).
    static func names(_ page: QueryPage) throws -> [String] {
        try page.items.map { item -> String in
            guard case .object(let object) = try item.value(), case .string(let id)? = object["id"] else {
                Issue.record("an item without an id")
                return ""
            }
            guard case .string(let name)? = object["name"] else { return id }
            return name
        }
    }

    /// The names and the documents loaded of each page of `text` over tenant `t`, pages of `size`.
    static func pages(_ test: TestStore, _ text: String = query, size: Int) throws -> (names: [String], loads: [Int]) {
        var token: String?
        var names = [String]()
        var loads = [Int]()
        repeat {
            let page = try test.store.query(in: "c", text, parameters: ["t": "t"], maxItemCount: size,
                                            continuation: token)
            names += try Self.names(page)
            loads.append(page.metrics.documentsLoaded)
            token = page.continuation
        } while token != nil
        return (names, loads)
    }

    static let allNames = (0..<25).map { ($0 < 10 ? "n0" : "n") + String($0) }

    @Test func aFullPageLoadsOnlyTheItemsItReturns() throws {
        let test = try Self.store()
        #expect(try test.store.explain(in: "c", Self.query, parameters: ["t": "t"]).hasPrefix("partition range index"))
        let explicit = try Self.pages(test, size: 10)
        #expect(explicit.names == Self.allNames)
        #expect(explicit.loads == [10, 10, 5])
        // The same through the default policy: the first page also reads the items of the partition for those
        // lacking a name; the pages after it read the range index alone.
        let union = try Self.pages(try Self.store(policy: nil), size: 10)
        #expect(union.names == Self.allNames)
        #expect(union.loads.dropFirst() == [10, 5])
        // A page that ends exactly at the last item has no token.
        let exact = try test.store.query(in: "c", Self.query, parameters: ["t": "u"], maxItemCount: 5)
        #expect(exact.items.count == 5 && exact.continuation == nil && exact.metrics.documentsLoaded == 5)
    }

    /// Through the default policy's two reads, in descending order: the range index first, then the items lacking
    /// a name. A page that fills in the first read resumes there, and no item is skipped or repeated.
    @Test func aPageThatFillsInTheFirstReadResumesThere() throws {
        let test = try Self.store(policy: nil)
        for i in 0..<3 {
            _ = try test.store.createItem(in: "c", document: .object(["id": .string("x\(i)"), "tenantId": "t"]))
        }
        let descending = try Self.pages(test, Self.query + " DESC", size: 10)
        #expect(descending.names.prefix(25) == ArraySlice(Self.allNames.reversed()))
        #expect(descending.names.dropFirst(25).sorted() == ["x0", "x1", "x2"])
        #expect(descending.loads.prefix(2) == [10, 10], "the third page reads the partition for the rest")
    }

    @Test func topStopsBeforeLoadingMore() throws {
        let test = try Self.store()
        let page = try test.store.query(in: "c", "SELECT TOP 3 * FROM c WHERE c.tenantId = 't' ORDER BY c.name")
        #expect(try Self.names(page) == ["n00", "n01", "n02"])
        #expect(page.continuation == nil && page.metrics.documentsLoaded == 3, "\(page.metrics)")
    }

    /// Where items may expire, a token is given only when a live item follows: a page that fills just before the
    /// last item, which has expired, ends the listing.
    @Test func whereItemsMayExpireTheNextItemIsCheckedBeforeAToken() throws {
        let test = try Self.store(defaultTtl: -1)
        test.clock.advance(by: 11)
        let last = try test.store.query(in: "c", Self.query, parameters: ["t": "t"], maxItemCount: 24)
        #expect(try Self.names(last) == Array(Self.allNames.prefix(24)))
        #expect(last.continuation == nil, "n24 has expired: nothing follows n23")
        #expect(last.metrics.indexEntriesRead == 25 && last.metrics.documentsLoaded == 24, "\(last.metrics)")
        let first = try test.store.query(in: "c", Self.query, parameters: ["t": "t"], maxItemCount: 10)
        #expect(first.items.count == 10 && first.continuation != nil && first.metrics.documentsLoaded == 11)
        // Where none expire, the same page needs no look at n24 itself, and n24 is the next page.
        let never = try Self.store()
        let full = try never.store.query(in: "c", Self.query, parameters: ["t": "t"], maxItemCount: 24)
        #expect(full.items.count == 24 && full.continuation != nil && full.metrics.documentsLoaded == 24)
        let next = try never.store.query(in: "c", Self.query, parameters: ["t": "t"], maxItemCount: 24,
                                         continuation: full.continuation)
        #expect(try Self.names(next) == ["n24"] && next.continuation == nil)
    }
}
