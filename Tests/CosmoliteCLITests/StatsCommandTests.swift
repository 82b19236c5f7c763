// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import Foundation
import Testing

/// `cosmolite stats`.
struct StatsCommandTests {
    @Test func statsCountItemsPartitionsIndexRowsAndPages() throws {
        let box = Sandbox()
        try box.createContainer("c", extra: #", "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/name"]}]}, "#
            + #""indexingPolicy": {"includedPaths": [{"path": "/*"}], "spatialIndexes": [{"path": "/spot/?", "#
            + #""types": ["Point"]}]}"#)
        try box.createContainer("other")
        var lines = [String]()
        for i in 0..<60 {   // partitions t0: 30 items, t1: 20, t2: 10; every third with a point
            let tenant = i < 30 ? "t0" : (i < 50 ? "t1" : "t2")
            let spot = i % 3 == 0 ? #", "spot": {"type": "Point", "coordinates": [\#(i), 1]}"# : ""
            lines.append(#"{"id": "\#(i)", "tenantId": "\#(tenant)", "name": "n\#(i)", "tags": ["x", "y"]\#(spot)}"#)
        }
        try Ops.load(box, "c", lines)
        let result = try box.ok(["stats", "c", "--top", "2"])
        let stats = try result.json()
        let container = try #require(stats["containers"]?.arrayValue?.first)
        #expect(container["id"] == "c")
        #expect(container["items"] == 60)
        #expect(container["logicalPartitions"] == 3)
        let largest = container["largestPartitions"]?.arrayValue ?? []
        #expect(largest.count == 2)
        #expect(largest.first?["partitionKey"] == .array([.string("t0")]))
        #expect(largest.first?["items"] == 30)
        #expect(largest.last?["items"] == 20)
        #expect(container["rows"]?["uniq"] == 60)
        #expect(container["rows"]?["feed"] == 60)
        #expect((container["rows"]?["gidx"]?.numberValue ?? 0) > 60)
        let paths = Dictionary((container["paths"]?.arrayValue ?? []).map {
            ($0["path"]?.stringValue ?? "", $0["entries"]?.numberValue ?? 0)
        }, uniquingKeysWith: +)
        #expect(paths["/name"] == 60, "\(paths)")
        #expect(paths["/id"] == 60)
        #expect(paths["/tags/[]"] == 120)
        #expect(paths["spatial /spot"] == 20)
        #expect(stats["containers"]?.arrayValue?.count == 1)
        #expect((stats["mapSize"]?.numberValue ?? 0) >= (stats["usedBytes"]?.numberValue ?? 1))
        #expect((stats["freePages"]?.numberValue ?? -1) >= 0)
        #expect(stats["databases"]?.arrayValue?.first { $0["name"] == "docs" }?["entries"] == 60)

        let table = try box.ok(["stats", "--format", "table", "--paths"])
        #expect(table.stdout.contains("container 'c': 60 items in 3 logical partitions"), "\(table.stdout)")
        #expect(table.stdout.contains("container 'other': 0 items"))
        #expect(table.stdout.contains("  [\"t0\"]"))
        #expect(table.stdout.contains("  /tags/[]"))
        #expect(table.stdout.contains("free pages"))

        let missing = try box.run(["stats", "nope"])
        #expect(missing.firstErrorLine.hasPrefix("error: 404 Not Found: container 'nope' does not exist"))
    }

    /// A container whose rows are being rewritten after a replace shows how far that is.
    @Test func statsShowATransformationUnderWay() throws {
        let box = Sandbox()
        try box.createContainer("c")
        try Ops.load(box, "c", (0..<10).map { #"{"id": "\#($0)", "tenantId": "t", "a": \#($0)}"# })
        // The CLI completes what it starts; a library user may leave a transformation running.
        var configuration = StoreConfiguration()
        configuration.durability = .relaxed
        configuration.indexesInBackground = false
        let store = try Store.open(at: box.store, configuration: configuration)
        func transformation() throws -> JSONValue? { try box.ok(["stats", "c"]).json()["containers"]?.arrayValue?.first?["transformation"] }
        #expect(try transformation() == .null)

        try store.replaceContainer(try ContainerDefinition(json: try JSONReader.parse(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}], "excludedPaths": [{"path": "/*"}]}}"#)))
        try store.advanceIndexTransformations(limit: 4)
        #expect(try transformation() == .object(JSONObject([
            ("reindexes", true), ("visited", 4), ("total", 10), ("progress", 40),
        ])))
        #expect(try box.ok(["stats", "c", "--format", "table"]).stdout.contains("  re-indexing: 40 % (4 of 10 items visited)"))

        try store.finishIndexTransformations()
        try store.replaceContainer(try ContainerDefinition(json: try JSONReader.parse(
            #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "defaultTtl": 60, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}], "excludedPaths": [{"path": "/*"}]}}"#)))
        try store.advanceIndexTransformations(limit: 3)
        #expect(try transformation() == .object(JSONObject([
            ("reindexes", false), ("visited", 3), ("total", 0), ("progress", 100),
        ])))
        #expect(try box.ok(["stats", "c", "--format", "table"]).stdout
            .contains("  rewriting ttl rows for a new defaultTtl: 3 items visited"))
    }
}
