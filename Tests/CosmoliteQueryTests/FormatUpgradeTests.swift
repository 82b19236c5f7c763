// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
@testable import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// A format-1 store (written before arrays and objects had range entries) opened by this version: read-only it is
/// read as it is; writable it is upgraded in place by an online transformation, with queries and the checker right
/// at every step.
struct FormatUpgradeTests {
    static let query = "SELECT c.id FROM c ORDER BY c.v"

    /// A store in its own directory, closed when released (LMDB must not open one environment twice).
    static func open(_ path: String, readOnly: Bool = false) throws -> Store {
        var configuration = TestStore.configuration(strict: true)
        configuration.readOnly = readOnly
        return try Store.open(at: path, configuration: configuration)
    }

    /// A format-1 store at `path` with container `c` (every path indexed): 30 items, a third with an array at
    /// `/v`, a third with an object, a third with a number.
    static func makeFormat1Store(at path: String, beforeDowngrade: (Store) throws -> Void = { _ in }) throws {
        let store = try open(path)
        try store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}}"#)))
        for i in 0..<30 {
            let v: JSONValue = switch i % 3 {
            case 0: .array([.number(Double(i))])
            case 1: .object(["n": .number(Double(i))])
            default: .number(Double(i))
            }
            _ = try store.createItem(in: "c", document: .object(["id": .string("i\(i)"), "pk": .string("p\(i % 2)"), "v": v]))
        }
        try beforeDowngrade(store)
        let before = try globalEntries(store)
        try store.downgradeToFormat1()
        // One entry fewer per array or object at /v; and the store is consistent as format 1.
        #expect(try globalEntries(store) == before - 20)
        #expect(try store.verify().isEmpty)
    }

    /// The number of `gidx` rows of container `c`.
    static func globalEntries(_ store: Store) throws -> Int {
        try store.read { txn, catalog in
            var count = 0
            let prefix = try store.runtime("c", in: catalog).keyPrefix
            try store.scan(txn, store.dbs.globalIndex, prefix: prefix, after: nil) { _, _ in
                count += 1
                return true
            }
            return count
        }
    }

    static func ordered(_ store: Store) throws -> [String] {
        ids(try queryAll(store, "c", query, pageSize: 4))
    }

    static let numbers = (0..<30).filter { $0 % 3 == 2 }.map { "i\($0)" }

    @Test func aWritableOpenUpgradesInPlaceOnline() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.makeFormat1Store(at: path)
        let store = try Self.open(path)
        // The open recorded the upgrade; until it completes, ORDER BY returns what format 1 did.
        #expect(try store.indexTransformationProgress(in: "c") == 0)
        #expect(try store.verify().isEmpty)
        #expect(try Self.ordered(store) == Self.numbers)
        try store.advanceIndexTransformations(limit: 7)
        #expect(try store.verify().isEmpty)
        #expect(try Self.ordered(store) == Self.numbers)
        // Writes during the upgrade: one item becomes a number, one a new array, one is new.
        _ = try store.upsertItem(in: "c", document: .object(["id": "i0", "pk": "p0", "v": 100]))
        _ = try store.upsertItem(in: "c", document: .object(["id": "i2", "pk": "p0", "v": .array([])]))
        _ = try store.createItem(in: "c", document: .object(["id": "new", "pk": "p1", "v": .object([:])]))
        #expect(try store.verify().isEmpty)
        let during = try Self.ordered(store)
        #expect(during == Self.numbers.filter { $0 != "i2" } + ["i0"])
        try store.finishIndexTransformations()
        #expect(try store.indexTransformationProgress(in: "c") == 100)
        #expect(try store.verify().isEmpty)
        let after = try Self.ordered(store)
        #expect(after.count == 31)
        #expect(Array(after.prefix(10)) == Self.numbers.filter { $0 != "i2" } + ["i0"])
        let arrays = Set((0..<30).filter { $0 % 3 == 0 && $0 != 0 }.map { "i\($0)" } + ["i2"])
        #expect(Set(after.dropFirst(10).prefix(10)) == arrays)
        #expect(Set(after.suffix(11)) == Set((0..<30).filter { $0 % 3 == 1 }.map { "i\($0)" } + ["new"]))
    }

    @Test func aReadOnlyOpenReadsTheOldFormatAndTheNextWritableOpenUpgrades() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.makeFormat1Store(at: path)
        do {
            let reader = try Self.open(path, readOnly: true)
            #expect(try reader.verify().isEmpty)
            #expect(try Self.ordered(reader) == Self.numbers)
            #expect(try reader.indexTransformationProgress(in: "c") == 100)
        }
        do {
            let store = try Self.open(path)
            try store.finishIndexTransformations()
            #expect(try store.verify().isEmpty)
            #expect(try Self.ordered(store).count == 30)
        }
        // Upgraded once: a later open finds format 2 and starts nothing.
        let again = try Self.open(path)
        #expect(try again.indexTransformationProgress(in: "c") == 100)
        #expect(try again.verify().isEmpty)
    }

    /// A policy change under way when the store was downgraded: the upgrade completes it first (with format-1
    /// terms), then adds the entries.
    @Test func aTransformationUnderWayIsCompletedFirst() throws {
        let path = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.makeFormat1Store(at: path) { store in
            try store.replaceContainer(try ContainerDefinition(json: try json(
                #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": {"includedPaths": [{"path": "/v/?"}], "excludedPaths": [{"path": "/*"}]}}"#)))
            try store.advanceIndexTransformations(limit: 11)
            #expect(try store.indexTransformationProgress(in: "c") < 100)
        }
        let store = try Self.open(path)
        #expect(try store.verify().isEmpty)
        #expect(try Self.ordered(store) == Self.numbers)
        try store.finishIndexTransformations()
        #expect(try store.verify().isEmpty)
        #expect(try Self.ordered(store).count == 30)
    }
}
