// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
package import CosmoliteEvaluation
import CosmoliteJSON

/// A container as the engine uses it: its stored properties plus everything compiled from its definition.
///
/// Immutable; a new instance replaces it whenever the container is replaced. Shared by all transactions.
package final class ContainerRuntime: Sendable {
    /// The container's 4-byte internal number, the first bytes of all its rows' keys.
    package let cid: UInt32
    /// The container as stored: its definition and system properties.
    package let properties: ContainerProperties
    /// The indexing policy compiled, which writes use to compute each item's index rows.
    package let policy: CompiledIndexingPolicy
    /// The compiled computed properties, or `nil` when the container has none.
    package let computedProperties: ComputedProperties?
    /// The compiled vector embedding policy, or `nil` when the container has no vector paths.
    package let vectorEmbeddings: VectorEmbeddings?
    /// How the spatial functions read GeoJSON values (`geospatialConfig.type`).
    package let spatialModel: SpatialModel
    let databaseRID: [UInt8]
    /// The top-level members that a create's admission checks read: `id`, `ttl`, and the first property of every
    /// partition-key and unique-key path (see `Store.create(_:_:_:json:explicitKey:now:)`).
    let admissionMembers: JSONMemberSelection
    /// The end of each unique key's 409 message, which names its paths (built once: a rejected create is a hot
    /// path of bulk loads).
    let uniqueKeyConflictEndings: [String]
    /// `cid` as the key prefix of all the container's rows (`KeyLayout.containerPrefix`), built once.
    package let keyPrefix: [UInt8]
    /// The partition-key paths, parsed (what planners read on every plan, without copying the whole definition).
    package let partitionKeyPaths: [[String]]
    /// The index transformation under way, or `nil` (then every item is indexed under ``policy``).
    package let transformation: IndexTransformation?
    /// The composite indexes queries may read: ``policy``'s, less those a transformation is still building.
    package let readableComposites: [CompiledIndexingPolicy.Composite]
    /// The vector indexes queries may read: ``policy``'s, less those a transformation is still building and those
    /// whose path a computed property hides (queries read the computed value there; the rows hold the stored one).
    package let readableVectorPaths: [CompiledIndexingPolicy.VectorPath]
    /// The full-text indexes queries may read, by the same rules as ``readableVectorPaths``.
    package let readableFullTextPaths: [CompiledIndexingPolicy.VectorPath]

    /// The container's definition.
    package var definition: ContainerDefinition { properties.definition }
    /// The container's id.
    package var id: String { properties.definition.id }

    /// - Parameter compoundTerms: Whether the items have the range terms of arrays and objects (format 2); `false`
    ///   in a format-1 store opened read-only, which no one has upgraded yet.
    init(cid: UInt32, properties: ContainerProperties, databaseRID: [UInt8],
         transformation: IndexTransformation? = nil, compoundTerms: Bool = true) {
        self.cid = cid
        self.properties = properties
        let computed = ComputedProperty.compile(properties.definition.computedProperties)
        self.computedProperties = computed
        self.vectorEmbeddings = properties.definition.vectorEmbeddingPolicy.compiled
        self.spatialModel = properties.definition.geospatialType == .geometry ? .geometry : .geography
        let policy = CompiledIndexingPolicy(properties.definition.indexingPolicy,
                                            partitionKey: properties.definition.partitionKey, computed: computed,
                                            compoundTerms: compoundTerms)
        self.policy = policy
        self.transformation = transformation
        if let transformation {
            let kept = Set(transformation.from.composites.map(\.hash))
            readableComposites = transformation.from.maintainsIndexes
                ? policy.composites.filter { composite in
                    kept.contains(composite.hash)
                        && !composite.paths.contains { transformation.changedComputedNames.contains($0.first ?? "") }
                } : []
        } else {
            readableComposites = policy.composites
        }
        func readable(_ paths: (CompiledIndexingPolicy) -> [CompiledIndexingPolicy.VectorPath])
            -> [CompiledIndexingPolicy.VectorPath] {
            var all = policy.maintainsIndexes ? paths(policy) : []
            if let transformation {
                let built = Set(transformation.from.maintainsIndexes ? paths(transformation.from).map(\.hash) : [])
                all = all.filter { built.contains($0.hash) }
            }
            return all.filter { computed?.byName[$0.properties[0]] == nil }
        }
        readableVectorPaths = readable(\.vectorPaths)
        readableFullTextPaths = readable(\.fullTextPaths)
        self.databaseRID = databaseRID
        partitionKeyPaths = properties.definition.partitionKey.parsedPaths
        keyPrefix = KeyLayout.containerPrefix(cid)
        var members = ["id", "ttl"]
        let definition = properties.definition
        for path in definition.partitionKey.parsedPaths + definition.uniqueKeyPolicy.uniqueKeys.flatMap(\.parsedPaths) {
            if let first = path.first, !members.contains(first) { members.append(first) }
        }
        self.admissionMembers = JSONMemberSelection(members)
        self.uniqueKeyConflictEndings = definition.uniqueKeyPolicy.uniqueKeys.map {
            " already has the same values for the unique key (\($0.pathList)); change one of them or update that item "
                + "instead"
        }
    }

    // MARK: - What queries may read

    /// Whether queries may read range indexes at all: the policy maintains them and no transformation is building
    /// them from nothing.
    package var readsIndexes: Bool {
        policy.maintainsIndexes && (transformation?.from.maintainsIndexes ?? true)
    }

    /// Whether queries may read the range index of a property path: ``policy`` indexes it and, during a
    /// transformation, so did the policy it started from, with the same values.
    package func isReadable(properties: [String]) -> Bool {
        guard policy.isIndexed(properties: properties) else { return false }
        guard let transformation else { return true }
        return transformation.from.isIndexed(properties: properties)
            && !transformation.changedComputedNames.contains(properties.first ?? "")
    }

    /// Whether queries may read the index of the scalar elements of arrays at a property path (`/path/[]`), as
    /// ``isReadable(properties:)`` decides for scalars.
    package func isReadable(elementsOf properties: [String]) -> Bool {
        guard policy.isIndexed(elementsOf: properties) else { return false }
        guard let transformation else { return true }
        return transformation.from.isIndexed(elementsOf: properties)
            && !transformation.changedComputedNames.contains(properties.first ?? "")
    }

    /// The grid of the spatial index queries may read for the shapes at a property path: ``policy`` files them,
    /// and during a transformation so did the policy it started from, in the same grid; `nil` otherwise, and when a
    /// computed property hides the path (queries read the computed value there; the rows hold the stored one).
    package func readableSpatialFrame(at properties: [String]) -> SpatialFrame? {
        guard policy.maintainsIndexes, !properties.isEmpty, computedProperties?.byName[properties[0]] == nil,
              let root = policy.spatialRoot(covering: properties) else { return nil }
        if let transformation {
            guard transformation.from.maintainsIndexes,
                  transformation.from.spatialRoot(covering: properties)?.frame == root.frame else { return nil }
        }
        return root.frame
    }

    /// Whether every item has an entry (undefined included) at a property path, so an ORDER BY over the index
    /// returns items that lack the property: the path is explicitly included, in both policies during a
    /// transformation.
    package func hasUndefinedEntries(properties: [String]) -> Bool {
        func explicit(_ policy: CompiledIndexingPolicy) -> Bool {
            policy.explicitPaths.contains { $0.properties == properties }
        }
        return explicit(policy) && (transformation.map { explicit($0.from) } ?? true)
    }

    /// Whether every item whose value at an indexed property path is an array or an object has its range entry, so
    /// that an ORDER BY over the index returns those items (after the strings): false in a format-1 store and while
    /// the transformation that upgrades one is under way.
    package var hasCompoundEntries: Bool {
        policy.compoundTerms && transformation?.upgradesFormat != true
    }

    // MARK: - Per-document derived data

    /// The unique-key rows of a document: one `(constraint, digest)` per unique key.
    func uniqueTuples(of document: JSONObject) -> [(constraint: UInt8, digest: [UInt8])] {
        let keys = definition.uniqueKeyPolicy.uniqueKeys
        var tuples = [(constraint: UInt8, digest: [UInt8])]()
        guard !keys.isEmpty else { return tuples }
        tuples.reserveCapacity(keys.count)
        var tuple = [UInt8]()
        tuple.reserveCapacity(128)
        for i in keys.indices {
            tuple.removeAll(keepingCapacity: true)
            for path in keys[i].parsedPaths {
                // A missing path counts as null: Cosmos has no sparse unique keys.
                OrderedEncoding.append(document.value(atPath: path) ?? .null, to: &tuple)
            }
            var digest = tuple.withUnsafeBytes { SHA256.hash($0) }
            digest.removeLast(digest.count - 16)
            tuples.append((UInt8(i), digest))
        }
        return tuples
    }

    /// The unique-key violation of constraint `index` by an item of `partition` (a 409 that names the constraint).
    func uniqueKeyConflict(_ index: Int, partition: PartitionKey) -> StoreError {
        // The first sentence is the service's own.
        var message = "Unique index constraint violation. Another item in partition "
        message += partition.description
        message += uniqueKeyConflictEndings[index]
        return StoreError.uniqueKeyViolation(message)
    }

    /// The `uniq` key of a tuple.
    func uniqueKey(constraint: UInt8, locatorPK: ArraySlice<UInt8>, digest: [UInt8]) -> [UInt8] {
        var key = KeyLayout.containerPrefix(cid)
        key.append(constraint)
        key.append(contentsOf: locatorPK)
        key.append(contentsOf: digest)
        return key
    }

    /// The expiry (Unix seconds) of an item written at `timestamp` with its own `ttl`, or `nil` if it never
    /// expires, following Cosmos: no container default means never; the item's ttl overrides the default;
    /// -1 means never.
    package func expiry(timestamp: UInt64, itemTTL: Int32?) -> UInt64? {
        definition.expiry(timestamp: timestamp, itemTTL: itemTTL)
    }

    /// Whether any item of the container can expire: only under a container `defaultTtl` (an item's own `ttl`
    /// counts only then), as ``expiry(timestamp:itemTTL:)`` decides.
    package var itemsExpire: Bool { definition.defaultTtl != nil }

    /// The container's `_rid`.
    package var rid: String { ResourceID.container(database: databaseRID, cid: cid) }
}
