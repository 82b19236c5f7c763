// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

/// Whether `byte` is one of the characters an item id must not contain: `/`, `\`, `?` or `#`.
@inline(__always)
private func isForbiddenInID(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
}

/// A document checked against Cosmos's rules and ready to be written.
struct PreparedDocument {
    /// User properties; incoming system properties are dropped (the engine writes its own).
    var members: JSONObject
    var id: String
    var partitionKey: PartitionKey
    var itemTTL: Int32?

    /// The largest item, in UTF-8 bytes of its JSON (Cosmos's 2 MB).
    static let maxItemBytes = 2 * 1024 * 1024
    /// System properties the engine owns.
    static let systemProperties: Set<String> = ["_rid", "_self", "_etag", "_attachments", "_ts"]

    /// Parses JSON bytes into a document tree, with Cosmos's size limit.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        guard bytes.count <= maxItemBytes else {
            throw StoreError.tooLarge(
                "the item is \(bytes.count) bytes; the limit is \(maxItemBytes) bytes (2 MB) of UTF-8 JSON")
        }
        do {
            return try JSONReader.parse(bytes)
        } catch {
            throw StoreError.badRequest("the item is not valid JSON: \(error)")
        }
    }

    /// Validates a document for a container.
    ///
    /// - Parameter explicitKey: The partition key given with the request, which must match the document's.
    init(_ json: JSONValue, runtime: ContainerRuntime, explicitKey: PartitionKey?) throws {
        guard case .object(var members) = json else {
            throw StoreError.badRequest("an item must be a JSON object, got a \(json.typeName)")
        }
        guard let rawID = members["id"] else {
            throw StoreError.badRequest("the item has no 'id'; every item needs a string id unique in its partition")
        }
        guard case .string(let id) = rawID else {
            throw StoreError.badRequest("the item's 'id' must be a string, got a \(rawID.typeName)")
        }
        try Self.validateID(id)
        // System properties all start with "_": only look them up when such a key is present.
        if members.keys.contains(where: { $0.utf8.first == UInt8(ascii: "_") }) {
            for key in Self.systemProperties where members[key] != nil { members[key] = nil }
        }
        let key = try runtime.definition.partitionKey.extract(from: members)
        if let explicitKey, explicitKey != key {
            // The first sentence is the service's own.
            throw StoreError.badRequest(
                "PartitionKey extracted from document doesn't match the one specified in the header. The partition key "
                    + "\(explicitKey) given with the request does not match the item's partition key \(key) (path "
                    + "\(runtime.definition.partitionKey.paths.joined(separator: ", ")))",
                subStatus: StoreError.partitionKeyMismatchSubStatus)
        }
        self.members = members
        self.id = id
        self.partitionKey = key
        self.itemTTL = try Self.ttl(members["ttl"])
    }

    /// Validates an item id: 1–255 characters, at most 1,023 UTF-8 bytes, none of `/ \ ? #`.
    static func validateID(_ id: String) throws {
        let bytes = id.utf8.count
        guard bytes >= 1 else { throw StoreError.badRequest("the item id must not be empty") }
        // Every character takes at least one byte: up to 255 bytes, there is no need to count characters.
        if bytes > 255 {
            let characters = id.unicodeScalars.count
            guard characters <= 255 else {
                throw StoreError.badRequest("the item id has \(characters) characters; the limit is 255")
            }
        }
        guard bytes <= 1023 else {
            throw StoreError.badRequest("the item id is \(bytes) UTF-8 bytes; the limit is 1,023")
        }
        // The forbidden characters are ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII. Native strings
        // (all that JSON parsing makes) are scanned in place; others through their UTF-8 view.
        let forbidden = id.utf8.withContiguousStorageIfAvailable { bytes in bytes.firstIndex(where: isForbiddenInID) }
            ?? id.utf8.firstIndex(where: isForbiddenInID).map { id.utf8.distance(from: id.utf8.startIndex, to: $0) }
        if let forbidden {
            let byte = id.utf8[id.utf8.index(id.utf8.startIndex, offsetBy: forbidden)]
            throw StoreError.badRequest(
                "the item id must not contain '\(Character(Unicode.Scalar(byte)))' (none of / \\ ? # are allowed)")
        }
    }

    /// Validates an item's `ttl`: absent, -1, or 1 to 2,147,483,647 seconds.
    static func ttl(_ value: JSONValue?) throws -> Int32? {
        switch value {
        case nil:
            return nil
        case .null?:
            throw StoreError.badRequest("ttl: null is not supported; omit 'ttl' to use the container's defaultTtl")
        case .number(let n)? where n == n.rounded() && (n == -1 || (n >= 1 && n <= Double(Int32.max))):
            return Int32(n)
        default:
            throw StoreError.badRequest("ttl: must be -1 (never expire) or an integer from 1 to 2147483647 seconds")
        }
    }
}
