// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// `vectorEmbeddingPolicy` and `indexingPolicy.vectorIndexes`: validated with the service's rules and messages,
/// kept and echoed, and immutable where the service makes them so.
struct VectorPolicyTests {
    static func text(embeddings: String, indexes: String = "[]") -> String {
        #"{"id": "v", "partitionKey": {"paths": ["/pk"]}, "vectorEmbeddingPolicy": {"vectorEmbeddings": "#
            + embeddings + #"}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "vectorIndexes": "# + indexes
            + "}}"
    }

    static let valid = text(
        embeddings: #"[{"path": "/embedding", "dataType": "float32", "dimensions": 8, "distanceFunction": "euclidean"},"#
            + #" {"path": "/doc/vector", "dataType": "Int8", "dimensions": 1024, "distanceFunction": "DotProduct"},"#
            + #" {"path": "/plain"}]"#,
        indexes: #"[{"path": "/embedding", "type": "flat"}, {"path": "/doc/vector", "type": "DiskANN", "#
            + #""quantizationByteSize": 96, "indexingSearchListSize": 100, "vectorIndexShardKey": ["/pk"]}]"#)

    @Test func validPoliciesAreKeptWithDefaultsFilledIn() throws {
        let d = try definition(Self.valid)
        let embeddings = d.vectorEmbeddingPolicy.embeddings
        #expect(embeddings.map(\.path) == ["/embedding", "/doc/vector", "/plain"])
        #expect(embeddings.map(\.dataType) == ["float32", "int8", "float32"])
        #expect(embeddings.map(\.distanceFunction) == ["euclidean", "dotproduct", "cosine"])
        #expect(embeddings.map(\.dimensions) == [8, 1024, 1536])
        #expect(d.indexingPolicy.vectorIndexes.map(\.type) == [.flat, .diskANN])
        #expect(d.indexingPolicy.vectorIndexes[1].vectorIndexShardKey == ["/pk"])
        // The JSON form reads back as the same definition, and the store keeps it.
        #expect(try ContainerDefinition(json: d.json) == d)
        let test = try TestStore()
        try test.store.createContainer(d)
        #expect(try test.store.container("v").definition == d)
        let echoed = try test.store.container("v").definition.json
        guard case .array(let echoedEmbeddings)? = echoed["vectorEmbeddingPolicy"]?["vectorEmbeddings"],
              case .array(let echoedIndexes)? = echoed["indexingPolicy"]?["vectorIndexes"] else {
            Issue.record("no vector settings in \(echoed)")
            return
        }
        #expect(echoedEmbeddings[2]["dimensions"] == .number(1536))
        #expect(echoedIndexes[1]["type"] == "diskANN")
    }

    @Test(arguments: [
        (text(embeddings: #"[{"path": "/v", "dataType": "float33"}]"#), "Vector Embedding Policy has an invalid DataType"),
        (text(embeddings: #"[{"path": "/v", "distanceFunction": "handMeasured"}]"#),
         "invalid DistanceFunction:handMeasured"),
        (text(embeddings: #"[{"path": "/v", "dimensions": 8000}]"#),
         "Dimensions:8000 which is more than the maximum supported value"),
        (text(embeddings: #"[{"path": "/v", "dimensions": -1}]"#), "The Vector Embedding Policy has Dimensions:-1"),
        (text(embeddings: #"[{"path": "/v", "dimensions": 2.5}]"#), "dimensions: must be an integer"),
        (text(embeddings: #"[{"path": "v"}]"#), "must start with '/'"),
        (text(embeddings: #"[{"path": "/v/*"}]"#), "vectorEmbeddings[0].path"),
        (text(embeddings: #"[{"path": "/a/[]/v"}]"#), "vectorEmbeddings[0].path"),
        (text(embeddings: #"[{"path": "/v"}, {"path": "/v", "dimensions": 3}]"#), "has more than one policy"),
        (text(embeddings: #"[{"path": "/v", "size": 3}]"#), "unknown property 'size'"),
        (text(embeddings: #"{"path": "/v"}"#), "vectorEmbeddings: must be an array"),
        (text(embeddings: #"[{"path": "/v"}]"#, indexes: #"[{"path": "/w", "type": "flat"}]"#),
         "The Vector Indexing Policy's path::/w not matching in Embedding's path."),
        (text(embeddings: #"[{"path": "/v"}]"#, indexes: #"[{"path": "/v", "type": "notFlat"}]"#),
         "Index Type::notFlat is invalid"),
        (text(embeddings: #"[{"path": "/v"}]"#, indexes: #"[{"path": "/v", "type": "flat"}]"#),
         "a flat vector index supports at most 505 dimensions, and /v has 1536"),
        (text(embeddings: #"[{"path": "/v", "dimensions": 256}]"#,
              indexes: #"[{"path": "/v", "type": "quantizedFlat", "quantizationByteSize": 0}]"#),
         "QuantizationByteSize value :: 0 is out of range. The allowed range is between 1 and 256."),
        (text(embeddings: #"[{"path": "/v", "dimensions": 550}]"#,
              indexes: #"[{"path": "/v", "type": "diskANN", "quantizationByteSize": 513}]"#),
         "The allowed range is between 1 and 512."),
        (text(embeddings: #"[{"path": "/v"}]"#, indexes: #"[{"path": "/v", "type": "diskANN", "indexingSearchListSize": 5}]"#),
         "IndexingSearchListSize value :: 5 is out of range. The allowed range is between 25 and 500."),
        (text(embeddings: #"[{"path": "/v"}]"#,
              indexes: #"[{"path": "/v", "type": "diskANN", "vectorIndexShardKey": ["/a", "/b", "/c"]}]"#),
         "The number of shard paths defined in the Vector Indexing Policy: 3 exceeds the maximum: 1."),
        (text(embeddings: #"[{"path": "/v"}]"#,
              indexes: #"[{"path": "/v", "type": "diskANN", "vectorIndexShardKey": ["country"]}]"#),
         "The Vector Indexing Policy has an invalid Shard Path: country."),
        (text(embeddings: #"[{"path": "/v"}]"#, indexes: #"[{"path": "/v", "type": "diskANN", "vectorIndexShardKey": "/a"}]"#),
         "vectorIndexShardKey: must be an array"),
        (text(embeddings: #"[{"path": "/v", "dimensions": 8}]"#,
              indexes: #"[{"path": "/v", "type": "flat", "indexingSearchListSize": 100}]"#),
         "applies to diskANN indexes only, not flat"),
        (text(embeddings: #"[{"path": "/v", "dimensions": 8}]"#,
              indexes: #"[{"path": "/v", "type": "flat"}, {"path": "/v", "type": "flat"}]"#), "has two vector indexes"),
    ])
    func invalidPoliciesAreRefusedWithTheServicesWords(text: String, message: String) throws {
        let error = expectStatus(400) { try definition(text) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error?.message))")
    }

    @Test func replaceKeepsExistingVectorSettings() throws {
        let test = try TestStore()
        let original = try definition(Self.valid)
        try test.store.createContainer(original)
        _ = try test.store.createItem(in: "v", document: try json(#"{"id": "a", "pk": "x", "embedding": [1, 2]}"#))
        func replaced(_ edit: (inout String) -> Void) throws -> ContainerDefinition {
            var text = Self.valid
            edit(&text)
            return try definition(text)
        }
        // An existing vector path cannot change or go.
        var error = expectStatus(400) {
            try test.store.replaceContainer(try replaced { $0 = $0.replacingOccurrences(of: #""dimensions": 8,"#, with: #""dimensions": 9,"#) })
        }
        #expect(error?.message.contains("Paths in existing embedding policy cannot be modified") == true)
        error = expectStatus(400) {
            try test.store.replaceContainer(try replaced { $0 = $0.replacingOccurrences(of: #", {"path": "/plain"}"#, with: "") })
        }
        #expect(error?.message.contains("keep the vector path /plain") == true, "\(String(describing: error?.message))")
        // An existing vector index cannot change ...
        error = expectStatus(400) {
            try test.store.replaceContainer(try replaced {
                $0 = $0.replacingOccurrences(of: #""indexingSearchListSize": 100"#, with: #""indexingSearchListSize": 200"#)
            })
        }
        #expect(error?.message.contains("Paths in existing vector indexing policy cannot be modified") == true)
        #expect(try test.store.container("v").definition == original)
        // ... but can be removed, and new paths and indexes added (the items are re-indexed: their vector rows).
        let grown = try definition(Self.text(
            embeddings: #"[{"path": "/embedding", "dataType": "float32", "dimensions": 8, "distanceFunction": "euclidean"},"#
                + #" {"path": "/doc/vector", "dataType": "int8", "dimensions": 1024, "distanceFunction": "dotproduct"},"#
                + #" {"path": "/plain"}, {"path": "/more", "dimensions": 3}]"#,
            indexes: #"[{"path": "/more", "type": "quantizedFlat"}]"#))
        _ = try test.store.createItem(in: "v", document: try json(#"{"id": "b", "pk": "x", "more": [1, 2, 3]}"#))
        try test.store.replaceContainer(grown)
        #expect(try test.store.container("v").definition == grown)
        #expect(try test.store.indexTransformationProgress(in: "v") < 100)
        try test.store.finishIndexTransformations()
        #expect(try test.store.verify().isEmpty)
    }
}
