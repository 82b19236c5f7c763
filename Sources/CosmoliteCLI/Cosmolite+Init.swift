// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite init [--containers DIR] [--remove-deprecated]`: bring the store's containers in line with a
    /// folder of definitions.
    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the containers defined in a folder of JSON definitions (idempotent).",
            discussion: """
                Every *.json file of the folder is a container definition in Cosmos DB's shape; all are \
                validated, and compared with the store, before anything is written. Containers that do not \
                exist are created. An existing container whose indexing policy or computed properties differ is \
                re-indexed with the new ones (reported as reindexed; init returns once that is done). Other \
                differences (defaultTtl) are reported and left as they \
                are (change them with 'cosmolite containers replace'); the exit status is still 0 and a warning \
                on standard error says so. A partition-key or unique-key difference cannot be applied to an \
                existing container: init refuses, writes nothing, and exits with 400 Bad Request.

                Deprecated containers (integrations-old, tenant-integrations, or those given with \
                --deprecated) are reported when they exist, and deleted with all their items only with \
                --remove-deprecated.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Option(help: ArgumentHelp("The folder of container definitions (*.json).", valueName: "dir"))
        var containers = "Containers"

        @Flag(name: .customLong("remove-deprecated"),
              help: "Delete the deprecated containers that exist, with all their items.")
        var removeDeprecated = false

        @Option(name: .customLong("deprecated"), help: ArgumentHelp(
            "A deprecated container id; repeat for several (default: integrations-old, tenant-integrations).",
            valueName: "id"))
        var deprecated: [String] = []

        /// What init does with one container.
        struct Step {
            var id: String
            var source: String?
            var outcome: String
            var differences: [String]
        }

        func run() throws {
            let definitions = try Store.loadContainerDefinitions(fromDirectory: containers)
            let store = try global.openStore()
            let deprecatedIDs = (deprecated.isEmpty ? IntegrationContainers.deprecated : deprecated)
                .filter { id in !definitions.contains { $0.definition.id == id } }

            // Plan everything first: a refused change writes nothing.
            let existing = Dictionary(uniqueKeysWithValues: try store.containers().map { ($0.id, $0.definition) })
            var refusals = [String]()
            for (definition, source) in definitions {
                guard let current = existing[definition.id] else { continue }
                let file = source ?? "its definition"
                if current.partitionKey != definition.partitionKey {
                    refusals.append("container '\(definition.id)': \(file) has the partition key "
                        + "\(definition.partitionKey.paths.joined(separator: ", ")) but the store has "
                        + "\(current.partitionKey.paths.joined(separator: ", "))")
                }
                if current.uniqueKeyPolicy != definition.uniqueKeyPolicy {
                    refusals.append("container '\(definition.id)': \(file) has the unique keys "
                        + Self.describe(definition.uniqueKeyPolicy) + " but the store has "
                        + Self.describe(current.uniqueKeyPolicy))
                }
            }
            if !refusals.isEmpty {
                throw CLIError.badRequest(
                    refusals.joined(separator: "; ") + ". A partition key or unique keys cannot change on an existing "
                        + "container; nothing was changed. Create a container under a new id and copy the items "
                        + "(cosmolite export / import), or delete the container first if its items can be lost")
            }

            var steps = [Step]()
            for (definition, source) in definitions {
                guard let current = existing[definition.id] else {
                    try store.createContainer(definition)
                    steps.append(Step(id: definition.id, source: source, outcome: "created", differences: []))
                    continue
                }
                let differences = definition.differences(from: current)
                if differences.isEmpty {
                    steps.append(Step(id: definition.id, source: source, outcome: "unchanged", differences: []))
                } else if differences.contains("indexingPolicy") || differences.contains("computedProperties") {
                    // Apply the new indexing policy and computed properties only (the index follows both); other
                    // differences stay reported. The command returns once the items are re-indexed.
                    let target = try ContainerDefinition(
                        id: current.id, partitionKey: current.partitionKey, uniqueKeyPolicy: current.uniqueKeyPolicy,
                        indexingPolicy: definition.indexingPolicy, defaultTtl: current.defaultTtl,
                        computedProperties: definition.computedProperties)
                    try store.replaceContainer(target)
                    try store.finishIndexTransformations()
                    steps.append(Step(id: definition.id, source: source, outcome: "reindexed",
                                      differences: differences))
                } else {
                    steps.append(Step(id: definition.id, source: source, outcome: "differs", differences: differences))
                }
            }
            for id in deprecatedIDs where existing[id] != nil {
                if removeDeprecated {
                    try store.deleteContainer(id)
                    try store.finishContainerDeletions()
                    steps.append(Step(id: id, source: nil, outcome: "removed", differences: []))
                } else {
                    steps.append(Step(id: id, source: nil, outcome: "deprecated", differences: []))
                }
            }

            printResults(steps)
            if definitions.isEmpty {
                StandardStreams.writeErrorLine("warning: no container definitions (*.json) in '\(containers)'")
            }
            for step in steps {
                let remaining = step.differences.filter { $0 != "indexingPolicy" && $0 != "computedProperties" }
                if step.outcome == "differs" || (step.outcome == "reindexed" && !remaining.isEmpty) {
                    StandardStreams.writeErrorLine(
                        "warning: container '\(step.id)' differs from \(step.source ?? "its definition") in "
                            + "\(remaining.joined(separator: ", ")); it was left unchanged "
                            + "(use cosmolite containers replace)")
                }
                if step.outcome == "deprecated" {
                    StandardStreams.writeErrorLine(
                        "warning: container '\(step.id)' is deprecated; delete it and its items with "
                            + "cosmolite init --remove-deprecated")
                }
            }
        }

        static func describe(_ policy: UniqueKeyPolicy) -> String {
            let keys = policy.uniqueKeys.map { "[" + $0.paths.joined(separator: ", ") + "]" }
            return keys.isEmpty ? "none" : keys.joined(separator: " ")
        }

        private func printResults(_ steps: [Step]) {
            let output = global.output
            if output.isJSON {
                output.printJSON(.array(steps.map { step in
                    .object(JSONObject([
                        ("id", .string(step.id)), ("source", step.source.map { .string($0) } ?? .null),
                        ("outcome", .string(step.outcome)),
                        ("differences", .array(step.differences.map { .string($0) })),
                    ]))
                }))
                return
            }
            var table = Table(headers: ["container", "result", "file"])
            for step in steps {
                let outcome = step.differences.isEmpty
                    ? step.outcome : "\(step.outcome) (\(step.differences.joined(separator: ", ")))"
                table.rows.append([step.id, outcome, step.source ?? "-"])
            }
            output.printTable(table)
        }
    }
}
