// SPDX-License-Identifier: Apache-2.0

/// A request the evaluator cannot answer: always a Cosmos 400, with a message that says what to fix.
///
/// The evaluator sits below the storage layer (which evaluates computed properties while it writes), so it cannot
/// throw the engine's `StoreError`; the layers above turn this error into a `StoreError` 400 at their boundary.
package struct EvaluationError: Error, Sendable, CustomStringConvertible {
    /// What was wrong and how to fix it.
    package let message: String

    /// A 400 with `message`.
    package static func badRequest(_ message: String) -> EvaluationError { EvaluationError(message: message) }

    package var description: String { "400 Bad Request: \(message)" }
}
