// SPDX-License-Identifier: Apache-2.0

import Foundation
import Synchronization

/// Compiled `REGEXMATCH` patterns by (pattern, modifiers): a query compares every row against the same pattern, so
/// it is compiled once. Bounded; cleared when full.
final class RegexCache: Sendable {
    static let shared = RegexCache()

    private struct Key: Hashable {
        let pattern: String
        let modifiers: String
    }

    /// `nil` records a pattern or modifier string that does not compile, so it is not retried on every row.
    private let entries = Mutex<[Key: NSRegularExpression?]>([:])
    private let limit = 256

    /// The compiled pattern, or nil when the pattern or the modifiers are invalid.
    ///
    /// Modifiers are Cosmos DB's: `m` (`^` and `$` match at line breaks), `s` (`.` matches a line break), `i`
    /// (ignore case) and `x` (whitespace and `#` comments in the pattern are ignored), in any combination.
    func regex(_ pattern: String, modifiers: String) -> NSRegularExpression? {
        let key = Key(pattern: pattern, modifiers: modifiers)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let compiled = Self.compile(pattern, modifiers: modifiers)
        entries.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[key] = .some(compiled)
        }
        return compiled
    }

    /// ICU's regular expressions, made to treat line breaks as PCRE (which the service documents using) does by
    /// default: only `\n` ends a line for `.`, `^` and `$`, so `.` matches `\r` and `x$` does not match `"x\r"`.
    /// PCRE-only syntax (`\K`, recursion) does not compile and gives undefined.
    private static func compile(_ pattern: String, modifiers: String) -> NSRegularExpression? {
        var options: NSRegularExpression.Options = [.useUnixLineSeparators]
        for modifier in modifiers {
            switch modifier {
            case "m": options.insert(.anchorsMatchLines)
            case "s": options.insert(.dotMatchesLineSeparators)
            case "i": options.insert(.caseInsensitive)
            case "x": options.insert(.allowCommentsAndWhitespace)
            default: return nil
            }
        }
        return try? NSRegularExpression(pattern: pattern, options: options)
    }
}
