// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// The value of an item's partition key: one component per partition-key path.
///
/// A container with a `Hash` partition key has one path, so its keys have one component; a `MultiHash`
/// (hierarchical) container has two or three. A path missing from a document gives the component
/// ``Component/undefined`` (Cosmos's "None" partition key), which is a value of its own, distinct from
/// `null`, and can be addressed like any other.
///
/// ```swift
/// let acme = PartitionKey("acme")
/// let nested = PartitionKey(["acme", "eu"])           // hierarchical
/// let none = PartitionKey.none                       // documents lacking the path
/// let parsed = try PartitionKey(json: try JSONReader.parse("\"acme\""))
/// ```
public struct PartitionKey: Sendable, Hashable, CustomStringConvertible {
    /// One component of a partition-key value.
    public enum Component: Sendable, Hashable {
        /// The path is missing from the document (Cosmos's `PartitionKey.None`).
        case undefined
        /// JSON `null`.
        case null
        /// A boolean.
        case bool(Bool)
        /// A number (an IEEE double, like every Cosmos number).
        case number(Double)
        /// A string.
        case string(String)

        /// The component as a JSON value; `nil` for ``undefined``.
        public var jsonValue: JSONValue? {
            switch self {
            case .undefined: nil
            case .null: .null
            case .bool(let b): .bool(b)
            case .number(let n): .number(n)
            case .string(let s): .string(s)
            }
        }
    }

    /// The components, one per partition-key path.
    public let components: [Component]

    /// Creates a key from its components.
    public init(components: [Component]) { self.components = components }

    /// A single-component string key.
    public init(_ value: String) { self.components = [.string(value)] }

    /// A single-component number key.
    public init(_ value: Double) { self.components = [.number(value)] }

    /// A hierarchical key of strings.
    public init(_ values: [String]) { self.components = values.map { .string($0) } }

    /// The key of documents that lack the (single) partition-key path.
    public static let none = PartitionKey(components: [.undefined])

    /// Parses a key from its JSON form, as the command line's `--pk` and the REST header take it.
    ///
    /// A scalar is a one-component key; an array is a list of components (`["acme","eu"]`, or the REST
    /// form `["acme"]`); `{}` is an undefined component (the REST spelling of `PartitionKey.None`), so
    /// `{}` and `[{}]` address documents that lack the path.
    ///
    /// - Throws: ``StoreError`` 400 when the JSON is not a valid partition-key value.
    public init(json: JSONValue) throws {
        func component(_ value: JSONValue) throws -> Component {
            switch value {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .number(let n): return .number(n)
            case .string(let s): return .string(s)
            case .object(let o) where o.isEmpty: return .undefined
            case .object, .array:
                throw StoreError.badRequest(
                    "a partition-key value must be a string, number, boolean, null or {} (none), or an array of them")
            }
        }
        if case .array(let items) = json {
            guard !items.isEmpty, items.count <= 3 else {
                throw StoreError.badRequest("a partition-key value array must have 1 to 3 components")
            }
            self.components = try items.map(component)
        } else {
            self.components = [try component(json)]
        }
    }

    /// The key as JSON, in the REST header's form: an array of components (`{}` for undefined).
    public var jsonValue: JSONValue {
        .array(components.map { $0.jsonValue ?? .object(JSONObject()) })
    }

    /// The key as compact JSON, for messages: `["acme"]`.
    public var description: String { String(decoding: JSONWriter.serialize(jsonValue), as: UTF8.self) }

    // MARK: - Encodings

    /// The full, decodable encoding stored in document records.
    package var fullEncoding: [UInt8] {
        var out = [UInt8]()
        for c in components { OrderedEncoding.append(c.jsonValue, to: &out) }
        return out
    }

    /// The bounded key component (`PK` in the key layout).
    var keyComponent: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendKeyComponent(to: &out)
        return out
    }

    /// Appends the bounded key component (`PK` in the key layout).
    package func appendKeyComponent(to key: inout [UInt8], pathCount: Int? = nil) {
        // The per-component bound depends on the container's number of partition-key paths, so a prefix of a
        // hierarchical key encodes exactly like the start of the full key.
        let bound = KeyLayout.partitionKeyStringBound / max(pathCount ?? components.count, 1)
        for c in components {
            if case .string(let s) = c {
                KeyLayout.appendString(s, bound: max(bound, 30), to: &key)
            } else {
                KeyLayout.appendValue(c.jsonValue, bound: max(bound, 30), to: &key)
            }
        }
    }

    /// Decodes a full encoding written by ``fullEncoding``.
    package static func decode(fullEncoding bytes: [UInt8]) throws -> PartitionKey {
        var components = [Component]()
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let (component, end) = try OrderedEncoding.decode(raw, from: offset)
                guard case .value(let value) = component else {
                    throw StoreError.corrupted("a stored partition key is not fully encoded; run verify")
                }
                components.append(try Component(value))
                offset = end
            }
        }
        return PartitionKey(components: components)
    }

    /// The size Cosmos counts against the 2,048-byte (or 101-byte, version 1) limit.
    var byteSize: Int {
        components.reduce(0) { total, c in
            switch c {
            case .string(let s): total + s.utf8.count
            case .number: total + 8
            case .bool, .null, .undefined: total + 1
            }
        }
    }
}

extension PartitionKey.Component {
    /// Converts a JSON value found at a partition-key path; `nil` means the path is missing.
    init(_ value: JSONValue?) throws {
        switch value {
        case nil: self = .undefined
        case .null?: self = .null
        case .bool(let b)?: self = .bool(b)
        case .number(let n)?: self = .number(n)
        case .string(let s)?: self = .string(s)
        case .array?, .object?:
            throw StoreError.badRequest("a partition-key value must be a string, number, boolean or null")
        }
    }
}
