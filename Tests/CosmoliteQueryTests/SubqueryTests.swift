// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Correlated subqueries (`EXISTS`, `ARRAY`, scalar and `JOIN (SELECT ...)`) through the public query API.
struct SubqueryTests {
    func fixture() throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "p", "partitionKey": {"paths": ["/t"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}]}}"#)))
        let docs = [
            #"{"id": "1", "t": "a", "tags": [{"name": "winter", "q": 3}, {"name": "fall", "q": 12}], "sizes": [1, 2, 3]}"#,
            #"{"id": "2", "t": "a", "tags": [{"name": "summer", "q": 1}], "sizes": []}"#,
            #"{"id": "3", "t": "b", "tags": [], "sizes": [5, 5]}"#,
            #"{"id": "4", "t": "b"}"#,
        ]
        for d in docs { _ = try test.store.createItem(in: "p", json: Array(d.utf8)) }
        return test
    }

    func ids(_ values: [JSONValue]) -> [String] {
        values.compactMap { if case .object(let o) = $0, case .string(let id)? = o["id"] { id } else { nil } }
    }

    @Test func existsFiltersOnTheRowsOwnArrays() throws {
        let store = try fixture().store
        let winter = try queryAll(store, "p", "SELECT c.id FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags "
            + "WHERE t.name = @n) ORDER BY c.id", parameters: ["n": "winter"])
        #expect(ids(winter) == ["1"])
        let none = try queryAll(store, "p", "SELECT c.id FROM c WHERE NOT EXISTS(SELECT VALUE t FROM t IN c.tags) "
            + "ORDER BY c.id")
        #expect(ids(none) == ["3", "4"])
        // A subquery yielding only undefined values yields nothing; an object projection is never undefined.
        let undefinedValues = try queryAll(store, "p", "SELECT VALUE [EXISTS(SELECT VALUE t.missing FROM t IN c.tags), "
            + "EXISTS(SELECT t.missing FROM t IN c.tags)] FROM c WHERE c.id = '1'")
        #expect(undefinedValues == [.array([false, true])])
    }

    /// `FIRST` and `LAST` give the first and last value of the subquery (undefined when there is none, never the
    /// "more than one value" 400 of a plain scalar subquery); `ALL` is `NOT EXISTS` of the rows whose condition is
    /// false, so an undefined condition does not count against it and an empty array satisfies it.
    @Test func firstLastAndAllReduceTheValues() throws {
        let store = try fixture().store
        let rows = try queryAll(store, "p", """
            SELECT c.id, FIRST(SELECT VALUE s FROM s IN c.sizes) AS first, LAST(SELECT VALUE t.name FROM t IN c.tags) AS last,
                   ALL(SELECT VALUE t FROM t IN c.tags WHERE t.q > 2) AS big, ALL(SELECT VALUE t FROM t IN c.tags WHERE t.q > 0) AS any,
                   ALL(SELECT VALUE s FROM s IN c.sizes) AS always
            FROM c ORDER BY c.id
            """)
        #expect(rows == [
            try json(#"{"id": "1", "first": 1, "last": "fall", "big": true, "any": true, "always": true}"#),
            try json(#"{"id": "2", "last": "summer", "big": false, "any": true, "always": true}"#),
            try json(#"{"id": "3", "first": 5, "big": true, "any": true, "always": true}"#),
            try json(#"{"id": "4", "big": true, "any": true, "always": true}"#),
        ])
        // An undefined condition (no `q`) is no counterexample; a false one is.
        let mixed = try queryAll(store, "p", "SELECT VALUE [ALL(SELECT VALUE t FROM t IN c.tags WHERE t.missing > 2), "
            + "ALL(SELECT VALUE t FROM t IN c.tags WHERE t.q > 5)] FROM c WHERE c.id = '1'")
        #expect(mixed == [.array([true, false])])
        // In WHERE, as filters.
        let allBig = try queryAll(store, "p", "SELECT VALUE c.id FROM c WHERE ALL(SELECT VALUE t FROM t IN c.tags "
            + "WHERE t.q >= 3) AND FIRST(SELECT VALUE s FROM s IN c.sizes) = 1")
        #expect(allBig == ["1"])
        // The plain scalar subquery still refuses more than one value.
        _ = expectStatus(400) { _ = try queryAll(store, "p", "SELECT VALUE (SELECT VALUE s FROM s IN c.sizes) FROM c") }
    }

    @Test func arrayAndScalarSubqueriesProjectPerRow() throws {
        let store = try fixture().store
        let rows = try queryAll(store, "p", """
            SELECT c.id, ARRAY(SELECT VALUE t.name FROM t IN c.tags WHERE t.q > 2) AS names,
                   (SELECT VALUE COUNT(1) FROM t IN c.tags) AS n,
                   (SELECT VALUE SUM(s) FROM s IN c.sizes) AS total,
                   (SELECT VALUE MAX(s) FROM s IN c.sizes) AS biggest,
                   ARRAY(SELECT DISTINCT VALUE s FROM s IN c.sizes) AS distinctSizes,
                   ARRAY(SELECT TOP 1 VALUE s FROM s IN c.sizes) AS firstSize
            FROM c ORDER BY c.id
            """)
        #expect(rows == [
            try json(#"{"id": "1", "names": ["winter", "fall"], "n": 2, "total": 6, "biggest": 3, "distinctSizes": [1, 2, 3], "firstSize": [1]}"#),
            try json(#"{"id": "2", "names": [], "n": 1, "total": 0, "distinctSizes": [], "firstSize": []}"#),
            try json(#"{"id": "3", "names": [], "n": 0, "total": 10, "biggest": 5, "distinctSizes": [5], "firstSize": [5]}"#),
            try json(#"{"id": "4", "names": [], "n": 0, "total": 0, "distinctSizes": [], "firstSize": []}"#),
        ])
    }

    @Test func joinSubqueriesCountLikeFilteredJoins() throws {
        let store = try fixture().store
        let viaJoins = try queryAll(store, "p", "SELECT VALUE COUNT(1) FROM c JOIN t IN c.tags JOIN s IN c.sizes "
            + "WHERE t.q > 2 AND s >= 2")
        let viaSubqueries = try queryAll(store, "p", "SELECT VALUE COUNT(1) FROM c "
            + "JOIN (SELECT VALUE t FROM t IN c.tags WHERE t.q > 2) JOIN (SELECT VALUE s FROM s IN c.sizes WHERE s >= 2)")
        #expect(viaJoins == [4])
        #expect(viaSubqueries == viaJoins)
        let named = try queryAll(store, "p", "SELECT c.id, x FROM c JOIN (SELECT VALUE t.name FROM t IN c.tags) AS x "
            + "ORDER BY c.id")
        #expect(named == [try json(#"{"id": "1", "x": "winter"}"#), try json(#"{"id": "1", "x": "fall"}"#),
                          try json(#"{"id": "2", "x": "summer"}"#)])
    }

    @Test func subqueriesWorkAcrossPages() throws {
        let store = try fixture().store
        let text = "SELECT c.id FROM c WHERE (SELECT VALUE COUNT(1) FROM s IN c.sizes) >= 0 ORDER BY c.id"
        #expect(ids(try queryAll(store, "p", text, pageSize: 1)) == ["1", "2", "3", "4"])
    }

    @Test func badSubqueriesGet400WithAMessage() throws {
        let store = try fixture().store
        let many = expectStatus(400) {
            _ = try queryAll(store, "p", "SELECT c.id, (SELECT VALUE t.name FROM t IN c.tags) AS n FROM c")
        }
        #expect(many?.contains("a scalar subquery returned more than one value") == true)
        let uncorrelated = expectStatus(400) {
            _ = try queryAll(store, "p", "SELECT * FROM c WHERE EXISTS(SELECT VALUE 1 FROM c)")
        }
        #expect(uncorrelated?.contains("only correlated subqueries are supported") == true)
        let parameter = expectStatus(400) {
            _ = try queryAll(store, "p", "SELECT * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t.q > @q)")
        }
        #expect(parameter?.contains("@q") == true)
    }
}
