// SPDX-License-Identifier: Apache-2.0

// MARK: - QuerySyntaxError

/// The error thrown when query text cannot be parsed.
///
/// Every error that points into the text has a ``span`` and a ``message`` of the form
/// `syntax error at line L, column C: <detail>`, where `L` and `C` are the span's line and column,
/// for example `syntax error at line 1, column 10: unexpected 'FROM', expected an expression`.
/// The only error without a span is the one for query text longer than ``Query/maxTextBytes``.
public struct QuerySyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The full human-readable message, including the line and column.
    public let message: String
    /// Where in the query text the problem is, or `nil` when the problem is the text as a whole.
    public let span: SourceSpan?
    /// The text of the unexpected token (shortened to 40 characters with a trailing `...`), or
    /// `"end of query"`; `nil` when the error is not about one token.
    public let found: String?
    /// What would have been accepted instead, human-readable (`"an expression"`, `"'FROM'"`); may be
    /// empty.
    public let expected: [String]

    /// The message.
    public var description: String { message }

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - message: The full human-readable message.
    ///   - span: Where in the query text the problem is, if anywhere in particular.
    ///   - found: The text of the unexpected token, or `"end of query"`.
    ///   - expected: What would have been accepted instead.
    public init(message: String, span: SourceSpan?, found: String? = nil, expected: [String] = []) {
        self.message = message
        self.span = span
        self.found = found
        self.expected = expected
    }
}

// MARK: - Factories

extension QuerySyntaxError {
    /// The `found` text used when the query ends too early.
    static let endOfQuery = "end of query"

    /// The longest token text quoted in a message before it is shortened.
    static let maxQuotedLength = 40

    /// An error at `span` whose message is `syntax error at line L, column C: <detail>`.
    static func at(
        _ span: SourceSpan,
        _ detail: String,
        found: String? = nil,
        expected: [String] = []
    ) -> QuerySyntaxError {
        QuerySyntaxError(
            message: "syntax error at line \(span.line), column \(span.column): \(detail)",
            span: span,
            found: found,
            expected: expected
        )
    }

    /// An "unexpected token" error: `unexpected 'X', expected A, B or C` or
    /// `unexpected end of query, expected A`.
    static func unexpected(_ span: SourceSpan, found: String, expected: [String]) -> QuerySyntaxError {
        var detail = found == endOfQuery ? "unexpected end of query" : "unexpected '\(found)'"
        if !expected.isEmpty {
            detail += ", expected " + listing(expected)
        }
        return at(span, detail, found: found, expected: expected)
    }

    /// Joins alternatives as `a`, `a or b`, `a, b or c`.
    static func listing(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }

    /// Shortens token text for quoting in a message.
    static func quoted(_ text: String) -> String {
        guard text.count > maxQuotedLength else { return text }
        return String(text.prefix(maxQuotedLength)) + "..."
    }

    /// Formats a non-negative integer with `,` thousands separators (`524,288`).
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 {
                result.append(",")
            }
            result.append(digit)
        }
        return result
    }
}
