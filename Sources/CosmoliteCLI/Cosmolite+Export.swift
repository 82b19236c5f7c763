// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage
import Foundation

extension Cosmolite {
    /// `cosmolite export [CONTAINER ...] [--output FILE]`: every item as JSON Lines.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write containers and their items to a JSON Lines file (or standard output).",
            discussion: """
                The first line is a header holding the containers' definitions; then, container by container, \
                a line {"cosmoliteExportContainer":"ID"} and one line per item: the stored document with its \
                system properties (_rid, _self, _etag, _attachments, _ts). A last line \
                {"cosmoliteExportEnd":{"items":N,"containers":M}} marks a complete export. Read it back with \
                'cosmolite import'.

                The export reads one snapshot of the store (a single read transaction): it holds exactly the \
                writes committed before it began, even while other processes write. Memory stays bounded \
                whatever the store's size. Expired items are left out. With --output the file is written under \
                a temporary name and renamed when complete; an existing file is replaced.

                Examples:
                  cosmolite export --output backup.jsonl
                  cosmolite export integrations --output integrations.jsonl
                  cosmolite export | gzip > all.jsonl.gz
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: ArgumentHelp("The containers to export (default: all).", valueName: "container"))
        var containers: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp(
            "The file to write (default: standard output).", valueName: "file"), completion: .file())
        var output: String?

        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let store = try global.openStore(readOnly: true)
            let writer = try output.map { try BufferedWriter(path: $0) } ?? BufferedWriter()
            let reporter = progress.reporter(verb: "export", unit: "items")
            var current: String?
            var count = 0
            var containerCount = 0
            let exportedAt = Date().timeIntervalSince1970
            try store.exportSnapshot(containers: containers.isEmpty ? nil : containers, header: { snapshot in
                containerCount = snapshot.containers.count
                reporter.totalCount = snapshot.estimatedItemCount
                try writer.append(ExportFormat.headerLine(snapshot, exportedAt: exportedAt))
            }, item: { container, json in
                if container != current {
                    current = container
                    try writer.append(ExportFormat.containerLine(container))
                }
                try writer.append(json)
                try writer.append([UInt8(ascii: "\n")])
                count += 1
                reporter.update(count: count)
            })
            try writer.append(ExportFormat.endLine(items: count, containers: containerCount))
            try writer.commit()
            reporter.finish()
            printSummary(items: count, containers: containerCount, bytes: writer.byteCount, seconds: reporter.elapsed)
        }

        /// With --output, the summary is the command's result (standard output); when the export itself goes
        /// to standard output, it goes to standard error (unless --quiet).
        private func printSummary(items: Int, containers: Int, bytes: Int, seconds: Double) {
            let text = "exported \(Units.count(items)) item\(items == 1 ? "" : "s") of \(containers) "
                + "container\(containers == 1 ? "" : "s") (\(Units.bytes(bytes))) to \(output ?? "standard output") "
                + "in \(Units.duration(seconds)), \(Units.rate(items, seconds: seconds)) items/s"
            guard let output else {
                if !progress.quiet { StandardStreams.writeErrorLine(text) }
                return
            }
            let printer = global.output
            if printer.isJSON {
                printer.printJSON(.object(JSONObject([
                    ("file", .string(output)), ("items", .number(Double(items))),
                    ("containers", .number(Double(containers))), ("bytes", .number(Double(bytes))),
                    ("seconds", .number(Double(Units.decimal(seconds, places: 3)) ?? seconds)),
                ])))
            } else {
                printer.printLine(text)
            }
        }
    }
}
