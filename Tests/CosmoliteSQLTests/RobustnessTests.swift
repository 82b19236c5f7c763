// SPDX-License-Identifier: Apache-2.0

import CosmoliteSQL
import CosmoliteTestSupport
import Testing

// MARK: - RobustnessTests

/// Seeded random inputs: generated valid queries must parse to the generated tree, and arbitrary
/// token soups and byte strings must produce a query or a well-formed error, never a crash.
@Suite struct RobustnessTests {
    /// Checks the invariants of any parse outcome; returns whether it was a success.
    @discardableResult
    static func checkOutcome(of text: String) -> Bool {
        do {
            let query = try Query.parse(text)
            let reparsed = try Query.parse(query.description)
            #expect(reparsed == query, "round trip of \(text.debugDescription)")
            return true
        } catch {
            checkError(error, in: text)
            return false
        }
    }

    /// Checks that `error` names a position inside `text` consistently.
    static func checkError(_ error: QuerySyntaxError, in text: String) {
        guard let span = error.span else {
            #expect(error.message.hasPrefix("the query text is "), "\(error.message)")
            return
        }
        let bytes = Array(text.utf8)
        #expect(span.offset >= 0 && span.length >= 0 && span.offset + span.length <= bytes.count)
        let before = bytes[..<min(span.offset, bytes.count)]
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<min(span.offset, bytes.count)], as: UTF8.self).count + 1
        #expect(span.line == line && span.column == column, "\(text.debugDescription): \(error.message)")
        #expect(error.message.hasPrefix("syntax error at line \(line), column \(column): "), "\(error.message)")
    }

    @Test func generatedQueriesParseToTheGeneratedTree() throws {
        var generator = QueryGenerator(seed: 0xC05_0001)
        for _ in 0..<5_000 {
            let (text, expected) = generator.query()
            let parsed = try Query.parse(text)
            #expect(parsed == expected, "\(text.debugDescription)\n got  \(parsed)\n want \(expected)")
            if parsed != expected {
                return  // one detailed failure is enough
            }
            #expect(try Query.parse(parsed.description) == expected)
        }
    }

    static let vocabulary: [String] = [
        "SELECT", "select", "*", "VALUE", "DISTINCT", "TOP", "FROM", "from", "JOIN", "IN", "WHERE", "GROUP", "BY",
        "ORDER", "ASC", "DESC", "OFFSET", "LIMIT", "AS", "AND", "OR", "NOT", "BETWEEN", "LIKE", "ESCAPE", "TRUE",
        "false", "null", "undefined", "udf", "c", "root", "x", "t", "COUNT", "sum", "StartsWith", "ABS", "foo",
        "CONCAT", "@p", "@", "0", "1", "2.5", "1e3", "1e", "1.", "12abc", "1e999", "'a'", "\"b\"", "'it\\'s'",
        "'unterminated", "\"\\q\"", "'\\u00e9'", "'\\ud800'", "(", ")", "[", "]", "{", "}", ",", ".", ":", "?",
        "??", "+", "-", "/", "%", "||", "|", "&", "^", "~", "<<", ">>", ">>>", "=", "!=", "<>", "<", "<=", ">",
        ">=", "!", "#", "é", "\u{0}", "\n", "😀",
    ]

    @Test func tokenSoupsNeverCrash() {
        var random = SeededGenerator(seed: 0x50_0B)
        var successes = 0
        for round in 0..<7_500 {
            var text = ""
            if round.isMultiple(of: 3), let golden = GoldenQueries.cases.randomElement(using: &random) {
                // Mutate a valid query: splice a random token into it and cut a random range out.
                var characters = Array(golden.query)
                let at = Int.random(in: 0...characters.count, using: &random)
                characters.insert(contentsOf: Self.vocabulary.randomElement(using: &random) ?? "", at: at)
                let start = Int.random(in: 0...characters.count, using: &random)
                let end = min(characters.count, start + Int.random(in: 0...3, using: &random))
                characters.removeSubrange(start..<end)
                text = String(characters)
            } else {
                for _ in 0..<Int.random(in: 0...25, using: &random) {
                    let token = Self.vocabulary.randomElement(using: &random) ?? ""
                    text += token + (Bool.random(using: &random) ? " " : "")
                }
            }
            if Self.checkOutcome(of: text) {
                successes += 1
            }
        }
        #expect(successes > 100)  // the soups do reach valid queries, not only early errors
    }

    @Test func randomBytesNeverCrash() {
        var random = SeededGenerator(seed: 0xB17E5)
        for round in 0..<7_500 {
            let bytes = (0..<Int.random(in: 0...48, using: &random)).map { _ in
                Bool.random(using: &random)
                    ? UInt8.random(in: 0x20...0x7E, using: &random) : UInt8.random(in: 0...255, using: &random)
            }
            let text = String(decoding: bytes, as: UTF8.self)  // invalid UTF-8 becomes U+FFFD
            Self.checkOutcome(of: round.isMultiple(of: 2) ? text : "SELECT " + text)
        }
    }
}
