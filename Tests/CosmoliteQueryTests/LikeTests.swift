// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
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

    /// Random patterns over a small alphabet (wildcards, brackets, dashes, carets, multi-byte characters) match
    /// exactly the strings the equivalent regular expression matches, scalar by scalar.
    @Test func matchesLikeTheEquivalentRegularExpression() throws {
        var rng = SeededGenerator(seed: 0x11CE)
        let alphabet: [Unicode.Scalar] = ["a", "b", "c", "-", "]", "[", "^", "%", "_", "!", "é", "😀"]
        func hex(_ c: Unicode.Scalar) -> String { "\\u{" + String(c.value, radix: 16) + "}" }
        var matched = 0
        for round in 0..<400 {
            var pattern = ""
            var regex = ""
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                let c = alphabet.randomElement(using: &rng)!
                switch Int.random(in: 0..<6, using: &rng) {
                case 0:
                    pattern += "%"
                    regex += ".*"
                case 1:
                    pattern += "_"
                    regex += "."
                case 2:
                    // A set of one or two members, possibly a range, possibly negated; members escaped with "!".
                    let negated = Bool.random(using: &rng)
                    let d = alphabet.randomElement(using: &rng)!
                    let range = Bool.random(using: &rng)
                    pattern += "[" + (negated ? "^" : "") + "!" + String(c) + (range ? "-" : "") + "!" + String(d) + "]"
                    let members = range ? (c.value <= d.value ? hex(c) + "-" + hex(d) : nil) : hex(c) + hex(d)
                    // An inverted range holds nothing: its set matches no character, or (negated) any.
                    regex += members.map { "[" + (negated ? "^" : "") + $0 + "]" } ?? (negated ? "." : "(?!)")
                default:
                    pattern += "!" + String(c)
                    regex += hex(c)
                }
            }
            let like = LikePattern(pattern, escape: "!")
            let reference = try Regex(regex).matchingSemantics(.unicodeScalar)
            for _ in 0..<20 {
                let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...6, using: &rng)).map { _ in
                    alphabet.randomElement(using: &rng)!
                }))
                let expected = text.wholeMatch(of: reference) != nil
                #expect(like.matches(text) == expected, "round \(round): \(text.debugDescription) LIKE \(pattern.debugDescription)")
                if expected { matched += 1 }
            }
        }
        #expect(matched > 200, "\(matched)")
    }

    @Test func nonStringsAreUndefined() throws {
        let test = try FunctionTests.fixture()
        #expect(try FunctionTests.value(test.store, "c.n LIKE '5'") == nil)
        #expect(try FunctionTests.value(test.store, "'5' LIKE c.n") == nil)
    }
}
