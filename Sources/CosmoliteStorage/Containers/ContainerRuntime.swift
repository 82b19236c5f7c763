// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import CosmoliteJSON

/// A container as the engine uses it: its stored properties plus everything compiled from its definition.
///
/// Immutable; a new instance replaces it whenever the container is replaced. Shared by all transactions.
package final class ContainerRuntime: Sendable {
    package let cid: UInt32
    package let properties: ContainerProperties
    package let policy: CompiledIndexingPolicy
    let databaseRID: [UInt8]

    package var definition: ContainerDefinition { properties.definition }
    package var id: String { properties.definition.id }

    init(cid: UInt32, properties: ContainerProperties, databaseRID: [UInt8]) {
        self.cid = cid
        self.properties = properties
        self.policy = CompiledIndexingPolicy(properties.definition.indexingPolicy,
                                             partitionKey: properties.definition.partitionKey)
        self.databaseRID = databaseRID
    }

    // MARK: - Per-document derived data

    /// The unique-key rows of a document: one `(constraint, digest)` per unique key.
    func uniqueTuples(of document: JSONObject) -> [(constraint: UInt8, digest: [UInt8])] {
        definition.uniqueKeyPolicy.uniqueKeys.enumerated().map { i, key in
            var tuple = [UInt8]()
            for path in key.parsedPaths {
                // A missing path counts as null: Cosmos has no sparse unique keys.
                OrderedEncoding.append(policy.value(at: path, in: document) ?? .null, to: &tuple)
            }
            return (UInt8(i), Array(tuple.withUnsafeBytes { SHA256.hash($0) }.prefix(16)))
        }
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
        guard let containerTTL = definition.defaultTtl else { return nil }
        let ttl = itemTTL.map(Int.init) ?? containerTTL
        guard ttl > 0 else { return nil }
        return timestamp + UInt64(ttl)
    }

    /// The container's `_rid`.
    package var rid: String { ResourceID.container(database: databaseRID, cid: cid) }
}
