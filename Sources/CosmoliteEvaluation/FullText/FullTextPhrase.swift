// SPDX-License-Identifier: Apache-2.0

/// A search string as full-text search reads it: its terms at their distances from the first, so that a string of
/// several words is a phrase (`FullTextContains(c.text, 'red bicycle')` finds "red" just before "bicycle").
package struct FullTextPhrase: Sendable, Hashable {
    /// The terms, each at its position relative to the first term's (which is 0).
    package let tokens: [FullTextAnalyzer.Token]

    /// The phrase of `search`. A string of stop words only has no terms, and matches nothing.
    package init(_ search: String) {
        let tokens = FullTextAnalyzer.english.tokens(search)
        let first = tokens.first?.position ?? 0
        self.tokens = tokens.map { FullTextAnalyzer.Token(term: $0.term, position: $0.position - first) }
    }

    /// Whether the phrase has no terms (its words are all stop words).
    package var isEmpty: Bool { tokens.isEmpty }
}

/// A text analyzed for search: where each term occurs, and how many terms it has (its length, for BM25).
package struct AnalyzedText: Sendable {
    /// The positions of each term, ascending.
    package let positions: [String: [Int]]
    /// The number of terms (stop words not counted).
    package let termCount: Int

    /// Analyzes `text`.
    package init(_ text: String) {
        var positions = [String: [Int]]()
        let tokens = FullTextAnalyzer.english.tokens(text)
        for token in tokens { positions[token.term, default: []].append(token.position) }
        self.positions = positions
        termCount = tokens.count
    }

    /// How many times `phrase` occurs (0 for a phrase without terms).
    package func occurrences(of phrase: FullTextPhrase) -> Int {
        count(phrase, stopAtFirst: false)
    }

    /// Whether `phrase` occurs.
    package func contains(_ phrase: FullTextPhrase) -> Bool {
        count(phrase, stopAtFirst: true) > 0
    }

    private func count(_ phrase: FullTextPhrase, stopAtFirst: Bool) -> Int {
        guard let first = phrase.tokens.first, let starts = positions[first.term] else { return 0 }
        if phrase.tokens.count == 1 { return starts.count }
        var rest = [(positions: [Int], offset: Int)]()
        for token in phrase.tokens.dropFirst() {
            guard let at = positions[token.term] else { return 0 }
            rest.append((at, token.position))
        }
        return Self.occurrences(starts: starts, rest: rest, stopAtFirst: stopAtFirst)
    }

    /// How many of `starts` (positions of a phrase's first term, ascending) begin the phrase: each other term occurs
    /// at its offset from there (`rest`, each term's positions ascending). With `stopAtFirst`, 1 at most.
    package static func occurrences(starts: [Int], rest: [(positions: [Int], offset: Int)], stopAtFirst: Bool = false)
        -> Int {
        var found = 0
        for start in starts where rest.allSatisfy({ sortedContains($0.positions, start + $0.offset) }) {
            found += 1
            if stopAtFirst { break }
        }
        return found
    }

    /// Whether the ascending array `values` holds `value` (binary search).
    private static func sortedContains(_ values: [Int], _ value: Int) -> Bool {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < values.count && values[low] == value
    }
}
