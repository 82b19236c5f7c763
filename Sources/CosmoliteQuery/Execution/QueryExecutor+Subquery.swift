// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteSQL

extension QueryExecutor {
    /// Runs one page of a query over a FROM subquery whose results stream (``streamsItems``), as any query over the
    /// container's items pages: the page holds at most `maxItems` results and its position resumes by seeking, so
    /// the cost of page k does not depend on k.
    ///
    /// The subquery runs from the place the page resumes at and hands over its results one at a time (``sink``),
    /// each with the subquery position that makes it again. The outer rows of a result (one, or more through the
    /// outer JOINs) are filtered, projected and counted against OFFSET, LIMIT and TOP; when the page fills inside
    /// a result's rows, its position is that subquery position with the outer rows consumed (format 4 of
    /// ``QueryPosition``). An item that exists and is unchanged during the paging makes its results exactly once,
    /// as the subquery's own positions guarantee.
    func runOverSubquery(_ txn: borrowing Transaction, resume: QueryPosition?, inner: QueryExecutor) throws -> Outcome {
        let innerResume = try resume.map { try $0.inner() }
        let (offset, cap) = try pageLimits()
        var emitted = resume?.emitted ?? 0
        var skipped = resume?.skipped ?? 0
        var metrics = QueryMetrics()
        if let cap, emitted >= cap { return Outcome(results: [], position: nil, metrics: metrics) }
        let alias = query.from?.alias ?? ""
        var results = [QueryResult]()
        results.reserveCapacity(min(maxItems, Self.reservedResults))
        var bytes = 0
        var examined = 0
        var stop: QueryPosition?
        var capReached = false
        // Outer rows of the first result to skip: those the previous page consumed, when the subquery resumes at
        // the very result it stopped in (an item that changed since may make another result there).
        var rowsToSkip = Int(resume?.rowsConsumed ?? 0)
        var first = innerResume != nil
        inner.sink = { [self] value, here in
            if first {
                first = false
                let at = try here()
                if let innerResume, at.branch != innerResume.branch || at.key != innerResume.key
                    || at.rowsConsumed != innerResume.rowsConsumed {
                    rowsToSkip = 0
                }
            } else {
                rowsToSkip = 0
            }
            var row = 0
            return try evaluator.forEachJoinedRow(query.joins, [alias: value]) { bindings in
                defer { row += 1 }
                if row < rowsToSkip { return true }
                examined += 1
                if examined > scanBudget {
                    // Bound a page's cost: resume at this row.
                    stop = QueryPosition(inner: try here(), rowsConsumed: try Self.rowNumber(row), emitted: emitted,
                                         skipped: skipped)
                    return false
                }
                if let residual = plan.residual, try !evaluator.holds(residual, bindings) { return true }
                guard let value = try project(bindings) else { return true }
                let result = try Self.result(value)
                if skipped < offset {
                    skipped += 1
                    return true
                }
                if let cap, emitted >= cap {
                    capReached = true
                    return false
                }
                if results.count >= maxItems || bytes >= maxBytes {
                    stop = QueryPosition(inner: try here(), rowsConsumed: try Self.rowNumber(row), emitted: emitted,
                                         skipped: skipped)
                    return false
                }
                results.append(result)
                bytes += result.json.count
                emitted += 1
                return true
            }
        }
        defer { inner.sink = nil }
        let outcome = try inner.run(txn, resume: innerResume)
        metrics.indexEntriesRead = outcome.metrics.indexEntriesRead
        metrics.documentsLoaded = outcome.metrics.documentsLoaded
        if stop == nil, !capReached, let position = outcome.position {
            // The subquery stopped on its own scan budget: resume it there.
            stop = QueryPosition(inner: position, rowsConsumed: 0, emitted: emitted, skipped: skipped)
        }
        if capReached { stop = nil }
        metrics.resultCount = results.count
        return Outcome(results: results, position: stop, metrics: metrics)
    }
}
