// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite batch ...` end to end.
struct BatchCommandTests {
    @Test func successfulBatchAppliesEveryOperation() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "old", "tenantId": "acme", "n": 1}"#)
        let operations = """
            [{"operationType": "Create", "resourceBody": {"id": "a", "tenantId": "acme"}},
             {"operationType": "Upsert", "resourceBody": {"id": "b", "tenantId": "acme"}},
             {"operationType": "Patch", "id": "old",
              "resourceBody": {"operations": [{"op": "incr", "path": "/n", "value": 1}]}},
             {"operationType": "Read", "id": "a"}]
            """
        let results = try box.ok(["batch", "c", "--pk", #""acme""#], stdin: operations).json()
        #expect(results.arrayValue?.map { $0["statusCode"] } == [201, 201, 200, 200])
        #expect(results.arrayValue?[2]["resourceBody"]?["n"] == 2)
        #expect(try box.ok(["items", "read", "c", "b", "--pk", #""acme""#]).json()["id"] == "b")

        let table = try box.ok(["batch", "c", "--pk", #""acme""#, "--format", "table"],
                               stdin: #"[{"operationType": "Delete", "id": "b"}]"#)
        #expect(table.lines.contains { $0.contains("Delete") && $0.contains("204") }, "\(table.summary)")
    }

    @Test func aPatchConditionThatFailsFailsTheBatch() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "old", "tenantId": "acme", "n": 1}"#)
        let operations = """
            [{"operationType": "Create", "resourceBody": {"id": "a", "tenantId": "acme"}},
             {"operationType": "Patch", "id": "old",
              "resourceBody": {"operations": [{"op": "incr", "path": "/n", "value": 1}],
                               "condition": "FROM c WHERE c.n > 1"}}]
            """
        let result = try box.run(["batch", "c", "--pk", #""acme""#], stdin: operations)
        #expect(result.status == 1)
        #expect(result.firstErrorLine.hasPrefix("error: 412 Precondition Failed: batch operation 1 failed"),
                "\(result.summary)")
        #expect(try box.run(["items", "read", "c", "a", "--pk", #""acme""#]).status != 0, "nothing written")
        #expect(try box.ok(["items", "read", "c", "old", "--pk", #""acme""#]).json()["n"] == 1)
    }

    @Test func failedBatchWritesNothing() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "taken", "tenantId": "acme"}"#)
        let operations = """
            [{"operationType": "Create", "resourceBody": {"id": "new", "tenantId": "acme"}},
             {"operationType": "Create", "resourceBody": {"id": "taken", "tenantId": "acme"}},
             {"operationType": "Upsert", "resourceBody": {"id": "other", "tenantId": "acme"}}]
            """
        let result = try box.run(["batch", "c", "--pk", #""acme""#], stdin: operations)
        #expect(result.status == 1)
        #expect(result.firstErrorLine.hasPrefix("error: 409 Conflict: batch operation 1 failed:"), "\(result.summary)")
        let statuses = try result.json().arrayValue?.map { $0["statusCode"] }
        #expect(statuses == [424, 409, 424])
        for id in ["new", "other"] {
            let read = try box.run(["items", "read", "c", id, "--pk", #""acme""#])
            #expect(read.firstErrorLine.hasPrefix("error: 404 Not Found:"), "\(id) must not exist: \(read.summary)")
        }
    }

    @Test func malformedOperationIsABadRequest() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let result = try box.run(["batch", "c", "--pk", #""acme""#], stdin: #"[{"operationType": "Explode"}]"#)
        #expect(result.firstErrorLine.hasPrefix("error: 400 Bad Request: batch operation 0:"), "\(result.summary)")
        let notArray = try box.run(["batch", "c", "--pk", #""acme""#], stdin: #"{"operationType": "Read"}"#)
        #expect(notArray.firstErrorLine.hasPrefix("error: 400 Bad Request:"), "\(notArray.summary)")
    }
}
