// SPDX-License-Identifier: Apache-2.0

import Foundation

/// The corpus figures `FullTextScore` weighs terms by, as the service's SDKs gather them for a query (its
/// "global statistics"): over every item of the container, whatever the query's filter or partition key.
package struct FullTextStatistics: Sendable, Hashable {
    /// The number of items (`COUNT(1)`).
    package var documentCount: UInt64
    /// The number of terms at the path over all items (`SUM(_FullTextWordCount(path))`).
    package var wordCount: UInt64
    /// For each search phrase, the number of items where it occurs (`COUNTIF(FullTextContains(path, phrase))`).
    package var hitCounts: [UInt64]

    /// Statistics of an empty corpus, for `phrases` search phrases.
    package init(phrases: Int) {
        documentCount = 0
        wordCount = 0
        hitCounts = Array(repeating: 0, count: phrases)
    }

    /// Given figures.
    package init(documentCount: UInt64, wordCount: UInt64, hitCounts: [UInt64]) {
        self.documentCount = documentCount
        self.wordCount = wordCount
        self.hitCounts = hitCounts
    }
}

/// `FullTextScore(c.path, 'phrase', ...)`: the BM25 relevance of an item's text to search phrases, higher is more
/// relevant. Only `ORDER BY RANK` (alone or inside `RRF`) may use it, as in the service.
///
/// For each phrase p that occurs tf times in a text of dl terms:
/// `idf(p) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · dl / avgdl))`, summed over the phrases, where
/// `idf(p) = ln(1 + (N − n + 0.5) / (n + 0.5))`, N the number of items, n the number where p occurs, avgdl the
/// mean number of terms per item, k1 = 1.2 and b = 0.75 (Lucene's form of BM25: its idf is never negative). The
/// service documents "standard BM25" without its constants, so scores may differ from Azure's in value, not in
/// what makes one text rank above another.
///
/// An item whose path holds no string, or none of the phrases, scores 0: `ORDER BY RANK` orders, it does not filter.
package struct FullTextScore: Sendable, Hashable {
    /// BM25's term-frequency saturation.
    package static let k1 = 1.2
    /// BM25's length normalization.
    package static let b = 0.75

    /// The search phrases, in argument order.
    package let phrases: [FullTextPhrase]

    /// A score over `phrases`.
    package init(phrases: [FullTextPhrase]) {
        self.phrases = phrases
    }

    /// The score of `text` (`nil`: the item has no string at the path) under `statistics`.
    package func score(_ text: AnalyzedText?, statistics: FullTextStatistics) -> Double {
        guard let text else { return 0 }
        return score(occurrences: phrases.map(text.occurrences(of:)), termCount: text.termCount,
                     statistics: statistics)
    }

    /// The score of a text of `termCount` terms where each phrase occurs as `occurrences` says (in phrase order),
    /// under `statistics`: what a full-text index's postings give without the item.
    package func score(occurrences: [Int], termCount: Int, statistics: FullTextStatistics) -> Double {
        guard termCount > 0, statistics.documentCount > 0 else { return 0 }
        let n = Double(statistics.documentCount)
        let averageLength = max(Double(statistics.wordCount) / n, 1e-9)
        let norm = Self.k1 * (1 - Self.b + Self.b * Double(termCount) / averageLength)
        var total = 0.0
        for (i, count) in occurrences.enumerated() where count > 0 {
            let tf = Double(count)
            let hits = Double(i < statistics.hitCounts.count ? statistics.hitCounts[i] : 0)
            let idf = Foundation.log(1 + max(n - hits + 0.5, 0.5) / (hits + 0.5))
            total += idf * tf * (Self.k1 + 1) / (tf + norm)
        }
        return total
    }

    /// Adds an item whose path holds `text` (`nil`: no string) to `statistics`.
    package func count(_ text: AnalyzedText?, into statistics: inout FullTextStatistics) {
        statistics.documentCount += 1
        guard let text else { return }
        statistics.wordCount += UInt64(text.termCount)
        for (i, phrase) in phrases.enumerated() where text.contains(phrase) {
            statistics.hitCounts[i] += 1
        }
    }
}
