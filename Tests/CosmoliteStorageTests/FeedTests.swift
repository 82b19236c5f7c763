// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

struct ChangeFeedTests {
    @Test func eachChangedItemOnceInCommitOrderWithLatestVersion() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        for id in ["a", "b", "c"] { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(id)", "tenantId": "t"}"#)) }
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "v": 2}"#))
        try store.deleteItem(in: "c", id: "b", partitionKey: PartitionKey("t"))
        let page = try store.readChanges(in: "c")
        #expect(page.items.map(\.id) == ["c", "a"])
        #expect(page.items[1].object["v"] == .number(2))
        // Nothing new: empty page, same position.
        let empty = try store.readChanges(in: "c", from: .continuation(page.continuation))
        #expect(empty.items.isEmpty)
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "d", "tenantId": "u"}"#))
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "c", "tenantId": "t", "v": 3}"#))
        let next = try store.readChanges(in: "c", from: .continuation(empty.continuation))
        #expect(next.items.map(\.id) == ["d", "c"])
    }

    @Test func pagesAndStartingNow() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        for i in 0..<25 { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t\#(i % 4)"}"#)) }
        let now = try store.readChanges(in: "c", from: .now)
        #expect(now.items.isEmpty)
        var seen = [String]()
        var start = ChangeFeedStart.beginning
        while true {
            let page = try store.readChanges(in: "c", from: start, maxItemCount: 10)
            if page.items.isEmpty { break }
            seen += page.items.map(\.id)
            start = .continuation(page.continuation)
        }
        #expect(seen == (0..<25).map(String.init))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "late", "tenantId": "t"}"#))
        #expect(try store.readChanges(in: "c", from: .continuation(now.continuation)).items.map(\.id) == ["late"])
    }

    @Test func tokensAreBoundAndSigned() throws {
        let test = try TestStore.withContainer()
        try test.store.createContainer(try definition(#"{"id": "other", "partitionKey": {"paths": ["/k"]}}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t"}"#))
        let token = try test.store.readChanges(in: "c").continuation
        expectStatus(400) { try test.store.readChanges(in: "other", from: .continuation(token)) }
        var chars = Array(token)
        chars[chars.count / 2] = chars[chars.count / 2] == "A" ? "B" : "A"
        let edited = expectStatus(400) { try test.store.readChanges(in: "c", from: .continuation(String(chars))) }
        #expect(edited?.message.contains("altered") == true || edited?.message.contains("malformed") == true)
        expectStatus(400) { try test.store.readChanges(in: "c", from: .continuation("not a token!")) }
        // A read-feed token is not a change-feed token.
        for i in 0..<3 { _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "x\#(i)", "tenantId": "t"}"#)) }
        let readToken = try #require(try test.store.readItems(in: "c", maxItemCount: 1).continuation)
        expectStatus(400) { try test.store.readChanges(in: "c", from: .continuation(readToken)) }
    }
}

struct ReadFeedTests {
    @Test func pagesEndWithoutToken() throws {
        let test = try TestStore.withContainer()
        for i in 0..<10 { _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t"}"#)) }
        let full = try test.store.readItems(in: "c", maxItemCount: 10)
        #expect(full.items.count == 10)
        #expect(full.continuation == nil)
        expectStatus(400) { try test.store.readItems(in: "c", maxItemCount: 0) }
    }

    /// Items that exist and stay unchanged during the whole listing appear exactly once, while other items are
    /// created, updated and deleted between pages.
    @Test func exactlyOnceUnderConcurrentWrites() throws {
        let test = try TestStore.withContainer(strict: false)
        let store = test.store
        var stable = Set<String>()
        for i in 0..<200 {
            let id = String(format: "%03d", i)
            _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(id)", "tenantId": "t\#(i % 7)"}"#))
            if i % 3 != 0 { stable.insert(id) }
        }
        var seen = [String]()
        var token: String?
        var page = 0
        repeat {
            let result = try store.readItems(in: "c", maxItemCount: 13, continuation: token)
            seen += result.items.map(\.id)
            token = result.continuation
            page += 1
            // Churn between pages: the non-stable items are updated or deleted, and new items are created.
            for i in stride(from: page % 3 == 0 ? 0 : 3 * page, to: 200, by: 30) {
                let id = String(format: "%03d", i)
                _ = try? store.upsertItem(in: "c", json: bytes(#"{"id": "\#(id)", "tenantId": "t\#(i % 7)", "v": \#(page)}"#))
            }
            _ = try store.createItem(in: "c", json: bytes(#"{"id": "new\#(page)", "tenantId": "t\#(page % 7)"}"#))
        } while token != nil
        #expect(Set(seen).count == seen.count, "no item appears twice")
        #expect(stable.isSubset(of: Set(seen)), "every stable item appears")
        #expect(try store.verify().isEmpty)
    }

    @Test func partitionScopedListingAndForeignTokens() throws {
        let test = try TestStore.withContainer()
        for i in 0..<12 { _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t\#(i % 3)"}"#)) }
        let page = try test.store.readItems(in: "c", partitionKey: PartitionKey("t1"), maxItemCount: 2)
        #expect(page.items.allSatisfy { $0.partitionKey == PartitionKey("t1") })
        let token = try #require(page.continuation)
        expectStatus(400) { try test.store.readItems(in: "c", partitionKey: PartitionKey("t2"), continuation: token) }
        let rest = try test.store.readItems(in: "c", partitionKey: PartitionKey("t1"), continuation: token)
        #expect(page.items.count + rest.items.count == 4)
    }
}
