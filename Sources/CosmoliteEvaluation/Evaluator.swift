// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON
package import CosmoliteSQL

/// Evaluates query expressions with Cosmos DB semantics.
///
/// Values are `JSONValue?`, where `nil` is *undefined*. Operators between values of different types, and most
/// operators involving undefined, yield undefined; a `WHERE` keeps a row only when its condition is exactly
/// `true`. Undefined properties are left out of projections.
package struct Evaluator {
    /// Query parameters by name (without `@`).
    package let parameters: [String: JSONValue]
    /// The query's start time, so date functions agree within one query.
    package let now: Double
    /// Values standing in for sub-expressions (aggregates and GROUP BY expressions of a group).
    package var substitutions: [Expression: JSONValue?] = [:]
    /// The container's computed properties and vector paths, read through the name bound to the item (`c` in
    /// `c.cp_lowerName`), or `nil` when it has neither.
    package var item: ItemScope?

    /// An evaluator for one query run.
    ///
    /// - Parameters:
    ///   - parameters: Query parameters by name (without `@`).
    ///   - now: The query's start time (Unix seconds), read by the date functions.
    ///   - item: The container's computed properties and vector paths and the name bound to the item, if it has
    ///     any.
    package init(parameters: [String: JSONValue], now: Double, item: ItemScope? = nil) {
        self.parameters = parameters
        self.now = now
        self.item = item
    }

    /// Variable bindings: the FROM alias and JOIN aliases.
    package typealias Bindings = [String: JSONValue]

    package func evaluate(_ expression: Expression, _ bindings: Bindings) throws -> JSONValue? {
        if !substitutions.isEmpty, let value = substitutions[expression] { return value }
        switch expression {
        case .literal(let value):
            return value
        case .parameter(let name):
            guard let value = parameters[name] else {
                throw EvaluationError.badRequest("the query uses parameter @\(name) but no value was given for it; "
                    + "pass it (for example --param \(name)=JSON)")
            }
            return value
        case .identifier(let name):
            guard let value = bindings[name] else {
                throw EvaluationError.badRequest("identifier '\(name)' could not be resolved; use the alias of the FROM "
                    + "or JOIN clause")
            }
            return value
        case .property(let base, let name):
            if let item, let computed = item.computed, computed.byName[name] != nil,
               let root = itemBinding(base, item, bindings) {
                return computed.value(name, of: root)
            }
            guard case .object(let o)? = try evaluate(base, bindings) else { return nil }
            return o[name]
        case .index(let base, let indexExpression):
            let index = try evaluate(indexExpression, bindings)
            if let item, let computed = item.computed, case .string(let name)? = index, computed.byName[name] != nil,
               let root = itemBinding(base, item, bindings) {
                return computed.value(name, of: root)
            }
            let container = try evaluate(base, bindings)
            switch (container, index) {
            case (.object(let o)?, .string(let key)?):
                return o[key]
            case (.array(let a)?, .number(let n)?):
                guard n == n.rounded(), n >= 0, n < Double(a.count) else { return nil }
                return a[Int(n)]
            default:
                return nil
            }
        case .unary(let op, let operand):
            return unary(op, try evaluate(operand, bindings))
        case .binary(let op, let left, let right):
            switch op {
            case .and:
                let l = try evaluate(left, bindings)
                if case .bool(false)? = l { return .bool(false) }
                let r = try evaluate(right, bindings)
                if case .bool(false)? = r { return .bool(false) }
                if case .bool(true)? = l, case .bool(true)? = r { return .bool(true) }
                return nil
            case .or:
                let l = try evaluate(left, bindings)
                if case .bool(true)? = l { return .bool(true) }
                let r = try evaluate(right, bindings)
                if case .bool(true)? = r { return .bool(true) }
                if case .bool(false)? = l, case .bool(false)? = r { return .bool(false) }
                return nil
            case .coalesce:
                if let l = try evaluate(left, bindings) { return l }
                return try evaluate(right, bindings)
            default:
                return binary(op, try evaluate(left, bindings), try evaluate(right, bindings))
            }
        case .between(let value, let low, let high, let negated):
            let v = try evaluate(value, bindings)
            let lower = binary(.greaterOrEqual, v, try evaluate(low, bindings))
            let upper = binary(.lessOrEqual, v, try evaluate(high, bindings))
            let both: JSONValue?
            if case .bool(false)? = lower { both = .bool(false) } else if case .bool(false)? = upper {
                both = .bool(false)
            } else if case .bool(true)? = lower, case .bool(true)? = upper { both = .bool(true) } else { both = nil }
            return negated ? unary(.not, both) : both
        case .inList(let value, let list, let negated):
            guard let v = try evaluate(value, bindings) else { return nil }
            var result: JSONValue? = .bool(false)
            for item in list {
                let candidate = try evaluate(item, bindings)
                if case .bool(true)? = binary(.equal, v, candidate) {
                    result = .bool(true)
                    break
                }
            }
            return negated ? unary(.not, result) : result
        case .like(let value, let pattern, let escape, let negated):
            guard case .string(let s)? = try evaluate(value, bindings),
                  case .string(let p)? = try evaluate(pattern, bindings) else { return nil }
            var escapeCharacter: Character?
            if let escape {
                guard case .string(let e)? = try evaluate(escape, bindings), e.count == 1 else {
                    throw EvaluationError.badRequest("the ESCAPE of LIKE must be a single character")
                }
                escapeCharacter = e.first
            }
            let matched = LikePattern(p, escape: escapeCharacter).matches(s)
            return .bool(negated ? !matched : matched)
        case .conditional(let condition, let then, let otherwise):
            if case .bool(true)? = try evaluate(condition, bindings) { return try evaluate(then, bindings) }
            return try evaluate(otherwise, bindings)
        case .call(let name, let arguments):
            if BuiltinFunctions.aggregates.contains(name) {
                throw EvaluationError.badRequest("the aggregate \(name) can only appear in the SELECT clause")
            }
            if name == "VECTORDISTANCE" { return try vectorDistance(arguments, bindings) }
            if name == "IIF" {
                // Only the chosen branch is evaluated: the other may fail (a scalar subquery with several values).
                return try evaluate(holds(arguments[0], bindings) ? arguments[1] : arguments[2], bindings)
            }
            let values = try arguments.map { try evaluate($0, bindings) }
            if let item, item.spatialModel != .geography, name.hasPrefix("ST_") {
                return Functions.spatial(name, values, model: item.spatialModel)
            }
            return try Functions.call(name, values, now: now)
        case .array(let elements):
            // Undefined elements are left out, as Cosmos does.
            return .array(try elements.compactMap { try evaluate($0, bindings) })
        case .object(let members):
            var o = JSONObject()
            for member in members {
                if let v = try evaluate(member.value, bindings) { o[member.name] = v }
            }
            return .object(o)
        case .exists(let subquery):
            return .bool(!(try values(of: subquery.query, bindings, limit: 1)).isEmpty)
        case .arraySubquery(let subquery):
            return .array(try values(of: subquery.query, bindings, limit: .max))
        case .subquery(let subquery):
            switch subquery.reduction {
            case .single: return try scalar(of: subquery.query, bindings)
            case .first: return try values(of: subquery.query, bindings, limit: 1).first
            case .last: return try values(of: subquery.query, bindings, limit: .max).last
            case .all:
                let counterexamples = subquery.counterexamples ?? subquery.query
                return .bool(try values(of: counterexamples, bindings, limit: 1).isEmpty)
            }
        }
    }

    /// `VECTORDISTANCE(v1, v2 [, bruteForce [, options]])`: the score under ``vectorMeasure(_:_:)``.
    private func vectorDistance(_ arguments: [Expression], _ bindings: Bindings) throws -> JSONValue? {
        let measure = try vectorMeasure(arguments, bindings)
        let score = measure.score(try evaluate(arguments[0], bindings), try evaluate(arguments[1], bindings))
        return score.map(JSONValue.number)
    }

    /// The measure a `VECTORDISTANCE` call with `arguments` uses: its options object over the vector embedding
    /// policy of the path it reads (its first argument, else its second), over the service's defaults (cosine,
    /// float32).
    ///
    /// - Throws: 400 when `bruteForce` is not a boolean or the options are not valid.
    package func vectorMeasure(_ arguments: [Expression], _ bindings: Bindings) throws -> VectorDistance {
        var defaults = VectorDistance.default
        if let item, let policy = item.vectorMeasure(of: arguments[0]) ?? item.vectorMeasure(of: arguments[1]) {
            defaults = policy
        }
        if arguments.count > 2 {
            guard case .bool? = try evaluate(arguments[2], bindings) else {
                throw EvaluationError.badRequest("the third argument of VectorDistance (bruteForce) must be true or "
                    + "false")
            }
        }
        return try VectorDistance.options(arguments.count > 3 ? evaluate(arguments[3], bindings) : nil,
                                          defaults: defaults)
    }

    /// The item, when `base` is the name bound to it.
    private func itemBinding(_ base: Expression, _ scope: ItemScope, _ bindings: Bindings) -> JSONValue? {
        guard case .identifier(let name) = base, name == scope.rootAlias else { return nil }
        return bindings[name]
    }

    /// Whether a condition holds (exactly `true`).
    package func holds(_ expression: Expression, _ bindings: Bindings) throws -> Bool {
        if case .bool(true)? = try evaluate(expression, bindings) { return true }
        return false
    }

    // MARK: - Operators

    package func unary(_ op: UnaryOperator, _ value: JSONValue?) -> JSONValue? {
        switch (op, value) {
        case (.not, .bool(let b)?): return .bool(!b)
        case (.negate, .number(let n)?): return .number(-n)
        case (.plus, .number(let n)?): return .number(n)
        case (.bitwiseNot, .number(let n)?):
            guard let i = Self.int32(n) else { return nil }
            return .number(Double(~i))
        default: return nil
        }
    }

    package func binary(_ op: BinaryOperator, _ l: JSONValue?, _ r: JSONValue?) -> JSONValue? {
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            // Two arrays, or two objects, are equal when their contents are (objects: whatever the member order);
            // every other comparison of them is undefined, as Cosmos documents.
            if op == .equal {
                switch (l, r) {
                case (.array?, .array?), (.object?, .object?): return .bool(l == r)
                default: break
                }
            }
            guard let order = Self.compare(l, r) else { return nil }
            switch op {
            case .equal: return .bool(order == 0)
            case .notEqual: return .bool(order != 0)
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .concat:
            guard case .string(let a)? = l, case .string(let b)? = r else { return nil }
            return .string(a + b)
        default:
            guard case .number(let a)? = l, case .number(let b)? = r else { return nil }
            switch op {
            case .add: return Self.finite(a + b)
            case .subtract: return Self.finite(a - b)
            case .multiply: return Self.finite(a * b)
            case .divide: return b == 0 ? nil : Self.finite(a / b)
            case .modulo: return b == 0 ? nil : Self.finite(a.truncatingRemainder(dividingBy: b))
            case .bitwiseAnd, .bitwiseOr, .bitwiseXor, .shiftLeft, .shiftRight, .zeroFillShiftRight:
                guard let x = Self.int32(a), let y = Self.int32(b) else { return nil }
                let shift = Int32(y & 31)
                switch op {
                case .bitwiseAnd: return .number(Double(x & y))
                case .bitwiseOr: return .number(Double(x | y))
                case .bitwiseXor: return .number(Double(x ^ y))
                case .shiftLeft: return .number(Double(x << shift))
                case .shiftRight: return .number(Double(x >> shift))
                default: return .number(Double(UInt32(bitPattern: x) >> UInt32(shift)))
                }
            default: return nil
            }
        }
    }

    private static func finite(_ x: Double) -> JSONValue? { x.isFinite ? .number(x) : nil }

    /// JavaScript's ToInt32, which Cosmos's bitwise operators follow: `x` truncated, modulo 2^32, as a signed
    /// 32-bit integer, however large (`1e20 | 0` is 1661992960).
    private static func int32(_ x: Double) -> Int32? {
        guard x.isFinite else { return nil }
        // The remainder is exact, and below 2^32 in magnitude.
        let wrapped = x.rounded(.towardZero).truncatingRemainder(dividingBy: 0x1p32)
        return Int32(truncatingIfNeeded: Int64(wrapped))
    }

    /// Cosmos comparison: only values of the same scalar type compare; anything else is undefined (`nil`).
    /// Strings compare by UTF-8 bytes (ordinal).
    package static func compare(_ l: JSONValue?, _ r: JSONValue?) -> Int? {
        switch (l, r) {
        case (.null?, .null?): return 0
        case (.bool(let a)?, .bool(let b)?): return a == b ? 0 : (a ? 1 : -1)
        case (.number(let a)?, .number(let b)?): return a == b ? 0 : (a < b ? -1 : 1)
        case (.string(let a)?, .string(let b)?):
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        default: return nil
        }
    }
}
