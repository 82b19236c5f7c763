// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite seed [DIR]`: load seed items idempotently.
    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load seed items from DIR/<container>.json files (idempotent).",
            discussion: """
                Each DIR/<container>.json holds a JSON array of items for the container <container>. Every \
                entry of every file is validated first (a JSON object with a valid string id, an extractable \
                partition key, no two entries with the same id and partition key); if any is bad, each is \
                reported as 'FILE: entry N (id X): reason' (N counts from 0) and nothing is written. Then each \
                entry is compared with the stored item, ignoring system properties: equal items are left \
                unchanged, the others are upserted. Each file is written whole, in one commit, or not at all: \
                when the store refuses an entry (a unique-key conflict, say), that file's other entries are not \
                written either, the other files are, the refused entries are reported, and the exit status is 1. \
                Running it twice reports everything unchanged the second time.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The folder of seed files.")
        var directory = "Seeds"

        func run() throws {
            let store = try global.openStore()
            let seeder = Seeder(store: store)
            let (files, problems) = try seeder.load(directory: directory)
            if !problems.isEmpty {
                let count = problems.count
                StandardStreams.writeErrorLine("error: 400 Bad Request: \(count) invalid seed "
                    + "entr\(count == 1 ? "y" : "ies"); nothing was written")
                for problem in problems { StandardStreams.writeErrorLine(problem.description) }
                throw ExitCode.failure
            }
            var results = [SeedResult]()
            for file in files { results.append(try seeder.apply(file)) }
            printResults(results)
            if let lines = Self.refusalReport(results) {
                for line in lines { StandardStreams.writeErrorLine(line) }
                throw ExitCode.failure
            }
        }

        /// The error lines for the files the store refused, or `nil` when every file was written: a headline with
        /// the status of what was refused and what was and was not written, then one line per refused entry. The
        /// entries of a refused file that failed only because it is written whole (424) are counted, not listed.
        static func refusalReport(_ results: [SeedResult]) -> [String]? {
            let refused = results.filter { !$0.failures.isEmpty }
            guard !refused.isEmpty else { return nil }
            let all = refused.flatMap(\.failures)
            let causes = all.filter { $0.error.status != 424 }
            let shown = causes.isEmpty ? all : causes
            let first = shown[0].error
            let files = refused.count == 1 ? "\(refused[0].path) was" : "\(refused.count) files were"
            let written = results.count - refused.count
            var headline = "error: \(first.status) \(first.code.reason): \(shown.count) seed "
                + "entr\(shown.count == 1 ? "y was" : "ies were") refused, so \(files) not written (a file is "
                + "written whole or not at all)"
            if written > 0 { headline += "; the other \(written) file\(written == 1 ? " was" : "s were") written" }
            var lines = [headline]
            lines += shown.map(\.problem.description)
            if shown.count < all.count {
                let others = all.count - shown.count
                lines.append("\(others) other entr\(others == 1 ? "y" : "ies") of the refused "
                                 + "file\(refused.count == 1 ? "" : "s") \(others == 1 ? "was" : "were") not written "
                                 + "(424 Failed Dependency)")
            }
            return lines
        }

        private func printResults(_ results: [SeedResult]) {
            let output = global.output
            if output.isJSON {
                output.printJSON(.array(results.map { result in
                    .object(JSONObject([
                        ("file", .string(result.path)), ("container", .string(result.container)),
                        ("created", .number(Double(result.created))), ("updated", .number(Double(result.updated))),
                        ("unchanged", .number(Double(result.unchanged))),
                        ("failed", .number(Double(result.failures.count))),
                    ]))
                }))
                return
            }
            var table = Table(headers: ["file", "container", "created", "updated", "unchanged", "failed"])
            for result in results {
                table.rows.append([
                    result.path, result.container, String(result.created), String(result.updated),
                    String(result.unchanged), String(result.failures.count),
                ])
            }
            output.printTable(table)
        }
    }
}
