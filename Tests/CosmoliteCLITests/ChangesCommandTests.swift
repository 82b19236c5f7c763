// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite changes ...` end to end.
struct ChangesCommandTests {
    @Test func pagesFollowTheFeedAndResumeFromTheLastContinuation() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let lines = (0..<5).map { #"{"id": "i\#($0)", "tenantId": "t"}"# }.joined(separator: "\n")
        _ = try box.ok(["items", "upsert", "c", "--lines"], stdin: lines)

        let first = try box.ok(["changes", "c", "--max-item-count", "2"]).jsonLines()
        #expect(first.count == 1)
        #expect(first[0]["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["i0", "i1"])
        let token = try #require(first[0]["continuation"]?.stringValue)

        let rest = try box.ok(["changes", "c", "--continuation", token, "--max-item-count", "2", "--all"]).jsonLines()
        #expect(rest.count == 3, "two pages of changes, then the empty page")
        let ids = rest.flatMap { $0["items"]?.arrayValue ?? [] }.compactMap { $0["id"]?.stringValue }
        #expect(ids == ["i2", "i3", "i4"])
        #expect(rest.last?["items"]?.arrayValue?.isEmpty == true)
        let last = try #require(rest.last?["continuation"]?.stringValue)

        _ = try box.ok(["items", "upsert", "c"], stdin: #"{"id": "i1", "tenantId": "t", "v": 2}"#)
        let next = try box.ok(["changes", "c", "--continuation", last]).json()
        let changed = next["items"]?.arrayValue ?? []
        #expect(changed.map { $0["id"] } == ["i1"])
        #expect(changed.first?["v"] == 2, "the items are embedded as JSON documents")

        let fromNow = try box.ok(["changes", "c", "--from", "now"]).json()
        #expect(fromNow["items"]?.arrayValue?.isEmpty == true)

        let table = try box.ok(["changes", "c", "--format", "table"])
        #expect(table.lines.contains { $0.hasPrefix("next page: cosmolite changes c --continuation ") },
                "\(table.summary)")
    }

    /// `--pk` reads one partition's changes, `--from` takes an ISO 8601 time, and each change carries `_lsn`.
    @Test func partitionTimeAndSequenceNumbers() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let lines = (0..<6).map { #"{"id": "i\#($0)", "tenantId": "t\#($0 % 2)"}"# }.joined(separator: "\n")
        _ = try box.ok(["items", "upsert", "c", "--lines"], stdin: lines)
        let scoped = try box.ok(["changes", "c", "--pk", #""t1""#, "--max-item-count", "2", "--all"]).jsonLines()
        let items = scoped.flatMap { $0["items"]?.arrayValue ?? [] }
        #expect(items.compactMap { $0["id"]?.stringValue } == ["i1", "i3", "i5"])
        #expect(items.compactMap { $0["_lsn"]?.numberValue } == [2, 4, 6])
        let table = try box.ok(["changes", "c", "--pk", #""t1""#, "--max-item-count", "1", "--format", "table"])
        #expect(table.lines.contains { $0.hasPrefix("next page: cosmolite changes c --pk '\"t1\"' --max-item-count 1") },
                "\(table.summary)")
        // The store's clock is the real one here: an hour ago finds everything, an hour ahead nothing.
        let formatter = ISO8601DateFormatter()
        let hourAgo = formatter.string(from: Date(timeIntervalSinceNow: -3600))
        let hourAhead = formatter.string(from: Date(timeIntervalSinceNow: 3600))
        #expect(try box.ok(["changes", "c", "--from", hourAgo]).json()["items"]?.arrayValue?.count == 6)
        #expect(try box.ok(["changes", "c", "--from", hourAhead]).json()["items"]?.arrayValue?.isEmpty == true)
        let bad = try box.run(["changes", "c", "--from", "yesterday"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("ISO 8601"), "\(bad.stderr)")
    }

    @Test func continuationAndFromAreExclusive() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let result = try box.run(["changes", "c", "--from", "now", "--continuation", "x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--continuation or --from"))
    }
}
