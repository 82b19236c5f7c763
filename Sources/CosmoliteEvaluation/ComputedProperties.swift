// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON
package import CosmoliteSQL

/// A container's computed properties, compiled: top-level names whose values a query expression derives from the
/// item (`SELECT VALUE LOWER(c.name) FROM c`), as Cosmos DB defines them.
///
/// They are not stored in items. Queries read them as `c.name` or `c["name"]` on the item (the evaluator computes
/// them), `SELECT *` leaves them out, and the storage layer indexes the ones the indexing policy names explicitly.
/// A persisted property with the same name is hidden from queries and from the index.
package final class ComputedProperties: Sendable {
    /// One compiled definition.
    package struct Definition: Sendable {
        /// The alias of the definition's `FROM` clause, bound to the item.
        package let alias: String
        /// The `SELECT VALUE` expression.
        package let expression: Expression
    }

    /// The definitions by name.
    package let byName: [String: Definition]

    /// Compiled definitions by name.
    package init(_ byName: [String: Definition]) {
        self.byName = byName
    }

    /// The names, sorted (a stable order for index terms and reports).
    package var names: [String] { byName.keys.sorted() }

    /// The value of the computed property `name` for `item`, or `nil` (undefined) when there is no such property
    /// or it evaluates to undefined.
    ///
    /// An evaluation error (a regular expression in the item that does not compile, say) also gives undefined: the
    /// same answer whether the value is read by a query or computed for the index while the item is written.
    package func value(_ name: String, of item: JSONValue) -> JSONValue? {
        guard let definition = byName[name] else { return nil }
        // A definition may not use the current time, so the clock value never matters.
        let evaluator = Evaluator(parameters: [:], now: 0)
        return (try? evaluator.evaluate(definition.expression, [definition.alias: item])) ?? nil
    }

    /// Checks that `query` is a valid computed-property definition and compiles it.
    ///
    /// Cosmos's rules: `SELECT VALUE` with a `FROM` over the item itself; no `JOIN`, `WHERE`, `GROUP BY`,
    /// `ORDER BY`, `TOP`, `DISTINCT`, `OFFSET LIMIT`, subqueries (`EXISTS`, `ARRAY`, scalar), parameters,
    /// aggregates or current-time functions. (That it reads no other computed property is a rule about the whole
    /// list: ``Definition/firstReference(to:)``.)
    ///
    /// - Parameter query: The definition's query text.
    /// - Returns: The compiled definition, or a message saying what to fix.
    package static func compile(_ query: String) -> Result<Definition, EvaluationError> {
        let parsed: Query
        do {
            parsed = try Query.parse(query)
        } catch {
            return .failure(.badRequest(error.message))
        }
        func refuse(_ what: String) -> Result<Definition, EvaluationError> { .failure(notAllowed(what)) }
        guard case .value(let expression) = parsed.select.projection else {
            return .failure(.badRequest("a computed property's query must select one value: SELECT VALUE <expression> "
                + "FROM c"))
        }
        guard let from = parsed.from, from.path == nil, from.iteration == nil else {
            return .failure(.badRequest("a computed property's query must read the item itself: FROM c (or FROM root c)"))
        }
        if !parsed.joins.isEmpty { return refuse("JOIN") }
        if parsed.whereClause != nil { return refuse("WHERE") }
        if !parsed.groupBy.isEmpty { return refuse("GROUP BY") }
        if !parsed.orderBy.isEmpty { return refuse("ORDER BY") }
        if parsed.select.top != nil { return refuse("TOP") }
        if parsed.select.distinct { return refuse("DISTINCT") }
        if parsed.offset != nil || parsed.limit != nil { return refuse("OFFSET LIMIT") }
        var problem: String?
        expression.visit { e in
            guard problem == nil else { return }
            switch e {
            case .exists, .arraySubquery, .subquery:
                problem = "a subquery"
            case .parameter(let name):
                problem = "a parameter (@\(name))"
            case .call(let name, _) where BuiltinFunctions.aggregates.contains(name):
                problem = "the aggregate \(name)"
            case .call(let name, _) where name.hasPrefix("GETCURRENT") || name == "NOW" || name == "AGO":
                problem = "\(name) (the value must not depend on when it is computed)"
            case .call("RAND", _):
                problem = "RAND (the value must be the same each time it is computed)"
            case .call(let name, _) where name.hasPrefix("ST_"):
                // computed-properties.md: "Aggregate functions, spatial functions, nondeterministic functions, and
                // user defined functions (UDFs) aren't supported."
                problem = "the spatial function \(name)"
            case .identifier(let name) where name != from.alias:
                problem = "the name '\(name)' (only the FROM alias '\(from.alias)' can be used)"
            default:
                break
            }
        }
        if let problem { return refuse(problem) }
        return .success(Definition(alias: from.alias, expression: expression))
    }

    /// The 400 for a construct a computed property's query may not use.
    package static func notAllowed(_ what: String) -> EvaluationError {
        .badRequest("\(what) is not allowed in a computed property's query")
    }
}

extension ComputedProperties.Definition {
    /// The first of `names` this definition reads from the item (`c.name` or `c["name"]`), if any.
    package func firstReference(to names: Set<String>) -> String? {
        var found: String?
        expression.visit { e in
            guard found == nil else { return }
            switch e {
            case .property(.identifier(alias), let name) where names.contains(name),
                 .index(.identifier(alias), .literal(.string(let name)?)) where names.contains(name):
                found = name
            default:
                break
            }
        }
        return found
    }
}
