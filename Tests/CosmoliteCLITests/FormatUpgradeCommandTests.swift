// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import Foundation
import Testing

/// A store written by an earlier Cosmolite (on-disk format 1) meets the commands of this one: read-only commands
/// read it as it is; a writable command upgrades it, once, when no other process has it open, and otherwise works
/// in format 1 without upgrading (an older Cosmolite still running there would go on writing format-1 entries).
struct FormatUpgradeCommandTests {
    /// Container `c` with 9 items whose `/v` is an array, an object or a number (3 each), made format 1.
    static func format1Store(_ box: Sandbox) throws {
        try box.createContainer("c")
        try Ops.load(box, "c", (0..<9).map { i in
            let v = i % 3 == 0 ? "[\(i)]" : i % 3 == 1 ? #"{"n": \#(i)}"# : "\(i)"
            return #"{"id": "i\#(i)", "tenantId": "t\#(i % 2)", "v": \#(v)}"#
        })
        try Self.open(box).downgradeToFormat1()
    }

    static func open(_ box: Sandbox, readOnly: Bool = false) throws -> Store {
        var configuration = StoreConfiguration()
        configuration.durability = .relaxed
        configuration.readOnly = readOnly
        configuration.ttlSweepInterval = nil
        configuration.indexesInBackground = false
        return try Store.open(at: box.store, configuration: configuration)
    }

    /// The ids `ORDER BY c.v` returns, over every page.
    static func ordered(_ box: Sandbox) throws -> [String] {
        let result = try box.ok(["query", "c", "SELECT VALUE c.id FROM c ORDER BY c.v", "--all", "--max-item-count", "2",
                                 "--format", "json"])
        return try result.lines.flatMap { line in
            try JSONReader.parse(Array(line.utf8))["items"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
    }

    static let upgradeNote = "note: upgrading the store's indexes to on-disk format 2"
    static let notAloneNote = "note: the store is in on-disk format 1 and another process has it open"

    @Test func aWritableCommandUpgradesOnceWhenAlone() throws {
        let box = Sandbox()
        try Self.format1Store(box)
        // A read-only command reads format 1: the numbers only.
        #expect(try Self.ordered(box) == ["i2", "i5", "i8"])
        do {
            // This test process keeps the store open, so the commands below are not alone with it.
            let holder = try Self.open(box, readOnly: true)
            let write = try box.ok(["items", "upsert", "c"], stdin: #"{"id": "new", "tenantId": "t1", "v": [1, 2]}"#)
            #expect(write.stderr.contains(Self.notAloneNote), "\(write.summary)")
            #expect(!write.stderr.contains(Self.upgradeNote))
            // A policy change begun and completed in format 1.
            let definition = try box.write("defs/c2.json", #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "#
                + #""indexingPolicy": {"includedPaths": [{"path": "/v/?"}], "excludedPaths": [{"path": "/*"}]}}"#)
            _ = try box.ok(["containers", "replace", "--file", definition])
            #expect(try holder.formatVersion() == 1)
            #expect(try holder.verify().isEmpty)
            #expect(try Self.ordered(box) == ["i2", "i5", "i8"])
        }
        // Alone now: the next writable command upgrades, once.
        let first = try box.ok(["items", "upsert", "c"], stdin: #"{"id": "n2", "tenantId": "t0", "v": 1}"#)
        #expect(first.stderr.contains(Self.upgradeNote), "\(first.summary)")
        let upgraded = try Self.ordered(box)
        #expect(upgraded.count == 11)
        #expect(Array(upgraded.prefix(4)) == ["n2", "i2", "i5", "i8"])
        #expect(Set(upgraded.dropFirst(4).prefix(4)) == ["i0", "i3", "i6", "new"])
        let second = try box.ok(["items", "upsert", "c"], stdin: #"{"id": "n3", "tenantId": "t0", "v": 2}"#)
        #expect(!second.stderr.contains("note:"), "\(second.summary)")
        let verify = try box.ok(["verify"])
        #expect(try JSONReader.parse(Array(verify.stdout.utf8))["ok"] == .bool(true), "\(verify.summary)")
        #expect(try Self.open(box, readOnly: true).formatVersion() == 2)
    }
}
