// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A container's unique-key policy: `{"uniqueKeys": [{"paths": ["/providerName", "/name"]}]}`.
///
/// Each unique key is a tuple of up to 16 paths; a container has at most 10. Uniqueness is scoped to the
/// logical partition, values are compared case-sensitively, and a missing path counts as `null` (so only
/// one item per partition may lack it). The policy is immutable once the container exists.
public struct UniqueKeyPolicy: Sendable, Hashable {
    /// One constraint: the paths whose values, taken together, must be unique in a logical partition.
    public struct UniqueKey: Sendable, Hashable {
        /// The paths, for example `["/providerName", "/name"]`.
        public let paths: [String]
        let parsedPaths: [[String]]
        /// The paths as a 409 names them: `/providerName, /name`.
        var pathList: String { paths.joined(separator: ", ") }
    }

    /// The constraints, in definition order.
    public let uniqueKeys: [UniqueKey]

    /// An empty policy.
    public init() { self.uniqueKeys = [] }

    /// Creates and validates a policy from lists of paths.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(_ keys: [[String]]) throws {
        guard keys.count <= 10 else {
            throw StoreError.badRequest("uniqueKeyPolicy.uniqueKeys: at most 10 unique keys are allowed, got \(keys.count)")
        }
        var out = [UniqueKey]()
        for (i, paths) in keys.enumerated() {
            let field = "uniqueKeyPolicy.uniqueKeys[\(i)].paths"
            guard !paths.isEmpty else { throw StoreError.badRequest("\(field): at least one path is required") }
            guard paths.count <= 16 else {
                throw StoreError.badRequest("\(field): at most 16 paths per unique key, got \(paths.count)")
            }
            guard Set(paths).count == paths.count else { throw StoreError.badRequest("\(field): paths must be distinct") }
            let parsed = try paths.enumerated().map { j, p in
                let names = try DocumentPath.parse(p, field: "\(field)[\(j)]", allowTerminal: false,
                                                   allowArrays: false).propertyNames
                if let first = names.first, PreparedDocument.systemProperties.contains(first) {
                    throw StoreError.badRequest("\(field)[\(j)]: '\(p)' is a system property; unique keys use document properties")
                }
                return names
            }
            out.append(UniqueKey(paths: paths, parsedPaths: parsed))
        }
        guard Set(out.map(\.paths)).count == out.count else {
            throw StoreError.badRequest("uniqueKeyPolicy.uniqueKeys: the same unique key is listed twice")
        }
        self.uniqueKeys = out
    }

    /// Parses the JSON form.
    init(json: JSONValue) throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("uniqueKeyPolicy: must be an object like {\"uniqueKeys\": [{\"paths\": [\"/a\"]}]}")
        }
        for key in o.keys where key != "uniqueKeys" {
            throw StoreError.badRequest("uniqueKeyPolicy: unknown property '\(key)'")
        }
        guard let raw = o["uniqueKeys"] else { self.init(); return }
        guard case .array(let items) = raw else {
            throw StoreError.badRequest("uniqueKeyPolicy.uniqueKeys: must be an array")
        }
        let keys = try items.enumerated().map { i, item -> [String] in
            guard case .object(let k) = item, case .array(let ps)? = k["paths"] else {
                throw StoreError.badRequest("uniqueKeyPolicy.uniqueKeys[\(i)]: must be an object with a 'paths' array")
            }
            return try ps.enumerated().map { j, p in
                guard case .string(let s) = p else {
                    throw StoreError.badRequest("uniqueKeyPolicy.uniqueKeys[\(i)].paths[\(j)]: must be a string")
                }
                return s
            }
        }
        try self.init(keys)
    }

    /// The JSON form.
    public var json: JSONValue {
        .object(["uniqueKeys": .array(uniqueKeys.map { .object(["paths": .array($0.paths.map { .string($0) })]) })])
    }
}
