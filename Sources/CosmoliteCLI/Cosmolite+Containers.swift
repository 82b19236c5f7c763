// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite containers ...`: create, read, list, replace and delete containers.
    struct Containers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, read, list, replace and delete containers.",
            discussion: """
                A container definition is a JSON file in Azure Cosmos DB's shape, for example:
                  {"id": "integrations", "partitionKey": {"paths": ["/tenantId"]},
                   "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/providerName", "/name"]}]}}
                """,
            subcommands: [Create.self, Get.self, List.self, Replace.self, Delete.self]
        )
    }
}

// MARK: - Subcommands

extension Cosmolite.Containers {
    /// `cosmolite containers create --file DEF.json`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a container from a definition file.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Option(help: ArgumentHelp("The container definition (Cosmos DB JSON).", valueName: "file"))
        var file: String

        func run() throws {
            let definition = try Input.containerDefinition(file: file)
            let store = try global.openStore()
            let properties = try store.createContainer(definition)
            ContainerPrinter(output: global.output).print(properties, verb: "created")
        }
    }

    /// `cosmolite containers get ID`.
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a container's definition.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var id: String

        func run() throws {
            let store = try global.openStore(readOnly: true)
            ContainerPrinter(output: global.output).print(try store.container(id), verb: nil)
        }
    }

    /// `cosmolite containers list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the containers, ordered by id.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        func run() throws {
            let store = try global.openStore(readOnly: true)
            ContainerPrinter(output: global.output).printList(try store.containers())
        }
    }

    /// `cosmolite containers replace --file DEF.json`.
    struct Replace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a container's definition (indexing policy, defaultTtl).",
            discussion: """
                The container is the one named by the file's id. The partition key and the unique-key policy \
                cannot change. A new indexing policy (or new computed properties) re-indexes every item: the \
                command returns when that is done. It re-indexes in steps of 250 items, one transaction each, \
                so other processes keep writing meanwhile, and their queries answer correctly with the indexes \
                both policies share.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Option(help: ArgumentHelp("The new container definition (Cosmos DB JSON).", valueName: "file"))
        var file: String

        func run() throws {
            let definition = try Input.containerDefinition(file: file)
            let store = try global.openStore()
            let properties = try store.replaceContainer(definition)
            try store.finishIndexTransformations()
            ContainerPrinter(output: global.output).print(properties, verb: "replaced")
        }
    }

    /// `cosmolite containers delete ID`.
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a container with all its items.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var id: String

        func run() throws {
            let store = try global.openStore()
            try store.deleteContainer(id)
            try store.finishContainerDeletions()
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([("id", .string(id)), ("deleted", .bool(true))])))
            } else {
                output.printLine("deleted container '\(id)'")
            }
        }
    }
}

// MARK: - Printing

/// Prints containers: their JSON properties, or a table of id, partition key paths, defaultTtl and unique keys.
struct ContainerPrinter {
    /// Where to print.
    let output: Output

    /// Prints one container; in the table format preceded by `verb container 'id'` when `verb` is given.
    func print(_ properties: ContainerProperties, verb: String?) {
        if output.isJSON {
            output.printJSON(properties.json)
            return
        }
        if let verb { output.printLine("\(verb) container '\(properties.id)'") }
        output.printTable(table([properties]))
    }

    /// Prints a list of containers: a JSON array, or a table.
    func printList(_ list: [ContainerProperties]) {
        if output.isJSON {
            output.printJSON(.array(list.map(\.json)))
        } else {
            output.printTable(table(list))
        }
    }

    private func table(_ list: [ContainerProperties]) -> Table {
        var table = Table(headers: ["id", "partition key", "defaultTtl", "unique keys"])
        for properties in list {
            let definition = properties.definition
            let ttl = definition.defaultTtl.map(String.init) ?? "off"
            let unique = definition.uniqueKeyPolicy.uniqueKeys
                .map { "(" + $0.paths.joined(separator: ", ") + ")" }
                .joined(separator: " ")
            table.rows.append([
                properties.id, definition.partitionKey.paths.joined(separator: ", "), ttl,
                unique.isEmpty ? "-" : unique,
            ])
        }
        return table
    }
}
