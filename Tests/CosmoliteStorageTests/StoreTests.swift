// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

struct StoreTests {
    func openStore(_ path: String, mapSize: Int? = nil) throws -> Store {
        var configuration = StoreConfiguration()
        configuration.durability = .relaxed
        configuration.ttlSweepInterval = nil
        if let mapSize { configuration.initialMapSize = mapSize }
        return try Store.open(at: path, configuration: configuration)
    }

    @Test func dataAndTokensSurviveReopening() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var token: String
        do {
            let store = try openStore(path)
            try store.createContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/k"]}}"#))
            for i in 0..<5 { _ = try store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "k": "p"}"#)) }
            token = try #require(try store.readItems(in: "c", maxItemCount: 2).continuation)
        }
        let store = try openStore(path)
        let rest = try store.readItems(in: "c", maxItemCount: 10, continuation: token)
        #expect(rest.items.map(\.id) == ["2", "3", "4"])
        #expect(try store.verify().isEmpty)
    }

    @Test func aNewerFormatIsRefusedWithAClearMessage() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { _ = try openStore(path) }
        do {
            let env = try Environment.open(path: path, configuration: Environment.Configuration(
                databases: ["meta", "containers", "docs", "pidx", "gidx", "cidx", "uniq", "ttl", "feed"]))
            try env.write { txn in try txn.put(env.database("meta"), key: Array("format".utf8), value: [0, 0, 0, 99]) }
        }
        let error = expectStatus(503) { try openStore(path) }
        #expect(error?.message.contains("format version 99") == true)
        #expect(error?.message.contains("upgrade Cosmolite") == true)
    }

    @Test func openingSomethingThatIsNotAStoreFails() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x41, count: 64 * 1024).write(to: URL(fileURLWithPath: path + "/data.mdb"))
        let error = expectStatus(500) { try openStore(path) }
        #expect(error?.message.contains("not a Cosmolite store") == true)
    }

    /// The map starts tiny and grows by itself: MDB_MAP_FULL never reaches the caller.
    @Test func mapGrowsWhileWriting200MB() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try openStore(path, mapSize: 1 << 20)
        try store.createContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/k"]}, "indexingPolicy": {"indexingMode": "none"}}"#))
        let blob = String(repeating: "x", count: 1_900_000)
        var written = 0
        var i = 0
        while written < 200_000_000 {
            // Mix single writes and bulk writes of several items (one transaction bigger than the initial map).
            if i % 2 == 0 {
                _ = try store.createItem(in: "c", document: .object(["id": .string("\(i)"), "k": .string("p\(i % 5)"), "blob": .string(blob)]))
                written += blob.utf8.count
                i += 1
            } else {
                let ops = (0..<4).map { j in
                    BatchOperation(.create, resourceBody: .object(["id": .string("\(i + j)"), "k": .string("p\((i + j) % 5)"), "blob": .string(blob)]))
                }
                let results = try store.bulk(in: "c", operations: ops)
                #expect(results.allSatisfy { $0.isSuccess })
                written += 4 * blob.utf8.count
                i += 4
            }
        }
        var count = 0
        var token: String?
        repeat {
            let page = try store.readItems(in: "c", maxItemCount: 10, continuation: token)
            for item in page.items { #expect(item.object["blob"]?.stringValue?.utf8.count == blob.utf8.count); count += 1 }
            token = page.continuation
        } while token != nil
        #expect(count == i)
        #expect(try store.verify().isEmpty)
    }
}
