// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A container definition in Cosmos DB's own JSON shape.
///
/// ```json
/// {"id": "integrations",
///  "partitionKey": {"paths": ["/tenantId"], "kind": "Hash", "version": 2},
///  "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/providerName", "/name"]}]},
///  "indexingPolicy": {"indexingMode": "consistent", "includedPaths": [{"path": "/*"}]},
///  "defaultTtl": -1,
///  "computedProperties": [{"name": "cp_lowerName", "query": "SELECT VALUE LOWER(c.name) FROM c"}]}
/// ```
///
/// Parsing validates every field and throws a 400 ``StoreError`` that names the bad one. System properties
/// (`_rid`, `_ts`, `_etag`, `_self`, ...) in the input are ignored, so a definition read back from the store
/// (or exported from Azure Cosmos DB) can be given again as is.
public struct ContainerDefinition: Sendable, Hashable {
    /// The container id (1–255 characters, none of `/ \ ? #`).
    public let id: String
    /// The partition key; immutable.
    public let partitionKey: PartitionKeyDefinition
    /// The unique-key policy; immutable.
    public let uniqueKeyPolicy: UniqueKeyPolicy
    /// The indexing policy; replacing it re-indexes the container.
    public let indexingPolicy: IndexingPolicy
    /// `nil`: items never expire (their `ttl` is ignored); -1: TTL on without a default; n > 0: seconds.
    public let defaultTtl: Int?
    /// Properties derived from each item by a query, readable by queries and indexable (see ``ComputedProperty``).
    public let computedProperties: [ComputedProperty]
    /// The vector paths and how `VectorDistance` compares their vectors (see ``VectorEmbeddingPolicy``).
    public let vectorEmbeddingPolicy: VectorEmbeddingPolicy
    /// The full-text paths and their language (see ``FullTextPolicy``).
    public let fullTextPolicy: FullTextPolicy
    /// Settings Cosmolite keeps and echoes as given: `conflictResolutionPolicy`, `analyticalStorageTtl`,
    /// `changeFeedPolicy` and `clientEncryptionPolicy` (not acted on: a definition exported from Azure is accepted
    /// as it is) and `geospatialConfig` (checked, and read through ``geospatialType``).
    public let preserved: JSONObject

    private static let preservedKeys: Set = ["conflictResolutionPolicy", "geospatialConfig", "analyticalStorageTtl",
                                             "changeFeedPolicy", "clientEncryptionPolicy"]
    private static let systemKeys: Set = ["_rid", "_ts", "_etag", "_self", "_docs", "_sprocs", "_triggers", "_udfs",
                                          "_conflicts"]

    /// Creates and validates a definition.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(id: String, partitionKey: PartitionKeyDefinition, uniqueKeyPolicy: UniqueKeyPolicy = UniqueKeyPolicy(),
                indexingPolicy: IndexingPolicy = .default, defaultTtl: Int? = nil,
                computedProperties: [ComputedProperty] = [],
                vectorEmbeddingPolicy: VectorEmbeddingPolicy = VectorEmbeddingPolicy(),
                fullTextPolicy: FullTextPolicy = FullTextPolicy(),
                geospatialType: GeospatialType = .geography) throws {
        var preserved = JSONObject()
        if geospatialType != .geography {
            preserved["geospatialConfig"] = .object(["type": .string(geospatialType.rawValue)])
        }
        try self.init(id: id, partitionKey: partitionKey, uniqueKeyPolicy: uniqueKeyPolicy,
                      indexingPolicy: indexingPolicy, defaultTtl: defaultTtl, computedProperties: computedProperties,
                      vectorEmbeddingPolicy: vectorEmbeddingPolicy, fullTextPolicy: fullTextPolicy,
                      preserved: preserved)
    }

    /// How the spatial functions read GeoJSON values: `geospatialConfig.type` (Geography unless declared).
    public var geospatialType: GeospatialType {
        guard let config = preserved["geospatialConfig"], let type = try? GeospatialType(json: config) else {
            return .geography
        }
        return type
    }

    private init(id: String, partitionKey: PartitionKeyDefinition, uniqueKeyPolicy: UniqueKeyPolicy,
                 indexingPolicy: IndexingPolicy, defaultTtl: Int?, computedProperties: [ComputedProperty],
                 vectorEmbeddingPolicy: VectorEmbeddingPolicy, fullTextPolicy: FullTextPolicy,
                 preserved: JSONObject) throws {
        try Self.validateID(id)
        try ComputedProperty.validate(computedProperties, partitionKey: partitionKey)
        for (i, index) in indexingPolicy.vectorIndexes.enumerated() {
            try index.validate(against: vectorEmbeddingPolicy.embeddings.first { $0.propertyNames == index.propertyNames },
                               field: "indexingPolicy.vectorIndexes[\(i)]")
        }
        for index in indexingPolicy.fullTextIndexes {
            try index.validate(against: fullTextPolicy)
        }
        let geospatialType = try preserved["geospatialConfig"].map(GeospatialType.init(json:)) ?? .geography
        for (i, index) in indexingPolicy.spatialIndexes.enumerated() {
            try index.validate(model: geospatialType, field: "indexingPolicy.spatialIndexes[\(i)]")
        }
        if let ttl = defaultTtl {
            guard ttl == -1 || (1...Int(Int32.max)).contains(ttl) else {
                throw StoreError.badRequest(
                    "defaultTtl: must be -1 (on, no default) or 1 to 2147483647 seconds, or absent (off); got \(ttl)")
            }
        }
        self.id = id
        self.partitionKey = partitionKey
        self.uniqueKeyPolicy = uniqueKeyPolicy
        self.indexingPolicy = indexingPolicy
        self.defaultTtl = defaultTtl
        self.computedProperties = computedProperties
        self.vectorEmbeddingPolicy = vectorEmbeddingPolicy
        self.fullTextPolicy = fullTextPolicy
        self.preserved = preserved
    }

    /// Parses and validates the JSON form.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(json: JSONValue) throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("a container definition must be a JSON object")
        }
        let known: Set = ["id", "partitionKey", "uniqueKeyPolicy", "indexingPolicy", "defaultTtl", "computedProperties",
                          "vectorEmbeddingPolicy", "fullTextPolicy"]
        var preserved = JSONObject()
        for (key, value) in o where !known.contains(key) && !Self.systemKeys.contains(key) {
            if Self.preservedKeys.contains(key) {
                if key == "geospatialConfig" && value == .null { continue }
                preserved[key] = value
            } else {
                throw StoreError.badRequest(
                    "unknown container property '\(key)'; supported: id, partitionKey, uniqueKeyPolicy, "
                        + "indexingPolicy, defaultTtl, computedProperties, vectorEmbeddingPolicy, fullTextPolicy, "
                        + "geospatialConfig, conflictResolutionPolicy, analyticalStorageTtl, changeFeedPolicy, "
                        + "clientEncryptionPolicy")
            }
        }
        guard case .string(let id)? = o["id"] else { throw StoreError.badRequest("id: required, a string") }
        guard let pk = o["partitionKey"] else {
            throw StoreError.badRequest("partitionKey: required, for example {\"paths\": [\"/tenantId\"], \"kind\": \"Hash\"}")
        }
        var ttl: Int?
        switch o["defaultTtl"] {
        case nil, .null?: ttl = nil
        case .number(let n)? where n == n.rounded() && abs(n) < 1e12: ttl = Int(n)
        default: throw StoreError.badRequest("defaultTtl: must be an integer (-1 or 1 to 2147483647) or absent")
        }
        try self.init(
            id: id,
            partitionKey: try PartitionKeyDefinition(json: pk),
            uniqueKeyPolicy: try o["uniqueKeyPolicy"].map(UniqueKeyPolicy.init(json:)) ?? UniqueKeyPolicy(),
            indexingPolicy: try o["indexingPolicy"].map(IndexingPolicy.init(json:)) ?? .default,
            defaultTtl: ttl,
            computedProperties: try o["computedProperties"].flatMap { $0 == .null ? nil : $0 }
                .map(ComputedProperty.parseList) ?? [],
            vectorEmbeddingPolicy: try o["vectorEmbeddingPolicy"].flatMap { $0 == .null ? nil : $0 }
                .map(VectorEmbeddingPolicy.init(json:)) ?? VectorEmbeddingPolicy(),
            fullTextPolicy: try o["fullTextPolicy"].flatMap { $0 == .null ? nil : $0 }
                .map(FullTextPolicy.init(json:)) ?? FullTextPolicy(),
            preserved: preserved)
    }

    /// Parses a definition from JSON bytes.
    public init(jsonBytes: [UInt8]) throws {
        let value: JSONValue
        do { value = try JSONReader.parse(jsonBytes) } catch {
            throw StoreError.badRequest("the container definition is not valid JSON: \(error)")
        }
        try self.init(json: value)
    }

    /// The JSON form, with defaults filled in.
    public var json: JSONValue {
        var o = JSONObject()
        o["id"] = .string(id)
        o["partitionKey"] = partitionKey.json
        o["indexingPolicy"] = indexingPolicy.json
        o["uniqueKeyPolicy"] = uniqueKeyPolicy.json
        if let ttl = defaultTtl { o["defaultTtl"] = .number(Double(ttl)) }
        if !computedProperties.isEmpty { o["computedProperties"] = .array(computedProperties.map(\.json)) }
        if !vectorEmbeddingPolicy.embeddings.isEmpty { o["vectorEmbeddingPolicy"] = vectorEmbeddingPolicy.json }
        if fullTextPolicy.isDeclared { o["fullTextPolicy"] = fullTextPolicy.json }
        for (k, v) in preserved { o[k] = v }
        return .object(o)
    }

    /// The partition-key value of a document under this definition (an undefined component for a missing path).
    ///
    /// - Throws: ``StoreError`` 400 when a path holds an array or object, or the value is too large.
    public func partitionKey(of document: JSONObject) throws -> PartitionKey {
        try partitionKey.extract(from: document)
    }

    /// Validates a container id.
    static func validateID(_ id: String) throws {
        let count = id.unicodeScalars.count
        guard count >= 1, count <= 255 else {
            throw StoreError.badRequest("id: a container id must have 1 to 255 characters, got \(count)")
        }
        if let bad = id.unicodeScalars.first(where: { "/\\?#".unicodeScalars.contains($0) }) {
            throw StoreError.badRequest("id: a container id must not contain '\(bad)' (none of / \\ ? # are allowed)")
        }
        if id.hasSuffix(" ") { throw StoreError.badRequest("id: a container id must not end with a space") }
    }

    /// Whether items indexed under `other` need re-indexing under this definition: the indexing policy differs, or
    /// the computed properties do (their values are index terms, and one hides a persisted property of its name).
    func reindexes(from other: ContainerDefinition) -> Bool {
        indexingPolicy != other.indexingPolicy || computedProperties != other.computedProperties
    }

    /// Checks a replace's vector settings against the container's (the service's rules): an existing vector path's
    /// embedding cannot change or go; an existing vector index cannot change (it can be removed, and new ones added).
    ///
    /// - Throws: ``StoreError`` 400 naming the path.
    func checkVectorSettings(replacing old: ContainerDefinition) throws {
        for embedding in old.vectorEmbeddingPolicy.embeddings
        where !vectorEmbeddingPolicy.embeddings.contains(embedding) {
            throw StoreError.badRequest("container '\(id)': Paths in existing embedding policy cannot be modified in "
                + "Collection Replace; keep the vector path \(embedding.path) as it is "
                + "(\(JSONWriter.string(embedding.json))); new paths may be added")
        }
        for index in old.indexingPolicy.vectorIndexes {
            if let kept = indexingPolicy.vectorIndexes.first(where: { $0.propertyNames == index.propertyNames }),
               kept != index {
                throw StoreError.badRequest("container '\(id)': Paths in existing vector indexing policy cannot be "
                    + "modified in Collection Replace. They can only be added or removed (\(index.path)); remove the "
                    + "index, or keep it as \(JSONWriter.string(index.json))")
            }
        }
    }

    /// Whether the rows of items written under `other` must be rewritten under this definition: it re-indexes them
    /// (``reindexes(from:)``), or its `defaultTtl` differs (the `ttl` rows hold each item's expiry).
    func transforms(from other: ContainerDefinition) -> Bool {
        reindexes(from: other) || defaultTtl != other.defaultTtl
    }

    /// The expiry (Unix seconds) of an item written at `timestamp` with its own `ttl`, or `nil` if it never
    /// expires, following Cosmos: no container default means never; the item's ttl overrides the default;
    /// -1 means never.
    func expiry(timestamp: UInt64, itemTTL: Int32?) -> UInt64? {
        Self.expiry(defaultTtl: defaultTtl, timestamp: timestamp, itemTTL: itemTTL)
    }

    /// ``expiry(timestamp:itemTTL:)`` under a container `defaultTtl`.
    static func expiry(defaultTtl: Int?, timestamp: UInt64, itemTTL: Int32?) -> UInt64? {
        guard let containerTTL = defaultTtl else { return nil }
        let ttl = itemTTL.map(Int.init) ?? containerTTL
        guard ttl > 0 else { return nil }
        return timestamp + UInt64(ttl)
    }

    /// The top-level fields that differ from `other`, for reports (`indexingPolicy`, `defaultTtl`, ...).
    public func differences(from other: ContainerDefinition) -> [String] {
        var out = [String]()
        if partitionKey != other.partitionKey { out.append("partitionKey") }
        if uniqueKeyPolicy != other.uniqueKeyPolicy { out.append("uniqueKeyPolicy") }
        if indexingPolicy != other.indexingPolicy { out.append("indexingPolicy") }
        if defaultTtl != other.defaultTtl { out.append("defaultTtl") }
        if computedProperties != other.computedProperties { out.append("computedProperties") }
        if vectorEmbeddingPolicy != other.vectorEmbeddingPolicy { out.append("vectorEmbeddingPolicy") }
        if fullTextPolicy != other.fullTextPolicy { out.append("fullTextPolicy") }
        if preserved != other.preserved { out.append(contentsOf: Set(preserved.keys).union(other.preserved.keys).sorted()) }
        return out
    }
}

/// A container as stored: its definition plus Cosmos system properties.
public struct ContainerProperties: Sendable, Hashable {
    /// The definition.
    public let definition: ContainerDefinition
    /// `_rid`: the resource id.
    public let rid: String
    /// `_ts`: seconds since the Unix epoch of the last change.
    public let timestamp: Int
    /// `_etag`: changes on every replace.
    public let etag: String
    /// `_self`: the resource link.
    public let selfLink: String

    /// The container id.
    public var id: String { definition.id }

    /// The JSON form: the definition followed by `_rid`, `_ts`, `_self`, `_etag`, `_docs`, ... like Cosmos.
    public var json: JSONValue {
        guard case .object(var o) = definition.json else { return definition.json }
        o["_rid"] = .string(rid)
        o["_ts"] = .number(Double(timestamp))
        o["_self"] = .string(selfLink)
        o["_etag"] = .string(etag)
        o["_docs"] = .string("docs/")
        o["_sprocs"] = .string("sprocs/")
        o["_triggers"] = .string("triggers/")
        o["_udfs"] = .string("udfs/")
        o["_conflicts"] = .string("conflicts/")
        return .object(o)
    }
}

extension ContainerDefinition {
    /// Checks the rules a definition must meet to be created or to replace another, beyond its own syntax, so that
    /// a caller applying several definitions (a folder, an export's header) can refuse them all before writing any.
    /// They are not checked when a stored definition is read, so a store holding an older definition still opens.
    ///
    /// index-policy.md, "Indexing policies and TTL": "it isn't possible to activate TTL on a container where the
    /// indexing mode is set to none; it isn't possible to set the indexing mode to None on a container where TTL is
    /// activated."
    ///
    /// - Throws: ``StoreError`` 400 naming the container and the rule.
    public func checkWritable() throws {
        guard defaultTtl != nil, indexingPolicy.indexingMode == .none else { return }
        throw StoreError.badRequest(
            "container '\(id)': time to live (defaultTtl) cannot be set on a container whose indexing mode "
                + "is none, as in Cosmos DB; use the consistent mode (an indexing policy that excludes /* indexes "
                + "nothing but id and _ts), or remove defaultTtl")
    }
}
