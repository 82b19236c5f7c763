// SPDX-License-Identifier: Apache-2.0

import CosmoliteSQL
import FuzzDriver

// MARK: - Fuzz target

/// libFuzzer's entry point: parses the input (decoded as UTF-8, invalid bytes replaced) as query
/// text and traps when an invariant breaks.
///
/// - A parsed query's canonical dump must parse back to an equal query with the same dump.
/// - An error must point inside the text and its message must name the span's line and column.
///
/// - Parameters:
///   - data: The input bytes.
///   - size: The number of input bytes.
/// - Returns: 0, as libFuzzer requires.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let query = try Query.parse(text)
        let dump = query.description
        let reparsed: Query
        do {
            reparsed = try Query.parse(dump)
        } catch {
            fatalError("the dump of \(text.debugDescription) does not parse: \(dump.debugDescription): \(error)")
        }
        guard reparsed == query, reparsed.description == dump else {
            fatalError("round trip of \(text.debugDescription) changed the query: \(dump.debugDescription)")
        }
    } catch {
        check(error, in: text)
    }
    return 0
}

/// Traps unless `error` describes a position inside `text` consistently.
private func check(_ error: QuerySyntaxError, in text: String) {
    guard let span = error.span else {
        precondition(error.message.hasPrefix("the query text is "), "error without a span: \(error.message)")
        return
    }
    let count = text.utf8.count
    precondition(span.offset >= 0 && span.length >= 0 && span.offset + span.length <= count, "span out of text")
    precondition(span.line >= 1 && span.column >= 1, "span line or column below 1")
    let prefix = "syntax error at line \(span.line), column \(span.column): "
    precondition(error.message.hasPrefix(prefix), "message does not name the span: \(error.message)")
}

// MARK: - Entry point

/// The program's entry point (SwiftPM's alias of `main` for this target): libFuzzer's driver runs ``fuzz(_:_:)``.
///
/// - Parameters:
///   - argc: The argument count.
///   - argv: The arguments.
/// - Returns: libFuzzer's exit status.
@_cdecl("QueryParserFuzzer_main")
public func queryParserFuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
