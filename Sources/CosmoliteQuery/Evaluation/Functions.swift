// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteSQL
import Foundation

/// Cosmos DB's built-in scalar functions. Arguments of the wrong type give undefined (`nil`), as in Cosmos.
/// String positions and lengths count UTF-16 code units, like the service (.NET strings).
enum Functions {
    static func call(_ name: String, _ a: [JSONValue?], now: Double) throws -> JSONValue? {
        switch name {
        // MARK: Type checks
        case "IS_DEFINED": return .bool(a[0] != nil)
        case "IS_NULL": return .bool(a[0] == .null)
        case "IS_STRING": if case .string? = a[0] { return .bool(true) } else { return .bool(false) }
        case "IS_NUMBER": if case .number? = a[0] { return .bool(true) } else { return .bool(false) }
        case "IS_BOOL": if case .bool? = a[0] { return .bool(true) } else { return .bool(false) }
        case "IS_ARRAY": if case .array? = a[0] { return .bool(true) } else { return .bool(false) }
        case "IS_OBJECT": if case .object? = a[0] { return .bool(true) } else { return .bool(false) }
        case "IS_PRIMITIVE":
            switch a[0] {
            case .string?, .number?, .bool?, .null?: return .bool(true)
            default: return .bool(false)
            }

        // MARK: Strings
        case "STARTSWITH", "ENDSWITH", "CONTAINS", "STRINGEQUALS":
            guard case .string(var s)? = a[0], case .string(var t)? = a[1] else { return nil }
            if a.count == 3 {
                guard case .bool(let ignoreCase)? = a[2] else { return nil }
                if ignoreCase {
                    s = s.lowercased()
                    t = t.lowercased()
                }
            }
            let su = Array(s.utf16), tu = Array(t.utf16)
            switch name {
            case "STARTSWITH": return .bool(su.starts(with: tu))
            case "ENDSWITH": return .bool(su.count >= tu.count && Array(su.suffix(tu.count)) == tu)
            case "CONTAINS": return .bool(tu.isEmpty || indexOf(su, tu, from: 0) != nil)
            default: return .bool(su == tu)
            }
        case "LOWER": return string(a[0]).map { .string($0.lowercased()) }
        case "UPPER": return string(a[0]).map { .string($0.uppercased()) }
        case "LENGTH": return string(a[0]).map { .number(Double($0.utf16.count)) }
        case "TRIM": return string(a[0]).map { .string($0.trimmingCharacters(in: .whitespaces)) }
        case "LTRIM": return string(a[0]).map { .string(String($0.drop(while: { $0 == " " || $0 == "\t" }))) }
        case "RTRIM":
            return string(a[0]).map { s in
                var t = Substring(s)
                while let last = t.last, last == " " || last == "\t" { t = t.dropLast() }
                return .string(String(t))
            }
        case "REVERSE": return string(a[0]).map { .string(String($0.reversed())) }
        case "SUBSTRING":
            guard let s = string(a[0]), let start = integer(a[1]), let length = integer(a[2]) else { return nil }
            let u = Array(s.utf16)
            let from = max(0, min(start, u.count))
            let to = max(from, min(u.count, from + max(0, length)))
            return .string(String(decoding: u[from..<to], as: UTF16.self))
        case "LEFT":
            guard let s = string(a[0]), let n = integer(a[1]) else { return nil }
            let u = Array(s.utf16)
            return .string(String(decoding: u.prefix(max(0, n)), as: UTF16.self))
        case "RIGHT":
            guard let s = string(a[0]), let n = integer(a[1]) else { return nil }
            let u = Array(s.utf16)
            return .string(String(decoding: u.suffix(max(0, n)), as: UTF16.self))
        case "CONCAT":
            var out = ""
            for v in a {
                guard case .string(let s)? = v else { return nil }
                out += s
            }
            return .string(out)
        case "INDEX_OF":
            guard let s = string(a[0]), let t = string(a[1]) else { return nil }
            var from = 0
            if a.count == 3 { guard let f = integer(a[2]) else { return nil }; from = f }
            let su = Array(s.utf16), tu = Array(t.utf16)
            guard from >= 0, from <= su.count else { return .number(-1) }
            return .number(Double(indexOf(su, tu, from: from) ?? -1))
        case "REPLACE":
            guard let s = string(a[0]), let find = string(a[1]), let replacement = string(a[2]) else { return nil }
            guard !find.isEmpty else { return .string(s) }
            return .string(s.replacingOccurrences(of: find, with: replacement, options: .literal))
        case "TOSTRING":
            switch a[0] {
            case nil: return nil
            case .string(let s)?: return .string(s)
            case let v?: return .string(JSONWriter.string(v))
            }

        // MARK: Arrays
        case "ARRAY_CONTAINS":
            guard case .array(let items)? = a[0], let needle = a[1] else { return nil }
            var partial = false
            if a.count == 3 { guard case .bool(let p)? = a[2] else { return nil }; partial = p }
            return .bool(items.contains { item in
                if partial, case .object(let pattern) = needle, case .object(let candidate) = item {
                    return pattern.allSatisfy { candidate[$0.key] == $0.value }
                }
                return item == needle
            })
        case "ARRAY_LENGTH":
            guard case .array(let items)? = a[0] else { return nil }
            return .number(Double(items.count))
        case "ARRAY_SLICE":
            guard case .array(let items)? = a[0], var start = integer(a[1]) else { return nil }
            if start < 0 { start = max(0, items.count + start) }
            start = min(start, items.count)
            var end = items.count
            if a.count == 3 { guard let n = integer(a[2]) else { return nil }; end = min(items.count, start + max(0, n)) }
            return .array(Array(items[start..<max(start, end)]))
        case "ARRAY_CONCAT":
            var out = [JSONValue]()
            for v in a {
                guard case .array(let items)? = v else { return nil }
                out += items
            }
            return .array(out)

        // MARK: Math
        case "ABS": return number(a[0]).map { .number(Swift.abs($0)) }
        case "CEILING": return number(a[0]).map { .number($0.rounded(.up)) }
        case "FLOOR": return number(a[0]).map { .number($0.rounded(.down)) }
        case "ROUND": return number(a[0]).map { .number($0.rounded(.toNearestOrAwayFromZero)) }
        case "TRUNC": return number(a[0]).map { .number($0.rounded(.towardZero)) }
        case "SIGN": return number(a[0]).map { .number($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }
        case "SQUARE": return number(a[0]).map { .number($0 * $0) }
        case "SQRT": return number(a[0]).flatMap { $0 < 0 ? nil : .number($0.squareRoot()) }
        case "EXP": return number(a[0]).flatMap { finite(Foundation.exp($0)) }
        case "POWER":
            guard let x = number(a[0]), let y = number(a[1]) else { return nil }
            return finite(Foundation.pow(x, y))
        case "LOG":
            guard let x = number(a[0]), x > 0 else { return nil }
            if a.count == 2 {
                guard let base = number(a[1]), base > 0, base != 1 else { return nil }
                return finite(Foundation.log(x) / Foundation.log(base))
            }
            return finite(Foundation.log(x))

        // MARK: Dates
        case "GETCURRENTDATETIME":
            return .string(DateTime.format(ticks: Int64((now * 1e7).rounded(.down))))
        case "GETCURRENTTIMESTAMP":
            return .number((now * 1000).rounded(.down))
        case "DATETIMETOTIMESTAMP":
            guard let s = string(a[0]), let ticks = DateTime.parse(s) else { return nil }
            return .number(Double(DateTime.floorDiv(ticks, 10_000)))
        case "TIMESTAMPTODATETIME":
            guard let ms = number(a[0]), ms.isFinite, Swift.abs(ms) < 2.5e14 else { return nil }
            return .string(DateTime.format(ticks: Int64(ms.rounded(.down)) * 10_000))
        case "DATETIMEADD":
            guard let part = string(a[0]), let n = integer(a[1]), let s = string(a[2]),
                  let ticks = DateTime.parse(s), let result = DateTime.add(part, n, to: ticks) else { return nil }
            return .string(DateTime.format(ticks: result))
        case "DATETIMEDIFF":
            guard let part = string(a[0]), let s = string(a[1]), let e = string(a[2]),
                  let start = DateTime.parse(s), let end = DateTime.parse(e),
                  let diff = DateTime.difference(part, from: start, to: end) else { return nil }
            return .number(Double(diff))

        default:
            throw QueryError.badRequest("function \(name) is not supported by Cosmolite")
        }
    }

    // MARK: - Helpers

    private static func string(_ v: JSONValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
    private static func number(_ v: JSONValue?) -> Double? { if case .number(let n)? = v { n } else { nil } }
    private static func integer(_ v: JSONValue?) -> Int? {
        guard case .number(let n)? = v, n == n.rounded(), Swift.abs(n) < 1e15 else { return nil }
        return Int(n)
    }
    private static func finite(_ x: Double) -> JSONValue? { x.isFinite ? .number(x) : nil }

    private static func indexOf(_ s: [UInt16], _ t: [UInt16], from: Int) -> Int? {
        guard t.count <= s.count else { return nil }
        if t.isEmpty { return from }
        var i = from
        while i + t.count <= s.count {
            if s[i] == t[0], Array(s[i..<(i + t.count)]) == t { return i }
            i += 1
        }
        return nil
    }
}
