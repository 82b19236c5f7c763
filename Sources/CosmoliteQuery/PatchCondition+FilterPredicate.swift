// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteSQL
public import CosmoliteStorage

extension PatchCondition {
    /// Compiles Cosmos DB's filter predicate for a conditional patch: `FROM alias [JOIN ...] [WHERE condition]`.
    ///
    /// ```swift
    /// let condition = try PatchCondition(filterPredicate: "FROM c WHERE c.status = 'pending'")
    /// try store.patchItem(in: "orders", id: "o1", partitionKey: PartitionKey("acme"),
    ///                     operations: [PatchOperation(.set, path: try JSONPointer("/status"), value: "shipped")],
    ///                     condition: condition)
    /// ```
    ///
    /// An item satisfies the condition when the query `SELECT * FROM ... WHERE ...`, run over that item alone
    /// (system properties included), returns a row. The WHERE has the query language's semantics: a comparison with
    /// an undefined property, or between different types, is undefined, so the condition does not hold. JOINs and
    /// subqueries work as in queries; parameters, `SELECT`, `GROUP BY`, `ORDER BY` and `OFFSET LIMIT` do not.
    ///
    /// - Parameter text: The condition, for example `FROM c WHERE c.stock > 0 AND NOT c.discontinued`.
    /// - Throws: ``StoreError`` 400 for a syntax error (with line and column), a parameter or an unknown function.
    public init(filterPredicate text: String) throws {
        let query: Query
        do {
            query = try Query.parseCondition(text)
        } catch {
            throw QueryError.badRequest("invalid patch condition: \(error.message)")
        }
        self.init(text: text) { document, now in
            try QueryError.reportingEvaluation {
                let evaluator = Evaluator(parameters: [:], now: now)
                var holds = false
                _ = try evaluator.forEachRow(of: query, in: document) { _, row in
                    holds = try query.whereClause.map { try evaluator.holds($0, row) } ?? true
                    return !holds
                }
                return holds
            }
        }
    }
}
