// SPDX-License-Identifier: Apache-2.0
//
// # Index transformation record (value of `meta/"xform" ‖ cid`)
//
//   {"from": <the container definition the transformation started from>, "startLsn": n, "total": n,
//    "ttlRows": true, "formatUpgrade": true}
//
// `from` is a whole container definition as `ContainerDefinition.json` renders it (its indexing policy, computed
// properties and `defaultTtl` matter); `startLsn` is the container's sequence number when the transformation began;
// `total` the number of `docs` rows it had then (for progress). `ttlRows: true` says that the `ttl` rows of the
// items not yet visited hold their expiry under `from`'s `defaultTtl`; without it (records written before TTL
// changes were online, whose replace rewrote every `ttl` row at once) they hold it under the container's current
// one. `formatUpgrade: true` marks the transformation that upgrades a format-1 store (see Store+FormatUpgrade.swift):
// `from` is then the container's own definition, and the items not yet visited have the terms format 1 wrote (no
// range terms for arrays and objects). Written in the transaction of the replace (or upgrade) that begins the
// transformation and deleted in the one that completes it; both move the catalog epoch, so every process's catalog
// knows whether a transformation is under way. Its position (`xpos`) is kept apart because it moves with every step and must not reload catalogs.

import CosmoliteJSON

/// An index transformation under way: a container's indexing policy, computed properties or `defaultTtl` changed,
/// and its items' rows are being rewritten step by step, a bounded number per transaction, so that writers are never
/// held up for long.
///
/// While it runs, each item's index and `ttl` rows follow exactly one of two definitions (see invariant 7 in
/// `KeyLayout.swift`):
/// - the new one, when the item was written after the transformation began or a step has visited it;
/// - the one the transformation started from (``from``, ``fromDefaultTtl``), otherwise.
///
/// Queries therefore use only the indexes both policies keep with the same terms: added paths are used once the
/// transformation completes, and removed paths stop being used at once (Cosmos's rule). Expiry needs no rows: reads
/// apply the new `defaultTtl` at once, and the rows only tell the sweeper where to look.
package final class IndexTransformation: Sendable {
    /// The definition the transformation started from.
    let fromDefinition: ContainerDefinition
    /// Its indexing policy, compiled with its computed properties: the terms of the items not yet visited.
    let from: CompiledIndexingPolicy
    /// The container `defaultTtl` the `ttl` rows of the items not yet visited follow.
    let fromDefaultTtl: Int?
    /// Whether the index terms change (else only the `ttl` rows do, and queries may read every index).
    package let reindexes: Bool
    /// The container's sequence number when the transformation began: items written later are already indexed under
    /// the new policy.
    let startLSN: UInt64
    /// The number of items when it began (the denominator of its progress).
    let total: UInt64
    /// Computed properties defined differently (or only) in one of the two definitions: their index terms differ
    /// even where both policies name their paths.
    let changedComputedNames: Set<String>
    /// Whether this transformation adds the range terms of arrays and objects that format 1 did not write (the
    /// items not yet visited lack them, so queries must not expect them).
    package let upgradesFormat: Bool

    /// - Parameters:
    ///   - ttlRowsFollowFrom: Whether the `ttl` rows of the items not yet visited follow `definition`'s
    ///     `defaultTtl` (else `target`'s: see `ttlRows` in the record).
    ///   - upgradesFormat: Whether this is the transformation that upgrades a format-1 store (see `formatUpgrade`).
    ///   - format: The store's format version: in a format-1 store, no item has the terms of arrays and objects.
    init(from definition: ContainerDefinition, to target: ContainerDefinition, startLSN: UInt64, total: UInt64,
         ttlRowsFollowFrom: Bool = true, upgradesFormat: Bool = false, format: UInt32 = KeyLayout.formatVersion) {
        fromDefinition = definition
        from = CompiledIndexingPolicy(definition.indexingPolicy, partitionKey: definition.partitionKey,
                                      computed: ComputedProperty.compile(definition.computedProperties),
                                      compoundTerms: format >= 2 && !upgradesFormat)
        fromDefaultTtl = ttlRowsFollowFrom ? definition.defaultTtl : target.defaultTtl
        self.upgradesFormat = upgradesFormat
        reindexes = upgradesFormat || target.reindexes(from: definition)
        self.startLSN = startLSN
        self.total = total
        var changed = Set<String>()
        let before = Dictionary(definition.computedProperties.map { ($0.name, $0.query) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(target.computedProperties.map { ($0.name, $0.query) }, uniquingKeysWith: { a, _ in a })
        for name in Set(before.keys).union(after.keys) where before[name] != after[name] { changed.insert(name) }
        changedComputedNames = changed
    }

    /// The record stored at `meta/"xform" ‖ cid`.
    var record: [UInt8] {
        var members: JSONObject = [
            "from": fromDefinition.json, "startLsn": .number(Double(startLSN)), "total": .number(Double(total)),
            "ttlRows": .bool(true),
        ]
        if upgradesFormat { members["formatUpgrade"] = .bool(true) }
        return JSONWriter.serialize(.object(members))
    }

    /// Reads a stored record; `target` is the container's current definition, `format` the store's format version.
    convenience init(record bytes: UnsafeRawBufferPointer, cid: UInt32, target: ContainerDefinition,
                     format: UInt32) throws {
        func damaged(_ why: String) -> StoreError {
            StoreError.corrupted("the index transformation record of container #\(cid) is damaged (\(why)); run verify")
        }
        guard case .object(let o)? = try? JSONReader.parse(bytes) else { throw damaged("not a JSON object") }
        guard let from = o["from"], let start = o["startLsn"]?.numberValue, let total = o["total"]?.numberValue,
              start >= 0, total >= 0, start < 0x1p53, total < 0x1p53
        else { throw damaged("a member is missing or out of range") }
        let definition: ContainerDefinition
        do { definition = try ContainerDefinition(json: from) } catch { throw damaged("\(error)") }
        self.init(from: definition, to: target, startLSN: UInt64(start), total: UInt64(total),
                  ttlRowsFollowFrom: o["ttlRows"] == .bool(true), upgradesFormat: o["formatUpgrade"] == .bool(true),
                  format: format)
    }

    /// The expiry the `ttl` row of an item not yet visited holds (`nil`: it has none).
    func fromExpiry(timestamp: UInt64, itemTTL: Int32?) -> UInt64? {
        ContainerDefinition.expiry(defaultTtl: fromDefaultTtl, timestamp: timestamp, itemTTL: itemTTL)
    }

    /// The progress of a transformation that has visited `visited` items, in percent: 0–99 while it re-indexes (it
    /// reaches 100 only when it completes); 100 when it changes only `ttl` rows, which is no index transformation.
    func progress(visited: UInt64) -> Int {
        guard reindexes else { return 100 }
        return Int(min(99, visited * 100 / max(total, 1)))
    }
}
