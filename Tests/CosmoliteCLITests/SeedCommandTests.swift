// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite seed ...` end to end.
struct SeedCommandTests {
    @Test func seedingTwiceLeavesEverythingUnchanged() throws {
        let box = Sandbox()
        try box.createContainer("providers")
        try box.write("Seeds/providers.json", """
            [{"id": "p1", "tenantId": "acme", "name": "one", "tags": ["a", "b"]},
             {"id": "p2", "tenantId": "acme", "name": "two"},
             {"id": "p1", "tenantId": "other", "name": "same id, other partition"}]
            """)
        let first = try box.ok(["seed", "Seeds"]).json()
        #expect(first.arrayValue?.count == 1)
        #expect(first.arrayValue?[0]["created"] == 3)
        #expect(first.arrayValue?[0]["unchanged"] == 0)

        let second = try box.ok(["seed"]).json()  // Seeds is the default folder
        #expect(second.arrayValue?[0]["created"] == 0)
        #expect(second.arrayValue?[0]["updated"] == 0)
        #expect(second.arrayValue?[0]["unchanged"] == 3)

        try box.write("Seeds/providers.json", """
            [{"id": "p1", "tenantId": "acme", "name": "one", "tags": ["a", "b"]},
             {"id": "p2", "tenantId": "acme", "name": "TWO"},
             {"id": "p1", "tenantId": "other", "name": "same id, other partition"},
             {"id": "p3", "tenantId": "acme"}]
            """)
        let third = try box.ok(["seed", "--format", "table"])
        let row = try #require(third.lines.first { $0.contains("providers.json") })
        #expect(row.split(separator: " ").suffix(4) == ["1", "1", "2", "0"], "\(third.summary)")
        #expect(try box.ok(["items", "read", "providers", "p2", "--pk", #""acme""#]).json()["name"] == "TWO")
    }

    @Test func nestedAndQuotedPartitionKeyPathsAreFollowed() throws {
        let box = Sandbox()
        let definition = try box.write("nested.json", #"""
            {"id": "nested", "partitionKey": {"paths": ["/meta/tenant", "/\"region code\""], "kind": "MultiHash"}}
            """#)
        _ = try box.ok(["containers", "create", "--file", definition])
        try box.write("Seeds/nested.json", """
            [{"id": "a", "meta": {"tenant": "acme"}, "region code": "eu"},
             {"id": "a", "meta": {"tenant": "acme"}, "region code": "us"},
             {"id": "a", "meta": {"tenant": "other"}}]
            """)
        #expect(try box.ok(["seed"]).json().arrayValue?[0]["created"] == 3)
        #expect(try box.ok(["seed"]).json().arrayValue?[0]["unchanged"] == 3)
        let read = try box.ok(["items", "read", "nested", "a", "--pk", #"["other", {}]"#]).json()
        #expect(read["meta"]?["tenant"] == "other")
    }

    @Test func badEntriesAreAllReportedAndNothingIsWritten() throws {
        let box = Sandbox()
        try box.createContainer("a")
        try box.createContainer("b")
        try box.write("Seeds/a.json", """
            [{"id": "fine", "tenantId": "t"},
             {"tenantId": "t", "secret": "hunter2"},
             {"id": "x/y", "tenantId": "t"},
             {"id": "dup", "tenantId": "t"},
             {"id": "dup", "tenantId": "t"},
             {"id": "obj", "tenantId": {"nested": true}},
             "not an object"]
            """)
        try box.write("Seeds/b.json", #"[{"id": "also-fine", "tenantId": "t"}]"#)
        try box.write("Seeds/missing.json", #"[]"#)
        let result = try box.run(["seed", "Seeds"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: 400 Bad Request: 6 invalid seed entries; nothing was written",
                "\(result.summary)")
        let a = "Seeds/a.json"
        #expect(lines.contains { $0.hasPrefix("\(a): entry 1 (no id): the item has no 'id'") })
        #expect(lines.contains { $0.hasPrefix("\(a): entry 2 (id x/y): the item id must not contain '/'") })
        #expect(lines.contains { $0.hasPrefix("\(a): entry 4 (id dup): duplicate of entry 3") })
        #expect(lines.contains { $0.hasPrefix("\(a): entry 5 (id obj): the partition-key path /tenantId") })
        #expect(lines.contains { $0.hasPrefix("\(a): entry 6 (no id): an item must be a JSON object") })
        #expect(lines.contains { $0.hasPrefix("Seeds/missing.json: container 'missing' does not exist") })
        #expect(!result.stderr.contains("hunter2"))
        #expect(try listAll(box, ["items", "list", "a", "--all"]).isEmpty)
        #expect(try listAll(box, ["items", "list", "b", "--all"]).isEmpty)
    }

    /// An entry the store refuses (a unique-key conflict) keeps its whole file unwritten, and says so: the
    /// conflict's own status, the refused entry, and how many of the file's entries went unwritten with it. The
    /// other files are written.
    @Test func aFileTheStoreRefusesIsNotWrittenAndSaysSo() throws {
        let box = Sandbox()
        try box.createContainer("a", extra: #", "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/name"]}]}"#)
        try box.createContainer("b")
        _ = try box.ok(["items", "create", "a"], stdin: #"{"id": "old", "tenantId": "t", "name": "taken"}"#)
        try box.write("Seeds/a.json", """
            [{"id": "n1", "tenantId": "t", "name": "fresh"},
             {"id": "n2", "tenantId": "t", "name": "taken"},
             {"id": "n3", "tenantId": "t", "name": "other"}]
            """)
        try box.write("Seeds/b.json", #"[{"id": "b1", "tenantId": "t"}]"#)
        let result = try box.run(["seed", "Seeds"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: 409 Conflict: 1 seed entry was refused, so Seeds/a.json was not written "
                    + "(a file is written whole or not at all); the other 1 file was written", "\(result.summary)")
        #expect(lines.dropFirst().first?.hasPrefix("Seeds/a.json: entry 1 (id n2): ") == true, "\(result.summary)")
        #expect(lines.last == "2 other entries of the refused file were not written (424 Failed Dependency)")
        #expect(try listAll(box, ["items", "list", "a", "--all"]).map(\.id) == ["old"])
        #expect(try listAll(box, ["items", "list", "b", "--all"]).map(\.id) == ["b1"])
    }
}
