// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite items ...` end to end.
struct ItemCommandTests {
    @Test func createReadReplaceWithIfMatchPatchDelete() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let created = try box.ok(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "acme", "n": 1}"#).json()
        let etag = try #require(created["_etag"]?.stringValue)
        #expect(created["n"] == 1)

        let duplicate = try box.run(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "acme"}"#)
        #expect(duplicate.status != 0)
        #expect(duplicate.firstErrorLine.hasPrefix("error: 409 Conflict:"), "\(duplicate.summary)")

        let read = try box.ok(["items", "read", "c", "a", "--pk", #""acme""#]).json()
        #expect(read["_etag"]?.stringValue == etag)
        #expect(read["n"] == 1)

        // Not modified: nothing printed, exit 0.
        let notModified = try box.ok(["items", "read", "c", "a", "--pk", #""acme""#, "--if-none-match", etag])
        #expect(notModified.stdout.isEmpty)
        #expect(notModified.stderr.hasPrefix("304 Not Modified"))

        let replaced = try box.ok(["items", "replace", "c", "--pk", #""acme""#, "--if-match", etag],
                                  stdin: #"{"id": "a", "tenantId": "acme", "n": 2}"#).json()
        let newEtag = try #require(replaced["_etag"]?.stringValue)
        #expect(newEtag != etag)
        #expect(replaced["n"] == 2)

        let stale = try box.run(["items", "replace", "c", "--pk", #""acme""#, "--if-match", etag],
                                stdin: #"{"id": "a", "tenantId": "acme", "n": 3}"#)
        #expect(stale.status != 0)
        #expect(stale.firstErrorLine.hasPrefix("error: 412 Precondition Failed:"), "\(stale.summary)")
        #expect(!stale.stderr.contains("\"n\""), "no document body in errors")

        let missing = try box.run(["items", "replace", "c", "--pk", #""acme""#],
                                  stdin: #"{"id": "zz", "tenantId": "acme"}"#)
        #expect(missing.firstErrorLine.hasPrefix("error: 404 Not Found:"), "\(missing.summary)")

        let operations = #"[{"op": "incr", "path": "/n", "value": 5}, {"op": "add", "path": "/tag", "value": "x"}]"#
        let patched = try box.ok(["items", "patch", "c", "a", "--pk", #""acme""#, "--if-match", newEtag],
                                 stdin: operations).json()
        #expect(patched["n"] == 7)
        #expect(patched["tag"] == "x")

        let stalePatch = try box.run(["items", "patch", "c", "a", "--pk", #""acme""#, "--if-match", etag],
                                     stdin: #"[{"op": "set", "path": "/n", "value": 0}]"#)
        #expect(stalePatch.firstErrorLine.hasPrefix("error: 412 Precondition Failed:"), "\(stalePatch.summary)")

        let staleDelete = try box.run(["items", "delete", "c", "a", "--pk", #""acme""#, "--if-match", etag])
        #expect(staleDelete.firstErrorLine.hasPrefix("error: 412"), "\(staleDelete.summary)")
        _ = try box.ok(["items", "delete", "c", "a", "--pk", #""acme""#])
        let gone = try box.run(["items", "read", "c", "a", "--pk", #""acme""#])
        #expect(gone.status != 0)
        #expect(gone.firstErrorLine.hasPrefix("error: 404 Not Found:"), "\(gone.summary)")
    }

    /// `items replace --id OLD` with a document of another id renames the item; `--if-none-match '*'` on a read
    /// prints nothing for any existing item.
    @Test func replaceWithAnotherIDRenames() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "acme", "n": 1}"#)
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "b", "tenantId": "acme"}"#)
        let renamed = try box.ok(["items", "replace", "c", "--pk", #""acme""#, "--id", "a"],
                                 stdin: #"{"id": "a2", "tenantId": "acme", "n": 2}"#).json()
        #expect(renamed["id"] == "a2" && renamed["n"] == 2)
        #expect(try box.run(["items", "read", "c", "a", "--pk", #""acme""#]).firstErrorLine
                    .hasPrefix("error: 404 Not Found:"))
        let taken = try box.run(["items", "replace", "c", "--pk", #""acme""#, "--id", "a2"],
                                stdin: #"{"id": "b", "tenantId": "acme"}"#)
        #expect(taken.firstErrorLine.hasPrefix("error: 409 Conflict:"), "\(taken.summary)")
        let any = try box.ok(["items", "read", "c", "a2", "--pk", #""acme""#, "--if-none-match", "*"])
        #expect(any.stdout.isEmpty && any.stderr.hasPrefix("304 Not Modified"))
    }

    @Test func patchTakesAConditionAsAnOptionOrInCosmossPatchBody() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "acme", "status": "new", "n": 1}"#)
        let claim = #"[{"op": "set", "path": "/status", "value": "claimed"}]"#
        let claimed = try box.ok(["items", "patch", "c", "a", "--pk", #""acme""#,
                                  "--condition", "FROM c WHERE c.status = 'new'"], stdin: claim).json()
        #expect(claimed["status"] == "claimed")

        let again = try box.run(["items", "patch", "c", "a", "--pk", #""acme""#,
                                 "--condition", "FROM c WHERE c.status = 'new'"], stdin: claim)
        #expect(again.firstErrorLine.hasPrefix("error: 412 Precondition Failed:"), "\(again.summary)")
        #expect(again.firstErrorLine.contains("does not satisfy the patch condition"), "\(again.summary)")

        // Cosmos's REST body: {"operations": [...], "condition": "..."}; the condition is applied, not dropped.
        let body = #"{"operations": [{"op": "incr", "path": "/n", "value": 1}], "condition": "FROM c WHERE c.n > 5"}"#
        let refused = try box.run(["items", "patch", "c", "a", "--pk", #""acme""#], stdin: body)
        #expect(refused.firstErrorLine.hasPrefix("error: 412 Precondition Failed:"), "\(refused.summary)")
        let bodyOK = #"{"operations": [{"op": "incr", "path": "/n", "value": 1}], "condition": "FROM c WHERE c.n = 1"}"#
        #expect(try box.ok(["items", "patch", "c", "a", "--pk", #""acme""#], stdin: bodyOK).json()["n"] == 2)

        let syntax = try box.run(["items", "patch", "c", "a", "--pk", #""acme""#, "--condition", "c.n = 2"],
                                 stdin: claim)
        #expect(syntax.firstErrorLine.hasPrefix("error: 400 Bad Request: invalid patch condition: syntax error at "
            + "line 1, column 1"), "\(syntax.summary)")
        let twice = try box.run(["items", "patch", "c", "a", "--pk", #""acme""#, "--condition", "FROM c"],
                                stdin: bodyOK)
        #expect(twice.firstErrorLine.contains("give it once"), "\(twice.summary)")
        let typo = try box.run(["items", "patch", "c", "a", "--pk", #""acme""#],
                               stdin: #"{"operations": [], "conditon": "FROM c"}"#)
        #expect(typo.firstErrorLine.contains("unknown property 'conditon'"), "\(typo.summary)")
        #expect(try box.ok(["items", "read", "c", "a", "--pk", #""acme""#]).json()["n"] == 2, "refusals wrote nothing")
    }

    @Test func upsertReportsCreatedThenReplaced() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let table = try box.ok(["items", "upsert", "c", "--format", "table"], stdin: #"{"id": "u", "tenantId": "t"}"#)
        #expect(table.stdout.hasPrefix("created item 'u'"), "\(table.summary)")
        let again = try box.ok(["items", "upsert", "c", "--format", "table"], stdin: #"{"id": "u", "tenantId": "t"}"#)
        #expect(again.stdout.hasPrefix("replaced item 'u'"), "\(again.summary)")
    }

    @Test func badInputIsABadRequest() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let invalid = try box.run(["items", "create", "c"], stdin: "{not json")
        #expect(invalid.status != 0)
        #expect(invalid.firstErrorLine.hasPrefix("error: 400 Bad Request:"), "\(invalid.summary)")
        let empty = try box.run(["items", "create", "c"], stdin: "")
        #expect(empty.firstErrorLine.hasPrefix("error: 400 Bad Request:"), "\(empty.summary)")
        let badKey = try box.run(["items", "read", "c", "a", "--pk", "acme"])
        #expect(badKey.firstErrorLine.hasPrefix("error: 400 Bad Request: --pk"), "\(badKey.summary)")
        let mismatch = try box.run(["items", "create", "c", "--pk", #""other""#],
                                   stdin: #"{"id": "a", "tenantId": "t"}"#)
        #expect(mismatch.firstErrorLine.hasPrefix("error: 400 Bad Request:"), "\(mismatch.summary)")
        let noContainer = try box.run(["items", "create", "nope"], stdin: #"{"id": "a", "tenantId": "t"}"#)
        #expect(noContainer.firstErrorLine.hasPrefix("error: 404 Not Found:"), "\(noContainer.summary)")
    }

    @Test func undefinedAndHierarchicalPartitionKeys() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "nokey"}"#)
        #expect(try box.ok(["items", "read", "c", "nokey", "--pk", "{}"]).json()["id"] == "nokey")
        let definition = try box.write("h.json",
                                       #"{"id": "h", "partitionKey": {"paths": ["/t", "/r"], "kind": "MultiHash"}}"#)
        _ = try box.ok(["containers", "create", "--file", definition])
        _ = try box.ok(["items", "create", "h"], stdin: #"{"id": "x", "t": "acme", "r": "eu"}"#)
        #expect(try box.ok(["items", "read", "h", "x", "--pk", #"["acme","eu"]"#]).json()["r"] == "eu")
    }

    @Test func deletePartitionRemovesOnlyThatPartition() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let lines = (0..<6).map { #"{"id": "i\#($0)", "tenantId": "t\#($0 % 2)"}"# }.joined(separator: "\n")
        _ = try box.ok(["items", "upsert", "c", "--lines"], stdin: lines)
        let deleted = try box.ok(["items", "delete-partition", "c", "--pk", #""t1""#]).json()
        #expect(deleted["deleted"] == 3)
        let remaining = try listAll(box, ["items", "list", "c", "--all"])
        #expect(Set(remaining.map(\.id)) == ["i0", "i2", "i4"])
    }

    @Test func listPagesReturnEveryItemExactlyOnce() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let ids = (0..<9).map { "item-\($0)" }
        let lines = ids.enumerated().map { #"{"id": "\#($1)", "tenantId": "t\#($0 % 3)"}"# }.joined(separator: "\n")
        _ = try box.ok(["items", "upsert", "c", "--lines"], stdin: lines)

        let result = try box.ok(["items", "list", "c", "--max-item-count", "2", "--all"])
        let pages = try result.jsonLines()
        #expect(pages.count == 5)
        for (i, page) in pages.enumerated() {
            #expect((page["items"]?.arrayValue?.count ?? 0) <= 2)
            #expect((page["continuation"]?.isNull ?? false) == (i == pages.count - 1))
        }
        let listed = pages.flatMap { $0["items"]?.arrayValue ?? [] }.compactMap { $0["id"]?.stringValue }
        #expect(listed.count == ids.count)
        #expect(Set(listed) == Set(ids))

        // One page at a time, following the continuation by hand.
        var token: String?
        var seen = [String]()
        repeat {
            var arguments = ["items", "list", "c", "--max-item-count", "4"]
            if let token { arguments += ["--continuation", token] }
            let page = try box.ok(arguments).json()
            seen += page["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            token = page["continuation"]?.stringValue
        } while token != nil
        #expect(seen.sorted() == ids.sorted())

        // One partition; the table tells how to get the next page.
        let table = try box.ok(["items", "list", "c", "--pk", #""t0""#, "--max-item-count", "2", "--format", "table"])
        #expect(table.lines.first?.hasPrefix("id") == true)
        let hint = table.lines.first { $0.hasPrefix("next page: cosmolite items list c --pk") }
        #expect(hint?.contains(" --max-item-count 2 --continuation ") == true, "\(table.summary)")
    }

    @Test func upsertLinesAcknowledgesEachLineAndReportsBadOnes() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let input = """
            {"id": "a", "tenantId": "t"}
            {"id": "b", "tenantId": "t", "secret": "hunter2"
            {"id": "a", "tenantId": "t", "v": 2}

            {"id": "bad/id", "tenantId": "t", "secret": "hunter2"}
            """
        let result = try box.run(["items", "upsert", "c", "--lines"], stdin: input)
        #expect(result.status == 1)
        let acks = try result.jsonLines()
        #expect(acks.map { $0["id"] } == ["a", "a"])
        #expect(acks.map { $0["status"] } == [201, 200])
        #expect(acks.allSatisfy { $0["etag"]?.stringValue?.hasPrefix("\"") == true })
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors.first?.hasPrefix("error: line 2: 400 Bad Request:") == true, "\(result.summary)")
        #expect(errors.contains { $0.hasPrefix("error: line 5: 400 Bad Request:") }, "\(result.summary)")
        #expect(!result.stderr.contains("hunter2"))
        let stored = try box.ok(["items", "read", "c", "a", "--pk", #""t""#]).json()
        #expect(stored["v"] == 2)
        #expect(stored["_etag"] == acks[1]["etag"])
    }
}

/// The items of every page printed by a listing command, as (id, etag).
func listAll(_ box: Sandbox, _ arguments: [String]) throws -> [(id: String, etag: String)] {
    let result = try box.ok(arguments + ["--format", "jsonl"])
    return try result.jsonLines().flatMap { page in
        (page["items"]?.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0["_etag"]?.stringValue ?? "") }
    }
}
