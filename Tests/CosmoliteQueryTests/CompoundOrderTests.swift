// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// ORDER BY over a path whose value is an array or an object in some items: Cosmos returns those items after the
/// strings, arrays before objects (the SDKs' merge order, azure-cosmos-dotnet-v3 PR #853), each group in a stable
/// order of its own. Range entries of format 2 hold them; a composite index serving the ORDER BY returns the same.
struct CompoundOrderTests {
    /// One value of each kind, twice over two partitions, plus one item without the property.
    static let values: [JSONValue?] = [
        nil, .null, .bool(false), .bool(true), .number(-1), .number(7), .string(""), .string("b"),
        .array([]), .array([.number(1), .number(2)]), .array([.array([.number(3)])]),
        .object([:]), .object(["x": .number(1)]), .object(["x": .object(["y": .string("z")])]),
    ]

    /// The rank of a value's type in Cosmos's order: undefined < null < boolean < number < string < array < object.
    static func rank(_ value: JSONValue?) -> Int {
        switch value {
        case nil: 0
        case .null?: 1
        case .bool?: 2
        case .number?: 3
        case .string?: 4
        case .array?: 5
        case .object?: 6
        }
    }

    /// Whether `rows` (as `{id, v}` projections) are in the ORDER BY's order: by type, then by value among scalars;
    /// arrays among themselves and objects among themselves in any order.
    static func isOrdered(_ values: [JSONValue?], descending: Bool) -> Bool {
        zip(values, values.dropFirst()).allSatisfy { a, b in
            let (x, y) = descending ? (b, a) : (a, b)
            if rank(x) != rank(y) { return rank(x) < rank(y) }
            if rank(x) >= 5 { return true }
            return OrderedEncoding.compare(x, y) <= 0
        }
    }

    static func store(_ policy: String) throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": "# + policy + "}")))
        for copy in 0..<2 {
            for (i, value) in values.enumerated() {
                var document: JSONObject = ["id": .string("i\(copy)-\(i)"), "pk": .string("p\(copy)"), "g": 1]
                if let value { document["v"] = value }
                document["o"] = .object(["v": value ?? .string("missing")])
                _ = try test.store.createItem(in: "c", document: .object(document))
            }
        }
        return test
    }

    static let policies = [
        // Every path: the items without the property come first, read apart from the index (which has no entries
        // for them).
        #"{"includedPaths": [{"path": "/*"}]}"#,
        // The path alone, explicitly: the items without it have undefined entries.
        #"{"includedPaths": [{"path": "/v/?"}, {"path": "/o/v/?"}, {"path": "/g/?"}], "excludedPaths": [{"path": "/*"}]}"#,
        // A composite index with an equality prefix serves the ORDER BY.
        #"{"includedPaths": [{"path": "/*"}], "compositeIndexes": [[{"path": "/g"}, {"path": "/v", "order": "descending"}]]}"#,
    ]

    @Test(arguments: 0..<3, [false, true])
    func arraysAndObjectsComeAfterTheStrings(policy: Int, descending: Bool) throws {
        let test = try Self.store(Self.policies[policy])
        let filter = policy == 2 ? " WHERE c.g = 1" : ""
        for scope in [nil, PartitionKey("p1")] {
            let query = "SELECT c.id, c.v FROM c\(filter) ORDER BY c.v" + (descending ? " DESC" : "")
            let whole = try queryAll(test.store, "c", query, partitionKey: scope, pageSize: 100)
            // Every item, the one without the property included, as the service returns them.
            let expectedCount = Self.values.count * (scope == nil ? 2 : 1)
            #expect(whole.count == expectedCount, "\(query) \(String(describing: scope))")
            #expect(Self.isOrdered(whole.map { $0["v"] }, descending: descending), "\(whole)")
            #expect(whole.filter { Self.rank($0["v"]) >= 5 }.count == 6 * (scope == nil ? 2 : 1))
            // Equal arrays (and objects) are adjacent: their entries share the digest.
            let compound = whole.map(\.["v"]).filter { Self.rank($0) >= 5 }
            for i in compound.indices.dropFirst() where compound[i] != compound[i - 1] {
                #expect(!compound[..<i].contains(compound[i]), "\(compound)")
            }
            for size in [1, 2, 3, 5] {
                let paged = try queryAll(test.store, "c", query, partitionKey: scope, pageSize: size)
                #expect(ids(paged) == ids(whole), "page size \(size)")
            }
            if policy != 2 {
                // A nested path has them too.
                let nested = try queryAll(test.store, "c", "SELECT VALUE c.o.v FROM c ORDER BY c.o.v"
                                              + (descending ? " DESC" : ""), partitionKey: scope, pageSize: 4)
                #expect(nested.count == Self.values.count * (scope == nil ? 2 : 1))
                #expect(Self.isOrdered(nested.map { $0 }, descending: descending), "\(nested)")
            }
        }
        if policy == 2 {
            #expect(try test.store.explain(in: "c", "SELECT * FROM c WHERE c.g = 1 ORDER BY c.v").contains("composite"))
        }
        #expect(try test.store.verify().isEmpty)
    }

    /// An item whose value turns from an array into a number and back moves between the groups, once each time
    /// (strict mode checks the entries after every write).
    @Test func anUpdatedItemMovesBetweenTheGroups() throws {
        let test = try Self.store(Self.policies[0])
        func order() throws -> [String] {
            ids(try queryAll(test.store, "c", "SELECT c.id FROM c WHERE c.pk = 'p0' ORDER BY c.v", pageSize: 3))
        }
        let before = try order()
        #expect(before.last == "i0-13")
        _ = try test.store.upsertItem(in: "c", document: .object(["id": "i0-13", "pk": "p0", "v": 100]))
        let after = try order()
        #expect(after.count == before.count)
        #expect(after.firstIndex(of: "i0-13") == after.firstIndex(of: "i0-5")! + 1)
        _ = try test.store.upsertItem(in: "c", document: .object(["id": "i0-5", "pk": "p0", "v": .array([])]))
        let again = try order()
        #expect(again.count == before.count)
        #expect(Set(again.suffix(6)) == ["i0-5", "i0-8", "i0-9", "i0-10", "i0-11", "i0-12"])
        #expect(Set(again.suffix(6).prefix(4)) == ["i0-5", "i0-8", "i0-9", "i0-10"])
    }

    /// Objects that differ only in member order are one value for `=` and DISTINCT: their entries share a digest
    /// (members sorted), so an ordered DISTINCT meets them together and returns one, on every page size.
    @Test func objectsEqualButForMemberOrderAreOneValue() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}}"#)))
        let values = [#"{"a": 1, "b": {"x": 1, "y": 2}}"#, #"{"c": 1}"#, #"{"b": {"y": 2, "x": 1}, "a": 1}"#, #"{"d": 1}"#,
                      #"{"a": 1, "b": {"x": 1, "y": 2}}"#, "[1, 2]", "[2, 1]"]
        for (i, v) in values.enumerated() {
            _ = try test.store.createItem(in: "c", document: try json(#"{"id": "\#(i)", "pk": "p", "v": \#(v)}"#))
        }
        for size in [1, 2, 100] {
            let distinct = try queryAll(test.store, "c", "SELECT DISTINCT VALUE c.v FROM c ORDER BY c.v", pageSize: size)
            #expect(distinct.count == 5, "page size \(size): \(distinct)")
        }
        #expect(try test.store.verify().isEmpty)
    }

    /// Elements inside arrays get no entry of their own as a whole (no ORDER BY reaches them), and a path excluded
    /// as a subtree gets none either: ORDER BY over it is refused as before.
    @Test func excludedSubtreesHaveNoEntries() throws {
        let test = try Self.store(#"{"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/v/*"}]}"#)
        let message = expectStatus(400) { _ = try queryAll(test.store, "c", "SELECT * FROM c ORDER BY c.v") }
        #expect(message?.contains("range index") == true)
        #expect(try test.store.verify().isEmpty)
    }
}
