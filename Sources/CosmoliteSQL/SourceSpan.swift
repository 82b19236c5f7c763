// SPDX-License-Identifier: Apache-2.0

// MARK: - SourceSpan

/// A range of query text, used to point at the cause of a ``QuerySyntaxError``.
///
/// `offset` and `length` count UTF-8 bytes from the start of the query text. `line` and `column`
/// are 1-based and describe where the range starts: lines are separated by `"\n"`, and the column
/// counts characters (extended grapheme clusters) from the start of the line.
public struct SourceSpan: Sendable, Hashable {
    /// The UTF-8 byte offset of the first byte of the range.
    public let offset: Int
    /// The length of the range in UTF-8 bytes (0 for a position such as the end of the query).
    public let length: Int
    /// The 1-based line on which the range starts.
    public let line: Int
    /// The 1-based column, in characters, at which the range starts.
    public let column: Int

    /// Creates a span.
    ///
    /// - Parameters:
    ///   - offset: The UTF-8 byte offset of the first byte.
    ///   - length: The length in UTF-8 bytes.
    ///   - line: The 1-based line of the first byte.
    ///   - column: The 1-based column, in characters, of the first byte.
    public init(offset: Int, length: Int, line: Int, column: Int) {
        self.offset = offset
        self.length = length
        self.line = line
        self.column = column
    }
}

// MARK: - SourceText

/// The query text as UTF-8 bytes, with the ability to turn byte ranges into ``SourceSpan`` values.
struct SourceText: Sendable {
    /// The UTF-8 bytes of the query.
    let bytes: [UInt8]

    /// Wraps the UTF-8 bytes of `text`.
    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The span of `length` bytes starting at byte `offset`, with its line and column computed.
    func span(offset: Int, length: Int) -> SourceSpan {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return SourceSpan(offset: end, length: max(0, min(length, bytes.count - end)), line: line, column: column)
    }

    /// The text of `length` bytes starting at byte `offset`.
    func text(offset: Int, length: Int) -> String {
        let start = min(max(offset, 0), bytes.count)
        let end = min(start + max(length, 0), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
