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

/// The change feed's `_lsn`, its feed per partition key and its start from a point in time (the SDKs'
/// `ChangeFeedStartFrom.Beginning(FeedRange)` / `.Time(DateTime)`).
struct ChangeFeedScopeTests {
    /// Each change carries `_lsn`, rising along the feed; an item changed again has the new write's number.
    @Test func changesCarryTheirSequenceNumber() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        for id in ["a", "b"] { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(id)", "tenantId": "t"}"#)) }
        let rewritten = try store.upsertItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "v": 2}"#))
        let page = try store.readChanges(in: "c")
        #expect(page.items.map(\.id) == ["b", "a"])
        let lsns = page.items.map { $0.object["_lsn"]?.numberValue }
        #expect(lsns == [2, 3])
        #expect(page.items[1].object["_etag"] == .string(rewritten.item.etag))
        // Reads and queries do not carry it: it belongs to the change feed.
        #expect(try store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")).object["_lsn"] == nil)
    }

    @Test func oneLogicalPartitionsChanges() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        for i in 0..<30 { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t\#(i % 3)"}"#)) }
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t1", "v": 2}"#))
        try store.deleteItem(in: "c", id: "4", partitionKey: PartitionKey("t1"))
        let key = PartitionKey("t1")
        var seen = [String]()
        var start = ChangeFeedStart.beginning
        var pages = 0
        while true {
            let page = try store.readChanges(in: "c", partitionKey: key, from: start, maxItemCount: 4)
            #expect(page.items.count <= 4)
            if page.items.isEmpty { break }
            #expect(page.items.allSatisfy { $0.partitionKey == key })
            seen += page.items.map(\.id)
            start = .continuation(page.continuation)
            pages += 1
        }
        #expect(seen == ["7", "10", "13", "16", "19", "22", "25", "28", "1"])
        #expect(pages == 3)
        // Caught up: a new change of another partition is not this feed's; one of this partition is.
        let caughtUp = try store.readChanges(in: "c", partitionKey: key, from: start)
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "x", "tenantId": "t2"}"#))
        #expect(try store.readChanges(in: "c", partitionKey: key, from: .continuation(caughtUp.continuation)).items.isEmpty)
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "y", "tenantId": "t1"}"#))
        #expect(try store.readChanges(in: "c", partitionKey: key, from: .continuation(caughtUp.continuation))
            .items.map(\.id) == ["y"])
        // `now` starts after the last change, whatever the partition.
        let now = try store.readChanges(in: "c", partitionKey: PartitionKey("t0"), from: .now)
        #expect(now.items.isEmpty)
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "z", "tenantId": "t0"}"#))
        #expect(try store.readChanges(in: "c", partitionKey: PartitionKey("t0"), from: .continuation(now.continuation))
            .items.map(\.id) == ["z"])
    }

    /// A partition's token resumes that partition's feed only; the container's feed and other partitions refuse it.
    @Test func partitionTokensAreBound() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        for i in 0..<4 { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t\#(i % 2)"}"#)) }
        let scoped = try store.readChanges(in: "c", partitionKey: PartitionKey("t0"), maxItemCount: 1).continuation
        let whole = try store.readChanges(in: "c", maxItemCount: 1).continuation
        expectStatus(400) { try store.readChanges(in: "c", partitionKey: PartitionKey("t1"), from: .continuation(scoped)) }
        expectStatus(400) { try store.readChanges(in: "c", from: .continuation(scoped)) }
        expectStatus(400) { try store.readChanges(in: "c", partitionKey: PartitionKey("t0"), from: .continuation(whole)) }
        #expect(try store.readChanges(in: "c", partitionKey: PartitionKey("t0"), from: .continuation(scoped))
            .items.map(\.id) == ["2"])
        // A key that does not fit the container's partition key is a 400.
        expectStatus(400) { try store.readChanges(in: "c", partitionKey: PartitionKey(["a", "b"])) }
    }

    /// The changes of one transactional batch come in one page, past the page size if need be, and share one
    /// `_lsn`: "transaction scope is preserved when reading items from the Change Feed. As a result, the number of
    /// items received could be higher than the specified value" (the .NET SDK's ChangeFeedRequestOptions.PageSizeHint).
    @Test func aTransactionsChangesComeTogether() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        let key = PartitionKey("t")
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "before", "tenantId": "t"}"#))
        let batch = try store.executeBatch(in: "c", partitionKey: key, operations: (1...3).map {
            BatchOperation(.create, resourceBody: .object(["id": .string("x\($0)"), "tenantId": "t"]))
        })
        #expect(batch.isSuccess)
        for id in ["y1", "y2", "y3"] { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(id)", "tenantId": "t"}"#)) }
        var pages = [[String]]()
        var lsns = [Double]()
        var start = ChangeFeedStart.beginning
        while true {
            let page = try store.readChanges(in: "c", from: start, maxItemCount: 2)
            if page.items.isEmpty { break }
            pages.append(page.items.map(\.id))
            lsns += page.items.compactMap { $0.object["_lsn"]?.numberValue }
            start = .continuation(page.continuation)
        }
        // The page that reaches the batch finishes it; writes outside batches page as asked.
        #expect(pages == [["before", "x1", "x2", "x3"], ["y1", "y2"], ["y3"]])
        #expect(lsns == [1, 4, 4, 4, 5, 6, 7])
        // The same holds for one partition's feed, for an atomic bulk request, and from a page starting inside.
        #expect(try store.readChanges(in: "c", partitionKey: key, maxItemCount: 1).items.map(\.id) == ["before"])
        let bulk = try store.bulk(in: "c", operations: ["z1", "z2"].map {
            BatchOperation(.create, resourceBody: .object(["id": .string($0), "tenantId": "u"]))
        }, atomic: true)
        #expect(bulk.map(\.statusCode) == [201, 201])
        let afterY = try store.readChanges(in: "c", from: start, maxItemCount: 1)
        #expect(afterY.items.map(\.id) == ["z1", "z2"])
        // A batch's item written again later leaves it: it moves to its new place and `_lsn`.
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "x2", "tenantId": "t", "v": 2}"#))
        let again = try store.readChanges(in: "c", maxItemCount: 2)
        #expect(again.items.map(\.id) == ["before", "x1", "x3"])
        #expect(again.items.compactMap { $0.object["_lsn"]?.numberValue } == [1, 4, 4])
        #expect(try store.verify().isEmpty)
    }

    /// Deleting the container removes its transaction ranges with its rows.
    @Test func transactionRangesGoWithTheirContainer() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        func metaEntries() throws -> Int {
            try #require(try store.statistics().databases.first { $0.name == "meta" }).entries
        }
        try store.createContainer(try definition(#"{"id": "gone", "partitionKey": {"paths": ["/k"]}}"#))
        _ = try store.executeBatch(in: "gone", partitionKey: PartitionKey("a"), operations: ["1", "2"].map {
            BatchOperation(.create, resourceBody: .object(["id": .string($0), "k": "a"]))
        })
        let withRange = try metaEntries()
        try store.deleteContainer("gone")
        try store.finishContainerDeletions()
        // The container's sequence counter and its one transaction range are gone.
        #expect(try metaEntries() == withRange - 2)
    }

    @Test func startingAtAPointInTime() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        let start = test.clock.now
        // Minute by minute: a0 at +0 s, a1 at +60 s, ..., alternating partitions.
        for i in 0..<6 {
            _ = try store.createItem(in: "c", json: bytes(#"{"id": "a\#(i)", "tenantId": "t\#(i % 2)"}"#))
            test.clock.advance(by: 60)
        }
        // a1 is changed again at +360 s, so it is no longer among the changes before +120 s.
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "a1", "tenantId": "t1", "v": 2}"#))
        func ids(_ offset: Double, _ key: PartitionKey? = nil) throws -> [String] {
            let date = Date(timeIntervalSince1970: start + offset)
            return try store.readChanges(in: "c", partitionKey: key, from: .time(date)).items.map(\.id)
        }
        #expect(try ids(-3600) == ["a0", "a2", "a3", "a4", "a5", "a1"])
        #expect(try ids(0) == ["a0", "a2", "a3", "a4", "a5", "a1"])
        #expect(try ids(120) == ["a2", "a3", "a4", "a5", "a1"])
        // Within a second: the item written in that whole second counts.
        #expect(try ids(120.7) == ["a2", "a3", "a4", "a5", "a1"])
        #expect(try ids(121) == ["a3", "a4", "a5", "a1"])
        #expect(try ids(360) == ["a1"])
        #expect(try ids(3600).isEmpty)
        #expect(try ids(120, PartitionKey("t1")) == ["a3", "a5", "a1"])
        #expect(try ids(0, PartitionKey("t0")) == ["a0", "a2", "a4"])
        // Resuming from a time-started page goes on where it ended.
        let first = try store.readChanges(in: "c", from: .time(Date(timeIntervalSince1970: start + 120)), maxItemCount: 2)
        #expect(first.items.map(\.id) == ["a2", "a3"])
        #expect(try store.readChanges(in: "c", from: .continuation(first.continuation)).items.map(\.id)
            == ["a4", "a5", "a1"])
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
