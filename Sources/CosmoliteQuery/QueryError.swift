// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteStorage

/// Builds the engine errors the query layer reports (all are Cosmos 400s unless stated).
enum QueryError {
    static func badRequest(_ message: String) -> StoreError { StoreError(.badRequest, message) }

    /// Runs `body`, reporting the evaluator's errors as the engine's 400 (what every public entry point throws).
    static func reportingEvaluation<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as EvaluationError {
            throw badRequest(error.message)
        }
    }

    /// Cosmos's message when a multi-path ORDER BY has no matching composite index.
    static func missingCompositeIndex(runtime: ContainerRuntime) -> StoreError {
        badRequest(
            "The order by query does not have a corresponding composite index that it can be served from. Add a "
                + "composite index with the ORDER BY paths in the same order (and the same or fully inverted "
                + "directions)." + transformationNote(runtime))
    }

    /// Cosmos's message when an ORDER BY path is not range-indexed.
    static func orderByNotIndexed(_ path: String, runtime: ContainerRuntime) -> StoreError {
        let neverIndexed = ["_rid", "_self", "_etag", "_attachments"].first {
            path == "/" + $0 || path.hasPrefix("/" + $0 + "/")
        }
        let fix = neverIndexed.map { "; \($0) is a system property that is never indexed: order by _ts or id instead." }
            ?? "; include it in the container's indexing policy."
        return badRequest("Order-by item requires a range index to be defined on the corresponding index path "
            + "(\(path))" + fix + transformationNote(runtime))
    }

    /// Says, when the container's index is being transformed, that indexes the new policy adds become usable only
    /// when the transformation completes.
    private static func transformationNote(_ runtime: ContainerRuntime) -> String {
        guard runtime.transformation?.reindexes == true else { return "" }
        return " Container '\(runtime.id)' is re-indexing after an indexing-policy change: indexes the new policy "
            + "adds serve queries once that completes (Store.finishIndexTransformations, or wait for the "
            + "background work)."
    }
}
