// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite containers ...` end to end.
struct ContainerCommandTests {
    @Test func createGetListReplaceDeleteRoundTrip() throws {
        let box = Sandbox()
        let definition = try box.write("orders.json", """
            {"id": "orders", "partitionKey": {"paths": ["/tenantId"]},
             "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/number"]}]}}
            """)
        let created = try box.ok(["containers", "create", "--file", definition]).json()
        #expect(created["id"] == "orders")
        #expect(created["partitionKey"]?["paths"] == ["/tenantId"])
        #expect(created["_etag"]?.stringValue != nil)

        let got = try box.ok(["containers", "get", "orders"]).json()
        #expect(got["uniqueKeyPolicy"]?["uniqueKeys"]?.arrayValue?.count == 1)

        try box.createContainer("audit")
        let list = try box.ok(["containers", "list"]).json()
        #expect(list.arrayValue?.compactMap { $0["id"]?.stringValue } == ["audit", "orders"])

        let table = try box.ok(["containers", "list", "--format", "table"]).lines
        #expect(table.first?.hasPrefix("id") == true)
        #expect(table.contains { $0.hasPrefix("orders") && $0.contains("/tenantId") && $0.contains("(/number)") })

        let replacement = try box.write("orders2.json", """
            {"id": "orders", "partitionKey": {"paths": ["/tenantId"]}, "defaultTtl": 3600,
             "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/number"]}]}}
            """)
        let replaced = try box.ok(["containers", "replace", "--file", replacement]).json()
        #expect(replaced["defaultTtl"] == 3600)
        #expect(try box.ok(["containers", "get", "orders"]).json()["defaultTtl"] == 3600)

        _ = try box.ok(["containers", "delete", "orders"])
        let missing = try box.run(["containers", "get", "orders"])
        #expect(missing.status != 0)
        #expect(missing.firstErrorLine.hasPrefix("error: 404 Not Found:"), "\(missing.summary)")
        #expect(try box.ok(["containers", "list"]).json().arrayValue?.count == 1)
    }

    @Test func duplicateCreateIsAConflict() throws {
        let box = Sandbox()
        try box.createContainer("orders")
        let again = try box.run(["containers", "create", "--file", box.directory + "/defs/orders.json"])
        #expect(again.status != 0)
        #expect(again.firstErrorLine.hasPrefix("error: 409 Conflict:"), "\(again.summary)")
        #expect(again.stdout.isEmpty)
    }

    @Test func invalidDefinitionNamesTheFile() throws {
        let box = Sandbox()
        let file = try box.write("bad.json", #"{"id": "x"}"#)
        let result = try box.run(["containers", "create", "--file", file])
        #expect(result.status != 0)
        #expect(result.firstErrorLine.hasPrefix("error: 400 Bad Request: \(file): partitionKey"), "\(result.summary)")
    }

    @Test func storeComesFromTheEnvironmentWhenNotGiven() throws {
        let box = Sandbox()
        let file = try box.write("defs/c.json", #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}}"#)
        let created = try box.run(["containers", "create", "--file", file],
                                  environment: ["COSMOLITE_STORE": box.store], withStore: false)
        #expect(created.status == 0, "\(created.summary)")
        // The same store, named by --store after the subcommand.
        let list = try CLI.run(["containers", "list", "--store", box.store], directory: box.directory)
        #expect(try list.json().arrayValue?.count == 1, "\(list.summary)")
    }
}
