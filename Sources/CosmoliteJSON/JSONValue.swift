// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONValue

/// A JSON value.
///
/// Numbers are IEEE 754 doubles, like JavaScript and Cosmos DB; integers up to 2^53 are exact.
/// Strings compare by their UTF-8 bytes (no Unicode normalization). Objects keep member order but
/// compare order-insensitively (see ``JSONObject``). `-0.0` equals `0.0`. A `NaN` number is never
/// produced by ``JSONReader`` and is not equal to itself; avoid constructing one.
///
/// "Undefined" (a missing property in Cosmos DB terms) is not a case: it is represented as a Swift
/// `nil` of type `JSONValue?`.
public enum JSONValue: Sendable, Hashable {
    /// The JSON `null` literal.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, stored as a double.
    case number(Double)
    /// A string.
    case string(String)
    /// An array of values.
    case array([JSONValue])
    /// An object with ordered members.
    case object(JSONObject)
}

// MARK: - Accessors

extension JSONValue {
    /// Returns the member named `key` when this value is an object.
    ///
    /// - Parameter key: The member key.
    /// - Returns: The member value, or `nil` if this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The string payload, or `nil` if this is not a string.
    public var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The number payload, or `nil` if this is not a number.
    public var numberValue: Double? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// The Boolean payload, or `nil` if this is not a Boolean.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The elements, or `nil` if this is not an array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// The members, or `nil` if this is not an object.
    public var objectValue: JSONObject? {
        guard case .object(let value) = self else { return nil }
        return value
    }

    /// Whether this is the `null` literal.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// This value with every object's members in key order: one form for the values Cosmos's `=` finds equal (it
    /// compares objects whatever their member order), as DISTINCT, GROUP BY and the index entries of objects need.
    public var membersSorted: JSONValue {
        switch self {
        case .array(let items):
            return .array(items.map(\.membersSorted))
        case .object(let object):
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.membersSorted) }))
        case .null, .bool, .number, .string:
            return self
        }
    }

    /// The JSON type name: `"null"`, `"boolean"`, `"number"`, `"string"`, `"array"` or `"object"`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

// MARK: - Equatable & Hashable

extension JSONValue {
    /// Returns whether two values are equal.
    ///
    /// Strings compare by UTF-8 bytes, numbers numerically (`-0.0 == 0.0`), arrays element-wise and
    /// objects order-insensitively.
    ///
    /// - Parameters:
    ///   - lhs: A value.
    ///   - rhs: Another value.
    /// - Returns: `true` if the values are equal.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): UTF8Text.equal(a, b)
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a == b
        default: false
        }
    }

    /// Hashes the value consistently with ``==(_:_:)``.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value)
        case .number(let value):
            hasher.combine(2 as UInt8)
            hasher.combine(value)  // Double hashing already treats -0.0 like 0.0.
        case .string(let value):
            hasher.combine(3 as UInt8)
            UTF8Text.hash(value, into: &hasher)
        case .array(let value):
            hasher.combine(4 as UInt8)
            hasher.combine(value)
        case .object(let value):
            hasher.combine(5 as UInt8)
            hasher.combine(value)
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    /// Creates `.null` from `nil`.
    ///
    /// - Parameter nilLiteral: The `nil` literal.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates `.bool` from `true` or `false`.
    ///
    /// - Parameter value: The literal value.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates `.number` from an integer literal.
    ///
    /// - Parameter value: The literal value (exact up to 2^53 in magnitude).
    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates `.number` from a floating-point literal.
    ///
    /// - Parameter value: The literal value.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates `.string` from a string literal.
    ///
    /// - Parameter value: The literal value.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates `.array` from an array literal.
    ///
    /// - Parameter elements: The elements.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates `.object` from a dictionary literal, keeping the written member order.
    ///
    /// - Parameter elements: The members; later duplicates overwrite earlier ones in place.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - CustomStringConvertible

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value (see ``JSONWriter``).
    public var description: String {
        JSONWriter.string(self)
    }
}
