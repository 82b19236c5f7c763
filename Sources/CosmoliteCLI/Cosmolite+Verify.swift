// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite verify`: check the store's invariants.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that every item agrees with its index, unique-key, TTL and change-feed rows.",
            discussion: """
                Prints 'ok: N containers consistent', or each problem on its own line with exit status 1.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        func run() throws {
            let store = try global.openStore(readOnly: true)
            let problems = try store.verify()
            let containers = try store.containers().count
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("ok", .bool(problems.isEmpty)), ("containers", .number(Double(containers))),
                    ("problems", .array(problems.map { .string($0.description) })),
                ])))
            } else if problems.isEmpty {
                output.printLine("ok: \(containers) container\(containers == 1 ? "" : "s") consistent")
            } else {
                for problem in problems { output.printLine(problem.description) }
            }
            if !problems.isEmpty {
                let error = StoreError(.corrupted, "the store has \(problems.count) consistency "
                    + "problem\(problems.count == 1 ? "" : "s"); see standard output")
                StandardStreams.writeErrorLine("error: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
