// SPDX-License-Identifier: Apache-2.0

/// A parsed Cosmos DB document path such as `/tenantId`, `/a/b/?`, `/tags/[]/?`, `/"key-with-dash"/*`.
///
/// Cosmos paths are `/`-separated property names; a segment that is not a plain identifier is written in
/// double quotes (`/"path-abc"/?`). Indexing paths end in `/?` (the scalar at this path) or `/*` (everything
/// below); `[]` addresses every element of an array.
struct DocumentPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    enum Segment: Sendable, Hashable {
        case property(String)
        /// `[]`: every element of an array.
        case anyElement
    }

    /// How an indexing path ends.
    enum Terminal: Sendable, Hashable {
        /// No terminal (partition-key, unique-key and composite-index paths).
        case none
        /// `/?`: the scalar value at exactly this path.
        case scalar
        /// `/*`: this node and everything below it.
        case subtree
    }

    var segments: [Segment]
    var terminal: Terminal
    /// The text as written.
    var description: String

    /// Parses a path.
    ///
    /// - Parameters:
    ///   - text: The path text.
    ///   - field: The definition field being parsed, for messages (for example `partitionKey.paths[0]`).
    ///   - allowTerminal: Whether `/?` and `/*` may end the path (indexing paths); if `true`, one is required.
    ///   - allowArrays: Whether `[]` segments are allowed.
    static func parse(_ text: String, field: String, allowTerminal: Bool, allowArrays: Bool) throws -> DocumentPath {
        func fail(_ why: String) -> StoreError {
            .badRequest("\(field): invalid path '\(text)': \(why)")
        }
        let chars = Array(text.unicodeScalars)
        guard chars.first == "/" else { throw fail("a path must start with '/'") }
        var segments = [Segment]()
        var terminal = Terminal.none
        var i = 1
        if chars.count == 1 { throw fail("the path is empty") }
        while i <= chars.count {
            guard i < chars.count else { throw fail("a path must not end with '/'") }
            guard terminal == .none else { throw fail("'?' and '*' may only end a path") }
            var segment = ""
            if chars[i] == "\"" {
                i += 1
                var closed = false
                while i < chars.count {
                    let c = chars[i]
                    if c == "\\", i + 1 < chars.count {
                        segment.unicodeScalars.append(chars[i + 1])
                        i += 2
                        continue
                    }
                    if c == "\"" {
                        closed = true
                        i += 1
                        break
                    }
                    segment.unicodeScalars.append(c)
                    i += 1
                }
                guard closed else { throw fail("unterminated quoted segment") }
                guard i == chars.count || chars[i] == "/" else { throw fail("a quoted segment must end at '/'") }
                segments.append(.property(segment))
            } else {
                while i < chars.count, chars[i] != "/" {
                    segment.unicodeScalars.append(chars[i])
                    i += 1
                }
                switch segment {
                case "":
                    throw fail("empty segment")
                case "?", "*":
                    guard allowTerminal else { throw fail("'\(segment)' is not allowed here") }
                    guard i == chars.count else { throw fail("'\(segment)' may only end a path") }
                    terminal = segment == "?" ? .scalar : .subtree
                case "[]":
                    guard allowArrays else { throw fail("'[]' is not allowed here") }
                    segments.append(.anyElement)
                default:
                    // The service's tuple indexes and array positions, which Cosmolite does not have: say so rather
                    // than suggest quoting, which would index another path.
                    if segment.hasPrefix("{") {
                        throw fail("tuple index paths ({a, b}) are not supported by Cosmolite; include each path "
                            + "instead (/events/[]/name/? and /events/[]/category/?)")
                    }
                    if segment.hasPrefix("["), segment.hasSuffix("]") {
                        throw fail("array positions ('\(segment)') are not supported in index paths; use '[]' for "
                            + "every element")
                    }
                    for c in segment.unicodeScalars where !Self.isPlain(c) {
                        throw fail("segment '\(segment)' must be quoted (write /\"\(segment)\")")
                    }
                    segments.append(.property(segment))
                }
            }
            i += 1
        }
        if allowTerminal && terminal == .none {
            throw fail("an indexing path must end with '/?' or '/*'")
        }
        return DocumentPath(segments: segments, terminal: terminal, description: text)
    }

    /// Characters allowed in an unquoted segment.
    private static func isPlain(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "$": true
        default: c.value > 0x7F
        }
    }

    /// The property names of a path without `[]` segments.
    var propertyNames: [String] {
        segments.compactMap { if case .property(let p) = $0 { p } else { nil } }
    }

    /// Whether the path has no `[]` segment.
    var isPlainPropertyPath: Bool { !segments.contains(.anyElement) }
}
