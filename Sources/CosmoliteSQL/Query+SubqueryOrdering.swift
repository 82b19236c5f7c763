// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

// MARK: - ORDER BY over a FROM subquery

/// Cosmos DB orders the results of a `FROM (SELECT ...)` subquery at the outer query, never inside it: `ORDER BY` in
/// any subquery is its 400 SC2202 ("'ORDER BY' is not supported in subqueries"), while
/// `SELECT * FROM (SELECT VALUE d.item FROM d WHERE ...) c ORDER BY c.createdAt` runs. Like every ORDER BY of the
/// service, the outer one must map to a document path: `c.createdAt` above is the item's `item.createdAt`, which
/// an index orders.
///
/// Cosmolite runs such a query as the subquery ordered by those paths (`ORDER BY d.item.createdAt`), whose results
/// the outer query then filters, expands and projects in that order: the outer `WHERE` only drops results, and the
/// rows an outer `JOIN` makes of one result share its sort key. The parser checks that the mapping exists (with the
/// error's position); the query layer runs ``movingOrderIntoSubquery()``.
extension Query {
    /// This query with its `ORDER BY` moved into its `FROM (SELECT ...)` subquery as the document paths the outer
    /// items stand for, or the query itself when it has no `ORDER BY` or no `FROM` subquery.
    ///
    /// - Throws: ``QuerySyntaxError`` without a position (the parser gives it the ORDER BY's) when an item does not
    ///   map to a document path of the subquery (it is not a path of the `FROM` alias, or the subquery computes that
    ///   value rather than selecting a path: an aggregate, a group, a function), or the subquery has `TOP`, which
    ///   picks its results before any order.
    package func movingOrderIntoSubquery() throws(QuerySyntaxError) -> Query {
        guard !orderBy.isEmpty, let from, let subquery = from.subquery else { return self }
        let inner = subquery.query
        if inner.select.top != nil {
            throw QuerySyntaxError(message: "ORDER BY cannot order the results of a FROM subquery that has "
                + "TOP: its TOP picks results before any order applies; move TOP to the outer query", span: nil)
        }
        var innerOrder = [OrderByItem]()
        for item in orderBy {
            guard inner.groupBy.isEmpty, let path = Self.documentPath(of: item.expression, alias: from.alias,
                                                                      through: inner) else {
                throw QuerySyntaxError(message: "Unsupported ORDER BY clause. ORDER BY item expression could "
                    + "not be mapped to a document path; order by a property the FROM subquery selects from its "
                    + "items (for example SELECT * FROM (SELECT c.id, c.name FROM c) s ORDER BY s.name)", span: nil)
            }
            innerOrder.append(OrderByItem(expression: path, descending: item.descending))
        }
        var ordered = inner
        ordered.orderBy = innerOrder
        var query = self
        query.from = FromClause(subquery: ordered, alias: from.alias)
        query.orderBy = []
        return query
    }

    /// One step of a property path: `.name` (or `["name"]`), or `[index]` with a number or a parameter.
    private enum PathStep {
        case member(String)
        case element(Expression)
    }

    /// The document path of the subquery `inner` that `expression`, a path of the outer alias `alias`, stands for:
    /// the outer path is followed through the subquery's projection. `nil` when it is no such path.
    private static func documentPath(of expression: Expression, alias: String, through inner: Query) -> Expression? {
        guard let (root, steps) = pathSteps(expression), root == alias else { return nil }
        var remaining = steps[...]
        var base: Expression
        switch inner.select.projection {
        case .star:
            // SELECT * binds the one FROM alias of the subquery (it has no JOIN).
            guard let innerAlias = inner.from?.alias else { return nil }
            base = .identifier(innerAlias)
        case .value(let value):
            base = value
        case .items(let items):
            // The outer path starts with a member of the projected object: the select item of that name.
            guard case .member(let name)? = remaining.popFirst() else { return nil }
            let matching = zip(items, outputNames(items)).filter { $0.1 == name }
            // Two items of one name: which one an item shows depends on which is defined, so neither is the path.
            guard matching.count == 1 else { return nil }
            base = matching[0].0.expression
        }
        for step in remaining {
            base = apply(step, to: base)
        }
        // Only a path of the subquery's own aliases can be ordered (by an index, as any ORDER BY).
        guard let (innerRoot, _) = pathSteps(base),
              innerRoot == inner.from?.alias || inner.joins.contains(where: { $0.alias == innerRoot }) else {
            return nil
        }
        return base
    }

    /// `step` applied to `base`, taking a member of an object constructor or an element of an array constructor
    /// (`{"a": c.x}.a` is `c.x`) rather than writing a path through it.
    private static func apply(_ step: PathStep, to base: Expression) -> Expression {
        switch (step, base) {
        case (.member(let name), .object(let members)):
            let matching = members.filter { $0.name == name }
            // A member the constructor lacks (or has twice) is no path: leave it to be refused.
            return matching.count == 1 ? matching[0].value : .property(base, name)
        case (.element(.literal(.number(let n)?)), .array(let elements)):
            guard n >= 0, n == n.rounded(), n < Double(elements.count) else {
                return .index(base, .literal(.number(n)))
            }
            return elements[Int(n)]
        case (.member(let name), _):
            return .property(base, name)
        case (.element(let index), _):
            return .index(base, index)
        }
    }

    /// The root alias and the steps of a property path (`c.a["b"][0][@p]`), or `nil` for any other expression.
    private static func pathSteps(_ expression: Expression) -> (root: String, steps: [PathStep])? {
        var steps = [PathStep]()
        var current = expression
        while true {
            switch current {
            case .identifier(let root):
                return (root, steps.reversed())
            case .property(let base, let name):
                steps.append(.member(name))
                current = base
            case .index(let base, .literal(.string(let name)?)):
                steps.append(.member(name))
                current = base
            case .index(let base, let index):
                switch index {
                case .literal(.number(_)?), .parameter: steps.append(.element(index))
                default: return nil
                }
                current = base
            default:
                return nil
            }
        }
    }

    /// The member name each select item has in a result: its `AS` name, else its last property name
    /// (``SelectItem/derivedName(_:)``), else `$1`, `$2`, ... in the order of such unnamed items.
    private static func outputNames(_ items: [SelectItem]) -> [String] {
        var unnamed = 0
        return items.map { item in
            if let alias = item.alias { return alias }
            if let derived = SelectItem.derivedName(item.expression) { return derived }
            unnamed += 1
            return "$\(unnamed)"
        }
    }
}
