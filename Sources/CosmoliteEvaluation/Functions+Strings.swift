// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation

extension Functions {
    /// String functions. Positions and lengths count UTF-16 code units, as the service's .NET strings do.
    static let strings: [String: Implementation] = [
        "STARTSWITH": { a, _ in compare(a) { s, t in s.starts(with: t) } },
        "ENDSWITH": { a, _ in compare(a) { s, t in s.count >= t.count && s.suffix(t.count).elementsEqual(t) } },
        "CONTAINS": { a, _ in compare(a) { s, t in t.isEmpty || indexOf(s, t, from: 0) != nil } },
        // CONTAINS_ALL_CI(s, t1, ...) is CONTAINS(s, t1, true) AND ... AND CONTAINS(s, tN, true), with AND's
        // three-valued logic (an undefined term makes it undefined unless another is false); _CS without ignoring
        // case; CONTAINS_ANY_* the same with OR.
        "CONTAINS_ALL_CI": { a, _ in containsEach(a, all: true, ignoreCase: true) },
        "CONTAINS_ALL_CS": { a, _ in containsEach(a, all: true, ignoreCase: false) },
        "CONTAINS_ANY_CI": { a, _ in containsEach(a, all: false, ignoreCase: true) },
        "CONTAINS_ANY_CS": { a, _ in containsEach(a, all: false, ignoreCase: false) },
        "STRINGEQUALS": { a, _ in compare(a) { s, t in s == t } },
        "LOWER": { a, _ in string(a[0]).map { .string(invariantCase($0, upper: false)) } },
        "UPPER": { a, _ in string(a[0]).map { .string(invariantCase($0, upper: true)) } },
        "LENGTH": { a, _ in string(a[0]).map { .number(Double($0.utf16.count)) } },
        "TRIM": { a, _ in trim(a, leading: true, trailing: true) },
        "LTRIM": { a, _ in trim(a, leading: true, trailing: false) },
        "RTRIM": { a, _ in trim(a, leading: false, trailing: true) },
        // REVERSE(s): s's code points in reverse order. The SDK's offline engine reverses UTF-16 code units, which
        // is the same for every string without a surrogate pair, and would split those into invalid halves.
        "REVERSE": { a, _ in
            string(a[0]).map { .string(String(String.UnicodeScalarView($0.unicodeScalars.reversed()))) }
        },
        // SUBSTRING(s, start, length), LEFT(s, n), RIGHT(s, n): over UTF-16 code units, as the SDK's offline engine
        // (BuiltinFunctionEvaluator.cs, ExecuteSubstring): "" for an empty s whatever the numbers, a negative start,
        // a start past the end, or a length of 0 or less; undefined for a position or length that is not an integer.
        "SUBSTRING": { a, _ in
            guard let s = string(a[0]) else { return nil }
            if s.isEmpty { return .string("") }
            guard let start = clampedInteger(a[1]), let length = clampedInteger(a[2]) else { return nil }
            let u = Array(s.utf16)
            guard start >= 0, start < u.count, length > 0 else { return .string("") }
            return .string(String(decoding: u[start..<min(u.count, start + length)], as: UTF16.self))
        },
        "LEFT": { a, _ in
            guard let s = string(a[0]) else { return nil }
            if s.isEmpty { return .string("") }
            guard let n = clampedInteger(a[1]) else { return nil }
            return .string(String(decoding: Array(s.utf16).prefix(max(0, n)), as: UTF16.self))
        },
        "RIGHT": { a, _ in
            guard let s = string(a[0]) else { return nil }
            if s.isEmpty { return .string("") }
            guard let n = clampedInteger(a[1]) else { return nil }
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
        // LASTINDEXOF(s, t [, start]): where the last occurrence of t that lies within s[0...start] begins (.NET's
        // LastIndexOf: the search runs from start back to the beginning), -1 when there is none or start is negative.
        // Without start, or with start past the end, the whole string is searched.
        "LASTINDEXOF": { a, _ in
            guard let s = string(a[0]), let t = string(a[1]) else { return nil }
            let su = Array(s.utf16), tu = Array(t.utf16)
            var end = su.count
            if a.count == 3 {
                guard let start = integer(a[2]) else { return nil }
                guard start >= 0 else { return .number(-1) }
                end = min(su.count, start + 1)
            }
            var i = end - tu.count
            while i >= 0 {
                if su[i..<(i + tu.count)].elementsEqual(tu) { return .number(Double(i)) }
                i -= 1
            }
            return .number(-1)
        },
        // REPLICATE(s, n): s repeated n times (n truncated to an integer); undefined for a negative or non-finite
        // n, or a result longer than 10,000 characters (UTF-16 code units), the service's limit.
        "REPLICATE": { a, _ in
            guard let s = string(a[0]), let n = number(a[1]), n.isFinite, n >= 0 else { return nil }
            guard !s.isEmpty else { return .string("") }
            let count = n.rounded(.towardZero)
            let length = Double(s.utf16.count) * count
            guard length <= Double(maxReplicatedLength) else { return nil }
            return .string(String(repeating: s, count: Int(count)))
        },
        // STRINGJOIN(array of strings, separator).
        "STRINGJOIN": { a, _ in
            guard let items = array(a[0]), let separator = string(a[1]) else { return nil }
            var parts = [String]()
            parts.reserveCapacity(items.count)
            for item in items {
                guard case .string(let part) = item else { return nil }
                parts.append(part)
            }
            return .string(parts.joined(separator: separator))
        },
        // STRINGSPLIT(s, delimiter): the pieces between occurrences of the delimiter, empty pieces included; an
        // empty delimiter gives [s]. Occurrences are found in UTF-16 code units, as INDEX_OF finds them: "\r\n"
        // holds an "\n", and "é" written as one code point does not hold "e" and a combining accent.
        "STRINGSPLIT": { a, _ in
            guard let s = string(a[0]), let delimiter = string(a[1]) else { return nil }
            guard !delimiter.isEmpty else { return .array([.string(s)]) }
            let su = Array(s.utf16), du = Array(delimiter.utf16)
            var pieces = [JSONValue]()
            var from = 0
            while let at = indexOf(su, du, from: from) {
                pieces.append(.string(String(decoding: su[from..<at], as: UTF16.self)))
                from = at + du.count
            }
            pieces.append(.string(String(decoding: su[from...], as: UTF16.self)))
            return .array(pieces)
        },
        // REGEXMATCH(s, pattern [, modifiers]): whether the pattern matches anywhere in s. Modifiers are any of
        // m (multi-line anchors), s (dot matches newline), i (ignore case), x (ignore pattern whitespace); an
        // invalid pattern or modifier gives undefined.
        "REGEXMATCH": { a, _ in
            guard let s = string(a[0]), let pattern = string(a[1]) else { return nil }
            var modifiers = ""
            if a.count == 3 {
                guard let m = string(a[2]) else { return nil }
                modifiers = m
            }
            guard let regex = RegexCache.shared.regex(pattern, modifiers: modifiers) else { return nil }
            let range = NSRange(s.startIndex..<s.endIndex, in: s)
            return .bool(regex.firstMatch(in: s, options: [], range: range) != nil)
        },
        // REPLACE(s, find, replacement): every occurrence of find (in UTF-16 code units, left to right, not
        // overlapping); undefined for an empty find, as in the SDK's offline engine.
        "REPLACE": { a, _ in
            guard let s = string(a[0]), let find = string(a[1]), let replacement = string(a[2]), !find.isEmpty else {
                return nil
            }
            return .string(s.replacingOccurrences(of: find, with: replacement, options: .literal))
        },
    ]

    /// The longest string `REPLICATE` makes, in UTF-16 code units.
    static let maxReplicatedLength = 10_000

    /// `TRIM`, `LTRIM` and `RTRIM`: without a second argument they remove whitespace, with one they remove any of
    /// its UTF-16 code units (`TRIM("-_-a-_-", "-_")` is `"a"`; `TRIM("\r\nab\r\n", "\n")` is `"\r\nab\r"`).
    private static func trim(_ a: [JSONValue?], leading: Bool, trailing: Bool) -> JSONValue? {
        guard let s = string(a[0]) else { return nil }
        let remove: (UInt16) -> Bool
        if a.count == 2 {
            guard let characters = string(a[1]) else { return nil }
            let set = Set(characters.utf16)
            remove = { set.contains($0) }
        } else {
            // Unicode's White_Space characters are all in the Basic Multilingual Plane: one code unit each.
            remove = { Unicode.Scalar($0)?.properties.isWhitespace ?? false }
        }
        let u = Array(s.utf16)
        var from = 0, to = u.count
        if leading { while from < to, remove(u[from]) { from += 1 } }
        if trailing { while to > from, remove(u[to - 1]) { to -= 1 } }
        return .string(from == 0 && to == u.count ? s : String(decoding: u[from..<to], as: UTF16.self))
    }

    /// `STARTSWITH`, `ENDSWITH`, `CONTAINS` and `StringEquals`: `test` over the two strings' UTF-16 code units,
    /// lowercased first when the optional third argument is `true`.
    private static func compare(_ a: [JSONValue?], _ test: ([UInt16], [UInt16]) -> Bool) -> JSONValue? {
        guard var s = string(a[0]), var t = string(a[1]) else { return nil }
        if a.count == 3 {
            guard let ignoreCase = bool(a[2]) else { return nil }
            if ignoreCase {
                // Ordinal ignore-case, as .NET's: both sides in invariant upper case, one character each.
                s = invariantCase(s, upper: true)
                t = invariantCase(t, upper: true)
            }
        }
        return .bool(test(Array(s.utf16), Array(t.utf16)))
    }

    /// CONTAINS of `a[0]` and each later argument, combined by AND (`all`) or OR with three-valued logic: false
    /// (AND) or true (OR) decides; otherwise an undefined term (a non-string) makes the result undefined.
    private static func containsEach(_ a: [JSONValue?], all: Bool, ignoreCase: Bool) -> JSONValue? {
        var undefined = false
        let source = string(a[0]).map { Array((ignoreCase ? invariantCase($0, upper: true) : $0).utf16) }
        for term in a.dropFirst() {
            guard let source, let t = string(term) else {
                undefined = true
                continue
            }
            let needle = Array((ignoreCase ? invariantCase(t, upper: true) : t).utf16)
            let found = needle.isEmpty || indexOf(source, needle, from: 0) != nil
            if found != all { return .bool(found) }
        }
        return undefined ? nil : .bool(all)
    }

    /// The first position at or after `from` where `t` occurs in `s`.
    /// `s` in upper or lower case by the invariant rules the service uses (.NET's `ToUpperInvariant`): each
    /// character maps to one character (Unicode's simple case mapping), so the length never changes. `'ß'` and `'ﬁ'`
    /// stay as they are (their only upper case is two letters), and `'İ'` lowers to `'i'`.
    static func invariantCase(_ s: String, upper: Bool) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return upper ? s.uppercased() : s.lowercased() }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let properties = scalar.properties
            let mapped = (upper ? properties.uppercaseMapping : properties.lowercaseMapping).unicodeScalars
            if mapped.count == 1, let only = mapped.first {
                out.append(only)
            } else if !upper && scalar == "\u{130}" {
                out.append("i")   // the simple mapping of U+0130; the full one adds a combining dot
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

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
