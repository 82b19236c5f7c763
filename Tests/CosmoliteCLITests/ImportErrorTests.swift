// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// How `cosmolite import` reports each kind of bad line, in `--on-error stop` and `skip` modes.
struct ImportErrorTests {
    /// A kind of bad line: its text (placed third in the file) and the status it is reported with.
    struct BadLine: Sendable, CustomStringConvertible {
        let description: String
        let text: String
        let status: String
        let message: String
    }

    static let badLines: [BadLine] = [
        BadLine(description: "malformed JSON", text: #"{"id": "bad", "tenantId": "t""#,
                status: "400 Bad Request", message: "not valid JSON"),
        BadLine(description: "missing id", text: #"{"tenantId": "t", "name": "no id"}"#,
                status: "400 Bad Request", message: "no 'id'"),
        BadLine(description: "unique-key conflict", text: #"{"id": "dup-name", "tenantId": "t", "name": "one"}"#,
                status: "409 Conflict", message: "unique key"),
        BadLine(description: "duplicate id", text: #"{"id": "1", "tenantId": "t", "name": "other"}"#,
                status: "409 Conflict", message: "already exists"),
        BadLine(description: "oversize item",
                text: #"{"id": "big", "tenantId": "t", "blob": "\#(String(repeating: "b", count: 2_100_000))"}"#,
                status: "413 Request Entity Too Large", message: "2 MB"),
        BadLine(description: "oversize line",
                text: #"{"id": "huge", "tenantId": "t", "blob": "\#(String(repeating: "h", count: 2_300_000))"}"#,
                status: "413 Request Entity Too Large", message: "2 MB"),
        BadLine(description: "not an object", text: #"[1, 2]"#,
                status: "400 Bad Request", message: "JSON object"),
    ]

    static let uniqueContainer = #", "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/name"]}]}"#

    static func good(_ id: String) -> String { #"{"id": "\#(id)", "tenantId": "t", "name": "\#(id == "1" ? "one" : id)"}"# }

    @Test(arguments: badLines)
    func stopCommitsEverythingBeforeTheBadLineAndSaysWhereToResume(bad: BadLine) throws {
        let box = Sandbox()
        try box.createContainer("c", extra: Self.uniqueContainer)
        let file = try box.write("in.jsonl", [Self.good("1"), Self.good("2"), bad.text, Self.good("4"), Self.good("5")]
            .joined(separator: "\n") + "\n")
        let result = try box.run(["import", file, "--container", "c", "--quiet"])
        #expect(result.status == 1, "\(bad)")
        #expect(result.firstErrorLine.hasPrefix("error: line 3: \(bad.status): "), "\(bad): \(result.summary)")
        #expect(result.firstErrorLine.contains(bad.message), "\(bad): \(result.firstErrorLine)")
        #expect(result.stderr.contains("--resume-at 3"), "\(bad): \(result.stderr)")
        #expect(result.stderr.contains("--resume-at 4"))
        #expect(!result.stderr.contains(String(repeating: "b", count: 100)), "the document is never printed")
        let summary = try result.json()
        #expect(summary["imported"] == 2)
        #expect(summary["failed"] == 1)
        #expect(summary["stoppedAtLine"] == 3)
        #expect(Set(try Ops.items(box, "c").values.compactMap { $0["id"]?.stringValue }) == ["1", "2"],
                "exactly the lines before the bad one are committed (\(bad))")

        let resumed = try box.ok(["import", file, "--container", "c", "--quiet", "--resume-at", "4"])
        let again = try resumed.json()
        #expect(again["imported"] == 2, "\(resumed.summary)")
        #expect(again["skipped"] == 3)
        #expect(again["failed"] == 0)
        #expect(Set(try Ops.items(box, "c").values.compactMap { $0["id"]?.stringValue }) == ["1", "2", "4", "5"])
    }

    @Test func skipReportsEveryBadLineAndImportsTheRest() throws {
        let box = Sandbox()
        try box.createContainer("c", extra: Self.uniqueContainer)
        var lines = [Self.good("1"), Self.good("2")]
        lines += Self.badLines.map(\.text)
        lines += ["", "   ", Self.good("10")]
        let file = try box.write("in.jsonl", lines.joined(separator: "\n"))
        let result = try box.run(["import", file, "--container", "c", "--on-error", "skip", "--quiet", "--batch", "4"])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("error: line ") }
        #expect(errors.count == Self.badLines.count, "\(result.summary)")
        for (i, bad) in Self.badLines.enumerated() {
            #expect(errors.contains { $0.hasPrefix("error: line \(i + 3): \(bad.status): ") && $0.contains(bad.message) },
                    "\(bad) on line \(i + 3): \(errors)")
        }
        let summary = try result.json()
        #expect(summary["imported"] == 3)
        #expect(summary["failed"] == .number(Double(Self.badLines.count)))
        #expect(summary["stoppedAtLine"] == .null)
        #expect(summary["lines"] == .number(Double(lines.count)))
        #expect(Set(try Ops.items(box, "c").values.compactMap { $0["id"]?.stringValue }) == ["1", "2", "10"])
        #expect(try box.ok(["verify"]).json()["ok"] == true)
    }

    @Test func stopInALaterBatchKeepsEarlierBatches() throws {
        let box = Sandbox()
        try box.createContainer("c", extra: Self.uniqueContainer)
        var lines = (1...9).map { Self.good("g\($0)") }
        lines.insert(#"{"id": "clash", "tenantId": "t", "name": "g2"}"#, at: 6)   // line 7
        let file = try box.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try box.run(["import", file, "--container", "c", "--batch", "4", "--quiet"])
        #expect(result.firstErrorLine.hasPrefix("error: line 7: 409 Conflict"), "\(result.summary)")
        #expect(try result.json()["imported"] == 6)
        #expect(try Ops.items(box, "c").count == 6)
    }

    @Test func aTruncatedExportIsReported() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "upsert", "c", "--lines"], stdin: #"{"id": "a", "tenantId": "t"}"# + "\n")
        let export = try box.ok(["export", "--quiet"])
        let cut = export.lines.dropLast().joined(separator: "\n")
        let file = try box.write("cut.jsonl", cut)
        let result = try box.ok(["import", file, "--store", box.directory + "/other", "--quiet"])
        #expect(try result.json()["complete"] == false)
        #expect(result.stderr.contains("warning: the file has no end line"), "\(result.summary)")

        let future = try box.write("future.jsonl", #"{"cosmoliteExport": 2, "containers": []}"#)
        let refused = try box.run(["import", future, "--store", box.directory + "/other", "--quiet"])
        #expect(refused.status == 1)
        #expect(refused.firstErrorLine.contains("export format 2 is not supported"), "\(refused.summary)")
    }

    /// A damaged line of the export's own (here its header, cut short) stops the import whatever --on-error says,
    /// and the advice is never to skip it: the lines after it depend on it.
    @Test(arguments: ["stop", "skip"])
    func aDamagedHeaderStopsTheImportAndIsNotToBeSkipped(onError: String) throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "t"}"#)
        let export = box.directory + "/all.jsonl"
        _ = try box.ok(["export", "--output", export, "--quiet"])
        var lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = String(lines[0].prefix(lines[0].count / 2))
        let cut = try box.write("cut.jsonl", lines.joined(separator: "\n") + "\n")
        let other = Sandbox()
        let result = try other.run(["import", cut, "--on-error", onError, "--quiet"])
        #expect(result.status == 1)
        #expect(result.firstErrorLine.hasPrefix("error: line 1: 400 Bad Request: the line is not valid JSON"),
                "\(result.summary)")
        #expect(result.stderr.contains("a damaged line of the export's own, which cannot be skipped"),
                "\(result.summary)")
        #expect(!result.stderr.contains("--resume-at 2"), "\(result.summary)")
        #expect(try other.run(["containers", "get", "c"]).status == 1, "nothing was created")
    }
}
