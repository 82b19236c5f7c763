// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation

extension Functions {
    /// String functions. Positions and lengths count UTF-16 code units, as the service's .NET strings do.
    static let strings: [String: Implementation] = [
        "STARTSWITH": { a, _ in try compare("STARTSWITH", a) },
        "ENDSWITH": { a, _ in try compare("ENDSWITH", a) },
        "CONTAINS": { a, _ in try compare("CONTAINS", a) },
        "STRINGEQUALS": { a, _ in try compare("STRINGEQUALS", a) },
        "LOWER": { a, _ in string(a[0]).map { .string($0.lowercased()) } },
        "UPPER": { a, _ in string(a[0]).map { .string($0.uppercased()) } },
        "LENGTH": { a, _ in string(a[0]).map { .number(Double($0.utf16.count)) } },
        "TRIM": { a, _ in string(a[0]).map { .string($0.trimmingCharacters(in: .whitespaces)) } },
        "LTRIM": { a, _ in string(a[0]).map { .string(String($0.drop(while: { $0 == " " || $0 == "\t" }))) } },
        "RTRIM": { a, _ in
            string(a[0]).map { s in
                var t = Substring(s)
                while let last = t.last, last == " " || last == "\t" { t = t.dropLast() }
                return .string(String(t))
            }
        },
        "REVERSE": { a, _ in string(a[0]).map { .string(String($0.reversed())) } },
        "SUBSTRING": { a, _ in
            guard let s = string(a[0]), let start = integer(a[1]), let length = integer(a[2]) else { return nil }
            let u = Array(s.utf16)
            let from = max(0, min(start, u.count))
            let to = max(from, min(u.count, from + max(0, length)))
            return .string(String(decoding: u[from..<to], as: UTF16.self))
        },
        "LEFT": { a, _ in
            guard let s = string(a[0]), let n = integer(a[1]) else { return nil }
            return .string(String(decoding: Array(s.utf16).prefix(max(0, n)), as: UTF16.self))
        },
        "RIGHT": { a, _ in
            guard let s = string(a[0]), let n = integer(a[1]) else { return nil }
            return .string(String(decoding: Array(s.utf16).suffix(max(0, n)), as: UTF16.self))
        },
        "CONCAT": { a, _ in
            var out = ""
            for v in a {
                guard let s = string(v) else { return nil }
                out += s
            }
            return .string(out)
        },
        "INDEX_OF": { a, _ in
            guard let s = string(a[0]), let t = string(a[1]) else { return nil }
            var from = 0
            if a.count == 3 {
                guard let f = integer(a[2]) else { return nil }
                from = f
            }
            let su = Array(s.utf16), tu = Array(t.utf16)
            guard from >= 0, from <= su.count else { return .number(-1) }
            return .number(Double(indexOf(su, tu, from: from) ?? -1))
        },
        "REPLACE": { a, _ in
            guard let s = string(a[0]), let find = string(a[1]), let replacement = string(a[2]) else { return nil }
            guard !find.isEmpty else { return .string(s) }
            return .string(s.replacingOccurrences(of: find, with: replacement, options: .literal))
        },
    ]

    /// `STARTSWITH`, `ENDSWITH`, `CONTAINS` and `StringEquals`, with their optional ignore-case argument.
    private static func compare(_ name: String, _ a: [JSONValue?]) throws -> JSONValue? {
        guard var s = string(a[0]), var t = string(a[1]) else { return nil }
        if a.count == 3 {
            guard let ignoreCase = bool(a[2]) else { return nil }
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
    }

    /// The first position at or after `from` where `t` occurs in `s`.
    static func indexOf(_ s: [UInt16], _ t: [UInt16], from: Int) -> Int? {
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
