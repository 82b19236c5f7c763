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

    @Test func continuationAndFromAreExclusive() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let result = try box.run(["changes", "c", "--from", "now", "--continuation", "x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--continuation or --from"))
    }
}
