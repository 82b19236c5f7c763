// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON
import CosmoliteSQL

/// Cosmos DB's built-in scalar functions. Arguments of the wrong type give undefined (`nil`), as in Cosmos.
/// String positions and lengths count UTF-16 code units, like the service (.NET strings).
///
/// Each category lives in its own file (`Functions+Strings.swift`, ...) as a table from the uppercase name to its
/// implementation; the parser has already checked the argument count against ``BuiltinFunctions/arity``.
package enum Functions {
    /// One function: its argument values (`nil` is undefined) and the query's time in seconds since 1970.
    package typealias Implementation = @Sendable (_ arguments: [JSONValue?], _ now: Double) throws -> JSONValue?

    /// Every scalar function by uppercase name.
    package static let table: [String: Implementation] = {
        var table = [String: Implementation]()
        for category in [typeChecks, conditionals, strings, conversions, arrays, math, dates, items, fullText, spatial] {
            table.merge(category) { _, _ in preconditionFailure("a function is defined in two categories") }
        }
        return table
    }()

    /// Calls the scalar function `name` (uppercase) with argument values `a` (`nil`: undefined) at time `now`.
    ///
    /// - Throws: 400 for a function Cosmolite does not have, or arguments it refuses.
    package static func call(_ name: String, _ a: [JSONValue?], now: Double) throws -> JSONValue? {
        guard let implementation = table[name] else {
            throw EvaluationError.badRequest("function \(name) is not supported by Cosmolite")
        }
        return try implementation(a, now)
    }

    // MARK: - Argument helpers

    static func string(_ v: JSONValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
    static func number(_ v: JSONValue?) -> Double? { if case .number(let n)? = v { n } else { nil } }
    static func bool(_ v: JSONValue?) -> Bool? { if case .bool(let b)? = v { b } else { nil } }
    static func array(_ v: JSONValue?) -> [JSONValue]? { if case .array(let a)? = v { a } else { nil } }
    /// An integral number below 10^15 in magnitude.
    static func integer(_ v: JSONValue?) -> Int? {
        guard case .number(let n)? = v, n == n.rounded(), Swift.abs(n) < 1e15 else { return nil }
        return Int(n)
    }
    static func finite(_ x: Double) -> JSONValue? { x.isFinite ? .number(x) : nil }
    /// An integral number, clamped to ±2^62 (beyond any array's or string's length, and safe to add to one).
    static func clampedInteger(_ v: JSONValue?) -> Int? {
        guard case .number(let n)? = v, n.isFinite, n == n.rounded() else { return nil }
        let bound = Double(1 << 62)
        return Int(Swift.min(Swift.max(n, -bound), bound))
    }
}
