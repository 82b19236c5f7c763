// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite verify [CONTAINER ...]`: check the store's invariants.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that every item agrees with its index, unique-key, TTL and change-feed rows.",
            discussion: """
                Reads the whole store in one read transaction (other processes may go on writing) and checks \
                every item against its index, unique-key, TTL and change-feed rows, and every such row against \
                the items. Prints 'ok: N containers consistent' with exit status 0; otherwise one problem per \
                line, as 'container 'ID' [DATABASE]: what is wrong', then a count, with exit status 1 and \
                'error: 500 Internal Server Error: ...' on standard error. In JSON: {"ok", "containers", \
                "problems": [text...], "details": [{"container", "database", "message"}...]}.

                A store file damaged beyond what LMDB can read fails with 'error: 500 ...: the store file is \
                damaged'; restore a backup (cosmolite restore) or re-import an export.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: ArgumentHelp("Check only these containers (default: the whole store).",
                                     valueName: "container"))
        var containers: [String] = []

        func run() throws {
            let store = try global.openStore(readOnly: true)
            if !containers.isEmpty { for id in containers { _ = try store.container(id) } }
            let problems = try store.verify(containers: containers.isEmpty ? nil : containers)
            let checked = containers.isEmpty ? try store.containers().count : containers.count
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("ok", .bool(problems.isEmpty)), ("containers", .number(Double(checked))),
                    ("problems", .array(problems.map { .string($0.description) })),
                    ("details", .array(problems.map { problem in
                        .object(JSONObject([
                            ("container", problem.container.map { .string($0) } ?? .null),
                            ("database", .string(problem.database)), ("message", .string(problem.message)),
                        ]))
                    })),
                ])))
            } else if problems.isEmpty {
                output.printLine("ok: \(checked) container\(checked == 1 ? "" : "s") consistent")
            } else {
                for problem in problems { output.printLine(problem.description) }
                output.printLine("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(checked) "
                    + "container\(checked == 1 ? "" : "s") checked")
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
