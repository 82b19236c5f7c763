// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// Cosmos's patch request body: a JSON array of operations, or `{"operations": [...], "condition": "FROM c WHERE ..."}`
/// (the condition is optional). The one parser behind `cosmolite items patch` and the Patch operations of batches.
public struct PatchBody: Sendable {
    /// The operations, in order.
    public var operations: [PatchOperation]
    /// The condition's text (Cosmos's filter predicate), if the body has one; compile it with
    /// `PatchCondition(filterPredicate:)` from `CosmoliteQuery`.
    public var condition: String?

    /// Parses a patch body.
    ///
    /// - Throws: ``StoreError`` 400 naming what is wrong: an unknown member, a missing `operations`, a condition that
    ///   is not a string, or an invalid operation.
    public init(json: JSONValue) throws {
        var list = json
        if case .object(let body) = json {
            for key in body.keys where key != "operations" && key != "condition" {
                throw StoreError.badRequest("unknown property '\(key)' in the patch body (it takes operations and "
                    + "condition)")
            }
            guard let operations = body["operations"] else {
                throw StoreError.badRequest("the patch body needs \"operations\": [...]")
            }
            list = operations
            if let raw = body["condition"], raw != .null {
                guard case .string(let text) = raw else {
                    throw StoreError.badRequest("the patch condition must be a string")
                }
                condition = text
            }
        }
        do {
            operations = try PatchOperation.parseList(list)
        } catch {
            throw StoreError.badRequest("\(error)")
        }
    }
}
