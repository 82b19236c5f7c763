// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite init [--containers DIR]`: create the containers of a folder of definitions.
    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the containers defined in a folder of JSON definitions (idempotent).",
            discussion: """
                Every *.json file of the folder is a container definition in Cosmos DB's shape; all are \
                validated before anything is written. Containers that do not exist are created; existing ones \
                are reported as unchanged, or as differing (with the differing fields) and left as they are: \
                change them with 'cosmolite containers replace'. The exit status is 0 even when some differ; a \
                warning on standard error says so.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Option(help: ArgumentHelp("The folder of container definitions (*.json).", valueName: "dir"))
        var containers = "Containers"

        func run() throws {
            let definitions = try Store.loadContainerDefinitions(fromDirectory: containers)
            let store = try global.openStore()
            let results = try store.applyContainerDefinitions(definitions)
            printResults(results)
            if definitions.isEmpty {
                StandardStreams.writeErrorLine("warning: no container definitions (*.json) in '\(containers)'")
            }
            for result in results where result.outcome == .differs {
                StandardStreams.writeErrorLine(
                    "warning: container '\(result.id)' differs from \(result.source ?? "its definition") in "
                        + "\(result.differences.joined(separator: ", ")); it was left unchanged "
                        + "(use cosmolite containers replace)")
            }
        }

        private func printResults(_ results: [ContainerApplyResult]) {
            let output = global.output
            if output.isJSON {
                output.printJSON(.array(results.map { result in
                    .object(JSONObject([
                        ("id", .string(result.id)), ("source", result.source.map { .string($0) } ?? .null),
                        ("outcome", .string(result.outcome.rawValue)),
                        ("differences", .array(result.differences.map { .string($0) })),
                    ]))
                }))
                return
            }
            var table = Table(headers: ["container", "result", "file"])
            for result in results {
                let outcome = result.outcome == .differs
                    ? "differs (\(result.differences.joined(separator: ", ")))"
                    : result.outcome.rawValue
                table.rows.append([result.id, outcome, result.source ?? "-"])
            }
            output.printTable(table)
        }
    }
}
