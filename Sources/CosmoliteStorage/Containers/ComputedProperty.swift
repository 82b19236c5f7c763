// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
public import CosmoliteJSON

/// A computed property of a container, in Cosmos DB's shape: `{"name": "cp_lowerName", "query": "SELECT VALUE
/// LOWER(c.name) FROM c"}`.
///
/// Its value is derived from each item by the query and never stored in the item. Queries read it like a top-level
/// property (`c.cp_lowerName`); `SELECT *` leaves it out. It is indexed only when the indexing policy names its path
/// explicitly (`/cp_lowerName/?`, or in a composite index): the root `/*` does not cover it. A persisted property
/// with the same name is hidden from queries and from the index.
public struct ComputedProperty: Sendable, Hashable {
    /// The top-level name queries use.
    public let name: String
    /// The defining query: `SELECT VALUE <expression> FROM c`.
    public let query: String
    /// The query, compiled once when the property is made.
    let compiled: ComputedProperties.Definition

    /// The most computed properties a container may have (Cosmos's limit).
    public static let maximumCount = 20
    /// Names a computed property may not take.
    static let reservedNames: Set = ["id", "_rid", "_ts", "_etag", "_self", "_attachments"]

    /// Creates and validates a computed property.
    ///
    /// - Throws: ``StoreError`` 400 when the name is empty or reserved, or the query breaks Cosmos's rules for
    ///   computed properties (`SELECT VALUE` over the item, no `WHERE`, `JOIN`, subqueries, aggregates,
    ///   parameters or current-time functions).
    public init(name: String, query: String) throws {
        try self.init(name: name, query: query, field: "computedProperties")
    }

    init(name: String, query: String, field: String) throws {
        guard !name.isEmpty else { throw StoreError.badRequest("\(field).name: must not be empty") }
        guard !Self.reservedNames.contains(name) else {
            throw StoreError.badRequest("\(field).name: '\(name)' is a system property; choose another name (a prefix "
                + "such as cp_ avoids clashes)")
        }
        switch ComputedProperties.compile(query) {
        case .success(let compiled): self.compiled = compiled
        case .failure(let error): throw StoreError.badRequest("\(field).query: \(error.message)")
        }
        self.name = name
        self.query = query
    }

    /// Two computed properties are equal when their names and query texts are.
    public static func == (a: ComputedProperty, b: ComputedProperty) -> Bool {
        a.name == b.name && a.query == b.query
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(query)
    }

    /// The JSON form.
    public var json: JSONValue {
        var o = JSONObject()
        o["name"] = .string(name)
        o["query"] = .string(query)
        return .object(o)
    }

    /// Parses the `computedProperties` array of a container definition (``validate(_:partitionKey:)`` checks the
    /// list as a whole).
    ///
    /// - Throws: ``StoreError`` 400 naming the bad entry.
    static func parseList(_ json: JSONValue) throws -> [ComputedProperty] {
        guard case .array(let entries) = json else {
            throw StoreError.badRequest("computedProperties: must be an array of {\"name\": ..., \"query\": ...}")
        }
        return try entries.enumerated().map { i, entry in
            let field = "computedProperties[\(i)]"
            guard case .object(let o) = entry else { throw StoreError.badRequest("\(field): must be an object") }
            if let unknown = o.keys.first(where: { $0 != "name" && $0 != "query" }) {
                throw StoreError.badRequest("\(field): unknown property '\(unknown)'; a computed property has a name "
                    + "and a query")
            }
            guard case .string(let name)? = o["name"] else {
                throw StoreError.badRequest("\(field).name: required, a string")
            }
            guard case .string(let query)? = o["query"] else {
                throw StoreError.badRequest("\(field).query: required, a string such as SELECT VALUE LOWER(c.name) FROM c")
            }
            return try ComputedProperty(name: name, query: query, field: field)
        }
    }

    /// Checks a container's list as a whole: at most 20, unique names, none hiding a partition-key property, none
    /// reading another.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad entry.
    static func validate(_ list: [ComputedProperty], partitionKey: PartitionKeyDefinition) throws {
        guard list.count <= maximumCount else {
            throw StoreError.badRequest("computedProperties: at most \(maximumCount) per container, got \(list.count)")
        }
        let names = Set(list.map(\.name))
        let keyProperties = Set(partitionKey.parsedPaths.compactMap(\.first))
        var seen = Set<String>()
        for (i, property) in list.enumerated() {
            let field = "computedProperties[\(i)]"
            guard seen.insert(property.name).inserted else {
                throw StoreError.badRequest("\(field).name: '\(property.name)' is defined twice; names must be unique")
            }
            guard !keyProperties.contains(property.name) else {
                throw StoreError.badRequest("\(field).name: '\(property.name)' would hide the partition key's "
                    + "property; choose another name")
            }
            if let other = property.compiled.firstReference(to: names.subtracting([property.name])) {
                throw StoreError.badRequest(
                    "\(field).query: \(ComputedProperties.notAllowed("another computed property ('\(other)')").message)")
            }
        }
    }

    /// The compiled form of a validated list.
    static func compile(_ list: [ComputedProperty]) -> ComputedProperties? {
        guard !list.isEmpty else { return nil }
        return ComputedProperties(Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.compiled) }))
    }
}
