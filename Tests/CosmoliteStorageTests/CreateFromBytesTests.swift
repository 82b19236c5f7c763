// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// A create given JSON bytes checks its unique keys and id before building the document tree. It must end exactly
/// as a create given the parsed tree: same status, same message, same stored item, nothing written on failure.
struct CreateFromBytesTests {
    /// A container whose partition key and one unique key are nested paths, beside a top-level unique key.
    static let container = #"""
        {"id": "c", "partitionKey": {"paths": ["/owner/tenant"]},
         "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/providerName", "/name"]}, {"paths": ["/profile/email"]}]}}
        """#

    /// Documents applied in order; each comment says what the create meets.
    static let documents: [String] = [
        #"{"id": "1", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops", "profile": {"email": "a"}}"#,
        // unique key (providerName, name) taken by item 1
        #"{"id": "2", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops", "profile": {"email": "b"}}"#,
        // nested unique key taken by item 1
        #"{"id": "2", "owner": {"tenant": "t"}, "name": "Other", "profile": {"email": "a"}}"#,
        // the same values in another logical partition: no conflict
        #"{"id": "2", "owner": {"tenant": "u"}, "providerName": "slack", "name": "Ops", "profile": {"email": "a"}}"#,
        // id exists
        #"{"id": "1", "owner": {"tenant": "t"}, "name": "New", "profile": {"email": "new"}}"#,
        // collisions, but the document is invalid elsewhere: the 400 wins
        #"{"id": "3", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops", "big": 1e400}"#,
        #"{"id": "3", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops", "x": {"k": 1, "k": 2}}"#,
        #"{"id": "3", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops", "ttl": null}"#,
        #"{"id": "3/4", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops"}"#,
        #"{"id": 3, "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops"}"#,
        #"{"owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops"}"#,
        #"{"id": "3", "owner": {"tenant": ["t"]}, "providerName": "slack", "name": "Ops"}"#,
        #"{"id": "1", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops"} trailing"#,
        #"[{"id": "1", "owner": {"tenant": "t"}}]"#,
        #"{"id": "1", "owner": {"tenant": "t"}, "id": "1"}"#,
        // system properties in the input are ignored, also by the admission checks
        #"{"id": "4", "_rid": "x", "_etag": 5, "owner": {"tenant": "t"}, "providerName": "zoom", "name": "Ops"}"#,
        // an escaped spelling of a member name is the same member
        #"{"\u0069d": "5", "owner": {"tenant": "t"}, "providerName": "slack", "\u006eame": "Ops"}"#,
        #"{"id": "5", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops 2", "profile": {"email": "c"}}"#,
    ]

    /// What a create ended with: the stored item's JSON, or the error's status and message.
    enum Outcome: Equatable {
        case created([UInt8])
        case failed(Int, String)
    }

    static func outcome(_ body: () throws -> Item) -> Outcome {
        do {
            return .created(try comparable(body().json))
        } catch let error as StoreError {
            return .failed(error.status, error.message)
        } catch {
            return .failed(-1, "\(error)")
        }
    }

    /// A stored item without the properties that name its store (`_rid`, `_self`, `_etag` embed the store's
    /// random database id, so they differ between two stores given the same writes).
    static func comparable(_ json: [UInt8]) throws -> [UInt8] {
        guard case .object(var object) = try JSONReader.parse(json) else { return json }
        for name in ["_rid", "_self", "_etag"] { object[name] = nil }
        return JSONWriter.serialize(.object(object))
    }

    @Test func bytesTreeAndBulkCreatesEndTheSame() throws {
        let fromBytes = try TestStore()
        let fromTree = try TestStore()
        let fromBulk = try TestStore()
        for test in [fromBytes, fromTree, fromBulk] { try test.store.createContainer(try definition(Self.container)) }
        for text in Self.documents {
            let input = bytes(text)
            let viaBytes = Self.outcome { try fromBytes.store.createItem(in: "c", json: input) }
            let viaTree = Self.outcome {
                let tree: JSONValue
                do {
                    tree = try JSONReader.parse(input)
                } catch {
                    throw StoreError(.badRequest, "the item is not valid JSON: \(error)")
                }
                return try fromTree.store.createItem(in: "c", document: tree)
            }
            let viaBulk = Self.outcome {
                let result = try fromBulk.store.bulk(in: "c", operations: [BatchOperation(.create, json: input)])[0]
                if let error = result.error { throw error }
                return try #require(result.item)
            }
            #expect(viaBytes == viaTree, "\(text)")
            #expect(viaBulk == viaTree, "\(text)")
        }
        let stored = try fromTree.store.readItems(in: "c").items.map { try Self.comparable($0.json) }
        #expect(stored.count == 4)
        #expect(try fromBytes.store.readItems(in: "c").items.map { try Self.comparable($0.json) } == stored)
        #expect(try fromBulk.store.readItems(in: "c").items.map { try Self.comparable($0.json) } == stored)
        for test in [fromBytes, fromTree, fromBulk] { #expect(try test.store.verify().isEmpty) }
    }

    @Test func theStatusesAreCosmosOnes() throws {
        let test = try TestStore()
        try test.store.createContainer(try definition(Self.container))
        let statuses = Self.documents.map { text in
            switch Self.outcome({ try test.store.createItem(in: "c", json: bytes(text)) }) {
            case .created: 201
            case .failed(let status, _): status
            }
        }
        #expect(statuses == [201, 409, 409, 201, 409, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 201, 409, 201])
    }

    @Test func anOversizedCollidingCreateIs413() throws {
        let test = try TestStore()
        try test.store.createContainer(try definition(Self.container))
        _ = try test.store.createItem(in: "c", json: bytes(Self.documents[0]))
        let padding = String(repeating: "x", count: 2 * 1024 * 1024)
        let error = expectStatus(413) {
            try test.store.createItem(in: "c", json: bytes(
                #"{"id": "9", "owner": {"tenant": "t"}, "providerName": "slack", "name": "Ops", "pad": "\#(padding)"}"#))
        }
        #expect(error?.message.contains("limit is 2097152 bytes") == true, "\(String(describing: error))")
        #expect(try test.store.readItems(in: "c").items.count == 1)
    }

    @Test func replaceAndUpsertTakeBytesInBatches() throws {
        let test = try TestStore()
        try test.store.createContainer(try definition(Self.container))
        let key = PartitionKey("t")
        let results = try test.store.bulk(in: "c", operations: [
            BatchOperation(.create, json: bytes(Self.documents[0])),
            BatchOperation(.replace, id: "1", json: bytes(#"{"id": "1", "owner": {"tenant": "t"}, "name": "B"}"#),
                           partitionKey: key),
            BatchOperation(.upsert, json: bytes(#"{"id": "2", "owner": {"tenant": "t"}, "name": "B"}"#)),
            BatchOperation(.upsert, json: bytes(#"{"id": "3", "owner": {"tenant": "t"}, "name": "C", "#)),
        ])
        #expect(results.map(\.statusCode) == [201, 200, 409, 400])
        let item = try test.store.readItem(in: "c", id: "1", partitionKey: key)
        #expect(item.object["name"] == .string("B"))
        #expect(try test.store.verify().isEmpty)
    }
}
