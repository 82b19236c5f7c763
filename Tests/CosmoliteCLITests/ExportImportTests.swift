// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite export` and `cosmolite import` round trips.
struct ExportImportTests {
    /// Two containers with items (one with a hierarchical key and unique keys) and an empty one.
    static func populate(_ box: Sandbox) throws -> Int {
        try Ops.createContainer(box, #"""
            {"id": "integrations", "partitionKey": {"paths": ["/tenantId"]},
             "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/name"]}]},
             "indexingPolicy": {"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/blob/*"}]}}
            """#)
        try Ops.createContainer(box, #"""
            {"id": "regional", "partitionKey": {"paths": ["/tenantId", "/region"], "kind": "MultiHash", "version": 2},
             "defaultTtl": -1}
            """#)
        try Ops.createContainer(box, #"{"id": "empty", "partitionKey": {"paths": ["/k"]}}"#)
        var lines = [String]()
        for i in 0..<240 {
            lines.append(#"{"id": "i\#(i)", "tenantId": "t\#(i % 7)", "name": "name \#(i) \u00e9\u4e2d", "n": \#(i), "#
                + #""f": \#(Double(i) / 8), "tags": ["a", \#(i % 3)], "nested": {"ok": \#(i % 2 == 0), "none": null}, "#
                + #""blob": "\#(String(repeating: "x", count: i * 11))"}"#)
        }
        try Ops.load(box, "integrations", lines)
        lines = (0..<37).map { i in
            #"{"id": "r\#(i)", "tenantId": "t\#(i % 3)", "region": "eu-\#(i % 2)", "ttl": 3600, "s": "line\nbreak \"q\""}"#
        }
        try Ops.load(box, "regional", lines)
        return 240 + 37
    }

    @Test func exportThenImportIntoAFreshStoreGivesIdenticalItems() throws {
        let box = Sandbox()
        let total = try Self.populate(box)
        let file = box.directory + "/export.jsonl"
        let exported = try box.ok(["export", "--output", file, "--quiet", "--format", "json"])
        #expect(try exported.json()["items"] == .number(Double(total)), "\(exported.summary)")

        // The file: a header with the three definitions, container lines, the items, an end line.
        let lines = String(decoding: try Ops.bytes(file), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 2 + total + 1)
        let header = try JSONReader.parse(lines[0])
        #expect(header["cosmoliteExport"] == 1)
        #expect(header["containers"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["empty", "integrations", "regional"])
        #expect(try JSONReader.parse(lines[1]) == .object(JSONObject([("cosmoliteExportContainer", .string("integrations"))])))
        #expect(try JSONReader.parse(lines.last!)["cosmoliteExportEnd"]?["items"] == .number(Double(total)))
        #expect(try JSONReader.parse(lines[2])["_etag"] != nil, "items keep their system properties")

        let fresh = box.directory + "/fresh"
        let imported = try box.ok(["import", file, "--store", fresh, "--quiet"])
        let summary = try imported.json()
        #expect(summary["imported"] == .number(Double(total)), "\(imported.summary)")
        #expect(summary["failed"] == 0)
        #expect(summary["skipped"] == 0)
        #expect(summary["complete"] == true)
        #expect(summary["containersCreated"]?.arrayValue?.compactMap(\.stringValue) == ["empty", "integrations", "regional"])

        for container in ["integrations", "regional", "empty"] {
            let before = try Ops.items(box, container)
            let after = try Ops.items(box, container, store: fresh)
            #expect(before.count == after.count, "\(container)")
            for (key, item) in before {
                let copy = try #require(after[key], "\(container): \(key) missing after import")
                #expect(Ops.userProperties(copy) == Ops.userProperties(item), "\(container): \(key)")
            }
            let original = try box.ok(["containers", "get", container]).json()
            let recreated = try box.ok(["containers", "get", container, "--store", fresh]).json()
            for field in ["partitionKey", "uniqueKeyPolicy", "indexingPolicy", "defaultTtl"] {
                #expect(original[field] == recreated[field], "\(container).\(field)")
            }
        }
        let verify = try box.ok(["verify", "--store", fresh])
        #expect(try verify.json()["ok"] == true)
    }

    @Test func exportToStandardOutputAndOfSomeContainers() throws {
        let box = Sandbox()
        _ = try Self.populate(box)
        let result = try box.ok(["export", "regional", "--quiet"])
        let lines = result.lines
        #expect(lines.count == 1 + 1 + 37 + 1)
        #expect(try JSONReader.parse(lines[0])["containers"]?.arrayValue?.count == 1)
        #expect(result.stderr.isEmpty, "--quiet prints nothing on standard error: \(result.stderr)")

        let missing = try box.run(["export", "nope"])
        #expect(missing.status == 1)
        #expect(missing.firstErrorLine.hasPrefix("error: 404 Not Found: container 'nope' does not exist"))
    }

    @Test func plainJSONLinesNeedAContainerAndUpsertIsIdempotent() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let file = try box.write("plain.jsonl", (0..<50).map { #"{"id": "\#($0)", "tenantId": "t\#($0 % 4)"}"# }
            .joined(separator: "\n") + "\n\n")
        let noContainer = try box.run(["import", file, "--quiet"])
        #expect(noContainer.status == 1)
        #expect(noContainer.firstErrorLine.contains("line 1: no container for this item"), "\(noContainer.summary)")

        let first = try box.ok(["import", file, "--container", "c", "--batch", "7", "--quiet"])
        #expect(try first.json()["imported"] == 50)
        #expect(try first.json()["complete"] == .null)
        let again = try box.run(["import", file, "--container", "c", "--quiet", "--on-error", "skip"])
        #expect(again.status == 1, "create mode: every id exists")
        #expect(try again.json()["failed"] == 50)
        let upsert = try box.ok(["import", file, "--container", "c", "--mode", "upsert", "--quiet"])
        #expect(try upsert.json()["imported"] == 50)
        #expect(try Ops.items(box, "c").count == 50)

        let stdin = try box.ok(["import", "-", "--container", "c", "--mode", "upsert", "--quiet"],
                               stdin: #"{"id": "x", "tenantId": "t"}"# + "\n")
        #expect(try stdin.json()["imported"] == 1)
    }

    @Test func progressGoesToStandardErrorUnlessQuiet() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let file = try box.write("plain.jsonl", (0..<30).map { #"{"id": "\#($0)", "tenantId": "t"}"# }
            .joined(separator: "\n"))
        let shown = try box.ok(["import", file, "--container", "c", "--batch", "5", "--progress-interval", "0"])
        #expect(shown.stderr.contains("progress: import "), "\(shown.summary)")
        #expect(shown.stderr.contains("items/s"))
        #expect(try shown.json()["imported"] == 30, "standard output holds only the summary")
        let export = try box.ok(["export", "--progress-interval", "0"])
        #expect(export.stderr.contains("progress: export "))
        #expect(export.stderr.contains("exported 30 items"))
        let quiet = try box.ok(["export", "--progress-interval", "0", "--quiet"])
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.lines.count == export.lines.count)
    }
}
