// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage

/// A failure of the command line itself (a file it cannot read, input it cannot parse), reported like an engine
/// error: `STATUS REASON: message`.
///
/// Engine failures are thrown as ``StoreError`` unchanged; both print as `error: STATUS REASON: message` on the
/// first line of standard error (see ``Cosmolite/run()``).
struct CLIError: Error, CustomStringConvertible {
    /// The kind of failure, with the same statuses as the engine's.
    let code: StoreError.Code
    /// What went wrong and how to fix it; never a document body.
    let message: String

    /// Creates an error.
    init(_ code: StoreError.Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A 400: the input given to the command is malformed.
    static func badRequest(_ message: String) -> CLIError { CLIError(.badRequest, message) }

    /// `STATUS REASON: message`, for example `400 Bad Request: standard input is not valid JSON: ...`.
    var description: String { "\(code.status) \(code.reason): \(message)" }
}

extension CLIError {
    /// The `STATUS REASON: message` text of an error the command line reports itself, or `nil` for errors
    /// that argument-parser reports (usage errors, `--help`, exit codes).
    static func report(for error: any Error) -> String? {
        switch error {
        case let error as StoreError: error.description
        case let error as CLIError: error.description
        default: nil
        }
    }
}
