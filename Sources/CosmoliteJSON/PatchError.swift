// SPDX-License-Identifier: Apache-2.0

// MARK: - PatchError

/// An error raised while parsing or applying a partial document update (patch).
///
/// Messages name the operation, its index and paths, and say how to fix the request; they never
/// include document or operation values, which may be secret.
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    ///
    /// A growable set of well-known codes; compare against the static members, e.g.
    /// `error.code == .pathNotFound`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The stable string identifier of the code, e.g. `"pathNotFound"`.
        public let rawValue: String

        /// Creates a code from its string identifier.
        ///
        /// - Parameter rawValue: The identifier, e.g. `"pathNotFound"`.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The identifier of the code.
        public var description: String { rawValue }

        /// The operation list or an operation is malformed (not an array or object, unknown `op`,
        /// missing or wrongly typed `value` or `from`).
        public static let invalidOperation = Code(rawValue: "invalidOperation")
        /// The patch has no operations.
        public static let noOperations = Code(rawValue: "noOperations")
        /// The patch has more operations than Cosmos DB allows (``PatchOperation/maxOperations``).
        public static let tooManyOperations = Code(rawValue: "tooManyOperations")
        /// A `path` or `from` is not a valid JSON pointer, addresses the document root, uses a
        /// segment that is not an array index on an array, or moves a value into itself.
        public static let invalidPath = Code(rawValue: "invalidPath")
        /// The target (or, for inserting operations, its parent) does not exist.
        public static let pathNotFound = Code(rawValue: "pathNotFound")
        /// An array index is beyond the end of the array.
        public static let indexOutOfRange = Code(rawValue: "indexOutOfRange")
        /// A value has the wrong type: `incr` on a non-number, or a path through a scalar.
        public static let typeMismatch = Code(rawValue: "typeMismatch")
        /// An `incr` result is not a finite double.
        public static let numberOutOfRange = Code(rawValue: "numberOutOfRange")
    }

    /// The zero-based index of the failing operation, or `nil` if the error concerns the whole list.
    public let operationIndex: Int?
    /// The kind of failure.
    public let code: Code
    /// An actionable explanation, e.g.
    /// `patch operation 2 (replace /a/b): path does not exist; use "add" or "set" to create it`.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - operationIndex: The index of the failing operation, if any.
    ///   - message: The complete explanation (must not include document values).
    public init(code: Code, operationIndex: Int?, message: String) {
        self.code = code
        self.operationIndex = operationIndex
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// Creates an error whose message is prefixed with `patch operation N (op path): `.
    init(_ code: Code, index: Int?, kind: String? = nil, path: String? = nil, _ detail: String) {
        var prefix = "patch"
        if let index {
            prefix += " operation \(index)"
            if let kind {
                prefix += " (\(kind)" + (path.map { " " + $0 } ?? "") + ")"
            }
        }
        self.init(code: code, operationIndex: index, message: prefix + ": " + detail)
    }
}
