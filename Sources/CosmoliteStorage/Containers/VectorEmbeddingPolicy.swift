// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON
import CosmoliteEvaluation

/// A container's vector embedding policy, in Cosmos DB's JSON shape:
///
/// ```json
/// {"vectorEmbeddings": [{"path": "/embedding", "dataType": "float32", "dimensions": 1536,
///                        "distanceFunction": "cosine"}]}
/// ```
///
/// Each path holds vectors (arrays of numbers) of one element type and length, compared by one distance function:
/// `VectorDistance(c.embedding, @q)` uses the path's function and type unless its options say otherwise, and the
/// indexing policy's `vectorIndexes` may name only these paths. Entries cannot be changed or removed once the
/// container exists (the service's rule); new paths may be added.
public struct VectorEmbeddingPolicy: Sendable, Hashable {
    /// One vector path.
    public struct Embedding: Sendable, Hashable {
        /// The path, for example `/embedding` (no wildcards, not inside an array).
        public let path: String
        /// `float32` (the default), `float16`, `int8` or `uint8`.
        public let dataType: String
        /// The vectors' length: 1 to ``maxDimensions`` (default 1536).
        public let dimensions: Int
        /// `cosine` (the default), `dotproduct` or `euclidean`.
        public let distanceFunction: String
        let propertyNames: [String]

        /// The JSON form.
        var json: JSONValue {
            .object(["path": .string(path), "dataType": .string(dataType), "dimensions": .number(Double(dimensions)),
                     "distanceFunction": .string(distanceFunction)])
        }
    }

    /// The most dimensions a vector path may have (the largest any vector index supports).
    public static let maxDimensions = 4096

    /// The vector paths, in definition order.
    public let embeddings: [Embedding]

    /// An empty policy (no vector paths).
    public init() { embeddings = [] }

    /// Parses and validates the JSON form.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(json: JSONValue) throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("vectorEmbeddingPolicy: must be an object like {\"vectorEmbeddings\": [...]}")
        }
        for key in o.keys where key != "vectorEmbeddings" {
            throw StoreError.badRequest("vectorEmbeddingPolicy: unknown property '\(key)'")
        }
        var embeddings = [Embedding]()
        switch o["vectorEmbeddings"] {
        case nil, .null?:
            break
        case .array(let entries)?:
            for (i, entry) in entries.enumerated() {
                embeddings.append(try Self.embedding(entry, field: "vectorEmbeddingPolicy.vectorEmbeddings[\(i)]"))
            }
        default:
            throw StoreError.badRequest("vectorEmbeddingPolicy.vectorEmbeddings: must be an array")
        }
        var seen = Set<[String]>()
        for embedding in embeddings where !seen.insert(embedding.propertyNames).inserted {
            throw StoreError.badRequest("vectorEmbeddingPolicy: the path \(embedding.path) has more than one policy; "
                + "each path may have one")
        }
        self.embeddings = embeddings
    }

    private static func embedding(_ entry: JSONValue, field: String) throws -> Embedding {
        guard case .object(let e) = entry else {
            throw StoreError.badRequest("\(field): must be an object like {\"path\": \"/embedding\", \"dataType\": "
                + "\"float32\", \"dimensions\": 1536, \"distanceFunction\": \"cosine\"}")
        }
        for key in e.keys where !["path", "dataType", "dimensions", "distanceFunction"].contains(key) {
            throw StoreError.badRequest("\(field): unknown property '\(key)'")
        }
        guard case .string(let path)? = e["path"] else {
            throw StoreError.badRequest("\(field).path: required, a path such as \"/embedding\"")
        }
        let parsed = try DocumentPath.parse(path, field: "\(field).path", allowTerminal: false, allowArrays: false)
        var dataType = VectorDistance.DataType.float32
        if let raw = e["dataType"] {
            guard case .string(let s) = raw, let type = VectorDistance.DataType(rawValue: s.lowercased()) else {
                throw StoreError.badRequest("Vector Embedding Policy has an invalid DataType \(JSONWriter.string(raw)) "
                    + "at \(field).dataType; use float32, float16, int8 or uint8")
            }
            dataType = type
        }
        var function = VectorDistance.Function.cosine
        if let raw = e["distanceFunction"] {
            guard case .string(let s) = raw, let named = VectorDistance.Function(rawValue: s.lowercased()) else {
                // The service's words: the value unquoted, as its message gives it.
                throw StoreError.badRequest("The Vector Embedding Policy has an invalid DistanceFunction:"
                    + "\(raw.stringValue ?? JSONWriter.string(raw)). (\(field).distanceFunction: use cosine, "
                    + "dotproduct or euclidean)")
            }
            function = named
        }
        var dimensions = 1536
        if let raw = e["dimensions"] {
            guard case .number(let n) = raw, n == n.rounded(), abs(n) < 1e9 else {
                throw StoreError.badRequest("\(field).dimensions: must be an integer from 1 to \(maxDimensions)")
            }
            guard n >= 1 else {
                throw StoreError.badRequest("The Vector Embedding Policy has Dimensions:\(Int(n)) at \(field); "
                    + "it must be from 1 to \(maxDimensions)")
            }
            guard Int(n) <= maxDimensions else {
                throw StoreError.badRequest("Vector Embedding Policy has Dimensions:\(Int(n)) which is more than the "
                    + "maximum supported value (\(maxDimensions)), at \(field)")
            }
            dimensions = Int(n)
        }
        return Embedding(path: path, dataType: dataType.rawValue, dimensions: dimensions,
                         distanceFunction: function.rawValue, propertyNames: parsed.propertyNames)
    }

    /// The JSON form, with defaults filled in.
    public var json: JSONValue {
        .object(["vectorEmbeddings": .array(embeddings.map(\.json))])
    }

    /// The embedding of `path` as written, or `nil`.
    func embedding(at path: String) -> Embedding? {
        embeddings.first { $0.path == path }
    }

    /// The compiled form `VectorDistance` reads, or `nil` when there are no vector paths.
    var compiled: VectorEmbeddings? {
        guard !embeddings.isEmpty else { return nil }
        var byPath = [[String]: VectorDistance]()
        for embedding in embeddings {
            byPath[embedding.propertyNames] = VectorDistance(
                function: VectorDistance.Function(rawValue: embedding.distanceFunction)!,
                dataType: VectorDistance.DataType(rawValue: embedding.dataType)!)
        }
        return VectorEmbeddings(byPath)
    }
}
