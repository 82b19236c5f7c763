// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A container's indexing policy, in Cosmos DB's JSON shape.
///
/// ```json
/// {"indexingMode": "consistent", "automatic": true,
///  "includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/\"_etag\"/?"}],
///  "compositeIndexes": [[{"path": "/tenantId", "order": "ascending"}, {"path": "/name", "order": "ascending"}]]}
/// ```
///
/// In `consistent` mode every write updates the range and composite indexes in the same LMDB transaction
/// as the item. The root path `/*` must be either included or excluded; the more precise path wins; `id`
/// and `_ts` are always indexed. `none` keeps no secondary index (queries scan).
public struct IndexingPolicy: Sendable, Hashable {
    /// How the index is maintained.
    public enum Mode: String, Sendable, Hashable {
        /// Index entries are written in the same transaction as the item.
        case consistent
        /// No secondary indexes.
        case none
    }

    /// Sort order of one composite-index path.
    public enum Order: String, Sendable, Hashable {
        /// Ascending.
        case ascending
        /// Descending.
        case descending
    }

    /// One path of a composite index.
    public struct CompositePath: Sendable, Hashable {
        /// The path, for example `/updatedAt`.
        public let path: String
        /// The order.
        public let order: Order
        let propertyNames: [String]
    }

    /// The indexing mode.
    public let indexingMode: Mode
    /// Whether items are indexed automatically (Cosmos's `automatic`).
    public let automatic: Bool
    /// Included paths such as `/*` or `/status/?`.
    public let includedPaths: [String]
    /// Excluded paths such as `/description/*`.
    public let excludedPaths: [String]
    /// Composite indexes, each of 2 to 8 paths.
    public let compositeIndexes: [[CompositePath]]
    /// Vector indexes, each on a path of the container's vector embedding policy: each item's vector at the path
    /// is kept packed beside the index, so that `ORDER BY VectorDistance(...)` scores items without reading them.
    /// Searches are exact whatever the kind (see ``VectorIndex``).
    public let vectorIndexes: [VectorIndex]
    /// Full-text indexes, each on a path of the container's full-text policy: each item's terms at the path are
    /// indexed, so that full-text search reads the index rather than every item (see ``FullTextIndex``).
    public let fullTextIndexes: [FullTextIndex]
    /// Spatial indexes: each shape at a covered path is filed by where it lies, so that spatial conditions read
    /// the items near their area (see ``SpatialIndex``).
    public let spatialIndexes: [SpatialIndex]

    let parsedIncluded: [DocumentPath]
    let parsedExcluded: [DocumentPath]

    /// The top-level properties an included or excluded path, or a composite index, names (`cp_x` for
    /// `/cp_x/?`); the root `/*` names none.
    var topLevelNames: Set<String> {
        var names = Set<String>()
        for path in parsedIncluded + parsedExcluded {
            if case .property(let name)? = path.segments.first { names.insert(name) }
        }
        for index in compositeIndexes {
            for path in index { if let first = path.propertyNames.first { names.insert(first) } }
        }
        return names
    }

    /// Cosmos's default policy: everything included except `_etag`.
    public static let `default` = try! IndexingPolicy(
        indexingMode: .consistent, includedPaths: ["/*"], excludedPaths: ["/\"_etag\"/?"])

    /// Creates and validates a policy.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(indexingMode: Mode = .consistent, automatic: Bool = true, includedPaths: [String],
                excludedPaths: [String] = [], compositeIndexes: [[(path: String, order: Order)]] = [],
                vectorIndexes: [VectorIndex] = [], fullTextIndexes: [FullTextIndex] = [],
                spatialIndexes: [SpatialIndex] = []) throws {
        if indexingMode == .consistent {
            guard includedPaths.count <= 1500, excludedPaths.count <= 1500 else {
                throw StoreError.badRequest("indexingPolicy: at most 1,500 included and 1,500 excluded paths")
            }
        }
        let included = try includedPaths.enumerated().map { i, p in
            try DocumentPath.parse(p, field: "indexingPolicy.includedPaths[\(i)].path", allowTerminal: true,
                                   allowArrays: true)
        }
        let excluded = try excludedPaths.enumerated().map { i, p in
            try DocumentPath.parse(p, field: "indexingPolicy.excludedPaths[\(i)].path", allowTerminal: true,
                                   allowArrays: true)
        }
        let overlap = Set(includedPaths).intersection(excludedPaths)
        if let path = overlap.sorted().first {
            throw StoreError.badRequest("indexingPolicy: the path '\(path)' is both included and excluded")
        }
        for (list, name) in [(includedPaths, "includedPaths"), (excludedPaths, "excludedPaths")]
        where Set(list).count != list.count {
            throw StoreError.badRequest("indexingPolicy.\(name): a path is listed twice")
        }
        if indexingMode == .consistent {
            let isRoot: (DocumentPath) -> Bool = { $0.segments.isEmpty && $0.terminal == .subtree }
            guard included.contains(where: isRoot) || excluded.contains(where: isRoot) else {
                throw StoreError.badRequest(
                    "indexingPolicy: the root path '/*' must be either included or excluded (add {\"path\": \"/*\"} "
                        + "to includedPaths or excludedPaths)")
            }
        }
        var composites = [[CompositePath]]()
        var totalCompositePaths = 0
        for (i, index) in compositeIndexes.enumerated() {
            let field = "indexingPolicy.compositeIndexes[\(i)]"
            guard (2...8).contains(index.count) else {
                throw StoreError.badRequest("\(field): a composite index needs 2 to 8 paths, got \(index.count)")
            }
            var paths = [CompositePath]()
            for (j, entry) in index.enumerated() {
                let parsed = try DocumentPath.parse(entry.path, field: "\(field)[\(j)].path", allowTerminal: false,
                                                    allowArrays: false)
                paths.append(CompositePath(path: entry.path, order: entry.order, propertyNames: parsed.propertyNames))
            }
            guard Set(paths.map(\.path)).count == paths.count else {
                throw StoreError.badRequest("\(field): a path appears twice in one composite index")
            }
            totalCompositePaths += paths.count
            composites.append(paths)
        }
        guard totalCompositePaths <= 100 else {
            throw StoreError.badRequest("indexingPolicy.compositeIndexes: at most 100 composite paths in total")
        }
        guard Set(composites).count == composites.count else {
            throw StoreError.badRequest("indexingPolicy.compositeIndexes: the same composite index is listed twice")
        }
        self.indexingMode = indexingMode
        self.automatic = automatic
        self.includedPaths = includedPaths
        self.excludedPaths = excludedPaths
        var vectorPaths = Set<[String]>()
        for index in vectorIndexes where !vectorPaths.insert(index.propertyNames).inserted {
            throw StoreError.badRequest("indexingPolicy.vectorIndexes: the path \(index.path) has two vector indexes; "
                + "keep one")
        }
        var fullTextPaths = Set<[String]>()
        for index in fullTextIndexes where !fullTextPaths.insert(index.propertyNames).inserted {
            throw StoreError.badRequest("indexingPolicy.fullTextIndexes: the path \(index.path) is listed twice; "
                + "list each path once")
        }
        var spatialPaths = Set<String>()
        for index in spatialIndexes where !spatialPaths.insert(index.path).inserted {
            throw StoreError.badRequest("indexingPolicy.spatialIndexes: the path \(index.path) is listed twice; "
                + "list each path once, with all its types")
        }
        self.compositeIndexes = composites
        self.vectorIndexes = vectorIndexes
        self.fullTextIndexes = fullTextIndexes
        self.spatialIndexes = spatialIndexes
        self.parsedIncluded = included
        self.parsedExcluded = excluded
    }

    /// Parses the JSON form.
    init(json: JSONValue) throws {
        guard case .object(let o) = json else { throw StoreError.badRequest("indexingPolicy: must be an object") }
        let known: Set = ["indexingMode", "automatic", "includedPaths", "excludedPaths", "compositeIndexes",
                          "spatialIndexes", "vectorIndexes", "fullTextIndexes"]
        for key in o.keys where !known.contains(key) {
            throw StoreError.badRequest("indexingPolicy: unknown property '\(key)'")
        }
        var mode = Mode.consistent
        if let m = o["indexingMode"] {
            guard case .string(let s) = m, let parsed = Mode(rawValue: s.lowercased()) else {
                throw StoreError.badRequest(
                    "indexingPolicy.indexingMode: must be \"consistent\" or \"none\" (lazy indexing is not supported)")
            }
            mode = parsed
        }
        var automatic = true
        if let a = o["automatic"] {
            guard case .bool(let b) = a else { throw StoreError.badRequest("indexingPolicy.automatic: must be a boolean") }
            automatic = b
        }
        func paths(_ key: String) throws -> [String]? {
            guard let raw = o[key] else { return nil }
            guard case .array(let items) = raw else { throw StoreError.badRequest("indexingPolicy.\(key): must be an array") }
            return try items.enumerated().map { i, item in
                guard case .object(let entry) = item, case .string(let p)? = entry["path"] else {
                    throw StoreError.badRequest("indexingPolicy.\(key)[\(i)]: must be an object like {\"path\": \"/a/?\"}")
                }
                for k in entry.keys where k != "path" && k != "indexes" {
                    throw StoreError.badRequest("indexingPolicy.\(key)[\(i)]: unknown property '\(k)'")
                }
                return p
            }
        }
        let included = try paths("includedPaths")
        let excluded = try paths("excludedPaths")
        var composites = [[(path: String, order: Order)]]()
        if let raw = o["compositeIndexes"] {
            guard case .array(let indexes) = raw else {
                throw StoreError.badRequest("indexingPolicy.compositeIndexes: must be an array of arrays")
            }
            for (i, index) in indexes.enumerated() {
                guard case .array(let entries) = index else {
                    throw StoreError.badRequest("indexingPolicy.compositeIndexes[\(i)]: must be an array of paths")
                }
                composites.append(try entries.enumerated().map { j, e in
                    let field = "indexingPolicy.compositeIndexes[\(i)][\(j)]"
                    guard case .object(let entry) = e, case .string(let p)? = entry["path"] else {
                        throw StoreError.badRequest("\(field): must be an object like {\"path\": \"/a\", \"order\": \"ascending\"}")
                    }
                    var order = Order.ascending
                    if let raw = entry["order"] {
                        guard case .string(let s) = raw, let parsed = Order(rawValue: s.lowercased()) else {
                            throw StoreError.badRequest("\(field).order: must be \"ascending\" or \"descending\"")
                        }
                        order = parsed
                    }
                    return (p, order)
                })
            }
        }
        /// The entries of the array at `key` (none when absent or null), each with its position.
        func entries(_ key: String, example: String) throws -> [(position: Int, entry: JSONValue)] {
            switch o[key] {
            case nil, .null?: return []
            case .array(let entries)?: return entries.enumerated().map { ($0.offset, $0.element) }
            default: throw StoreError.badRequest("indexingPolicy.\(key): must be an array like \(example)")
            }
        }
        let vectorIndexes = try entries("vectorIndexes", example: #"[{"path": "/embedding", "type": "flat"}]"#).map {
            try VectorIndex(json: $0.entry, field: "indexingPolicy.vectorIndexes[\($0.position)]")
        }
        let fullTextIndexes = try entries("fullTextIndexes", example: #"[{"path": "/text"}]"#).map {
            try FullTextIndex(json: $0.entry, position: $0.position)
        }
        let spatialIndexes = try entries("spatialIndexes", example: #"[{"path": "/location/*", "types": ["Point"]}]"#)
            .map { try SpatialIndex(json: $0.entry, position: $0.position) }
        if mode == .none {
            try self.init(indexingMode: .none, automatic: automatic, includedPaths: included ?? [],
                          excludedPaths: excluded ?? [], compositeIndexes: composites, vectorIndexes: vectorIndexes,
                          fullTextIndexes: fullTextIndexes, spatialIndexes: spatialIndexes)
        } else {
            // Cosmos fills in the root when neither list is given.
            let inc = included ?? (excluded == nil ? ["/*"] : [])
            var exc = excluded ?? []
            if included == nil && excluded == nil { exc = ["/\"_etag\"/?"] }
            try self.init(indexingMode: .consistent, automatic: automatic, includedPaths: inc, excludedPaths: exc,
                          compositeIndexes: composites, vectorIndexes: vectorIndexes, fullTextIndexes: fullTextIndexes,
                          spatialIndexes: spatialIndexes)
        }
    }

    /// The JSON form.
    public var json: JSONValue {
        var o = JSONObject()
        o["indexingMode"] = .string(indexingMode.rawValue)
        o["automatic"] = .bool(automatic)
        o["includedPaths"] = .array(includedPaths.map { .object(["path": .string($0)]) })
        o["excludedPaths"] = .array(excludedPaths.map { .object(["path": .string($0)]) })
        if !compositeIndexes.isEmpty {
            o["compositeIndexes"] = .array(compositeIndexes.map { index in
                .array(index.map { .object(["path": .string($0.path), "order": .string($0.order.rawValue)]) })
            })
        }
        if !vectorIndexes.isEmpty { o["vectorIndexes"] = .array(vectorIndexes.map(\.json)) }
        if !fullTextIndexes.isEmpty { o["fullTextIndexes"] = .array(fullTextIndexes.map(\.json)) }
        if !spatialIndexes.isEmpty { o["spatialIndexes"] = .array(spatialIndexes.map(\.json)) }
        return .object(o)
    }

    /// Whether writes maintain secondary indexes.
    var maintainsIndexes: Bool { indexingMode == .consistent && automatic }

    /// Two policies are equal when they index the same way (the parsed forms are derived from these fields).
    public static func == (a: IndexingPolicy, b: IndexingPolicy) -> Bool {
        a.indexingMode == b.indexingMode && a.automatic == b.automatic && a.includedPaths == b.includedPaths
            && a.excludedPaths == b.excludedPaths && a.compositeIndexes == b.compositeIndexes
            && a.vectorIndexes == b.vectorIndexes && a.fullTextIndexes == b.fullTextIndexes
            && a.spatialIndexes == b.spatialIndexes
    }

    /// Hashes the fields that define the policy.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(indexingMode)
        hasher.combine(includedPaths)
        hasher.combine(excludedPaths)
        hasher.combine(compositeIndexes)
        hasher.combine(vectorIndexes)
        hasher.combine(fullTextIndexes)
        hasher.combine(spatialIndexes)
    }
}
