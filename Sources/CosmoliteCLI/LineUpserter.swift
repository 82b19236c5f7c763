// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage

/// `items upsert --lines`: upserts JSON Lines from standard input one transaction per line, acknowledging each
/// committed item on standard output at once.
///
/// The acknowledgement `{"id":...,"etag":...,"status":201|200}` is written with one `write(2)` after the commit
/// returned, so every line a reader sees is a committed write (synced to disk under durable durability). Lines
/// are numbered from 1; blank lines are skipped. A failing line is reported on standard error as
/// `error: line N: STATUS REASON: message` (never with the document's content) and the next line is read.
struct LineUpserter {
    /// The store to write to.
    let store: Store
    /// The container id.
    let container: String
    /// The partition key every document must have, if given.
    let partitionKey: PartitionKey?

    /// Reads standard input to its end.
    ///
    /// - Returns: `true` when every line was written.
    /// - Throws: Only when standard input cannot be read; failures of single lines are reported, not thrown.
    func run() throws -> Bool {
        var reader = LineReader()
        var number = 0
        var written = 0
        var failed = 0
        while let line = try reader.nextLine() {
            number += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                let document = try Input.parseJSON(line, what: "the line")
                let (item, created) = try store.upsertItem(in: container, document: document,
                                                           partitionKey: partitionKey)
                StandardStreams.writeOutput(Self.acknowledgement(item, created: created))
                written += 1
            } catch {
                guard let report = CLIError.report(for: error) else { throw error }
                StandardStreams.writeErrorLine("error: line \(number): \(report)")
                failed += 1
            }
        }
        if failed > 0 {
            StandardStreams.writeErrorLine(
                "\(failed) of \(written + failed) lines failed; the other \(written) were written")
        }
        return failed == 0
    }

    /// `{"id":"a","etag":"\"...\"","status":201}` and a newline.
    static func acknowledgement(_ item: Item, created: Bool) -> [UInt8] {
        var bytes = JSONWriter.serialize(.object(JSONObject([
            ("id", .string(item.id)), ("etag", .string(item.etag)), ("status", .number(created ? 201 : 200)),
        ])))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
