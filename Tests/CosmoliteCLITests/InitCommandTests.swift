// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite init` and `cosmolite verify` end to end.
struct InitCommandTests {
    @Test func initTwiceCreatesThenReportsUnchanged() throws {
        let box = Sandbox()
        try box.write("Containers/orders.json", #"{"id": "orders", "partitionKey": {"paths": ["/tenantId"]}}"#)
        try box.write("Containers/users.json",
                      #"{"id": "users", "partitionKey": {"paths": ["/id"]}, "defaultTtl": -1}"#)
        try box.write("Containers/README.md", "not a definition")

        let first = try box.ok(["init"]).json()
        #expect(first.arrayValue?.map { $0["outcome"] } == ["created", "created"])
        #expect(first.arrayValue?.map { $0["id"] } == ["orders", "users"])

        let second = try box.ok(["init", "--containers", "Containers", "--format", "table"])
        #expect(second.lines.filter { $0.contains("unchanged") }.count == 2, "\(second.summary)")
        #expect(second.stderr.isEmpty)

        try box.write("Containers/users.json",
                      #"{"id": "users", "partitionKey": {"paths": ["/id"]}, "defaultTtl": 60}"#)
        let third = try box.run(["init"])
        #expect(third.status == 0, "differences are reported, not failures")
        #expect(try third.json().arrayValue?.map { $0["outcome"] } == ["unchanged", "differs"])
        #expect(try third.json().arrayValue?[1]["differences"] == ["defaultTtl"])
        #expect(third.stderr.contains("warning: container 'users' differs"), "\(third.summary)")
        #expect(try box.ok(["containers", "get", "users"]).json()["defaultTtl"] == -1, "left unchanged")
    }

    @Test func invalidDefinitionWritesNothing() throws {
        let box = Sandbox()
        try box.write("Containers/a.json", #"{"id": "a", "partitionKey": {"paths": ["/t"]}}"#)
        try box.write("Containers/b.json", #"{"id": "b", "partitionKey": {"paths": ["t"]}}"#)
        let result = try box.run(["init"])
        #expect(result.status != 0)
        #expect(result.firstErrorLine.hasPrefix("error: 400 Bad Request: Containers/b.json:"), "\(result.summary)")
        let list = try box.run(["containers", "list"])
        let containers = list.status == 0 ? try list.json().arrayValue ?? [] : []
        #expect(containers.isEmpty, "\(list.summary)")
    }

    @Test func verifyReportsAConsistentStore() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "t"}"#)
        let result = try box.ok(["verify", "--format", "table"])
        #expect(result.stdout == "ok: 1 container consistent\n")
        #expect(try box.ok(["verify"]).json()["ok"] == true)
    }
}
