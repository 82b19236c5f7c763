// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A container's partition-key definition: `{"paths": ["/tenantId"], "kind": "Hash", "version": 2}`.
///
/// `Hash` takes exactly one path; `MultiHash` (hierarchical partition keys) takes two or three. Version 2
/// (large partition keys, values up to 2,048 bytes) is the default; version 1 limits values to 101 bytes,
/// as the service does. The definition is immutable once the container exists.
public struct PartitionKeyDefinition: Sendable, Hashable {
    /// How values are partitioned.
    public enum Kind: String, Sendable, Hashable {
        /// One path.
        case hash = "Hash"
        /// Two or three paths (hierarchical partition keys).
        case multiHash = "MultiHash"
    }

    /// The paths, for example `["/tenantId"]`.
    public let paths: [String]
    /// `Hash` or `MultiHash`.
    public let kind: Kind
    /// 1 or 2.
    public let version: Int

    package let parsedPaths: [[String]]

    /// Creates and validates a definition.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(paths: [String], kind: Kind = .hash, version: Int = 2) throws {
        guard !paths.isEmpty else { throw StoreError.badRequest("partitionKey.paths: at least one path is required") }
        switch kind {
        case .hash where paths.count != 1:
            throw StoreError.badRequest(
                "partitionKey.paths: kind Hash takes exactly one path; use kind MultiHash for 2 or 3 paths")
        case .multiHash where paths.count > 3:
            throw StoreError.badRequest("partitionKey.paths: at most 3 paths are allowed (MultiHash)")
        default: break
        }
        guard version == 1 || version == 2 else {
            throw StoreError.badRequest("partitionKey.version: must be 1 or 2, got \(version)")
        }
        if kind == .multiHash && version != 2 {
            throw StoreError.badRequest("partitionKey.version: MultiHash partition keys require version 2")
        }
        var parsed = [[String]]()
        for (i, p) in paths.enumerated() {
            let path = try DocumentPath.parse(p, field: "partitionKey.paths[\(i)]", allowTerminal: false,
                                              allowArrays: false)
            parsed.append(path.propertyNames)
        }
        guard Set(paths).count == paths.count else {
            throw StoreError.badRequest("partitionKey.paths: paths must be distinct")
        }
        self.paths = paths
        self.kind = kind
        self.version = version
        self.parsedPaths = parsed
    }

    /// The largest partition-key value in bytes (2,048, or 101 for version 1).
    public var maxValueBytes: Int { version == 1 ? 101 : 2048 }

    /// Parses the JSON form.
    init(json: JSONValue) throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("partitionKey: must be an object like {\"paths\": [\"/tenantId\"], \"kind\": \"Hash\"}")
        }
        for key in o.keys where !["paths", "kind", "version", "systemKey"].contains(key) {
            throw StoreError.badRequest("partitionKey: unknown property '\(key)'")
        }
        guard case .array(let rawPaths)? = o["paths"] else {
            throw StoreError.badRequest("partitionKey.paths: required, an array of paths like [\"/tenantId\"]")
        }
        let paths = try rawPaths.enumerated().map { i, v -> String in
            guard case .string(let s) = v else {
                throw StoreError.badRequest("partitionKey.paths[\(i)]: must be a string")
            }
            return s
        }
        var kind = paths.count > 1 ? Kind.multiHash : .hash
        if let k = o["kind"] {
            guard case .string(let s) = k, let parsed = Kind(rawValue: s) else {
                throw StoreError.badRequest("partitionKey.kind: must be \"Hash\" or \"MultiHash\"")
            }
            kind = parsed
        }
        var version = 2
        if let v = o["version"] {
            guard case .number(let n) = v, n == n.rounded() else {
                throw StoreError.badRequest("partitionKey.version: must be 1 or 2")
            }
            version = Int(n)
        }
        try self.init(paths: paths, kind: kind, version: version)
    }

    /// The JSON form, with defaults filled in.
    public var json: JSONValue {
        .object(JSONObject([
            ("paths", .array(paths.map { .string($0) })),
            ("kind", .string(kind.rawValue)),
            ("version", .number(Double(version))),
        ]))
    }

    /// Extracts an item's partition-key value.
    ///
    /// - Throws: ``StoreError`` 400 when the value at a path is an array or object, or is too large.
    func extract(from document: JSONObject) throws -> PartitionKey {
        var components = [PartitionKey.Component]()
        components.reserveCapacity(parsedPaths.count)
        for (i, path) in parsedPaths.enumerated() {
            var current: JSONValue? = .object(document)
            for name in path {
                current = current?[name]
            }
            do {
                components.append(try PartitionKey.Component(current))
            } catch {
                throw StoreError.badRequest(
                    "the partition-key path \(paths[i]) holds an array or object; it must be a string, number, "
                        + "boolean or null, or be absent")
            }
        }
        let key = PartitionKey(components: components)
        try validate(key)
        return key
    }

    /// Checks a caller-supplied key against this definition.
    ///
    /// - Parameter prefix: Whether the key may give only the leading levels of a hierarchical key (`["acme"]` of
    ///   `/tenantId, /userId`), as queries and feeds take it (the SDKs' prefix partition keys); point operations
    ///   need every level.
    package func validate(_ key: PartitionKey, prefix: Bool = false) throws {
        let count = key.components.count
        guard count == parsedPaths.count || prefix && count >= 1 && count < parsedPaths.count else {
            throw StoreError.badRequest(
                "the partition key \(key) has \(key.components.count) component(s) but the container's partition "
                    + "key has \(parsedPaths.count) path(s) (\(paths.joined(separator: ", ")))"
                    + (prefix ? "; give 1 to \(parsedPaths.count) of them, leading ones first" : ""))
        }
        if key.byteSize > maxValueBytes {
            throw StoreError.badRequest(
                "the partition-key value is \(key.byteSize) bytes; the limit is \(maxValueBytes) bytes"
                    + (version == 1 ? " (partition-key version 1; version 2 allows 2,048)" : ""))
        }
    }
}
