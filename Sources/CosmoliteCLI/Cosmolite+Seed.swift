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
                unchanged, the others are upserted, one commit per file. Running it twice reports everything \
                unchanged the second time.
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
            let failures = results.flatMap(\.failures)
            if let first = failures.first {
                StandardStreams.writeErrorLine(
                    "error: \(first.error.status) \(first.error.code.reason): \(failures.count) seed "
                        + "entr\(failures.count == 1 ? "y was" : "ies were") rejected; the others were written")
                for failure in failures { StandardStreams.writeErrorLine(failure.problem.description) }
                throw ExitCode.failure
            }
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
