// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A free-form JSON object inside a model (integration settings, sync configuration, metadata), `Codable` so
/// that the models carrying it are.
///
/// ```swift
/// var settings: JSONFields = ["subdomain": "acme", "pageSize": 100]
/// settings["region"] = "eu"
/// ```
public struct JSONFields: Hashable, Sendable, Codable, ExpressibleByDictionaryLiteral {
    /// The members.
    public var object: JSONObject

    /// Wraps an object.
    public init(_ object: JSONObject = JSONObject()) { self.object = object }

    /// An object of the literal's members.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.object = JSONObject(elements.map { ($0.0, $0.1) })
    }

    /// Whether there are no members.
    public var isEmpty: Bool { object.isEmpty }

    /// A member.
    public subscript(key: String) -> JSONValue? {
        get { object[key] }
        set { object[key] = newValue }
    }

    /// Decodes any JSON object.
    public init(from decoder: any Decoder) throws {
        guard case .object(let o) = try JSONFields.decodeValue(decoder) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected an object"))
        }
        object = o
    }

    /// Encodes the object.
    public func encode(to encoder: any Encoder) throws {
        try JSONFields.encodeValue(.object(object), to: encoder)
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static func decodeValue(_ decoder: any Decoder) throws -> JSONValue {
        if let keyed = try? decoder.container(keyedBy: MemberKey.self) {
            var object = JSONObject()
            for key in keyed.allKeys {
                object[key.stringValue] = try decodeValue(try keyed.superDecoder(forKey: key))
            }
            return .object(object)
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var items = [JSONValue]()
            while !unkeyed.isAtEnd { items.append(try decodeValue(try unkeyed.superDecoder())) }
            return .array(items)
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { return .null }
        if let b = try? single.decode(Bool.self) { return .bool(b) }
        if let n = try? single.decode(Double.self) { return .number(n) }
        return .string(try single.decode(String.self))
    }

    private static func encodeValue(_ value: JSONValue, to encoder: any Encoder) throws {
        switch value {
        case .object(let o):
            var keyed = encoder.container(keyedBy: MemberKey.self)
            for (k, v) in o { try encodeValue(v, to: keyed.superEncoder(forKey: MemberKey(stringValue: k))) }
        case .array(let items):
            var unkeyed = encoder.unkeyedContainer()
            for item in items { try encodeValue(item, to: unkeyed.superEncoder()) }
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let b):
            var single = encoder.singleValueContainer()
            try single.encode(b)
        case .number(let n):
            var single = encoder.singleValueContainer()
            if n == n.rounded(), abs(n) < 9e15 { try single.encode(Int64(n)) } else { try single.encode(n) }
        case .string(let s):
            var single = encoder.singleValueContainer()
            try single.encode(s)
        }
    }
}
