// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONObject

/// The members of a JSON object, in insertion order, with unique keys.
///
/// Keys keep the order in which they were first inserted: assigning to an existing key replaces its
/// value in place, new keys are appended, and removing a key closes the gap. Keys are compared by
/// their UTF-8 bytes (no Unicode normalization), as in JavaScript and Cosmos DB.
///
/// Equality and hashing are **order-insensitive**: two objects are equal when they have the same set
/// of keys and equal values for each key, whatever the member order. Code that needs order-sensitive
/// comparison (for example index keys) should use ``OrderedEncoding/compare(_:_:)``.
///
/// Lookups are linear for small objects; once an object grows past a few members a hash index is
/// maintained alongside the ordered storage.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// A member of an object: its key and value.
    public typealias Element = (key: String, value: JSONValue)

    // MARK: Storage

    private var storedKeys: [String]
    private var storedValues: [JSONValue]
    /// Key → position; present only when `storedKeys.count > Self.indexThreshold`.
    private var lookup: [UTF8Key: Int]?

    /// Objects with more members than this keep a hash index; smaller ones are scanned linearly.
    static let indexThreshold = 24

    // MARK: Creating objects

    /// Creates an empty object.
    public init() {
        storedKeys = []
        storedValues = []
        lookup = nil
    }

    /// Creates an object from members in order.
    ///
    /// A key that occurs more than once keeps the position of its first occurrence and the value of
    /// its last, like `JSON.parse` in JavaScript.
    ///
    /// - Parameter members: The key/value pairs, in the desired order.
    public init(_ members: [(String, JSONValue)]) {
        self.init()
        reserveCapacity(members.count)
        for (key, value) in members {
            self[key] = value
        }
    }

    /// Creates an object from a dictionary literal, keeping the written order.
    ///
    /// - Parameter elements: The key/value pairs as written; later duplicates overwrite earlier ones.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// Creates an object from parallel arrays of unique keys and values (used by the parser).
    ///
    /// - Precondition: `keys` are unique; `lookup`, if given, maps every key to its position and is
    ///   present exactly when `keys.count > indexThreshold`.
    init(uniqueKeys keys: [String], values: [JSONValue], lookup: [UTF8Key: Int]?) {
        storedKeys = keys
        storedValues = values
        self.lookup = lookup
        if lookup == nil, keys.count > Self.indexThreshold { rebuildLookup() }
    }

    /// Reserves storage for at least `capacity` members.
    ///
    /// - Parameter capacity: The number of members the object should be able to hold without
    ///   reallocating.
    public mutating func reserveCapacity(_ capacity: Int) {
        storedKeys.reserveCapacity(capacity)
        storedValues.reserveCapacity(capacity)
    }

    // MARK: Inspecting

    /// The number of members.
    public var count: Int { storedKeys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { storedKeys.isEmpty }

    /// The keys in member order.
    public var keys: [String] { storedKeys }

    /// The values in member order.
    public var values: [JSONValue] { storedValues }

    /// The members in order.
    public var members: [(key: String, value: JSONValue)] {
        var result: [(key: String, value: JSONValue)] = []
        result.reserveCapacity(storedKeys.count)
        for i in storedKeys.indices {
            result.append((key: storedKeys[i], value: storedValues[i]))
        }
        return result
    }

    /// Returns the position of `key` in member order.
    ///
    /// - Parameter key: The key to look up (compared by UTF-8 bytes).
    /// - Returns: The zero-based position, or `nil` if the object has no such key.
    public func index(forKey key: String) -> Int? {
        if let lookup {
            return lookup[UTF8Key(string: key)]
        }
        for i in storedKeys.indices where UTF8Text.equal(storedKeys[i], key) {
            return i
        }
        return nil
    }

    // MARK: Reading and writing members

    /// Accesses the value for `key`.
    ///
    /// Reading returns `nil` for a missing key. Assigning a value to an existing key replaces it in
    /// place; assigning to a new key appends a member; assigning `nil` removes the member.
    ///
    /// - Parameter key: The member key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return storedValues[i]
        }
        set {
            if let newValue {
                if let i = index(forKey: key) {
                    storedValues[i] = newValue
                } else {
                    append(key: key, value: newValue)
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes the member with `key`, if any.
    ///
    /// - Parameter key: The key to remove.
    /// - Returns: The removed value, or `nil` if the key was absent.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = index(forKey: key) else { return nil }
        storedKeys.remove(at: i)
        let removed = storedValues.remove(at: i)
        rebuildLookup()
        return removed
    }

    // MARK: Internal fast paths

    /// Appends a member known not to exist yet.
    mutating func append(key: String, value: JSONValue) {
        storedKeys.append(key)
        storedValues.append(value)
        if lookup != nil {
            lookup![UTF8Key(string: key)] = storedKeys.count - 1
        } else if storedKeys.count > Self.indexThreshold {
            rebuildLookup()
        }
    }

    /// Appends a member unless the key exists; returns the existing position if it does.
    mutating func appendIfAbsent(key: String, value: JSONValue) -> Int? {
        if let i = index(forKey: key) { return i }
        append(key: key, value: value)
        return nil
    }

    /// Replaces the value at a position.
    mutating func setValue(_ value: JSONValue, at index: Int) {
        storedValues[index] = value
    }

    /// Returns the value at a position.
    func value(at index: Int) -> JSONValue {
        storedValues[index]
    }

    private mutating func rebuildLookup() {
        guard storedKeys.count > Self.indexThreshold else {
            lookup = nil
            return
        }
        var table: [UTF8Key: Int] = [:]
        table.reserveCapacity(storedKeys.count)
        for (i, key) in storedKeys.enumerated() {
            table[UTF8Key(string: key)] = i
        }
        lookup = table
    }

    // MARK: Sequence

    /// An iterator over the members in order.
    public struct Iterator: IteratorProtocol {
        private let object: JSONObject
        private var position = 0

        init(_ object: JSONObject) {
            self.object = object
        }

        /// Returns the next member, or `nil` after the last one.
        ///
        /// - Returns: The next `(key, value)` pair.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard position < object.storedKeys.count else { return nil }
            defer { position += 1 }
            return (key: object.storedKeys[position], value: object.storedValues[position])
        }
    }

    /// Returns an iterator over the members in order.
    ///
    /// - Returns: An iterator yielding `(key: String, value: JSONValue)` pairs.
    public func makeIterator() -> Iterator {
        Iterator(self)
    }

    /// The number of members (used by `Sequence` algorithms to pre-size results).
    public var underestimatedCount: Int { storedKeys.count }

    // MARK: Equatable & Hashable

    /// Returns whether two objects have the same keys with equal values, ignoring member order.
    ///
    /// - Parameters:
    ///   - lhs: An object.
    ///   - rhs: Another object.
    /// - Returns: `true` if both have the same key set and equal values per key.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for i in lhs.storedKeys.indices {
            // Fast path: identical order.
            if UTF8Text.equal(lhs.storedKeys[i], rhs.storedKeys[i]) {
                guard lhs.storedValues[i] == rhs.storedValues[i] else { return false }
                continue
            }
            guard let j = rhs.index(forKey: lhs.storedKeys[i]),
                  lhs.storedValues[i] == rhs.storedValues[j] else { return false }
        }
        return true
    }

    /// Hashes the members in an order-insensitive way, consistent with ``==(_:_:)``.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for i in storedKeys.indices {
            var memberHasher = Hasher()
            UTF8Text.hash(storedKeys[i], into: &memberHasher)
            memberHasher.combine(storedValues[i])
            combined &+= memberHasher.finalize()
        }
        hasher.combine(storedKeys.count)
        hasher.combine(combined)
    }
}

extension JSONObject {
    /// The value at a property path from this object (`nil` when a step is missing, or is not an object before the
    /// last).
    package func value(atPath properties: [String]) -> JSONValue? {
        var current: JSONValue? = nil
        var object: JSONObject? = self
        for p in properties {
            guard let o = object, let c = o[p] else { return nil }
            current = c
            if case .object(let next) = c { object = next } else { object = nil }
        }
        return current
    }
}
