// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON
package import CosmoliteSQL

/// Running state of one aggregate (COUNT, SUM, MIN, MAX, AVG) over the rows of a group, with Cosmos semantics:
/// COUNT counts defined values; SUM and AVG are undefined if any defined value is not a number (SUM of no rows is
/// 0, AVG of none undefined); MIN and MAX use the cross-type order among null, booleans, numbers and strings, ignore
/// undefined, and are undefined once they meet an array or an object (Cosmos's SDKs merge partitions so: comparing
/// non-primitive values is undefined).
package struct Accumulator {
    package let function: String
    private var count = 0
    private var sum = 0.0
    private var numeric = true
    private var extreme: JSONValue?
    /// Whether MIN or MAX met an array or an object.
    private var nonPrimitive = false

    package init(_ function: String) { self.function = function }

    package mutating func add(_ value: JSONValue?) {
        guard let value else { return }
        count += 1
        switch function {
        case "SUM", "AVG":
            if case .number(let n) = value { sum += n } else { numeric = false }
        case "MIN", "MAX":
            switch value {
            case .array, .object:
                nonPrimitive = true
            default:
                let order = OrderedEncoding.compare(value, extreme)
                if extreme == nil || (function == "MIN" ? order < 0 : order > 0) { extreme = value }
            }
        default:
            break
        }
    }

    /// Adds `value` as `times` rows holding it would (counting index entries gives a constant's row count).
    package mutating func add(_ value: JSONValue?, times: Int) {
        guard let value, times > 0 else { return }
        add(value)
        count += times - 1
        if case .number(let n) = value, function == "SUM" || function == "AVG" { sum += n * Double(times - 1) }
    }

    package var result: JSONValue? {
        switch function {
        case "COUNT": return .number(Double(count))
        case "SUM": return numeric ? .number(sum) : nil
        case "AVG": return numeric && count > 0 ? .number(sum / Double(count)) : nil
        default: return nonPrimitive ? nil : extreme
        }
    }
}

/// Finds the aggregate calls of a projection (not nested in each other).
package enum AggregateCalls {
    /// The function name of an aggregate call (`"COUNT"`), or `""` for any other expression.
    package static func name(_ call: Expression) -> String {
        if case .call(let name, _) = call { return name }
        return ""
    }

    package static func collect(_ e: Expression, into calls: inout [Expression]) {
        switch e {
        case .call(let name, let arguments):
            if BuiltinFunctions.aggregates.contains(name) {
                if !calls.contains(e) { calls.append(e) }
            } else {
                for a in arguments { collect(a, into: &calls) }
            }
        case .property(let b, _): collect(b, into: &calls)
        case .index(let b, let i):
            collect(b, into: &calls)
            collect(i, into: &calls)
        case .unary(_, let x): collect(x, into: &calls)
        case .binary(_, let l, let r):
            collect(l, into: &calls)
            collect(r, into: &calls)
        case .between(let v, let l, let h, _):
            for x in [v, l, h] { collect(x, into: &calls) }
        case .inList(let v, let list, _):
            for x in [v] + list { collect(x, into: &calls) }
        case .like(let v, let p, let esc, _):
            for x in [v, p] + (esc.map { [$0] } ?? []) { collect(x, into: &calls) }
        case .conditional(let c, let t, let f):
            for x in [c, t, f] { collect(x, into: &calls) }
        case .array(let items):
            for x in items { collect(x, into: &calls) }
        case .object(let members):
            for m in members { collect(m.value, into: &calls) }
        case .literal, .parameter, .identifier:
            break
        case .exists, .arraySubquery, .subquery:
            break   // a subquery's aggregates are its own
        }
    }

    /// Whether `e` only uses the allowed sub-expressions (GROUP BY expressions and aggregates) and constants.
    package static func usesOnly(_ e: Expression, allowed: Set<Expression>) -> Bool {
        if allowed.contains(e) { return true }
        switch e {
        case .literal, .parameter: return true
        case .identifier: return false
        case .call(let name, let arguments):
            return !BuiltinFunctions.aggregates.contains(name) && arguments.allSatisfy { usesOnly($0, allowed: allowed) }
        case .property(let b, _): return usesOnly(b, allowed: allowed)
        case .index(let b, let i): return usesOnly(b, allowed: allowed) && usesOnly(i, allowed: allowed)
        case .unary(_, let x): return usesOnly(x, allowed: allowed)
        case .binary(_, let l, let r): return usesOnly(l, allowed: allowed) && usesOnly(r, allowed: allowed)
        case .between(let v, let l, let h, _): return [v, l, h].allSatisfy { usesOnly($0, allowed: allowed) }
        case .inList(let v, let list, _): return ([v] + list).allSatisfy { usesOnly($0, allowed: allowed) }
        case .like(let v, let p, let esc, _):
            return ([v, p] + (esc.map { [$0] } ?? [])).allSatisfy { usesOnly($0, allowed: allowed) }
        case .conditional(let c, let t, let f): return [c, t, f].allSatisfy { usesOnly($0, allowed: allowed) }
        case .array(let items): return items.allSatisfy { usesOnly($0, allowed: allowed) }
        case .object(let members): return members.allSatisfy { usesOnly($0.value, allowed: allowed) }
        case .exists, .arraySubquery, .subquery: return false   // it may read the row
        }
    }
}
