// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

struct BatchTests {
    @Test func successfulBatchAppliesEveryOperation() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        let existing = try store.createItem(in: "c", json: bytes(#"{"id": "e", "tenantId": "t", "n": 1}"#))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "gone", "tenantId": "t"}"#))
        let ops = try [
            BatchOperation(json: json(#"{"operationType": "Create", "resourceBody": {"id": "a", "tenantId": "t"}}"#)),
            BatchOperation(json: json(#"{"operationType": "Upsert", "resourceBody": {"id": "b", "tenantId": "t"}}"#)),
            BatchOperation(json: json(#"{"operationType": "Replace", "id": "e", "ifMatch": \#(JSONWriter.string(.string(existing.etag))), "resourceBody": {"id": "e", "tenantId": "t", "n": 2}}"#)),
            BatchOperation(json: json(#"{"operationType": "Patch", "id": "e", "resourceBody": {"operations": [{"op": "incr", "path": "/n", "value": 1}]}}"#)),
            BatchOperation(json: json(#"{"operationType": "Read", "id": "e"}"#)),
            BatchOperation(json: json(#"{"operationType": "Delete", "id": "gone"}"#)),
        ]
        let response = try store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: ops)
        #expect(response.isSuccess)
        #expect(response.results.map(\.statusCode) == [201, 201, 200, 200, 200, 204])
        #expect(response.results[4].item?.object["n"] == .number(3))
        #expect(try store.readItems(in: "c").items.map(\.id).sorted() == ["a", "b", "e"])
    }

    @Test func failedBatchWritesNothingAndReports424() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "dup", "tenantId": "t"}"#))
        let before = try store.readChanges(in: "c").continuation
        let response = try store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: [
            BatchOperation(.create, resourceBody: try json(#"{"id": "new1", "tenantId": "t"}"#)),
            BatchOperation(.upsert, resourceBody: try json(#"{"id": "new2", "tenantId": "t"}"#)),
            BatchOperation(.create, resourceBody: try json(#"{"id": "dup", "tenantId": "t"}"#)),
            BatchOperation(.delete, id: "dup"),
        ])
        #expect(!response.isSuccess)
        #expect(response.statusCode == 409)
        #expect(response.results.map(\.statusCode) == [424, 424, 409, 424])
        #expect(try store.readItems(in: "c").items.map(\.id) == ["dup"])
        #expect(try store.readChanges(in: "c", from: .continuation(before)).items.isEmpty)
    }

    @Test func everyOperationMustBelongToTheBatchPartition() throws {
        let test = try TestStore.withContainer()
        let response = try test.store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: [
            BatchOperation(.create, resourceBody: try json(#"{"id": "a", "tenantId": "t"}"#)),
            BatchOperation(.create, resourceBody: try json(#"{"id": "b", "tenantId": "other"}"#)),
        ])
        #expect(response.results.map(\.statusCode) == [424, 400])
        #expect(response.results[1].error?.subStatus == 1001)
    }

    @Test func limits() throws {
        let test = try TestStore.withContainer()
        let many = (0..<101).map { BatchOperation(.create, resourceBody: .object(["id": .string("\($0)"), "tenantId": "t"])) }
        expectStatus(400) { try test.store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: many) }
        expectStatus(400) { try test.store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: []) }
        let hundred = Array(many.prefix(100))
        #expect(try test.store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: hundred).isSuccess)
        #expect(throws: StoreError.self) { try BatchOperation(json: json(#"{"operationType": "Explode"}"#)) }
    }

    /// A read with the item's current etag is a 304 without a body, and the batch still commits: the .NET SDK's
    /// emulator tests (BatchSinglePartitionKeyTests) expect NotModified for `IfMatchEtag` and MultiStatus overall.
    @Test func conditionalReadsAnswerNotModifiedAndTheBatchCommits() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        let key = PartitionKey("t")
        let item = try store.createItem(in: "c", json: bytes(#"{"id": "e", "tenantId": "t", "n": 1}"#))
        let etag = JSONWriter.string(.string(item.etag))
        let ops = try [
            BatchOperation(json: json(#"{"operationType": "Read", "id": "e", "ifMatch": \#(etag)}"#)),
            BatchOperation(json: json(#"{"operationType": "Read", "id": "e", "ifNoneMatch": \#(etag)}"#)),
            BatchOperation(json: json(#"{"operationType": "Read", "id": "e", "ifNoneMatch": "*"}"#)),
            BatchOperation(json: json(#"{"operationType": "Read", "id": "e", "ifNoneMatch": "\"other\""}"#)),
            BatchOperation(json: json(#"{"operationType": "Create", "resourceBody": {"id": "a", "tenantId": "t"}}"#)),
        ]
        let response = try store.executeBatch(in: "c", partitionKey: key, operations: ops)
        #expect(response.isSuccess)
        #expect(response.statusCode == 207)
        #expect(response.results.map(\.statusCode) == [304, 304, 304, 200, 201])
        #expect(response.results[0].item == nil)
        #expect(response.results[0].etag == item.etag)
        #expect(response.results[0].json["resourceBody"] == nil)
        #expect(response.results[3].item?.object["n"] == .number(1))
        #expect(try store.readItem(in: "c", id: "a", partitionKey: key).id == "a")
        // A stale If-Match on a read still fails the batch, and nothing is written.
        let stale = try store.executeBatch(in: "c", partitionKey: key, operations: [
            BatchOperation(.create, resourceBody: try json(#"{"id": "b", "tenantId": "t"}"#)),
            BatchOperation(.read, id: "e", ifMatch: "\"stale\""),
        ])
        #expect(stale.results.map(\.statusCode) == [424, 412])
        expectStatus(404) { try store.readItem(in: "c", id: "b", partitionKey: key) }
        // A batch of plain successes stays 200.
        let plain = try store.executeBatch(in: "c", partitionKey: key, operations: [BatchOperation(.read, id: "e")])
        #expect(plain.statusCode == 200)
    }

    /// The SDKs' per-operation `minimalReturnPreference` and `indexingDirective` are read, not refused.
    @Test func sdkOperationOptions() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        let ops = try [
            BatchOperation(json: json(#"{"operationType": "Create", "resourceBody": {"id": "a", "tenantId": "t"}, "minimalReturnPreference": true, "indexingDirective": "Include"}"#)),
            BatchOperation(json: json(#"{"operationType": "Upsert", "resourceBody": {"id": "b", "tenantId": "t"}, "minimalReturnPreference": false, "indexingDirective": "Default"}"#)),
        ]
        let response = try store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: ops)
        #expect(response.results.map(\.statusCode) == [201, 201])
        #expect(response.results[0].item == nil)
        #expect(response.results[0].json["resourceBody"] == nil)
        #expect(response.results[0].etag == (try store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")).etag))
        #expect(response.results[1].item?.id == "b")
        for (text, message) in [
            (#"{"operationType": "Create", "resourceBody": {"id": "x"}, "indexingDirective": "Exclude"}"#,
             "indexingDirective Exclude"),
            (#"{"operationType": "Create", "resourceBody": {"id": "x"}, "indexingDirective": "Sometimes"}"#,
             "must be Default, Include or Exclude"),
            (#"{"operationType": "Create", "resourceBody": {"id": "x"}, "minimalReturnPreference": "yes"}"#,
             "minimalReturnPreference must be true or false"),
            (#"{"operationType": "Read", "id": "x", "ifNoneMatch": 3}"#, "ifNoneMatch must be a string"),
        ] {
            do {
                _ = try BatchOperation(json: json(text))
                Issue.record("accepted \(text)")
            } catch let error as StoreError {
                #expect(error.status == 400)
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }

    /// The size refusals start with the service's words, which the Python SDK's tests match.
    @Test func sizeRefusalsUseTheServicesWords() throws {
        let test = try TestStore.withContainer()
        let many = (0..<101).map { BatchOperation(.create, resourceBody: .object(["id": .string("\($0)"), "tenantId": "t"])) }
        for (operations, words) in [([BatchOperation](), "Batch request has no operations."),
                                    (many, "Batch request has more operations than what is supported.")] {
            do {
                _ = try test.store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: operations)
                Issue.record("accepted \(operations.count) operations")
            } catch let error as StoreError {
                #expect(error.status == 400)
                #expect(error.message.hasPrefix(words), "\(error.message)")
            }
        }
    }

    @Test func aBatchFitsCosmossTwoMegabyteRequestLimit() throws {
        let test = try TestStore.withContainer()
        let key = PartitionKey("t")
        // Three documents of 0.75 MB each: each fits the 2 MB item limit, together they exceed the batch limit.
        let filler = String(repeating: "x", count: 768 * 1024)
        func create(_ id: String) -> BatchOperation {
            BatchOperation(.create, resourceBody: .object(["id": .string(id), "tenantId": "t", "blob": .string(filler)]))
        }
        let tooBig = [create("a"), create("b"), create("c")]
        expectStatus(413) { try test.store.executeBatch(in: "c", partitionKey: key, operations: tooBig) }
        expectStatus(404) { try test.store.readItem(in: "c", id: "a", partitionKey: key) }
        // Patch values count too; documents given as bytes count by their length.
        let mixed = [BatchOperation(.create, json: bytes(#"{"id": "a", "tenantId": "t", "blob": "\#(filler)"}"#)),
                     create("b"),
                     BatchOperation(.patch, id: "a", patchOperations: [
                        PatchOperation(.set, path: try JSONPointer("/more"), value: .string(filler))])]
        expectStatus(413) { try test.store.executeBatch(in: "c", partitionKey: key, operations: mixed) }
        #expect(try test.store.executeBatch(in: "c", partitionKey: key, operations: Array(mixed.prefix(2))).isSuccess)
        // Bulk is not one request, so only each item's own limit applies.
        let results = try test.store.bulk(in: "c", operations: [create("d"), create("e"), create("f")])
        #expect(results.map(\.statusCode) == [201, 201, 201])
    }

    @Test func bulkIsolatesFailures() throws {
        let test = try TestStore.withContainer(#""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/email"]}]}"#)
        let results = try test.store.bulk(in: "c", operations: [
            BatchOperation(.create, resourceBody: try json(#"{"id": "1", "tenantId": "t", "email": "a"}"#)),
            BatchOperation(.create, resourceBody: try json(#"{"id": "2", "tenantId": "t", "email": "a"}"#)),
            BatchOperation(.create, resourceBody: try json(#"{"id": "3", "tenantId": "u", "email": "a"}"#)),
            BatchOperation(.delete, id: "nope", partitionKey: PartitionKey("t")),
            BatchOperation(.create, resourceBody: try json(#"{"id": "1", "tenantId": "t", "email": "b"}"#)),
        ])
        #expect(results.map(\.statusCode) == [201, 409, 201, 404, 409])
        #expect(try test.store.readItems(in: "c").items.map(\.id).sorted() == ["1", "3"])
    }
}
