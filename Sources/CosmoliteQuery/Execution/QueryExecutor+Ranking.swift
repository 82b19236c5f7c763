// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteSQL
import CosmoliteStorage

extension QueryExecutor {
    /// A row of a ranked query: its score, its place among equal scores (its item's document key and its number
    /// among the item's JOIN rows), and what it binds.
    struct RankedRow {
        var score: Double
        var key: [UInt8]
        var row: Int
        var bindings: Evaluator.Bindings

        /// Where the row ranks (see ``ranksBefore(_:_:higherFirst:)``).
        var place: (score: Double, key: [UInt8], row: Int) { (score, key, row) }
    }

    /// Whether the row at `a` ranks before the row at `b`: the more similar score first (the higher when
    /// `higherFirst`), then the lower document key (partition key, then id) and row number. Every row has one
    /// place, and the same whichever access path the plan takes.
    static func ranksBefore(_ a: (score: Double, key: [UInt8], row: Int), _ b: (score: Double, key: [UInt8], row: Int),
                            higherFirst: Bool) -> Bool {
        if a.score != b.score { return higherFirst ? a.score > b.score : a.score < b.score }
        if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
        return a.row < b.row
    }

    /// Where a ranked page resumes, and the counts of TOP, OFFSET and LIMIT it carries on.
    struct RankedStart {
        /// The place of the last row an earlier page consumed: this page takes the rows ranked after it.
        var after: (score: Double, key: [UInt8], row: Int)?
        let offset: UInt64
        let cap: UInt64?
        var emitted: UInt64
        var skipped: UInt64
        /// The most rows the page may consume (those OFFSET still skips, then a page's worth), and one more, which
        /// tells whether any follow.
        let capacity: Int

        /// Whether TOP or LIMIT has been reached.
        var capReached: Bool { cap.map { emitted >= $0 } ?? false }
    }

    /// The start of a ranked page resuming from `resume`.
    ///
    /// - Throws: 400 for a token that is not a ranked query's, or a bad TOP, OFFSET or LIMIT.
    func rankedStart(_ resume: QueryPosition?) throws -> RankedStart {
        var after: (score: Double, key: [UInt8], row: Int)?
        if let resume {
            guard let score = resume.score else { throw QueryError.badRequest("the continuation token is malformed") }
            after = (score, resume.rankedKey, Int(resume.rowsConsumed))
        }
        let (offset, cap) = try pageLimits()
        let emitted = resume?.emitted ?? 0
        let skipped = resume?.skipped ?? 0
        var quota = UInt64(maxItems)
        if let cap { quota = min(quota, cap > emitted ? cap - emitted : 0) }
        let capacity = Int(clamping: (offset > skipped ? offset - skipped : 0) + quota + 1)
        return RankedStart(after: after, offset: offset, cap: cap, emitted: emitted, skipped: skipped,
                           capacity: capacity)
    }

    /// One page of `ORDER BY VectorDistance(...)`: every row the plan selects is scored, and the page holds the
    /// best-ranked rows after the position it resumes from (rows without a score are left out).
    ///
    /// The page keeps only as many rows as it may consume (those OFFSET still skips, then a page's worth) and one
    /// more, which tells whether any follow. The position is the last row consumed (its score and place), so the
    /// next page needs no state: it scores the rows again and takes those ranked after it. A row that exists
    /// unchanged during the whole paging therefore comes exactly once.
    func runRanked(_ txn: borrowing Transaction, resume: QueryPosition?,
                   ranking: QueryPlan.Ranking) throws -> Outcome {
        if case .vectors(let read) = plan.access {
            return try runRanked(txn, resume: resume, ranking: ranking, read: read)
        }
        var metrics = QueryMetrics()
        var page = try rankedStart(resume)
        if page.capReached { return Outcome(results: [], position: nil, metrics: metrics) }
        let after = page.after

        let higherFirst = ranking.measure.higherIsMoreSimilar
        var best = BestRows<RankedRow>(capacity: page.capacity) {
            Self.ranksBefore($0.place, $1.place, higherFirst: higherFirst)
        }
        // DISTINCT: each distinct projection ranks at its best row; the others are not results.
        let distinct = query.select.distinct
        var bestOfValue = [[UInt8]: RankedRow]()
        try forEachDocument(txn, resume: nil, metrics: &metrics) { _, startRow, body, documentKey in
            guard startRow != Self.takenEarlier else { return true }
            var key: [UInt8]?
            _ = try evaluator.forEachRow(of: query, in: try parse(body), from: 0) { row, bindings in
                if let residual = plan.residual, try !evaluator.holds(residual, bindings) { return true }
                guard case .number(let score)? = try evaluator.evaluate(ranking.score, bindings) else { return true }
                let candidate = RankedRow(score: score, key: key ?? Array(documentKey), row: row, bindings: bindings)
                key = candidate.key
                if distinct {
                    guard let value = try project(bindings) else { return true }
                    let valueKey = Self.distinctKey(value)
                    if let held = bestOfValue[valueKey], best.precedes(held, candidate) { return true }
                    bestOfValue[valueKey] = candidate
                } else if after.map({ !Self.ranksBefore($0, candidate.place, higherFirst: higherFirst) }) != true {
                    best.offer(candidate)
                }
                return true
            }
            return true
        }
        for candidate in bestOfValue.values
        where after.map({ Self.ranksBefore($0, candidate.place, higherFirst: higherFirst) }) != false {
            best.offer(candidate)
        }

        let ranked = best.sorted()
        var results = [QueryResult]()
        var bytes = 0
        var consumed = 0
        var last: RankedRow?
        for candidate in ranked {
            if page.capReached { break }
            if page.skipped < page.offset {
                page.skipped += 1
            } else if results.count >= maxItems || bytes >= maxBytes {
                break
            } else if let value = try project(candidate.bindings) {
                let result = try Self.result(value)
                results.append(result)
                bytes += result.json.count
                page.emitted += 1
            }
            consumed += 1
            last = candidate
        }
        var position: QueryPosition?
        // More rows may follow those kept when all the room was used.
        if !page.capReached, consumed < ranked.count || ranked.count == page.capacity, let last {
            position = QueryPosition(score: last.score, documentKey: last.key, row: try Self.rowNumber(last.row),
                                     emitted: page.emitted, skipped: page.skipped)
        }
        metrics.resultCount = results.count
        return Outcome(results: results, position: position, metrics: metrics)
    }

    /// One page of `ORDER BY VectorDistance(...)` served by a vector index: every row of the scope is scored from
    /// its packed vector (no item is read for that), the scored rows are sorted, and items are read in rank order,
    /// WHERE checked on each, until the page is full. Each row is an item (the plan has no JOIN), so a row's place
    /// is its score and document key, as when the items are scored, and the results are the same.
    private func runRanked(_ txn: borrowing Transaction, resume: QueryPosition?, ranking: QueryPlan.Ranking,
                           read: QueryPlan.VectorRead) throws -> Outcome {
        var metrics = QueryMetrics()
        var page = try rankedStart(resume)
        if page.capReached { return Outcome(results: [], position: nil, metrics: metrics) }
        let after = page.after

        let higherFirst = ranking.measure.higherIsMoreSimilar
        let measure = ranking.measure
        typealias Place = (score: Double, key: [UInt8], row: Int)
        // Without WHERE to check, the page consumes the best rows in order: keep only as many as it may (OFFSET's,
        // a page's, one more). With WHERE, how many fail is unknown: keep and sort them all.
        var best: BestRows<Place>?
        if plan.residual == nil {
            best = BestRows(capacity: page.capacity) { Self.ranksBefore($0, $1, higherFirst: higherFirst) }
        }
        var scored = [Place]()
        try txn.forEach(store.dbs.compositeIndex, prefix: read.prefix) { key, packed in
            metrics.indexEntriesRead += 1
            guard let score = measure.score(packed: packed, query: read.query) else { return true }
            // A row that ranks after the worst one kept needs no key.
            if let worst = best?.worstKept?.score, higherFirst ? score < worst : score > worst { return true }
            var documentKey = [UInt8]()
            QueryPlan.VectorRead.documentKey(ofRow: key, into: &documentKey)
            let place = (score: score, key: documentKey, row: 0)
            if let after, !Self.ranksBefore(after, place, higherFirst: higherFirst) { return true }
            if best != nil { best!.offer(place) } else { scored.append(place) }
            return true
        }
        if let best {
            scored = best.sorted()
        } else {
            scored.sort { Self.ranksBefore($0, $1, higherFirst: higherFirst) }
        }

        let alias = query.from?.alias ?? ""
        var results = [QueryResult]()
        var bytes = 0
        var last: (score: Double, key: [UInt8], row: Int)?
        var more = false
        for place in scored {
            if page.capReached { break }
            let document: JSONValue? = try place.key.withUnsafeBytes { k in
                guard let (fixed, record) = try store.liveDocument(txn, runtime, key: k, now: now) else { return nil }
                metrics.documentsLoaded += 1
                return try parse(UnsafeRawBufferPointer(rebasing: record[fixed.bodyOffset...]))
            }
            if let document {
                let bindings: Evaluator.Bindings = [alias: document]
                if try plan.residual.map({ try evaluator.holds($0, bindings) }) ?? true {
                    if page.skipped < page.offset {
                        page.skipped += 1
                    } else if results.count >= maxItems || bytes >= maxBytes {
                        more = true
                        break
                    } else if let value = try project(bindings) {
                        let result = try Self.result(value)
                        results.append(result)
                        bytes += result.json.count
                        page.emitted += 1
                    }
                }
            }
            last = place
        }
        // Rows past those kept may follow when every kept row was consumed (some had no result: an expired item, an
        // undefined projection).
        if let best, scored.count == best.capacity, last.map({ $0.key == scored.last?.key }) == true { more = true }
        var position: QueryPosition?
        if more, !page.capReached, let last {
            position = QueryPosition(score: last.score, documentKey: last.key, row: 0, emitted: page.emitted,
                                     skipped: page.skipped)
        }
        metrics.resultCount = results.count
        return Outcome(results: results, position: position, metrics: metrics)
    }
}
