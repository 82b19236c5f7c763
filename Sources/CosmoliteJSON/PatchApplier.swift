// SPDX-License-Identifier: Apache-2.0

// MARK: - Applying patches

extension PatchOperation {
    /// Applies operations to a document in order, all or nothing.
    ///
    /// The operations work on a copy; the document is replaced only if every operation succeeds, so
    /// on error it is unchanged. Each operation is validated as in ``parseList(_:)`` (required
    /// `value`/`from`, numeric `incr` value, no root path); the operation count limit is enforced
    /// by ``parseList(_:)`` only.
    ///
    /// - Parameters:
    ///   - operations: The operations, applied first to last.
    ///   - document: The document to update.
    /// - Throws: ``PatchError`` for the first operation that fails, with its index.
    public static func apply(_ operations: [PatchOperation], to document: inout JSONValue) throws(PatchError) {
        var working = document
        for (index, operation) in operations.enumerated() {
            try PatchApplier(operation: operation, index: index).apply(to: &working)
        }
        document = working
    }

    /// Applies this operation to a document; on error the document is unchanged.
    ///
    /// - Parameter document: The document to update.
    /// - Throws: ``PatchError`` (with operation index 0) if the operation fails.
    public func apply(to document: inout JSONValue) throws(PatchError) {
        try Self.apply([self], to: &document)
    }
}

// MARK: - PatchApplier

/// Applies one ``PatchOperation`` in place; callers provide all-or-nothing behaviour.
struct PatchApplier {
    typealias Body = (inout JSONValue, String) throws(PatchError) -> Void

    let operation: PatchOperation
    let index: Int

    func apply(to document: inout JSONValue) throws(PatchError) {
        let path = operation.path
        guard !path.isRoot else {
            throw failure(.invalidPath, "the path must address a property or element, not the document root \"\"")
        }
        switch operation.kind {
        case .add:
            try insert(try requiredValue(), at: path, in: &document, replacingElement: false)
        case .set:
            try insert(try requiredValue(), at: path, in: &document, replacingElement: true)
        case .replace:
            try replace(with: try requiredValue(), in: &document)
        case .remove:
            _ = try remove(at: path, in: &document, role: "path")
        case .incr:
            let value = try requiredValue()
            guard case .number(let delta) = value else {
                throw failure(.invalidOperation, "\"value\" must be a number for incr, but it is " +
                    PatchOperation.article(value.typeName))
            }
            try increment(by: delta, in: &document)
        case .move:
            try move(in: &document)
        }
    }

    // MARK: Operations

    func insert(
        _ value: JSONValue,
        at pointer: JSONPointer,
        in document: inout JSONValue,
        replacingElement: Bool
    ) throws(PatchError) {
        try withParent(of: pointer, in: &document) { (parent, segment) throws(PatchError) in
            switch parent {
            case .object(var object):
                parent = .null
                object[segment] = value
                parent = .object(object)
            case .array(var elements):
                let position = try insertionIndex(segment, count: elements.count, pointer: pointer)
                parent = .null
                if replacingElement, position < elements.count {
                    elements[position] = value
                } else {
                    elements.insert(value, at: position)
                }
                parent = .array(elements)
            default:
                preconditionFailure("withParent only yields containers")
            }
        }
    }

    func replace(with value: JSONValue, in document: inout JSONValue) throws(PatchError) {
        let pointer = operation.path
        try withParent(of: pointer, in: &document) { (parent, segment) throws(PatchError) in
            switch parent {
            case .object(var object):
                guard let position = object.index(forKey: segment) else {
                    throw serviceFailure(.pathNotFound, "Node(\(pointer)) to be replaced is absent.",
                                         "Use \"add\" or \"set\" to create it.")
                }
                parent = .null
                object.setValue(value, at: position)
                parent = .object(object)
            case .array(var elements):
                let position = try existingIndex(segment, count: elements.count, pointer: pointer)
                parent = .null
                elements[position] = value
                parent = .array(elements)
            default:
                preconditionFailure("withParent only yields containers")
            }
        }
    }

    /// Removes and returns the value at `pointer`; `role` names the pointer in messages.
    func remove(at pointer: JSONPointer, in document: inout JSONValue, role: String) throws(PatchError) -> JSONValue {
        var removed = JSONValue.null
        try withParent(of: pointer, in: &document) { (parent, segment) throws(PatchError) in
            switch parent {
            case .object(var object):
                parent = .null
                guard let value = object.removeValue(forKey: segment) else {
                    if operation.kind == .remove {
                        throw serviceFailure(.pathNotFound, "Node(\(pointer)) to be removed is absent.",
                                             "There is nothing to remove.")
                    }
                    throw failure(.pathNotFound, "\(describe(role, pointer)) does not exist; nothing to \(verb)")
                }
                removed = value
                parent = .object(object)
            case .array(var elements):
                let position = try existingIndex(segment, count: elements.count, pointer: pointer, role: role)
                parent = .null
                removed = elements.remove(at: position)
                parent = .array(elements)
            default:
                preconditionFailure("withParent only yields containers")
            }
        }
        return removed
    }

    func increment(by delta: Double, in document: inout JSONValue) throws(PatchError) {
        let pointer = operation.path
        try withParent(of: pointer, in: &document) { (parent, segment) throws(PatchError) in
            switch parent {
            case .object(var object):
                let current = object[segment]
                let result = try sum(current, delta)
                parent = .null
                object[segment] = .number(result)
                parent = .object(object)
            case .array(var elements):
                let position = try insertionIndex(segment, count: elements.count, pointer: pointer)
                // Note: a bare `nil` in a ternary with a JSONValue branch would become `.null`.
                let current: JSONValue? = position < elements.count ? elements[position] : Optional.none
                let result = try sum(current, delta)
                parent = .null
                if position < elements.count {
                    elements[position] = .number(result)
                } else {
                    elements.append(.number(result))
                }
                parent = .array(elements)
            default:
                preconditionFailure("withParent only yields containers")
            }
        }
    }

    func sum(_ current: JSONValue?, _ delta: Double) throws(PatchError) -> Double {
        guard let current else { return delta }
        guard case .number(let base) = current else {
            throw serviceFailure(.typeMismatch, "Node(\(operation.path)) isn't a number.",
                                 "It is \(PatchOperation.article(current.typeName)); incr only applies to numbers (use "
                                    + "\"set\" to overwrite it).")
        }
        let result = base + delta
        guard result.isFinite else {
            throw failure(.numberOutOfRange, "the incremented value exceeds the range of a double")
        }
        return result
    }

    func move(in document: inout JSONValue) throws(PatchError) {
        guard let from = operation.from else {
            throw failure(.invalidOperation, "missing \"from\"; move requires the source path")
        }
        guard !from.isRoot else {
            throw failure(.invalidPath, "\"from\" must address a property or element, not the document root \"\"")
        }
        let path = operation.path
        if path == from {
            guard path.value(in: document) != nil else {
                throw failure(.pathNotFound, "\"from\" path \(from) does not exist; nothing to move")
            }
            return
        }
        guard !path.isDescendant(ofOrEqualTo: from) else {
            throw failure(.invalidPath, "cannot move \(from) into its own descendant \(path)")
        }
        let moved = try remove(at: from, in: &document, role: "from")
        try insert(moved, at: path, in: &document, replacingElement: false)
    }

    // MARK: Navigation

    /// Calls `body` with the container holding the last segment of `pointer` and that segment.
    func withParent(of pointer: JSONPointer, in document: inout JSONValue, _ body: Body) throws(PatchError) {
        try descend(&document, pointer: pointer, depth: 0, body)
    }

    private func descend(
        _ node: inout JSONValue,
        pointer: JSONPointer,
        depth: Int,
        _ body: Body
    ) throws(PatchError) {
        let segments = pointer.segments
        let segment = segments[depth]
        if depth == segments.count - 1 {
            switch node {
            case .object, .array: return try body(&node, segment)
            default: throw notAContainer(node, pointer: pointer, depth: depth)
            }
        }
        switch node {
        case .object(var object):
            guard let position = object.index(forKey: segment) else {
                throw missingParent(pointer, depth: depth)
            }
            node = .null  // Release the node's reference so the object is uniquely owned.
            var child = object.value(at: position)
            object.setValue(.null, at: position)
            try descend(&child, pointer: pointer, depth: depth + 1, body)
            object.setValue(child, at: position)
            node = .object(object)
        case .array(var elements):
            guard let position = JSONPointer.arrayIndex(segment) else {
                throw notAnIndex(segment, pointer: pointer)
            }
            guard position < elements.count else {
                throw missingParent(pointer, depth: depth)
            }
            node = .null
            var child = elements[position]
            elements[position] = .null
            try descend(&child, pointer: pointer, depth: depth + 1, body)
            elements[position] = child
            node = .array(elements)
        default:
            throw notAContainer(node, pointer: pointer, depth: depth)
        }
    }

    /// Resolves an array segment for inserting: `0...count` or `-`.
    func insertionIndex(_ segment: String, count: Int, pointer: JSONPointer) throws(PatchError) -> Int {
        if segment == "-" { return count }
        guard let position = JSONPointer.arrayIndex(segment) else {
            throw notAnIndex(segment, pointer: pointer)
        }
        guard position <= count else {
            throw serviceFailure(.indexOutOfRange, "Index(\(position)) to operate on is out of array bounds.",
                                 "The array at \(pointer.parent?.description ?? "") has \(count) elements; use "
                                    + "\"-\" to append.")
        }
        return position
    }

    /// Resolves an array segment that must name an existing element: `0..<count`.
    func existingIndex(
        _ segment: String,
        count: Int,
        pointer: JSONPointer,
        role: String = "path"
    ) throws(PatchError) -> Int {
        guard segment != "-" else {
            throw failure(
                .pathNotFound,
                "\(describe(role, pointer)) ends in \"-\", which addresses no existing element"
            )
        }
        guard let position = JSONPointer.arrayIndex(segment) else {
            throw notAnIndex(segment, pointer: pointer)
        }
        guard position < count else {
            if role == "path" && pointer == operation.path {
                throw serviceFailure(.indexOutOfRange, "Index(\(position)) to operate on is out of array bounds.",
                                     "The array at \(pointer.parent?.description ?? "") has \(count) elements.")
            }
            throw failure(.indexOutOfRange, "\(describe(role, pointer)) does not exist: index \(position) is " +
                "beyond the end of the array (\(count) elements)")
        }
        return position
    }

    // MARK: Messages

    var verb: String { operation.kind == .move ? "move" : "remove" }

    func describe(_ role: String, _ pointer: JSONPointer) -> String {
        role == "path" && pointer == operation.path ? "path" : "\"\(role)\" path \(pointer)"
    }

    func requiredValue() throws(PatchError) -> JSONValue {
        guard let value = operation.value else {
            throw failure(.invalidOperation, "missing \"value\"; \(operation.kind.rawValue) requires one")
        }
        return value
    }

    func missingParent(_ pointer: JSONPointer, depth: Int) -> PatchError {
        let missing = JSONPointer(segments: Array(pointer.segments[...depth]))
        let hint = "Create \(missing) before addressing values inside it."
        guard pointer == operation.path else {
            return failure(.pathNotFound, "\"from\" path \(pointer): \(missing) does not exist; create the parent "
                + "before addressing values inside it")
        }
        switch operation.kind {
        case .replace:
            return serviceFailure(.pathNotFound, "Node(\(pointer)) to be replaced is absent.", hint)
        case .remove:
            return serviceFailure(.pathNotFound, "Node(\(pointer)) to be removed is absent.", hint)
        default:
            let subject = operation.kind == .add ? "Add" : "Given"
            return serviceFailure(.pathNotFound, "\(subject) Operation can only create a child object of an existing "
                + "node (array or object) and can't create path recursively, no path found beyond: \(missing).", hint)
        }
    }

    func notAContainer(_ node: JSONValue, pointer: JSONPointer, depth: Int) -> PatchError {
        let holder = JSONPointer(segments: Array(pointer.segments[..<depth]))
        return failure(
            .typeMismatch,
            "\(holder.isRoot ? "the document" : holder.description) is " +
                "\(PatchOperation.article(node.typeName)), not an object or array, so \(pointer) cannot exist"
        )
    }

    func notAnIndex(_ segment: String, pointer: JSONPointer) -> PatchError {
        failure(.invalidPath, "segment \(PatchOperation.quoted(segment)) of \(pointer) addresses an array, " +
            "so it must be an index (0, 1, …) or \"-\"")
    }

    /// An error in the service's words (the troubleshooting table of Cosmos DB's partial document update, which
    /// clients match), `For Operation(N): <sentence>`, followed by `hint`, which says how to fix it.
    func serviceFailure(_ code: PatchError.Code, _ sentence: String, _ hint: String) -> PatchError {
        PatchError(code: code, operationIndex: index, message: "For Operation(\(index)): \(sentence) \(hint)")
    }

    func failure(_ code: PatchError.Code, _ detail: String) -> PatchError {
        PatchError(code, index: index, kind: operation.kind.rawValue, path: operation.path.description, detail)
    }
}
