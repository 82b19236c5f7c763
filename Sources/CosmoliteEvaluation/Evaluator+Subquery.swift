// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON
package import CosmoliteSQL

// MARK: - Subqueries

/// Correlated subqueries (`EXISTS(...)`, `ARRAY(...)`, scalar `(SELECT ...)` and `JOIN (SELECT ...)`), run once
/// per row of the outer query, as Cosmos DB runs them.
///
/// A subquery's rows start from the outer row: its aliases are added to the outer bindings, so its expressions see
/// both. Its `FROM` binds its alias to each element of an array of the outer row (`FROM t IN c.tags`) or to one of
/// its values (`FROM c.address a`; none when that value is undefined); without `FROM` it has the outer row alone.
/// Its JOINs and WHERE filter as an outer query's do. With aggregates in its SELECT it yields one value over all its
/// rows (`COUNT` 0 over none), as an outer query without GROUP BY does.
extension Evaluator {
    /// The values `subquery` yields for the outer row `bindings`, in row order, at most `limit` of them.
    package func values(of subquery: Query, _ bindings: Bindings, limit: Int) throws -> [JSONValue] {
        if let root = item?.rootAlias,
           subquery.from?.alias == root || subquery.joins.contains(where: { $0.alias == root }) {
            // The subquery rebinds the item's name to something else: its computed properties and vector paths are
            // out of reach.
            var inner = self
            inner.item = nil
            return try inner.values(of: subquery, bindings, limit: limit)
        }
        var cap = limit
        if let top = subquery.select.top {
            guard case .number(let n)? = try evaluate(top, bindings), n >= 0, n == n.rounded(), n < 1e15 else {
                throw EvaluationError.badRequest("TOP takes a non-negative integer")
            }
            cap = Swift.min(cap, Int(n))
        }
        guard cap > 0 else { return [] }
        let star = subquery.starAliases
        var aggregateCalls = [Expression]()
        for e in subquery.select.projection.expressions { AggregateCalls.collect(e, into: &aggregateCalls) }
        if !aggregateCalls.isEmpty {
            let allowed = Set(aggregateCalls)
            guard subquery.select.projection.expressions.allSatisfy({ AggregateCalls.usesOnly($0, allowed: allowed) })
            else {
                throw EvaluationError.badRequest("a subquery with aggregates may only select aggregates and constants")
            }
            var accumulators = aggregateCalls.map { Accumulator(AggregateCalls.name($0)) }
            try forEachRow(of: subquery, bindings) { row in
                for (i, call) in aggregateCalls.enumerated() {
                    if case .call(_, let arguments) = call { accumulators[i].add(try evaluate(arguments[0], row)) }
                }
                return true
            }
            var substituted = self
            for (i, call) in aggregateCalls.enumerated() { substituted.substitutions[call] = accumulators[i].result }
            return try substituted.project(subquery.select.projection, bindings, starAliases: star).map { [$0] } ?? []
        }
        var values = [JSONValue]()
        var seen = Set<[UInt8]>()
        try forEachRow(of: subquery, bindings) { row in
            guard let value = try project(subquery.select.projection, row, starAliases: star) else { return true }
            if subquery.select.distinct, !seen.insert(JSONWriter.serialize(value)).inserted { return true }
            values.append(value)
            return values.count < cap
        }
        return values
    }

    /// The value of a scalar subquery: its one value, or undefined when it yields none.
    ///
    /// - Throws: ``EvaluationError`` when it yields more than one value.
    package func scalar(of subquery: Query, _ bindings: Bindings) throws -> JSONValue? {
        let values = try values(of: subquery, bindings, limit: 2)
        guard values.count < 2 else {
            throw EvaluationError.badRequest("a scalar subquery returned more than one value; make it return one (with "
                + "TOP 1 or an aggregate such as COUNT), or use EXISTS(SELECT ...) or ARRAY(SELECT ...)")
        }
        return values.first
    }

    /// Calls `body` with each row of `subquery` over the outer row `bindings` that passes its WHERE, until `body`
    /// returns `false`.
    private func forEachRow(of subquery: Query, _ bindings: Bindings,
                            _ body: (Bindings) throws -> Bool) throws {
        func joinAndFilter(_ row: Bindings) throws -> Bool {
            try forEachJoinedRow(subquery.joins, row) { joined in
                if let condition = subquery.whereClause, try !holds(condition, joined) { return true }
                return try body(joined)
            }
        }
        guard let from = subquery.from else {
            _ = try joinAndFilter(bindings)
            return
        }
        if let iteration = from.iteration {
            guard case .array(let items)? = try evaluate(iteration, bindings) else { return }
            for item in items {
                var row = bindings
                row[from.alias] = item
                guard try joinAndFilter(row) else { return }
            }
        } else if let path = from.path, let value = try evaluate(path, bindings) {
            var row = bindings
            row[from.alias] = value
            _ = try joinAndFilter(row)
        }
    }
}

// MARK: - JOIN rows

extension Evaluator {
    /// Calls `body` with each row `query` makes of one document, before its WHERE, and its number, from row `start`
    /// on: the FROM binding (the document, one of its values for `FROM c.a x`, or each element for `FROM x IN c.arr`),
    /// expanded by every JOIN, in order, until `body` returns `false`. Rows are made one at a time, so a large cross
    /// product of JOINs costs time, not memory; the rows before `start` are made and passed over.
    ///
    /// - Returns: `false` when `body` stopped the walk.
    package func forEachRow(of query: Query, in document: JSONValue, from start: Int = 0,
                            _ body: (Int, Bindings) throws -> Bool) throws -> Bool {
        guard let from = query.from else { return start > 0 ? true : try body(0, [:]) }
        // The rows of FROM (subquery) are its results, which the query executor makes; an item makes none.
        guard from.subquery == nil else { return true }
        var row = 0
        func visit(_ base: Bindings) throws -> Bool {
            try forEachJoinedRow(query.joins, base) { bindings in
                defer { row += 1 }
                return row < start ? true : try body(row, bindings)
            }
        }
        let root: Bindings = [from.containerName: document]
        if let iteration = from.iteration {
            guard case .array(let items)? = try evaluate(iteration, root) else { return true }
            for item in items {
                guard try visit([from.alias: item]) else { return false }
            }
            return true
        }
        if let path = from.path {
            guard let value = try evaluate(path, root) else { return true }
            return try visit([from.alias: value])
        }
        return try visit([from.alias: document])
    }

    /// Calls `body` with each row that `joins` make from `row` (each JOIN binds its alias to each element of its
    /// array; a JOIN whose value is not an array yields no rows), in order, until `body` returns `false`.
    ///
    /// - Returns: `false` when `body` stopped the walk.
    package func forEachJoinedRow(_ joins: [JoinClause], _ row: Bindings, from k: Int = 0,
                          _ body: (Bindings) throws -> Bool) throws -> Bool {
        guard k < joins.count else { return try body(row) }
        guard joins[k].iterates else {
            guard let value = try evaluate(joins[k].collection, row) else { return true }
            var extended = row
            extended[joins[k].alias] = value
            return try forEachJoinedRow(joins, extended, from: k + 1, body)
        }
        guard case .array(let items)? = try evaluate(joins[k].collection, row) else { return true }
        for item in items {
            var extended = row
            extended[joins[k].alias] = item
            guard try forEachJoinedRow(joins, extended, from: k + 1, body) else { return false }
        }
        return true
    }
}

// MARK: - Projection

extension Evaluator {
    /// What the row `bindings` projects to under `projection`, or `nil` (undefined: no result) for `SELECT VALUE`
    /// of an undefined value.
    ///
    /// `SELECT *` gives the value of the only alias in `starAliases`, or an object of all of them by name. Select
    /// items without `AS` are named after their last property (`c.a.b` → `b`), else `$1`, `$2`, ...; undefined items
    /// are left out of the object.
    package func project(_ projection: SelectClause.Projection, _ bindings: Bindings,
                 starAliases: [String]) throws -> JSONValue? {
        switch projection {
        case .star:
            if starAliases.count == 1 { return bindings[starAliases[0]] }
            return .object(JSONObject(starAliases.sorted().compactMap { name in bindings[name].map { (name, $0) } }))
        case .value(let e):
            return try evaluate(e, bindings)
        case .items(let items):
            var o = JSONObject()
            var unnamed = 0
            for item in items {
                let name: String
                if let alias = item.alias {
                    name = alias
                } else if let derived = SelectItem.derivedName(item.expression) {
                    name = derived
                } else {
                    unnamed += 1
                    name = "$\(unnamed)"
                }
                if let value = try evaluate(item.expression, bindings) { o[name] = value }
            }
            return .object(o)
        }
    }
}

extension Query {
    /// The aliases a row of this query binds (its FROM alias, then its JOIN aliases), which `SELECT *` shows.
    package var starAliases: [String] {
        from.map { [$0.alias] + joins.map(\.alias) } ?? []
    }
}

extension SelectClause.Projection {
    /// The expressions of the projection (none for `SELECT *`).
    package var expressions: [Expression] {
        switch self {
        case .star: []
        case .value(let e): [e]
        case .items(let items): items.map(\.expression)
        }
    }
}
