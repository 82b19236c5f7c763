// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import Foundation

/// Prints results on standard output in the chosen ``OutputFormat``.
///
/// - `json`: one JSON document, pretty-printed (paged listings: one compact JSON object per page and line);
/// - `jsonl`: the same documents, compact, one per line;
/// - `table`: aligned tables and short sentences for people.
///
/// Every call writes straight to the file descriptor (see ``StandardStreams``).
struct Output {
    /// The format.
    let format: OutputFormat

    /// Whether results are JSON (`json` or `jsonl`).
    var isJSON: Bool { format != .table }

    /// Prints a JSON document: pretty in `json` and `table` formats, compact on one line in `jsonl`.
    func printJSON(_ value: JSONValue) {
        var bytes = JSONWriter.serialize(value, options: .init(pretty: format != .jsonl))
        bytes.append(UInt8(ascii: "\n"))
        StandardStreams.writeOutput(bytes)
    }

    /// Prints a JSON value compactly on one line, whatever the format.
    func printJSONLine(_ value: JSONValue) {
        var bytes = JSONWriter.serialize(value)
        bytes.append(UInt8(ascii: "\n"))
        StandardStreams.writeOutput(bytes)
    }

    /// Prints a line of text.
    func printLine(_ text: String) {
        StandardStreams.writeOutput(text + "\n")
    }

    /// Prints a table.
    func printTable(_ table: Table) {
        StandardStreams.writeOutput(table.rendered())
    }

    /// Prints a stored document: pretty JSON in `json` and `table` formats, the stored bytes on one line in
    /// `jsonl`.
    func printDocument(_ item: Item) throws {
        if format == .jsonl {
            StandardStreams.writeOutput(item.json + [UInt8(ascii: "\n")])
        } else {
            printJSON(.object(try item.value()))
        }
    }

    /// A page as one compact JSON line: `{"items":[...],"continuation":TOKEN}`, the items embedded as the stored
    /// JSON documents and the continuation `null` on the last page.
    static func pageLine(items: [Item], continuation: String?) -> [UInt8] {
        pageLine(documents: items.map(\.json), continuation: continuation)
    }

    /// A page of JSON documents (query results) as one compact line, like ``pageLine(items:continuation:)``.
    static func pageLine(documents: [[UInt8]], continuation: String?) -> [UInt8] {
        var bytes = Array(#"{"items":["#.utf8)
        bytes.reserveCapacity(documents.reduce(64) { $0 + $1.count + 1 })
        for (i, document) in documents.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: document)
        }
        bytes.append(contentsOf: Array(#"],"continuation":"#.utf8))
        bytes.append(contentsOf: JSONWriter.serialize(continuation.map { .string($0) } ?? .null))
        bytes.append(contentsOf: Array("}\n".utf8))
        return bytes
    }

    /// Quotes `text` for a POSIX shell when it holds anything but safe characters.
    static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-_=/.:,@%")
        if !text.isEmpty, text.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// Prints the pages of a listing (read feed or change feed) as they are read.
///
/// In JSON formats each page is one line as it arrives (see ``Output/pageLine(items:continuation:)``); in the
/// table format each page is printed as a table as it arrives (see ``TablePager``).
struct PagePrinter {
    /// Where to print.
    let output: Output
    private var pager: TablePager

    /// Creates a printer.
    init(output: Output, nextPageCommand: String) {
        self.output = output
        self.pager = TablePager(output: output, headers: ["id", "partition key", "_ts", "etag"],
                                nextPageCommand: nextPageCommand)
    }

    /// Prints one page.
    mutating func page(_ items: [Item], continuation: String?) {
        if output.isJSON {
            StandardStreams.writeOutput(Output.pageLine(items: items, continuation: continuation))
        } else {
            pager.page(items.map { [$0.id, $0.partitionKey.description, String($0.timestamp), $0.etag] })
        }
    }

    /// Prints the totals and, when there is a continuation, the command for the next page.
    func finish(continuation: String?) { pager.finish(continuation: continuation) }
}

/// The table form of a paged listing: each page printed as a table when it arrives (pages after the first headed
/// `page N`), then the total and the command that fetches the next page.
struct TablePager {
    let output: Output
    let headers: [String]
    let nextPageCommand: String
    private var pages = 0
    private var rows = 0

    init(output: Output, headers: [String], nextPageCommand: String) {
        self.output = output
        self.headers = headers
        self.nextPageCommand = nextPageCommand
    }

    /// Prints one page's rows.
    mutating func page(_ pageRows: [[String]]) {
        pages += 1
        rows += pageRows.count
        if pageRows.isEmpty && pages > 1 { return }
        if pages > 1 {
            output.printLine("")
            output.printLine("page \(pages)")
        }
        output.printTable(Table(headers: headers, rows: pageRows))
    }

    /// Prints the totals and the next-page command.
    func finish(continuation: String?) {
        guard !output.isJSON else { return }
        output.printLine("\(rows) item\(rows == 1 ? "" : "s") in \(pages) page\(pages == 1 ? "" : "s")")
        if let continuation {
            output.printLine("next page: \(nextPageCommand) --continuation \(Output.shellQuoted(continuation))")
        }
    }
}

/// A table of text cells printed with aligned columns.
struct Table {
    /// Column titles.
    var headers: [String]
    /// Rows; each has one cell per header.
    var rows: [[String]] = []

    /// The table as text: the header row, then one line per row, columns separated by two spaces.
    func rendered() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (i, cell) in cells.enumerated() {
                if i > 0 { text += "  " }
                text += cell
                if i < cells.count - 1 {
                    text += String(repeating: " ", count: max(0, widths[i] - cell.count))
                }
            }
            return text + "\n"
        }
        return ([headers] + rows).map(line).joined()
    }
}
