// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Equality and comparison operators between JSON types, after Cosmos DB's table
/// (learn.microsoft.com/azure/cosmos-db/nosql/query/equality-comparison-operators): `=` compares two values of the
/// same type, arrays and objects included (by content); any other comparison across types, or of two arrays or
/// objects, is undefined.
struct ComparisonTests {
    static let cases: [(String, Bool?)] = [
        ("[1] = [1]", true), ("[1, [2, 'a']] = [1, [2, 'a']]", true), ("[1] = [2]", false), ("[1, 2] = [2, 1]", false),
        ("[] = []", true), ("{'a': 1, 'b': 2} = {'b': 2, 'a': 1}", true), ("{'a': 1} = {'a': 1.0}", true),
        ("{'a': 1} = {'a': 1, 'b': 2}", false), ("{'a': [1]} = {'a': [1]}", true),
        ("[1] != [1]", nil), ("[1] < [2]", nil), ("{'a': 1} >= {'a': 1}", nil), ("[] = {}", nil), ("[1] = 1", nil),
        ("{} = null", nil), ("null = null", true), ("1 = '1'", nil), ("'a' < 'b'", true), ("true > false", true),
        ("[1] IN ([2], [1])", true), ("c.tags = ['vip', 'eu']", true), ("c.q = {'large': 2, 'small': 15}", true),
    ]

    @Test func equalityAcrossTypes() throws {
        let test = try FunctionTests.fixture()
        for (expression, expected) in Self.cases {
            #expect(try FunctionTests.value(test.store, expression) == expected.map { .bool($0) }, "\(expression)")
        }
    }

    /// An array or object equality in WHERE selects by content (and, having no index, reads every item).
    @Test func whereOnAnArrayOrObject() throws {
        let test = try FunctionTests.fixture()
        _ = try test.store.createItem(in: "f", json: Array(#"{"id": "2", "t": "a", "tags": ["eu", "vip"], "q": {"small": 15}}"#.utf8))
        #expect(ids(try queryAll(test.store, "f", "SELECT * FROM c WHERE c.tags = ['vip', 'eu']")) == ["1"])
        #expect(ids(try queryAll(test.store, "f", "SELECT * FROM c WHERE c.q = {'small': 15}")) == ["2"])
    }
}
