// SPDX-License-Identifier: Apache-2.0

/// A `LIKE` pattern, with Cosmos DB's wildcards (the same as T-SQL's):
///
/// | pattern  | matches                                                        |
/// |----------|----------------------------------------------------------------|
/// | `%`      | any run of characters, the empty run included                  |
/// | `_`      | exactly one character                                          |
/// | `[abc]`  | one character of the set; ranges as in `[a-f]`                 |
/// | `[^abc]` | one character not in the set (`[^a-f]`)                       |
///
/// Inside brackets the wildcards are plain characters (`[%]` matches `%`, `[_]` matches `_`, `[[]` matches
/// `[`), and a `-` first or last in the set is a plain `-`. A `]` outside brackets is a plain character, and so
/// is a `[` that no `]` closes (a pattern without a closing bracket matches as it always did). The ESCAPE
/// character makes the next character plain, inside brackets too.
///
/// Matching is case-sensitive and by Unicode scalars; a range compares code points.
package struct LikePattern {
    private enum Piece: Equatable {
        case literal(Unicode.Scalar)
        case any      // _
        case anyRun   // %
        /// `[...]` / `[^...]`: code-point ranges (a single character is a range of one).
        case set([ClosedRange<UInt32>], negated: Bool)

        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .literal(let c): return c == scalar
            case .any: return true
            case .anyRun: return false
            case .set(let ranges, let negated): return ranges.contains { $0.contains(scalar.value) } != negated
            }
        }
    }

    private let pieces: [Piece]

    /// Parses `pattern`; `escape` is the ESCAPE character, if any.
    package init(_ pattern: String, escape: Character?) {
        let scalars = Array(pattern.unicodeScalars)
        let escapeScalar = escape?.unicodeScalars.first
        var pieces = [Piece]()
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if scalar == escapeScalar {
                if i + 1 < scalars.count { pieces.append(.literal(scalars[i + 1])) }
                i += 2
            } else if scalar == "%" {
                if pieces.last != .anyRun { pieces.append(.anyRun) }
                i += 1
            } else if scalar == "_" {
                pieces.append(.any)
                i += 1
            } else if scalar == "[", let (set, next) = Self.parseSet(scalars, from: i + 1, escape: escapeScalar) {
                pieces.append(set)
                i = next
            } else {
                pieces.append(.literal(scalar))
                i += 1
            }
        }
        self.pieces = pieces
    }

    /// The set that starts after a `[` at `start`, and the index after its `]`; `nil` when no `]` closes it.
    private static func parseSet(_ scalars: [Unicode.Scalar], from start: Int,
                                 escape: Unicode.Scalar?) -> (Piece, Int)? {
        var i = start
        var negated = false
        if i < scalars.count, scalars[i] == "^" {
            negated = true
            i += 1
        }
        // Members in order, each marked when it came through the escape (an escaped `-` is never a range dash).
        var members = [(scalar: Unicode.Scalar, escaped: Bool)]()
        while i < scalars.count, scalars[i] != "]" {
            if scalars[i] == escape, i + 1 < scalars.count {
                members.append((scalars[i + 1], true))
                i += 2
            } else {
                members.append((scalars[i], false))
                i += 1
            }
        }
        guard i < scalars.count else { return nil }
        var ranges = [ClosedRange<UInt32>]()
        var k = 0
        while k < members.count {
            let low = members[k].scalar.value
            // `x-y` is a range; a `-` first or last is itself.
            if k + 2 < members.count, members[k + 1].scalar == "-", !members[k + 1].escaped {
                let high = members[k + 2].scalar.value
                if low <= high { ranges.append(low...high) }   // an inverted range matches nothing
                k += 3
            } else {
                ranges.append(low...low)
                k += 1
            }
        }
        return (.set(ranges, negated: negated), i + 1)
    }

    /// The characters every match starts with: the pattern up to its first wildcard (`%`, `_` or a set), escapes
    /// resolved. A planner can read an index range of the strings with this prefix and keep the pattern as a
    /// filter.
    package var literalPrefix: String {
        var scalars = String.UnicodeScalarView()
        for piece in pieces {
            guard case .literal(let c) = piece else { break }
            scalars.append(c)
        }
        return String(scalars)
    }

    /// Whether the pattern is its ``literalPrefix`` and one trailing `%`: then a string matches exactly when it
    /// starts with that prefix.
    package var isPrefixMatch: Bool {
        guard pieces.last == .anyRun else { return false }
        return pieces.dropLast().allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// Whether `text` matches (iterative two-pointer match with backtracking to the last `%`).
    package func matches(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        var i = 0, p = 0
        var star = -1, mark = 0
        while i < s.count {
            if p < pieces.count {
                if pieces[p] == .anyRun {
                    star = p
                    mark = i
                    p += 1
                    continue
                }
                if pieces[p].matches(s[i]) {
                    i += 1
                    p += 1
                    continue
                }
            }
            guard star >= 0 else { return false }
            p = star + 1
            mark += 1
            i = mark
        }
        while p < pieces.count, pieces[p] == .anyRun { p += 1 }
        return p == pieces.count
    }
}
