// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Cosmolite {
    /// `cosmolite import FILE [--container C] [--mode create|upsert] [--batch N] [--on-error stop|skip]`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Load items from a JSON Lines file (an export, or one document per line).",
            discussion: """
                FILE is read line by line (- reads standard input), and items are written in transactions of \
                --batch items. A file written by 'cosmolite export' carries its containers: those that do not \
                exist are created from its header, and each item goes back to its container. Any other JSON \
                Lines file needs --container. System properties in the lines (_rid, _self, _etag, \
                _attachments, _ts) are ignored: every item gets a new _rid, _etag and _ts (so a ttl counts \
                from the import).

                A bad line (not JSON, no id, a duplicate id with --mode create, a unique-key conflict, an item \
                over 2 MB, ...) is reported on standard error as 'error: line N: STATUS REASON: message'. With \
                --on-error stop (the default) the import stops there: every line before it is committed and \
                none after it, and the message says how to resume with --resume-at. With --on-error skip it \
                goes on, except past a damaged line of the export's own (its header, a container line or the \
                end line), which always stops the import: the lines after it depend on it. The summary \
                (standard output) counts imported, skipped (before --resume-at) and failed lines; the exit \
                status is 1 if any line failed.

                Examples:
                  cosmolite import backup.jsonl
                  cosmolite import data.jsonl --container integrations --mode upsert --on-error skip
                  cosmolite import backup.jsonl --resume-at 5001
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: ArgumentHelp("The JSON Lines file to read (- for standard input).", valueName: "file"),
                  completion: .file())
        var file: String

        @Option(help: ArgumentHelp(
            "Import every item into this container (required for files that are not exports).",
            valueName: "container"))
        var container: String?

        @Option(help: ArgumentHelp(
            "create: an existing id fails (409); upsert: an existing item is replaced.",
            valueName: "mode"))
        var mode: ImportMode = .create

        @Option(parsing: .unconditional, help: ArgumentHelp("Items per transaction, 1 to 10000.", valueName: "n"))
        var batch = 1_000

        @Option(name: .customLong("on-error"), help: ArgumentHelp(
            "stop: stop at the first bad line; skip: report it and go on.", valueName: "policy"))
        var onError: ImportErrorPolicy = .stop

        @Option(name: .customLong("resume-at"), parsing: .unconditional, help: ArgumentHelp(
            "Start importing at this line number; earlier item lines are skipped (the header and container "
                + "lines are still read).", valueName: "line"))
        var resumeAt = 1

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            guard (1...10_000).contains(batch) else {
                throw ValidationError("--batch must be from 1 to 10000 items, got \(batch)")
            }
            guard resumeAt >= 1 else { throw ValidationError("--resume-at must be a line number (1 or more)") }
        }

        func run() throws {
            let (fd, size) = try openInput()
            defer { if fd != STDIN_FILENO { close(fd) } }
            let store = try global.openStore()
            let reporter = progress.reporter(verb: "import", unit: "items")
            reporter.totalBytes = size
            var reader = JSONLinesReader(fd: fd, name: file == "-" ? "standard input" : "'\(file)'",
                                         maxLineBytes: Importer.maxLineBytes)
            let importer = Importer(store: store, container: container, mode: mode, batchSize: batch,
                                    onError: onError, resumeAt: resumeAt, reporter: reporter)
            let summary = try importer.run(&reader)
            reporter.finish()
            printSummary(summary)
            if let line = summary.stoppedAt {
                let n = summary.imported
                let committed = "the \(Units.count(n)) item\(n == 1 ? "" : "s") before it \(n == 1 ? "is" : "are") "
                    + "committed and nothing after it. Fix the line and resume with '--resume-at \(line)'"
                StandardStreams.writeErrorLine(summary.stoppedAtMarker
                    ? "error: import stopped at line \(line), a damaged line of the export's own, which cannot be "
                        + "skipped; \(committed), or export the data again"
                    : "error: import stopped at line \(line); \(committed), or skip it with '--resume-at \(line + 1)'")
            }
            if summary.complete == false {
                StandardStreams.writeErrorLine(
                    "warning: the file has no end line ({\"\(ExportFormat.endKey)\":...}): the export was cut "
                        + "short or the file is truncated, so items may be missing")
            }
            if summary.failed > 0 || summary.stoppedAt != nil { throw ExitCode.failure }
        }

        /// The file descriptor to read and the file's size (for progress), if it is a regular file.
        private func openInput() throws -> (Int32, Int?) {
            if file == "-" { return (STDIN_FILENO, nil) }
            let fd = openFile(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
                throw CLIError.badRequest("cannot open '\(file)': \(reason)")
            }
            var status = stat()
            guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return (fd, nil) }
            return (fd, Int(status.st_size))
        }

        private func printSummary(_ summary: ImportSummary) {
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("file", .string(file)), ("lines", .number(Double(summary.lines))),
                    ("imported", .number(Double(summary.imported))), ("skipped", .number(Double(summary.skipped))),
                    ("failed", .number(Double(summary.failed))),
                    ("containersCreated", .array(summary.containersCreated.map { .string($0) })),
                    ("stoppedAtLine", summary.stoppedAt.map { .number(Double($0)) } ?? .null),
                    ("complete", summary.complete.map { .bool($0) } ?? .null),
                    ("seconds", .number(Double(Units.decimal(summary.seconds, places: 3)) ?? summary.seconds)),
                ])))
                return
            }
            if !summary.containersCreated.isEmpty {
                output.printLine("created container\(summary.containersCreated.count == 1 ? "" : "s") "
                    + summary.containersCreated.map { "'\($0)'" }.joined(separator: ", "))
            }
            output.printLine(
                "imported \(Units.count(summary.imported)) item\(summary.imported == 1 ? "" : "s"), skipped "
                    + "\(Units.count(summary.skipped)), failed \(Units.count(summary.failed)) "
                    + "(\(Units.count(summary.lines)) lines in \(Units.duration(summary.seconds)), "
                    + "\(Units.rate(summary.imported, seconds: summary.seconds)) items/s)")
        }
    }
}
