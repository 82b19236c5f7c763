// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// The condition a patch applies under: Cosmos DB's filter predicate, such as
/// `FROM c WHERE c.status = 'active'`.
///
/// The engine evaluates it against the item's current version (system properties included) inside the patch's
/// write transaction. When it does not hold, the patch is refused with 412 and nothing is written, exactly as for a
/// stale `If-Match`.
///
/// The engine does not parse query text: build a condition with `PatchCondition(filterPredicate:)` from the
/// `CosmoliteQuery` module, which compiles the Cosmos SQL text, or give a predicate of your own.
public struct PatchCondition: Sendable {
    /// The condition as written.
    public let text: String
    /// Whether the condition holds for a document at a time (seconds since 1970, for the date functions).
    let predicate: @Sendable (_ document: JSONValue, _ now: Double) throws -> Bool

    /// Creates a condition from its text and a compiled predicate.
    ///
    /// - Parameters:
    ///   - text: The condition as written, kept for messages and tools.
    ///   - predicate: Whether a document (the whole item, system properties included) satisfies the condition at
    ///     `now` (seconds since 1970). An error it throws aborts the patch and reaches the caller.
    public init(text: String, predicate: @escaping @Sendable (_ document: JSONValue, _ now: Double) throws -> Bool) {
        self.text = text
        self.predicate = predicate
    }

    /// Whether `document` satisfies the condition at `now`.
    func holds(for document: JSONValue, now: Double) throws -> Bool {
        try predicate(document, now)
    }
}
