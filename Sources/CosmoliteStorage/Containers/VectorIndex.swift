// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// One entry of an indexing policy's `vectorIndexes`, in Cosmos DB's JSON shape:
///
/// ```json
/// {"path": "/embedding", "type": "diskANN", "quantizationByteSize": 96, "indexingSearchListSize": 100}
/// ```
///
/// The path must be one of the container's vector embedding policy. Cosmolite validates and keeps the entry as the
/// service does, and answers every vector search exactly (every selected item is scored, as a `flat` index or
/// `bruteForce: true` does): `quantizedFlat` and `diskANN` approximate that same ranking in the service.
public struct VectorIndex: Sendable, Hashable {
    /// The kind of index.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Exact search over full vectors (up to 505 dimensions).
        case flat
        /// Exact search over compressed vectors (up to 4,096 dimensions).
        case quantizedFlat
        /// An approximate graph index (up to 4,096 dimensions).
        case diskANN

        /// The most dimensions the kind supports.
        public var maxDimensions: Int { self == .flat ? 505 : 4096 }
    }

    /// The vector path, for example `/embedding`.
    public let path: String
    /// The kind of index.
    public let type: Kind
    /// For `quantizedFlat` and `diskANN`: bytes per compressed vector, 1 to min(dimensions, 512).
    public let quantizationByteSize: Int?
    /// For `diskANN`: the size of the candidate list while building the graph, 25 to 500.
    public let indexingSearchListSize: Int?
    /// For `diskANN`: the path (at most one) whose values get a graph each.
    public let vectorIndexShardKey: [String]?
    /// For `quantizedFlat` and `diskANN`: `product` or `spherical` quantization.
    public let quantizerType: String?
    let propertyNames: [String]

    private static let members: Set = ["path", "type", "quantizationByteSize", "indexingSearchListSize",
                                       "vectorIndexShardKey", "quantizerType"]

    /// Parses the JSON form of one entry. A container definition also checks it against its path's embedding.
    ///
    /// - Parameter field: The entry's place in the definition, for messages.
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(json: JSONValue, field: String = "vectorIndex") throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("\(field): must be an object like {\"path\": \"/embedding\", \"type\": \"flat\"}")
        }
        for key in o.keys where !Self.members.contains(key) {
            throw StoreError.badRequest("\(field): unknown property '\(key)'; the properties are path, type, "
                + "quantizationByteSize, indexingSearchListSize, vectorIndexShardKey and quantizerType")
        }
        guard case .string(let path)? = o["path"] else {
            throw StoreError.badRequest("\(field).path: required, a path of the vector embedding policy")
        }
        propertyNames = try DocumentPath.parse(path, field: "\(field).path", allowTerminal: false, allowArrays: false)
            .propertyNames
        self.path = path
        guard case .string(let typeName)? = o["type"],
              let type = Kind.allCases.first(where: { $0.rawValue.lowercased() == typeName.lowercased() }) else {
            // The service's words (its SDKs' tests match them), the value written bare.
            let written = o["type"].map { $0.stringValue ?? JSONWriter.string($0) } ?? "(missing)"
            throw StoreError.badRequest("Index Type::\(written) is "
                + "invalid at \(field).type; use flat, quantizedFlat or diskANN")
        }
        self.type = type
        func integer(_ name: String) throws -> Int? {
            guard let raw = o[name] else { return nil }
            guard case .number(let n) = raw, n == n.rounded(), abs(n) < 1e9 else {
                throw StoreError.badRequest("\(field).\(name): must be an integer")
            }
            return Int(n)
        }
        func only(_ name: String, for kinds: [Kind]) throws {
            if o[name] != nil && !kinds.contains(type) {
                throw StoreError.badRequest("\(field).\(name): applies to \(kinds.map(\.rawValue).joined(separator: " and ")) "
                    + "indexes only, not \(type.rawValue); remove it")
            }
        }
        try only("quantizationByteSize", for: [.quantizedFlat, .diskANN])
        try only("quantizerType", for: [.quantizedFlat, .diskANN])
        try only("indexingSearchListSize", for: [.diskANN])
        try only("vectorIndexShardKey", for: [.diskANN])
        quantizationByteSize = try integer("quantizationByteSize")
        indexingSearchListSize = try integer("indexingSearchListSize")
        if let size = indexingSearchListSize, !(25...500).contains(size) {
            throw StoreError.badRequest("The Vector Indexing Policy parameter IndexingSearchListSize value :: \(size) is "
                + "out of range. The allowed range is between 25 and 500. (\(field).indexingSearchListSize)")
        }
        switch o["vectorIndexShardKey"] {
        case nil:
            vectorIndexShardKey = nil
        case .array(let items)?:
            guard items.count <= 1 else {
                throw StoreError.badRequest("The number of shard paths defined in the Vector Indexing Policy: "
                    + "\(items.count) exceeds the maximum: 1. (\(field).vectorIndexShardKey)")
            }
            vectorIndexShardKey = try items.map { item in
                guard case .string(let p) = item, p.hasPrefix("/") else {
                    throw StoreError.badRequest("The Vector Indexing Policy has an invalid Shard Path: "
                        + "\(item.stringValue ?? JSONWriter.string(item)). (\(field).vectorIndexShardKey; write a path "
                        + "such as \"/tenantId\")")
                }
                _ = try DocumentPath.parse(p, field: "\(field).vectorIndexShardKey[0]", allowTerminal: false,
                                           allowArrays: false)
                return p
            }
        default:
            throw StoreError.badRequest("\(field).vectorIndexShardKey: must be an array of one path, such as "
                + "[\"/tenantId\"]")
        }
        switch o["quantizerType"] {
        case nil:
            quantizerType = nil
        case .string(let s)? where ["product", "spherical"].contains(s.lowercased()):
            quantizerType = s.lowercased()
        default:
            throw StoreError.badRequest("\(field).quantizerType: must be \"product\" or \"spherical\"")
        }
    }

    /// Checks the entry against its path's embedding (`nil`: the policy has no such path).
    ///
    /// - Throws: ``StoreError`` 400: the path is not a vector path, has more dimensions than the kind supports,
    ///   or `quantizationByteSize` is out of range.
    func validate(against embedding: VectorEmbeddingPolicy.Embedding?, field: String) throws {
        guard let embedding else {
            throw StoreError.badRequest("The Vector Indexing Policy's path::\(path) not matching in Embedding's path. "
                + "(\(field).path: add the path to vectorEmbeddingPolicy.vectorEmbeddings first)")
        }
        guard embedding.dimensions <= type.maxDimensions else {
            throw StoreError.badRequest("\(field): a \(type.rawValue) vector index supports at most "
                + "\(type.maxDimensions) dimensions, and \(path) has \(embedding.dimensions); use quantizedFlat or "
                + "diskANN")
        }
        if let size = quantizationByteSize {
            let most = min(embedding.dimensions, 512)
            guard (1...most).contains(size) else {
                throw StoreError.badRequest("The Vector Indexing Policy parameter QuantizationByteSize value :: \(size) "
                    + "is out of range. The allowed range is between 1 and \(most). (\(field).quantizationByteSize)")
            }
        }
    }

    /// The JSON form.
    var json: JSONValue {
        var o: JSONObject = ["path": .string(path), "type": .string(type.rawValue)]
        if let quantizationByteSize { o["quantizationByteSize"] = .number(Double(quantizationByteSize)) }
        if let indexingSearchListSize { o["indexingSearchListSize"] = .number(Double(indexingSearchListSize)) }
        if let vectorIndexShardKey { o["vectorIndexShardKey"] = .array(vectorIndexShardKey.map(JSONValue.string)) }
        if let quantizerType { o["quantizerType"] = .string(quantizerType) }
        return .object(o)
    }
}
