// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
package import CosmoliteEvaluation
import CosmoliteJSON

/// An indexing policy compiled into a path trie, ready to turn documents into index terms.
///
/// Precedence follows Cosmos: the more precise path wins. A `/?` pattern applies to the scalar at exactly its
/// path; a `/*` pattern to its node and everything below. Walking a document, the decision at a leaf is the
/// leaf's own `/?` pattern if any, else the deepest `/*` pattern on the way down (the root `/*` always
/// exists in consistent mode).
///
/// Computed properties are the exception: the root `/*` does not cover them, so one is indexed only under a pattern
/// that names it (`/cp_x/?`, `/cp_x/*`, or a composite index path). Their values are computed from the document
/// when its terms are built; a persisted top-level property with a computed property's name is never indexed.
///
/// An array or an object at a property path (not inside an array) whose scalar would be indexed gets one range term
/// of its own, tag ‖ digest (``compoundTerms``): an ORDER BY over the path returns such items after the strings, as
/// Cosmos does, without reading the document. Its elements and members are indexed at their own paths as before.
package final class CompiledIndexingPolicy: Sendable {
    private struct Node: Sendable {
        var children: [String: Int] = [:]
        var arrayChild: Int?
        /// Decision of a `/*` pattern ending here (true = include).
        var subtree: Bool?
        /// Decision of a `/?` pattern ending here.
        var scalar: Bool?
    }

    /// A composite index ready for term building.
    package struct Composite: Sendable {
        /// 8-byte hash of the definition, the index's key prefix.
        package let hash: [UInt8]
        /// Each component's property names.
        package let paths: [[String]]
        /// Each component's direction (`true`: descending, its key bytes inverted).
        package let descending: [Bool]
        /// The most bytes a string component keeps before it is truncated with a digest.
        package let stringBound: Int
    }

    /// A vector index ready for term building: its path and its rows' key prefix.
    package struct VectorPath: Sendable {
        /// 8-byte hash of the definition (the path and a marker), the rows' key prefix in `cidx`.
        package let hash: [UInt8]
        /// The indexed path's property names.
        package let properties: [String]
    }

    /// A spatial index ready for term building: the path it covers and the grid it files points in.
    package struct SpatialRoot: Sendable {
        /// The covered path's property names (none for `/*`).
        package let properties: [String]
        /// Whether shapes below the path are covered too (a path ending in `/*`).
        package let subtree: Bool
        /// The grid shapes are filed in.
        package let frame: SpatialFrame
        /// How the shapes' edges run: the geometry model exactly when the index has a bounding box (the definition
        /// requires one there, and refuses one under geography).
        package let model: SpatialModel

        /// Whether the shapes at `path` are covered.
        func covers(_ path: [String]) -> Bool {
            subtree ? path.starts(with: properties) : path == properties
        }
    }

    private let nodes: [Node]
    /// Whether writes maintain secondary indexes (consistent mode, automatic).
    package let maintainsIndexes: Bool
    /// The composite indexes, in policy order.
    package let composites: [Composite]
    /// The vector indexes: their rows hold each item's vector packed (see ``Terms/valued``).
    package let vectorPaths: [VectorPath]
    /// The full-text indexes: their rows hold each item's terms' positions (see ``Terms/valued``), and one row per
    /// index counts the items and their terms (``Terms/fullTextCounts``). Same shape as a vector index's.
    package let fullTextPaths: [VectorPath]
    /// The spatial indexes, in policy order: the first covering a path files its shapes (see ``Terms/valued``).
    package let spatialRoots: [SpatialRoot]
    /// Included paths without `[]` (excluding the root): a document lacking one gets an undefined entry.
    package let explicitPaths: [(properties: [String], hash: [UInt8])]
    private let pathHashes = PathHashCache()
    /// Canonical bytes of the partition-key path, which gets no range entries.
    private let skippedPath: [UInt8]?
    /// The container's computed properties, or `nil` when it has none.
    private let computed: ComputedProperties?
    /// Whether arrays and objects at property paths get range terms of their own (format 2). `false` computes the
    /// terms format 1 wrote, which the items of a store not yet upgraded still have (see `Store+FormatUpgrade.swift`).
    package let compoundTerms: Bool
    /// The computed properties some pattern or composite index names: the ones whose values terms need.
    private let indexedComputedNames: [String]

    static let idPathHash = IndexPath.hash(IndexPath.bytes(properties: ["id"]))
    static let tsPathHash = IndexPath.hash(IndexPath.bytes(properties: ["_ts"]))
    /// Top-level properties never indexed through the policy (`id` and `_ts` are indexed unconditionally).
    static let skippedTopLevel: Set<String> = ["id", "_ts", "_rid", "_self", "_etag", "_attachments"]

    /// The single partition-key path of a `Hash` container: its values are the `docs` keys themselves, so they get
    /// no range entries (the planner scans `docs` instead).
    package let partitionKeyPath: [String]?

    init(_ policy: IndexingPolicy, partitionKey: PartitionKeyDefinition, computed: ComputedProperties? = nil,
         compoundTerms: Bool = true) {
        self.compoundTerms = compoundTerms
        partitionKeyPath = partitionKey.parsedPaths.count == 1 ? partitionKey.parsedPaths[0] : nil
        var nodes = [Node()]
        func node(for path: DocumentPath) -> Int {
            var current = 0
            for segment in path.segments {
                switch segment {
                case .property(let name):
                    if let next = nodes[current].children[name] {
                        current = next
                    } else {
                        nodes.append(Node())
                        nodes[current].children[name] = nodes.count - 1
                        current = nodes.count - 1
                    }
                case .anyElement:
                    if let next = nodes[current].arrayChild {
                        current = next
                    } else {
                        nodes.append(Node())
                        nodes[current].arrayChild = nodes.count - 1
                        current = nodes.count - 1
                    }
                }
            }
            return current
        }
        for (paths, include) in [(policy.parsedIncluded, true), (policy.parsedExcluded, false)] {
            for path in paths {
                let n = node(for: path)
                if path.terminal == .scalar { nodes[n].scalar = include } else { nodes[n].subtree = include }
            }
        }
        self.nodes = nodes
        self.maintainsIndexes = policy.maintainsIndexes
        if let pk = partitionKeyPath {
            skippedPath = IndexPath.bytes(properties: pk)
        } else {
            skippedPath = nil
        }
        self.explicitPaths = policy.parsedIncluded.compactMap { path in
            guard path.isPlainPropertyPath, !path.segments.isEmpty else { return nil }
            let props = path.propertyNames
            if props.count == 1, Self.skippedTopLevel.contains(props[0]) { return nil }
            return (props, IndexPath.hash(IndexPath.bytes(properties: props)))
        }
        self.computed = computed
        let named = computed == nil ? [] : policy.topLevelNames
        indexedComputedNames = computed?.names.filter(named.contains) ?? []
        self.composites = policy.compositeIndexes.map { index in
            var definition = [UInt8]()
            for p in index {
                definition.append(contentsOf: IndexPath.bytes(properties: p.propertyNames))
                definition.append(p.order == .descending ? 0x44 : 0x41)
                definition.append(0x03)
            }
            return Composite(hash: IndexPath.hash(definition), paths: index.map(\.propertyNames),
                             descending: index.map { $0.order == .descending },
                             stringBound: KeyLayout.compositeStringBound(index.count))
        }
        self.vectorPaths = policy.vectorIndexes.map {
            VectorPath(hash: Self.vectorHash(properties: $0.propertyNames), properties: $0.propertyNames)
        }
        self.fullTextPaths = policy.fullTextIndexes.map {
            VectorPath(hash: Self.fullTextHash(properties: $0.propertyNames), properties: $0.propertyNames)
        }
        self.spatialRoots = policy.spatialIndexes.map { index in
            let frame = index.boundingBox.map {
                SpatialFrame(area: GeoBox(xmin: $0.xmin, ymin: $0.ymin, xmax: $0.xmax, ymax: $0.ymax))
            } ?? .earth
            return SpatialRoot(properties: index.parsedPath.propertyNames,
                               subtree: index.parsedPath.terminal == .subtree, frame: frame,
                               model: index.boundingBox == nil ? .geography : .geometry)
        }
    }

    /// The spatial index that files the shapes at `path` (the first in policy order covering it), or `nil`.
    package func spatialRoot(covering path: [String]) -> SpatialRoot? {
        spatialRoots.first { $0.covers(path) }
    }

    /// The key prefix of the spatial rows of the shapes at a property path: the hash of the path's canonical bytes
    /// and the marker `S` 04, distinct from every other index's.
    package static func spatialHash(properties: [String]) -> [UInt8] {
        IndexPath.hash(IndexPath.bytes(properties: properties) + spatialMarker)
    }

    /// The marker after a path's bytes in ``spatialHash(properties:)``.
    static let spatialMarker: [UInt8] = [0x53, 0x04]

    /// The key prefix of a full-text index's rows: the hash of the path's canonical bytes and the marker `F` 04,
    /// distinct from every vector index's and composite definition's.
    package static func fullTextHash(properties: [String]) -> [UInt8] {
        IndexPath.hash(IndexPath.bytes(properties: properties) + [0x46, 0x04])
    }

    /// The key prefix of a vector index's rows: the hash of the path's canonical bytes and the marker `V` 04, which
    /// no composite definition (each of whose paths ends in an order byte and 03) can equal.
    static func vectorHash(properties: [String]) -> [UInt8] {
        IndexPath.hash(IndexPath.bytes(properties: properties) + [0x56, 0x04])
    }

    // MARK: - Terms

    /// The index terms of a document.
    struct Terms: Sendable, Equatable {
        /// Range terms `pathHash(8) ‖ V` written to both `pidx` and `gidx`, sorted and unique.
        var range: [[UInt8]]
        /// Range terms written to `gidx` only: `id` (within a partition, `docs` is already ordered by id).
        var globalOnly: [[UInt8]]
        /// Composite terms: `compositeHash(8) ‖ V1 ‖ ... ‖ Vn`, one per composite index.
        var composite: [[UInt8]]
        /// Rows of `cidx` that hold a value, each `term ‖ PK ‖ ID → value`:
        /// - per vector index whose path holds a non-empty array of numbers, the term `vectorHash(8)` and the numbers
        ///   packed as little-endian doubles;
        /// - per full-text index whose path holds a string, for each of its terms, the term
        ///   `fullTextHash(8) ‖ term as a string key component` and the value `termCount(4) ‖ position(4)...`
        ///   (big-endian: the item's number of terms at the path, and where this term occurs among its words).
        var valued: [Valued] = []
        /// Per full-text index, the item's number of terms at the path (0 without a string): every item adds 1 and
        /// this to its index's counter row (``KeyLayout/fullTextCounterKey(_:hash:)``).
        var fullTextCounts: [FullTextCount] = []

        /// A row of an item with a value.
        struct Valued: Sendable, Equatable {
            var term: [UInt8]
            var value: [UInt8]
        }

        /// An item's share of a full-text index's counts.
        struct FullTextCount: Sendable, Equatable {
            var hash: [UInt8]
            var words: UInt64
        }

        static let empty = Terms(range: [], globalOnly: [], composite: [])
    }

    /// Computes the terms of a stored document (system properties included).
    func terms(of document: JSONObject) -> Terms {
        guard maintainsIndexes else { return .empty }
        var range = [[UInt8]]()
        range.reserveCapacity(document.count + 4)
        var path = [UInt8]()
        let rootInclude = nodes[0].subtree ?? false
        for (key, value) in document where !Self.skippedTopLevel.contains(key) {
            if let computed, computed.byName[key] != nil { continue }
            let child = nodes[0].children[key]
            let inherited = child.flatMap { nodes[$0].subtree } ?? rootInclude
            let mark = path.count
            IndexPath.appendProperty(key, to: &path)
            walk(value, node: child, inherited: inherited, inArray: false, path: &path, into: &range)
            path.removeSubrange(mark...)
        }
        var computedValues = JSONObject()
        if let computed, !indexedComputedNames.isEmpty {
            let item = JSONValue.object(document)
            for name in indexedComputedNames {
                guard let value = computed.value(name, of: item) else { continue }
                computedValues[name] = value
                // Only a pattern naming the property covers it: the root's decision does not apply.
                let child = nodes[0].children[name]
                IndexPath.appendProperty(name, to: &path)
                walk(value, node: child, inherited: child.flatMap { nodes[$0].subtree } ?? false, inArray: false,
                     path: &path, into: &range)
                path.removeAll(keepingCapacity: true)
            }
        }
        if let ts = document["_ts"] {
            var term = Self.tsPathHash
            KeyLayout.appendValue(ts, to: &term)
            range.append(term)
        }
        for explicit in explicitPaths where termValue(at: explicit.properties, in: document, computedValues) == nil {
            if explicit.properties == partitionKeyPath { continue }
            var term = explicit.hash
            KeyLayout.appendValue(nil, to: &term)
            range.append(term)
        }
        var globalOnly = [[UInt8]]()
        if case .string(let id)? = document["id"] {
            var term = Self.idPathHash
            KeyLayout.appendValue(.string(id), to: &term)
            globalOnly.append(term)
        }
        var composite = [[UInt8]]()
        composite.reserveCapacity(composites.count)
        for index in composites {
            var term = index.hash
            for (i, p) in index.paths.enumerated() {
                KeyLayout.appendValue(termValue(at: p, in: document, computedValues), bound: index.stringBound,
                                      descending: index.descending[i], to: &term)
            }
            composite.append(term)
        }
        var valued = [Terms.Valued]()
        for index in vectorPaths {
            // The stored value: a computed property of the same name does not hide it here (the planner reads no
            // vector row for such a path).
            if let packed = VectorDistance.packed(document.value(atPath: index.properties)) {
                valued.append(Terms.Valued(term: index.hash, value: packed))
            }
        }
        var fullTextCounts = [Terms.FullTextCount]()
        for index in fullTextPaths {
            var words: UInt64 = 0
            if case .string(let text)? = document.value(atPath: index.properties) {
                let analyzed = AnalyzedText(text)
                words = UInt64(analyzed.termCount)
                Self.appendPostings(analyzed, hash: index.hash, to: &valued)
            }
            fullTextCounts.append(Terms.FullTextCount(hash: index.hash, words: words))
        }
        if !spatialRoots.isEmpty { appendSpatialRows(of: document, to: &valued) }
        return Terms(range: Self.sortedUnique(range), globalOnly: globalOnly, composite: composite, valued: valued,
                     fullTextCounts: fullTextCounts)
    }

    /// Appends a spatial row (``Terms/valued``) for each valid GeoJSON shape at a path a spatial index covers: the
    /// shapes at the indexes' paths and, for `/*` paths, in the objects below them (not inside arrays). A point is
    /// filed at its cell; another shape at the first cell of the smallest block of the grid holding its bounding box
    /// (``SpatialFrame/enclosingCell(of:)``); a shape with no such block (across the antimeridian, around a pole,
    /// outside the frame) under the empty string. A shape not valid under the index's model (a latitude past 90°)
    /// gets no row: every spatial function finds it undefined, so no condition the index serves holds for it. The
    /// stored values, as for vector
    /// rows: a computed property of the same name does not hide them (the planner reads no spatial row for such a
    /// path).
    @inline(never)   // kept out of terms(of:), which every write runs, spatial index or not
    private func appendSpatialRows(of document: JSONObject, to valued: inout [Terms.Valued]) {
        var seen = Set<[String]>()
        func visit(_ value: JSONValue, at path: [String], subtree: Bool) {
            guard case .object(let members) = value else { return }
            if seen.insert(path).inserted, let root = spatialRoot(covering: path), members["type"] != nil,
               case .success(let shape) = GeoShape.parse(value, model: root.model) {
                var cell: UInt64?
                if case .point(let p) = shape {
                    cell = root.frame.cell(of: p)
                } else {
                    let boxes = GeoBox.covering(shape, within: 0, model: root.model)
                    if boxes.count == 1 { cell = root.frame.enclosingCell(of: boxes[0]) }
                }
                valued.append(Terms.Valued(term: Self.spatialHash(properties: path) + KeyLayout.spatialTerm(cell: cell),
                                           value: []))
                return
            }
            guard subtree else { return }
            for (name, member) in members { visit(member, at: path + [name], subtree: true) }
        }
        for root in spatialRoots {
            guard let value = root.properties.isEmpty ? .object(document) : document.value(atPath: root.properties)
            else { continue }
            visit(value, at: root.properties, subtree: root.subtree)
        }
    }

    /// Appends the full-text rows of `text` under the index `hash` (``Terms/valued``), in term order.
    private static func appendPostings(_ text: AnalyzedText, hash: [UInt8], to valued: inout [Terms.Valued]) {
        for (term, positions) in text.positions.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let key = hash + KeyLayout.fullTextTerm(term)
            var value = [UInt8]()
            value.reserveCapacity(4 * (positions.count + 1))
            value.appendBigEndian(UInt32(clamping: text.termCount))
            for position in positions { value.appendBigEndian(UInt32(clamping: position)) }
            valued.append(Terms.Valued(term: key, value: value))
        }
    }

    /// Sorts byte strings and removes duplicates (cheaper than hashing them into a set).
    package static func sortedUnique(_ terms: [[UInt8]]) -> [[UInt8]] {
        var sorted = terms.sorted { $0.lexicographicallyPrecedes($1) }
        var write = 0
        for read in sorted.indices where read == 0 || sorted[read] != sorted[write - 1] {
            sorted.swapAt(write, read)
            write += 1
        }
        sorted.removeSubrange(write...)
        return sorted
    }

    /// Appends the range terms of `value` at `path` (canonical bytes) and below. `node` is the trie node of the path,
    /// `inherited` the decision of the deepest `/*` pattern on the way down, `inArray` whether the path steps into an
    /// array (`[]`), where no ORDER BY can reach.
    private func walk(_ value: JSONValue, node: Int?, inherited: Bool, inArray: Bool, path: inout [UInt8],
                      into range: inout [[UInt8]]) {
        switch value {
        case .array(let elements):
            if compoundTerms && !inArray {
                appendTerm(value, node: node, inherited: inherited, path: &path, sortingMembers: true, to: &range)
            }
            let child = node.flatMap { nodes[$0].arrayChild }
            let childInherited = child.flatMap { nodes[$0].subtree } ?? inherited
            path.append(IndexPath.arrayStep)
            for element in elements {
                walk(element, node: child, inherited: childInherited, inArray: true, path: &path, into: &range)
            }
            path.removeLast()
        case .object(let members):
            if compoundTerms && !inArray {
                appendTerm(value, node: node, inherited: inherited, path: &path, sortingMembers: true, to: &range)
            }
            for (key, member) in members {
                let child = node.flatMap { nodes[$0].children[key] }
                let childInherited = child.flatMap { nodes[$0].subtree } ?? inherited
                let mark = path.count
                IndexPath.appendProperty(key, to: &path)
                walk(member, node: child, inherited: childInherited, inArray: inArray, path: &path, into: &range)
                path.removeSubrange(mark...)
            }
        default:
            appendTerm(value, node: node, inherited: inherited, path: &path, to: &range)
        }
    }

    /// Appends the term `pathHash ‖ V` of a value at `path` when the path's scalar is indexed: its own `/?` pattern
    /// decides, else the inherited `/*` one. An array or object is digested with its objects' members sorted
    /// (`sortingMembers`), so that values `=` finds equal have one entry and an ORDER BY returns them together.
    @inline(__always)
    /// (`path` is `inout` only so that the hot scalar case passes it without retaining it.)
    private func appendTerm(_ value: JSONValue, node: Int?, inherited: Bool, path: inout [UInt8],
                            sortingMembers: Bool = false, to range: inout [[UInt8]]) {
        let include = node.flatMap { nodes[$0].scalar } ?? inherited
        guard include, path != skippedPath else { return }
        var term = pathHashes.hash(path)
        KeyLayout.appendValue(sortingMembers ? value.membersSorted : value, to: &term)
        range.append(term)
    }

    /// The 8-byte index hash of a property path (memoized).
    package func pathHash(properties: [String]) -> [UInt8] {
        pathHashes.hash(IndexPath.bytes(properties: properties))
    }

    /// The 8-byte index hash of the elements of an array at a property path (`/path/[]`).
    package func elementPathHash(properties: [String]) -> [UInt8] {
        pathHashes.hash(IndexPath.bytes(properties: properties) + [IndexPath.arrayStep])
    }

    /// Whether the scalar elements of an array at the given property path are range-indexed (for the query
    /// planner): the decision the document walk makes at `/path/[]/?`. Never for a computed property.
    package func isIndexed(elementsOf properties: [String]) -> Bool {
        guard maintainsIndexes, let first = properties.first, computed?.byName[first] == nil else { return false }
        var node: Int? = 0
        var decision = nodes[0].subtree ?? false
        for p in properties {
            node = node.flatMap { nodes[$0].children[p] }
            if let n = node, let d = nodes[n].subtree { decision = d }
        }
        let element = node.flatMap { nodes[$0].arrayChild }
        if let e = element, let d = nodes[e].subtree { decision = d }
        return element.flatMap { nodes[$0].scalar } ?? decision
    }

    /// Whether a scalar at the given property path is range-indexed (for the query planner).
    package func isIndexed(properties: [String]) -> Bool {
        guard maintainsIndexes else { return false }
        if properties.count == 1 && (properties[0] == "id" || properties[0] == "_ts") { return true }
        // The other system properties have no entries (`skippedTopLevel`): queries on them check every item.
        if properties.count == 1 && Self.skippedTopLevel.contains(properties[0]) { return false }
        var node: Int? = 0
        // The root `/*` does not cover computed properties.
        var decision = computed?.byName[properties.first ?? ""] != nil ? false : nodes[0].subtree ?? false
        for p in properties {
            node = node.flatMap { nodes[$0].children[p] }
            if let n = node, let d = nodes[n].subtree { decision = d }
        }
        return node.flatMap { nodes[$0].scalar } ?? decision
    }

    /// The value an index term takes at a property path: a computed property's value (from `computedValues`) when
    /// the path starts with one's name, else the document's.
    private func termValue(at properties: [String], in document: JSONObject, _ computedValues: JSONObject)
        -> JSONValue? {
        guard let computed, let first = properties.first, computed.byName[first] != nil else {
            return document.value(atPath: properties)
        }
        guard let base = computedValues[first] else { return nil }
        guard properties.count > 1 else { return base }
        guard case .object(let object) = base else { return nil }
        return object.value(atPath: Array(properties.dropFirst()))
    }
}
