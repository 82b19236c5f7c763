// SPDX-License-Identifier: Apache-2.0

/// A `LIKE` pattern: `%` matches any run of characters, `_` exactly one, and the ESCAPE character makes the
/// next character literal. Matching is case-sensitive, by Unicode scalars.
package struct LikePattern {
    private enum Piece: Equatable {
        case literal(Unicode.Scalar)
        case any      // _
        case anyRun   // %
    }

    private let pieces: [Piece]

    init(_ pattern: String, escape: Character?) {
        var pieces = [Piece]()
        var escaping = false
        let escapeScalar = escape?.unicodeScalars.first
        for scalar in pattern.unicodeScalars {
            if escaping {
                pieces.append(.literal(scalar))
                escaping = false
            } else if scalar == escapeScalar {
                escaping = true
            } else if scalar == "%" {
                if pieces.last != .anyRun { pieces.append(.anyRun) }
            } else if scalar == "_" {
                pieces.append(.any)
            } else {
                pieces.append(.literal(scalar))
            }
        }
        self.pieces = pieces
    }

    /// Whether `text` matches (iterative two-pointer match with backtracking to the last `%`).
    func matches(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        var i = 0, p = 0
        var star = -1, mark = 0
        while i < s.count {
            if p < pieces.count {
                switch pieces[p] {
                case .literal(let c) where c == s[i]:
                    i += 1
                    p += 1
                    continue
                case .any:
                    i += 1
                    p += 1
                    continue
                case .anyRun:
                    star = p
                    mark = i
                    p += 1
                    continue
                default:
                    break
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
