// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A stored item, as a read or write returns it.
///
/// ``json`` holds the document's UTF-8 JSON exactly as stored, including the Cosmos system properties
/// `_rid`, `_self`, `_etag`, `_attachments` and `_ts`. Decode it with ``value()`` when you need the tree.
///
/// `description` names the item but never prints its body, which may hold secrets.
public struct Item: Sendable, CustomStringConvertible {
    /// The document as stored: UTF-8 JSON with system properties.
    public let json: [UInt8]
    /// The item id.
    public let id: String
    /// The item's partition-key value.
    public let partitionKey: PartitionKey
    /// `_ts`: seconds since the Unix epoch of the last write.
    public let timestamp: Int
    let cid: UInt32
    let lsn: UInt64

    /// Creates an item (for the query layer, which reads records itself).
    package init(json: [UInt8], id: String, partitionKey: PartitionKey, timestamp: Int, cid: UInt32, lsn: UInt64) {
        self.json = json
        self.id = id
        self.partitionKey = partitionKey
        self.timestamp = timestamp
        self.cid = cid
        self.lsn = lsn
    }

    /// `_etag`: the entity tag, quoted like Cosmos's; changes on every write. Pass it as `ifMatch`.
    public var etag: String { ResourceID.etag(cid: cid, lsn: lsn) }

    /// The write sequence number of this version within its container (the change-feed position).
    public var sequenceNumber: UInt64 { lsn }

    /// Decodes ``json``.
    ///
    /// - Throws: ``StoreError`` 500 if the stored bytes are not a JSON object (a damaged store).
    public func value() throws -> JSONObject {
        guard case .object(let o) = try? JSONReader.parse(json) else {
            throw StoreError.corrupted("the stored body of item '\(id)' is not a JSON object; run verify")
        }
        return o
    }

    /// The system properties Cosmos (and Cosmolite) add to every stored item: `_rid`, `_self`, `_etag`,
    /// `_attachments`, `_ts`. They are ignored in written documents.
    public static let systemPropertyNames: Set<String> = PreparedDocument.systemProperties

    /// A document without its system properties: what the user wrote.
    public static func userProperties(of document: JSONObject) -> JSONObject {
        var document = document
        for key in systemPropertyNames { document[key] = nil }
        return document
    }

    /// `Item(id: "a", partitionKey: ["acme"], etag: "...")`: never the body.
    public var description: String { "Item(id: \"\(id)\", partitionKey: \(partitionKey), etag: \(etag))" }
}
