// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `LIKE` with Cosmos DB's wildcards (learn.microsoft.com/cosmos-db/query/like): `%`, `_`, `[set]`, `[^set]`,
/// ranges, wildcards made plain inside brackets, and ESCAPE.
struct LikeTests {
    static let cases: [(String, Bool)] = [
        // The documented forms.
        ("'Road bike' LIKE '%bi_e'", true), ("'Road bike' LIKE 'Road%'", true), ("'Road bike' LIKE '%Road'", false),
        ("'SOtPS' LIKE '%SO[t-z]PS%'", true), ("'SOaPS' LIKE '%SO[t-z]PS%'", false),
        ("'SOdPS' LIKE '%SO[^abc]PS%'", true), ("'SObPS' LIKE '%SO[^abc]PS%'", false),
        ("'Cosmic 20%' LIKE '%20^%%' ESCAPE '^'", true), ("'Cosmic 20x' LIKE '%20^%%' ESCAPE '^'", false),
        // Wildcards inside brackets are plain characters.
        ("'20-30%' LIKE '20-30[%]'", true), ("'20-30x' LIKE '20-30[%]'", false),
        ("'_n' LIKE '[_]n'", true), ("'an' LIKE '[_]n'", false), ("'[' LIKE '[[]'", true), ("']' LIKE ']'", true),
        // Sets and ranges.
        ("'b' LIKE '[abc]'", true), ("'d' LIKE '[abc]'", false), ("'B' LIKE '[abc]'", false),
        ("'d' LIKE '[a-cdf]'", true), ("'e' LIKE '[a-cdf]'", false),
        ("'-' LIKE '[-acdf]'", true), ("'-' LIKE '[acdf-]'", true), ("'b' LIKE '[-acdf]'", false),
        ("'zz' LIKE '[z-a]z'", false), ("'e' LIKE '[^a-d]'", true), ("'c' LIKE '[^a-d]'", false),
        ("'xxbq' LIKE '%[ab]q'", true), ("'xxcq' LIKE '%[ab]q'", false), ("'ab' LIKE '[ab]'", false),
        // Code points, not bytes: one set or `_` takes one character, however many UTF-8 bytes it has.
        ("'é' LIKE '[à-ê]'", true), ("'ë' LIKE '[à-ê]'", false), ("'😀x' LIKE '_x'", true), ("'😀' LIKE '[😀]'", true),
        // ESCAPE inside brackets: the escaped character is a member, and an escaped `-` makes no range.
        ("'-' LIKE '[a!-c]' ESCAPE '!'", true), ("'b' LIKE '[a!-c]' ESCAPE '!'", false), ("']' LIKE '[!]]' ESCAPE '!'", true),
        // A `[` no `]` closes is a plain character.
        ("'[abc' LIKE '[abc'", true), ("'a' LIKE '[abc'", false),
        ("'abc' NOT LIKE '[^a]%'", true),
    ]

    @Test func wildcardsSetsAndRanges() throws {
        let test = try FunctionTests.fixture()
        for (expression, expected) in Self.cases {
            #expect(try FunctionTests.value(test.store, expression) == .bool(expected), "\(expression)")
        }
    }

    @Test func nonStringsAreUndefined() throws {
        let test = try FunctionTests.fixture()
        #expect(try FunctionTests.value(test.store, "c.n LIKE '5'") == nil)
        #expect(try FunctionTests.value(test.store, "'5' LIKE c.n") == nil)
    }
}
