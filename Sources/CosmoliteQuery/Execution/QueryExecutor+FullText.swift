// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteSQL
import CosmoliteStorage

extension QueryExecutor {
    /// One page of `ORDER BY RANK FullTextScore(c.path, ...)` served by the path's full-text index.
    ///
    /// The statistics come from the index (its counter row, and each phrase's postings over the container) or, when
    /// resuming, from the token. Each phrase's postings in the scope give the items where it occurs, how often, and
    /// their lengths: those items are scored without being read, sorted, and read in rank order, WHERE checked on
    /// each. Every other item of the scope scores 0 and follows in document-key order, read from `docs`. Ranks, ties
    /// and positions are those of reading every item (``runRanked(_:resume:ranking:)``), so the results are the same.
    func runRanked(_ txn: borrowing Transaction, resume: QueryPosition?, ranking: QueryPlan.Ranking,
                   score: FullTextScore, read: QueryPlan.FullTextRead) throws -> Outcome {
        var metrics = QueryMetrics()
        let page = try rankedStart(resume)
        if page.capReached { return Outcome(results: [], position: nil, metrics: metrics) }
        let statistics: FullTextStatistics
        if let resume {
            statistics = try Self.decodeStatistics(resume.rankingStatistics, shapes: [score.phrases.count])[0]
        } else {
            statistics = try fullTextStatistics(txn, read, metrics: &metrics)
        }

        // The scope's items holding a phrase: their terms' count and each phrase's occurrences, by `PK ‖ ID`.
        var matches = [[UInt8]: (termCount: Int, occurrences: [Int])]()
        for (p, phrase) in read.phrases.enumerated() where !phrase.isEmpty {
            try forEachOccurrence(txn, read, phrase, scope: read.scope, metrics: &metrics) { tail, termCount, count in
                let none = Array(repeating: 0, count: read.phrases.count)
                matches[tail, default: (termCount, none)].occurrences[p] = count
            }
        }
        let cid = runtime.keyPrefix
        var scored = [RankedPlace]()
        scored.reserveCapacity(matches.count)
        for (tail, match) in matches {
            let value = score.score(occurrences: match.occurrences, termCount: match.termCount, statistics: statistics)
            let place = (score: value, key: cid + tail, row: 0)
            if let after = page.after, !Self.ranksBefore(after, place, higherFirst: true) { continue }
            scored.append(place)
        }
        scored.sort { Self.ranksBefore($0, $1, higherFirst: true) }

        var items = RankedItems(page: page)
        try readItems(txn, inRankOrder: scored, into: &items, metrics: &metrics)
        // The items without a phrase, score 0, in document-key order (after the resume position's key when it was
        // one of them).
        if !items.more && !items.page.capReached {
            var after: [UInt8]?
            if let resume = page.after, resume.score == 0 { after = resume.key }
            try txn.forEach(store.dbs.docs, prefix: cid + read.scope) { key, record in
                if let after, EntryIterator.compare(key, after) <= 0 { return true }
                metrics.indexEntriesRead += 1
                if matches[Array(key[cid.count...])] != nil { return true }
                guard let fixed = try store.liveHeader(runtime, record: record, now: now) else { return true }
                metrics.documentsLoaded += 1
                let document = try parse(UnsafeRawBufferPointer(rebasing: record[fixed.bodyOffset...]))
                return try offer(document, at: (0, Array(key), 0), to: &items) && !items.page.capReached
            }
        }
        metrics.resultCount = items.results.count
        return Outcome(results: items.results, position: items.position(statistics: Self.encode([statistics])),
                       metrics: metrics)
    }

    /// The statistics of `read`'s phrases over the whole container: the index's counter row (items, terms) and
    /// each phrase's number of items, from its postings.
    private func fullTextStatistics(_ txn: borrowing Transaction, _ read: QueryPlan.FullTextRead,
                                    metrics: inout QueryMetrics) throws -> FullTextStatistics {
        var statistics = FullTextStatistics(phrases: read.phrases.count)
        if let counter = try txn.get(store.dbs.compositeIndex, key: read.counterKey), counter.count == 16 {
            statistics.documentCount = counter[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            statistics.wordCount = counter[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        }
        for (p, phrase) in read.phrases.enumerated() where !phrase.isEmpty {
            var hits: UInt64 = 0
            try forEachOccurrence(txn, read, phrase, scope: [], metrics: &metrics) { _, _, _ in hits += 1 }
            statistics.hitCounts[p] = hits
        }
        return statistics
    }

    /// Calls `body` with each item of `scope` where `phrase` occurs: its `PK ‖ ID`, its number of terms, and the
    /// phrase's occurrences. The first term's postings are walked; a longer phrase looks up the item's postings of
    /// its other terms and matches their positions.
    private func forEachOccurrence(_ txn: borrowing Transaction, _ read: QueryPlan.FullTextRead,
                                   _ phrase: [(term: [UInt8], offset: Int)], scope: [UInt8],
                                   metrics: inout QueryMetrics,
                                   _ body: ([UInt8], Int, Int) throws -> Void) throws {
        let first = read.index + phrase[0].term
        var entries = 0
        defer { metrics.indexEntriesRead += entries }
        try txn.forEach(store.dbs.compositeIndex, prefix: first + scope) { key, value in
            entries += 1
            let tail = Array(key[first.count...])
            let (termCount, starts) = try Self.posting(value)
            guard phrase.count > 1 else {
                try body(tail, termCount, starts.count)
                return true
            }
            var rest = [(positions: [Int], offset: Int)]()
            for token in phrase.dropFirst() {
                entries += 1
                guard let other = try txn.get(store.dbs.compositeIndex, key: read.index + token.term + tail) else {
                    return true
                }
                rest.append((try Self.posting(other[...]).positions, token.offset))
            }
            let count = AnalyzedText.occurrences(starts: starts, rest: rest)
            if count > 0 { try body(tail, termCount, count) }
            return true
        }
    }

    /// A posting's value: the item's number of terms, then the term's positions (big-endian 32-bit integers).
    private static func posting<Bytes: Collection<UInt8>>(_ value: Bytes) throws -> (termCount: Int, positions: [Int])
    where Bytes.Index == Int {
        guard value.count >= 8, value.count % 4 == 0 else {
            throw StoreError(.corrupted, "a full-text index entry is malformed; run cosmolite verify")
        }
        func integer(at offset: Int) -> Int {
            let i = value.startIndex + offset
            return Int(value[i]) << 24 | Int(value[i + 1]) << 16 | Int(value[i + 2]) << 8 | Int(value[i + 3])
        }
        return (integer(at: 0), stride(from: 4, to: value.count, by: 4).map(integer(at:)))
    }
}
