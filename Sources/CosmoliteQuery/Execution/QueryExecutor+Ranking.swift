// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteSQL
import CosmoliteStorage

extension QueryExecutor {
    /// Where a row ranks: its score, then its item's document key and its number among the item's JOIN rows.
    typealias RankedPlace = (score: Double, key: [UInt8], row: Int)

    /// A row of a ranked query: its score, its place among equal scores (its item's document key and its number
    /// among the item's JOIN rows), and what it binds.
    struct RankedRow {
        var score: Double
        var key: [UInt8]
        var row: Int
        var bindings: Evaluator.Bindings

        /// Where the row ranks (see ``ranksBefore(_:_:higherFirst:)``).
        var place: RankedPlace { (score, key, row) }
    }

    /// Whether the row at `a` ranks before the row at `b`: the more similar score first (the higher when
    /// `higherFirst`), then the lower document key (partition key, then id) and row number. Every row has one
    /// place, and the same whichever access path the plan takes.
    static func ranksBefore(_ a: RankedPlace, _ b: RankedPlace, higherFirst: Bool) -> Bool {
        if a.score != b.score { return higherFirst ? a.score > b.score : a.score < b.score }
        if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
        return a.row < b.row
    }

    /// Where a ranked page resumes, and the counts of TOP, OFFSET and LIMIT it carries on.
    struct RankedStart {
        /// The place of the last row an earlier page consumed: this page takes the rows ranked after it.
        var after: RankedPlace?
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
        var after: RankedPlace?
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

    /// One page of a ranked query (`ORDER BY RANK`, ``QueryPlan/Ranking``): every row the plan selects is scored,
    /// and the page holds the best-ranked rows after the position it resumes from (rows without a score are left
    /// out).
    ///
    /// The page keeps only as many rows as it may consume (those OFFSET still skips, then a page's worth) and one
    /// more, which tells whether any follow. The position is the last row consumed (its score and place, and the
    /// full-text statistics the scores used), so the next page needs no state: it scores the rows again and takes
    /// those ranked after it. A row that exists unchanged during the whole paging therefore comes exactly once.
    func runRanked(_ txn: borrowing Transaction, resume: QueryPosition?,
                   ranking: QueryPlan.Ranking) throws -> Outcome {
        if case .vectors(let read) = plan.access, let measure = ranking.vectorMeasure {
            return try runRanked(txn, resume: resume, measure: measure, read: read)
        }
        if case .fullText(let read) = plan.access, case .fullText(_, let score) = ranking.components[0] {
            return try runRanked(txn, resume: resume, ranking: ranking, score: score, read: read)
        }
        if ranking.isFused { return try runFused(txn, resume: resume, ranking: ranking) }
        var metrics = QueryMetrics()
        var page = try rankedStart(resume)
        if page.capReached { return Outcome(results: [], position: nil, metrics: metrics) }
        let after = page.after
        let statistics = try rankingStatistics(txn, ranking, resume: resume, metrics: &metrics)
        let scorer = try rowScorer(ranking.components[0], statistics: statistics.first)

        let higherFirst = ranking.higherFirst
        var best = BestRows<RankedRow>(capacity: page.capacity) {
            Self.ranksBefore($0.place, $1.place, higherFirst: higherFirst)
        }
        // DISTINCT: each distinct projection ranks at its best row; the others are not results.
        let distinct = query.select.distinct
        var bestOfValue = [[UInt8]: RankedRow]()
        try forEachDocument(txn, resume: nil, metrics: &metrics) { _, startRow, body, documentKey in
            guard startRow != Self.takenByAnotherRead else { return true }
            var key: [UInt8]?
            _ = try evaluator.forEachRow(of: query, in: try parse(body), from: 0) { row, bindings in
                if let residual = plan.residual, try !evaluator.holds(residual, bindings) { return true }
                guard let score = try scorer(bindings) else { return true }
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
                                     emitted: page.emitted, skipped: page.skipped,
                                     statistics: Self.encode(statistics))
        }
        metrics.resultCount = results.count
        return Outcome(results: results, position: position, metrics: metrics)
    }

    /// What scores a row for `component`: the `VectorDistance` call's value, or the item's BM25 score under
    /// `statistics`. `nil` from the scorer: the row has no score.
    private func rowScorer(_ component: QueryPlan.Ranking.Component,
                           statistics: FullTextStatistics?) throws -> (Evaluator.Bindings) throws -> Double? {
        switch component {
        case .vector(let call, _):
            return { [evaluator] bindings in
                if case .number(let score)? = try evaluator.evaluate(call, bindings) { score } else { nil }
            }
        case .fullText(let path, let score):
            guard let statistics else { throw QueryError.badRequest("the continuation token is malformed") }
            return { [evaluator] bindings in
                guard case .string(let text)? = try evaluator.evaluate(path, bindings) else {
                    return score.score(nil, statistics: statistics)
                }
                return score.score(AnalyzedText(text), statistics: statistics)
            }
        }
    }

    // MARK: - Full-text statistics

    /// The corpus statistics of each `FullTextScore` in `ranking`: those the first page computed, when resuming
    /// (so that scores do not move under the paging), else counted now over every live item of the container, as
    /// the service's "global statistics" are (whatever the query's filter or partition key).
    ///
    /// - Throws: 400 for statistics in a token that do not fit the query.
    func rankingStatistics(_ txn: borrowing Transaction, _ ranking: QueryPlan.Ranking, resume: QueryPosition?,
                           metrics: inout QueryMetrics) throws -> [FullTextStatistics] {
        let scores = ranking.fullTextScores
        guard !scores.isEmpty else { return [] }
        if let resume {
            return try Self.decodeStatistics(resume.rankingStatistics, shapes: scores.map(\.phrases.count))
        }
        var statistics = scores.map { FullTextStatistics(phrases: $0.phrases.count) }
        let paths = ranking.components.compactMap { if case .fullText(let path, _) = $0 { path } else { nil } }
        let alias = query.from?.alias ?? ""
        var loaded = 0
        try txn.forEach(store.dbs.docs, prefix: runtime.keyPrefix) { _, record in
            guard let fixed = try store.liveHeader(runtime, record: record, now: now) else { return true }
            loaded += 1
            let bindings: Evaluator.Bindings = [alias: try parse(UnsafeRawBufferPointer(
                rebasing: record[fixed.bodyOffset...]))]
            for (i, score) in scores.enumerated() {
                var text: AnalyzedText?
                if case .string(let s)? = try evaluator.evaluate(paths[i], bindings) { text = AnalyzedText(s) }
                score.count(text, into: &statistics[i])
            }
            return true
        }
        metrics.documentsLoaded += loaded
        return statistics
    }

    /// Statistics as a position carries them: for each score, the document and word counts, the number of
    /// phrases and each phrase's hit count (big-endian integers).
    static func encode(_ statistics: [FullTextStatistics]) -> [UInt8] {
        var out = [UInt8]()
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) } }
        for s in statistics {
            append(s.documentCount)
            append(s.wordCount)
            append(UInt32(s.hitCounts.count))
            for hits in s.hitCounts { append(hits) }
        }
        return out
    }

    /// Decodes ``encode(_:)``'s bytes for scores of `shapes` phrases each.
    ///
    /// - Throws: 400 when the bytes do not hold statistics of that shape.
    static func decodeStatistics(_ bytes: [UInt8], shapes: [Int]) throws -> [FullTextStatistics] {
        var offset = 0
        func take<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= bytes.count else {
                throw QueryError.badRequest("the continuation token is malformed")
            }
            defer { offset += size }
            return bytes[offset..<(offset + size)].reduce(T(0)) { $0 << 8 | T($1) }
        }
        var out = [FullTextStatistics]()
        for phrases in shapes {
            let documents = try take(UInt64.self)
            let words = try take(UInt64.self)
            guard try take(UInt32.self) == phrases else {
                throw QueryError.badRequest("the continuation token is malformed")
            }
            out.append(FullTextStatistics(documentCount: documents, wordCount: words,
                                          hitCounts: try (0..<phrases).map { _ in try take(UInt64.self) }))
        }
        guard offset == bytes.count else { throw QueryError.badRequest("the continuation token is malformed") }
        return out
    }

    // MARK: - RRF

    /// A row of an RRF ranking: its score under each component (`nil`: none), place, and bindings.
    private struct FusedRow {
        var scores: [Double?]
        var fused = 0.0
        var key: [UInt8]
        var row: Int
        var bindings: Evaluator.Bindings
    }

    /// RRF's constant k: a row ranked r by a component adds weight / (k + r) to its fused score.
    static let fusionConstant = 60.0

    /// The one page of `ORDER BY RANK RRF(...)`: every selected row is scored by each component, ranked by each
    /// (1 for the best; equal scores share a rank, and the next rank skips as many; rows without a score rank after
    /// all the others), and ordered by `Σ |weight| / (60 + rank)`, highest first, ties by document key and row.
    ///
    /// A row's rank depends on every other row, so the ranking cannot be resumed without state (the SDKs do not
    /// continue hybrid queries either): all the results must fit one page, and a query with more gets a 400 unless
    /// the page size is dynamic (`maxItemCount` -1).
    private func runFused(_ txn: borrowing Transaction, resume: QueryPosition?,
                          ranking: QueryPlan.Ranking) throws -> Outcome {
        guard resume == nil else {
            throw QueryError.badRequest("queries ranked by RRF cannot be continued; run them without a continuation "
                + "token")
        }
        var metrics = QueryMetrics()
        let statistics = try rankingStatistics(txn, ranking, resume: nil, metrics: &metrics)
        var fullTextIndex = 0
        let scorers = try ranking.components.map { component in
            var componentStatistics: FullTextStatistics?
            if case .fullText = component {
                componentStatistics = statistics[fullTextIndex]
                fullTextIndex += 1
            }
            return try rowScorer(component, statistics: componentStatistics)
        }
        var rows = [FusedRow]()
        try forEachDocument(txn, resume: nil, metrics: &metrics) { _, startRow, body, documentKey in
            guard startRow != Self.takenByAnotherRead else { return true }
            var key: [UInt8]?
            _ = try evaluator.forEachRow(of: query, in: try parse(body), from: 0) { row, bindings in
                if let residual = plan.residual, try !evaluator.holds(residual, bindings) { return true }
                let scores = try scorers.map { try $0(bindings) }
                let documentKey = key ?? Array(documentKey)
                key = documentKey
                rows.append(FusedRow(scores: scores, key: documentKey, row: row, bindings: bindings))
                return true
            }
            return true
        }
        for (c, component) in ranking.components.enumerated() {
            let weight = ranking.weights[c]
            // A negative weight ranks the component's lowest scores first.
            let higherFirst = component.higherFirst != (weight < 0)
            let order = rows.indices.filter { rows[$0].scores[c] != nil }.sorted {
                higherFirst ? rows[$0].scores[c]! > rows[$1].scores[c]! : rows[$0].scores[c]! < rows[$1].scores[c]!
            }
            var rank = 0
            var previous: Double?
            for (i, row) in order.enumerated() {
                let score = rows[row].scores[c]!
                if score != previous { rank = i + 1 }
                previous = score
                rows[row].fused += abs(weight) / (Self.fusionConstant + Double(rank))
            }
            let unscoredRank = Double(order.count + 1)
            for i in rows.indices where rows[i].scores[c] == nil {
                rows[i].fused += abs(weight) / (Self.fusionConstant + unscoredRank)
            }
        }
        rows.sort { Self.ranksBefore(($0.fused, $0.key, $0.row), ($1.fused, $1.key, $1.row), higherFirst: true) }

        let (offset, cap) = try pageLimits()
        var results = [QueryResult]()
        var skipped: UInt64 = 0
        var seen = Set<[UInt8]>()
        for row in rows {
            if let cap, results.count >= cap { break }
            guard let value = try project(row.bindings) else { continue }
            // DISTINCT: each value at its best row.
            if query.select.distinct, !seen.insert(Self.distinctKey(value)).inserted { continue }
            if skipped < offset {
                skipped += 1
                continue
            }
            results.append(try Self.result(value))
        }
        let bytes = results.reduce(0) { $0 + $1.json.count }
        if (results.count > maxItems || bytes > maxBytes) && !dynamicPageSize {
            throw QueryError.badRequest("this query returns \(results.count) results, but queries ranked by RRF cannot "
                + "be continued (a row's rank depends on every other row); pass maxItemCount -1, or limit the results "
                + "to one page with TOP or OFFSET LIMIT")
        }
        metrics.resultCount = results.count
        return Outcome(results: results, position: nil, metrics: metrics)
    }

    /// One page of `ORDER BY VectorDistance(...)` served by a vector index: every row of the scope is scored from
    /// its packed vector (no item is read for that), the scored rows are sorted, and items are read in rank order,
    /// WHERE checked on each, until the page is full. Each row is an item (the plan has no JOIN), so a row's place
    /// is its score and document key, as when the items are scored, and the results are the same.
    private func runRanked(_ txn: borrowing Transaction, resume: QueryPosition?, measure: VectorDistance,
                           read: QueryPlan.VectorRead) throws -> Outcome {
        var metrics = QueryMetrics()
        let page = try rankedStart(resume)
        if page.capReached { return Outcome(results: [], position: nil, metrics: metrics) }
        let after = page.after

        let higherFirst = measure.higherIsMoreSimilar
        // Without WHERE to check, the page consumes the best rows in order: keep only as many as it may (OFFSET's,
        // a page's, one more). With WHERE, how many fail is unknown: keep and sort them all.
        var best: BestRows<RankedPlace>?
        if plan.residual == nil {
            best = BestRows(capacity: page.capacity) { Self.ranksBefore($0, $1, higherFirst: higherFirst) }
        }
        var scored = [RankedPlace]()
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

        var items = RankedItems(page: page)
        try readItems(txn, inRankOrder: scored, into: &items, metrics: &metrics)
        // Rows past those kept may follow when every kept row was consumed (some had no result: an expired item, an
        // undefined projection).
        if let best, scored.count == best.capacity, items.last.map({ $0.key == scored.last?.key }) == true {
            items.more = true
        }
        metrics.resultCount = items.results.count
        return Outcome(results: items.results, position: items.position(statistics: []), metrics: metrics)
    }

    // MARK: - Reading items in rank order

    /// A page of an index-served ranking (vector or full-text index), filled with items read in rank order.
    struct RankedItems {
        var page: RankedStart
        var results = [QueryResult]()
        var bytes = 0
        /// The place of the last row consumed.
        var last: RankedPlace?
        /// Whether a result follows the page.
        var more = false

        /// The position after the page's last row, with the full-text statistics its scores used; `nil` when no
        /// result follows.
        func position(statistics: [UInt8]) -> QueryPosition? {
            guard more, !page.capReached, let last else { return nil }
            return QueryPosition(score: last.score, documentKey: last.key, row: 0, emitted: page.emitted,
                                 skipped: page.skipped, statistics: statistics)
        }
    }

    /// Reads the items at `places` (in rank order) into `items` until the page is full; an item gone or expired
    /// since its row was scored is passed over.
    func readItems(_ txn: borrowing Transaction, inRankOrder places: [RankedPlace], into items: inout RankedItems,
                   metrics: inout QueryMetrics) throws {
        for place in places {
            if items.page.capReached { return }
            if let document = try loadItem(txn, key: place.key, metrics: &metrics) {
                guard try offer(document, at: place, to: &items) else { return }
            } else {
                items.last = place
            }
        }
    }

    /// The live item stored under the document key `key`, parsed, or `nil` when it is gone or expired.
    func loadItem(_ txn: borrowing Transaction, key: [UInt8], metrics: inout QueryMetrics) throws -> JSONValue? {
        try key.withUnsafeBytes { k in
            guard let (fixed, record) = try store.liveDocument(txn, runtime, key: k, now: now) else { return nil }
            metrics.documentsLoaded += 1
            return try parse(UnsafeRawBufferPointer(rebasing: record[fixed.bodyOffset...]))
        }
    }

    /// Takes the item `document`, ranked at `place`, into `items`: WHERE checked, then OFFSET, then the projection.
    /// `false` when the page is already full and the item is a result: one more follows, and the page ends.
    func offer(_ document: JSONValue, at place: RankedPlace, to items: inout RankedItems) throws -> Bool {
        let bindings: Evaluator.Bindings = [query.from?.alias ?? "": document]
        if try plan.residual.map({ try evaluator.holds($0, bindings) }) ?? true {
            if items.page.skipped < items.page.offset {
                items.page.skipped += 1
            } else if items.results.count >= maxItems || items.bytes >= maxBytes {
                items.more = true
                return false
            } else if let value = try project(bindings) {
                let result = try Self.result(value)
                items.results.append(result)
                items.bytes += result.json.count
                items.page.emitted += 1
            }
        }
        items.last = place
        return true
    }
}
