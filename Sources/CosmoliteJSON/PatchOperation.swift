// SPDX-License-Identifier: Apache-2.0

// MARK: - PatchOperation

/// One operation of an Azure Cosmos DB partial document update.
///
/// Semantics follow Cosmos DB's partial document update:
///
/// - `add`: the parent must exist. On an object, adds the member or overwrites it. On an array, the
///   last segment is an index `0...count` (inserts before it) or `-` (appends).
/// - `set`: like `add`, except that an existing array index is replaced instead of inserted before.
/// - `replace`: the target must exist (member or array element); its value is replaced.
/// - `remove`: the target must exist; the member or array element is removed.
/// - `incr`: adds a number to the target; a missing target (whose parent exists) is created with the
///   value; a non-numeric target is an error.
/// - `move`: removes the value at `from` (which must exist) and adds it at `path` with `add`
///   semantics; `path` must not lie inside `from`.
///
/// Operations never target the document root.
public struct PatchOperation: Sendable, Hashable {
    /// The operation type, spelled as in the Cosmos DB wire format.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Add a member or insert an array element.
        case add
        /// Add a member or set an array element.
        case set
        /// Replace an existing value.
        case replace
        /// Remove an existing value.
        case remove
        /// Increment a number.
        case incr
        /// Move a value from one path to another.
        case move
    }

    /// The maximum number of operations in one patch (a Cosmos DB limit).
    public static let maxOperations = 10

    /// The operation type.
    public var kind: Kind
    /// The target location.
    public var path: JSONPointer
    /// The operand for `add`, `set`, `replace` and `incr` (a number); `nil` otherwise.
    public var value: JSONValue?
    /// The source location for `move`; `nil` otherwise.
    public var from: JSONPointer?

    /// Creates an operation. Use ``parseList(_:)`` to validate operations from a request; an
    /// operation created here is validated when applied.
    ///
    /// - Parameters:
    ///   - kind: The operation type.
    ///   - path: The target location.
    ///   - value: The operand, required for `add`, `set`, `replace` and `incr`.
    ///   - from: The source location, required for `move`.
    public init(_ kind: Kind, path: JSONPointer, value: JSONValue? = nil, from: JSONPointer? = nil) {
        self.kind = kind
        self.path = path
        self.value = value
        self.from = from
    }

    /// The operation in Cosmos DB wire format, e.g. `{"op":"set","path":"/a","value":1}`.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["op": .string(kind.rawValue), "path": .string(path.description)]
        if let value { object["value"] = value }
        if let from { object["from"] = .string(from.description) }
        return .object(object)
    }
}

// MARK: - Parsing

extension PatchOperation {
    /// Parses and validates a Cosmos DB patch operation list.
    ///
    /// The input is an array of 1 to ``maxOperations`` objects of the form
    /// `{"op": "add|set|replace|remove|incr|move", "path": "/…", "value": …, "from": "/…"}`.
    /// Op names are lowercase. `value` is required for `add`, `set`, `replace` and `incr` (where it
    /// must be a number) and ignored for `remove` and `move`; `from` is required for `move`. Paths
    /// must be valid JSON pointers other than the root `""`. Unknown members are ignored.
    ///
    /// - Parameter json: The operation list.
    /// - Returns: The operations in order.
    /// - Throws: ``PatchError`` naming the first invalid operation and its index.
    public static func parseList(_ json: JSONValue) throws(PatchError) -> [PatchOperation] {
        guard case .array(let list) = json else {
            throw PatchError(.invalidOperation, index: nil, "the patch must be a JSON array of operations")
        }
        guard !list.isEmpty else {
            throw PatchError(.noOperations, index: nil, "the patch contains no operations; send at least one")
        }
        guard list.count <= maxOperations else {
            throw PatchError(code: .tooManyOperations, operationIndex: nil, message:
                "The number of patch operations can't exceed \(maxOperations). This patch has \(list.count); split it.")
        }
        var operations: [PatchOperation] = []
        operations.reserveCapacity(list.count)
        for (index, element) in list.enumerated() {
            operations.append(try parseOne(element, index: index))
        }
        return operations
    }

    static func parseOne(_ element: JSONValue, index: Int) throws(PatchError) -> PatchOperation {
        guard case .object(let object) = element else {
            throw PatchError(
                .invalidOperation, index: index,
                "an operation must be an object with \"op\" and \"path\", but it is \(article(element.typeName))"
            )
        }
        guard let opValue = object["op"] else {
            throw PatchError(.invalidOperation, index: index, "missing \"op\"; expected one of \(kindList)")
        }
        guard case .string(let opName) = opValue else {
            throw PatchError(.invalidOperation, index: index, "\"op\" must be a string; expected one of \(kindList)")
        }
        guard let kind = Kind(rawValue: opName) else {
            throw PatchError(
                .invalidOperation, index: index,
                "unknown op \(quoted(opName)); expected one of \(kindList) (lowercase)"
            )
        }
        let path = try parsePointer(object["path"], member: "path", kind: kind, index: index)
        var operation = PatchOperation(kind, path: path)
        let context = (index: index, kind: kind.rawValue, path: path.description)
        switch kind {
        case .add, .set, .replace, .incr:
            guard let value = object["value"] else {
                throw PatchError(
                    .invalidOperation, index: context.index, kind: context.kind, path: context.path,
                    "missing \"value\"; \(kind.rawValue) requires one"
                )
            }
            if kind == .incr, value.numberValue == nil {
                throw PatchError(
                    .invalidOperation, index: context.index, kind: context.kind, path: context.path,
                    "\"value\" must be a number for incr, but it is \(article(value.typeName))"
                )
            }
            operation.value = value
        case .remove:
            break
        case .move:
            operation.from = try parsePointer(object["from"], member: "from", kind: kind, index: index)
        }
        return operation
    }

    static func parsePointer(
        _ value: JSONValue?,
        member: String,
        kind: Kind,
        index: Int
    ) throws(PatchError) -> JSONPointer {
        guard let value else {
            throw PatchError(
                .invalidOperation, index: index, kind: kind.rawValue,
                "missing \"\(member)\"; \(kind.rawValue) requires a JSON pointer such as \"/property\""
            )
        }
        guard case .string(let text) = value else {
            throw PatchError(
                .invalidOperation, index: index, kind: kind.rawValue,
                "\"\(member)\" must be a string holding a JSON pointer such as \"/property\""
            )
        }
        let pointer: JSONPointer
        do {
            pointer = try JSONPointer(text)
        } catch {
            throw PatchError(
                .invalidPath, index: index, kind: kind.rawValue,
                "\"\(member)\" \(quoted(text)) is not a valid JSON pointer: \(error.message) " +
                    "at byte \(error.byteOffset)"
            )
        }
        guard !pointer.isRoot else {
            throw PatchError(
                .invalidPath, index: index, kind: kind.rawValue,
                "\"\(member)\" must address a property or element, not the document root \"\""
            )
        }
        return pointer
    }

    static var kindList: String {
        Kind.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Quotes a name from the request for an error message, shortened to keep messages small.
    static func quoted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let shown = scalars.count > 64 ? String(String.UnicodeScalarView(scalars.prefix(64))) + "…" : text
        return JSONWriter.string(.string(shown))
    }

    /// `"a string"`, `"an object"`, `"null"`: a type name for a message.
    static func article(_ typeName: String) -> String {
        switch typeName {
        case "null": "null"
        case "array", "object": "an " + typeName
        default: "a " + typeName
        }
    }
}
