// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite items ...`: point operations on items and the read feed.
    struct Items: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, read, replace, upsert, patch, delete and list items.",
            discussion: """
                Documents are read from standard input as JSON. A partition-key value (--pk) is given as JSON: \
                --pk '"acme"', --pk 42, --pk '["acme","eu"]' for a hierarchical key, --pk '{}' for items that \
                lack the partition-key path.
                """,
            subcommands: [
                Create.self, Upsert.self, Replace.self, Read.self, Patch.self, Delete.self, DeletePartition.self,
                List.self,
            ]
        )
    }
}

// MARK: - Writes

extension Cosmolite.Items {
    /// `cosmolite items create CONTAINER` (document on standard input).
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an item from the JSON document on standard input (409 if its id exists).")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp(
            "The partition-key value as JSON, checked against the document's (optional).", valueName: "json"))
        var pk: String?

        func run() throws {
            let partitionKey = try pk.map { try Input.partitionKey($0) }
            let document = try Input.standardInputJSON("the item")
            let store = try global.openStore()
            let item = try store.createItem(in: container, document: document, partitionKey: partitionKey)
            try ItemPrinter(output: global.output).printWritten(item, verb: "created")
        }
    }

    /// `cosmolite items upsert CONTAINER [--lines]`.
    struct Upsert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace an item from the JSON on standard input (or many, with --lines).",
            discussion: """
                With --lines, standard input is JSON Lines: each line is upserted in its own transaction as soon \
                as it arrives, and one line {"id":...,"etag":...,"status":201|200} is printed per committed item \
                (in every format). A printed line means the write is committed (and on disk with --durability \
                durable). A bad line prints 'error: line N: STATUS REASON: message' on standard error and the \
                command goes on; the exit status is 1 if any line failed.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp(
            "The partition-key value as JSON, checked against each document's (optional).", valueName: "json"))
        var pk: String?

        @Option(name: .customLong("if-match"), help: ArgumentHelp(
            "Replace only if the item's current _etag is this (412 otherwise); not with --lines.",
            valueName: "etag"))
        var ifMatch: String?

        @Flag(help: "Read JSON Lines from standard input and upsert each line as it arrives.")
        var lines = false

        func validate() throws {
            if lines && ifMatch != nil {
                throw ValidationError("--if-match applies to one document; it cannot be used with --lines")
            }
        }

        func run() throws {
            let partitionKey = try pk.map { try Input.partitionKey($0) }
            if lines {
                let store = try global.openStore()
                let upserter = LineUpserter(store: store, container: container, partitionKey: partitionKey)
                guard try upserter.run() else { throw ExitCode.failure }
                return
            }
            let document = try Input.standardInputJSON("the item")
            let store = try global.openStore()
            let (item, created) = try store.upsertItem(in: container, document: document, partitionKey: partitionKey,
                                                       ifMatch: Input.etag(ifMatch))
            try ItemPrinter(output: global.output).printWritten(item, verb: created ? "created" : "replaced")
        }
    }

    /// `cosmolite items replace CONTAINER --pk JSON [--if-match ETAG]`.
    struct Replace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace an existing item with the JSON document on standard input (404 if missing).",
            discussion: """
                The item replaced is the one with the document's id in the partition given by --pk (required, \
                so that a missing item is a 404 rather than a silent create). With --id, the item with that id \
                is replaced, and when the document has another id the item is renamed to it (as the service \
                allows; 409 if an item already has the new id).
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp("The item's partition-key value as JSON.", valueName: "json"))
        var pk: String

        @Option(help: ArgumentHelp(
            "The id of the item to replace (default: the document's); a different document id renames the item.",
            valueName: "id"))
        var id: String?

        @Option(name: .customLong("if-match"), help: ArgumentHelp(
            "Replace only if the item's current _etag is this (412 otherwise).", valueName: "etag"))
        var ifMatch: String?

        func run() throws {
            let partitionKey = try Input.partitionKey(pk)
            let document = try Input.standardInputJSON("the item")
            guard case .string(let documentID)? = document["id"] else {
                throw CLIError.badRequest("the item on standard input has no string 'id'")
            }
            let id = self.id ?? documentID
            let store = try global.openStore()
            let item = try store.replaceItem(in: container, id: id, partitionKey: partitionKey, document: document,
                                             ifMatch: Input.etag(ifMatch))
            try ItemPrinter(output: global.output).printWritten(item, verb: "replaced")
        }
    }

    /// `cosmolite items patch CONTAINER ID --pk JSON [--if-match ETAG] [--condition SQL]` (operations on standard
    /// input).
    struct Patch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply Cosmos patch operations (a JSON array on standard input) to an item.",
            discussion: """
                Standard input is an array of 1 to 10 operations, or Cosmos's patch body \
                {"operations": [...], "condition": "FROM c WHERE ..."}, for example:
                  [{"op": "set", "path": "/status", "value": "active"}, {"op": "incr", "path": "/count", "value": 1}]
                Operations: add, set, replace, remove, incr, move. All apply or none do.
                With a condition (Cosmos's filter predicate) the patch applies only if the item's current version \
                satisfies it, and fails with 412 otherwise.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @OptionGroup var address: ItemAddress

        @Option(name: .customLong("if-match"), help: ArgumentHelp(
            "Patch only if the item's current _etag is this (412 otherwise).", valueName: "etag"))
        var ifMatch: String?

        @Option(help: ArgumentHelp(
            "Patch only if the item satisfies this filter predicate, for example \"FROM c WHERE c.status = 'new'\" "
                + "(412 otherwise).", valueName: "sql"))
        var condition: String?

        func run() throws {
            let partitionKey = try address.partitionKey()
            let input = try Input.standardInputJSON("the patch operations")
            let body: PatchBody
            do {
                body = try PatchBody(json: input)
            } catch let error as StoreError {
                throw CLIError.badRequest("the patch on standard input is invalid: \(error.message)")
            }
            if let text = body.condition, let condition, condition != text {
                throw CLIError.badRequest("the patch has a condition on standard input and another in --condition; "
                    + "give it once")
            }
            let compiled = try (body.condition ?? condition).map { try PatchCondition(filterPredicate: $0) }
            let store = try global.openStore()
            let item = try store.patchItem(in: address.container, id: address.id, partitionKey: partitionKey,
                                           operations: body.operations,
                                           ifMatch: Input.etag(ifMatch), condition: compiled)
            try ItemPrinter(output: global.output).printWritten(item, verb: "patched")
        }
    }

    /// `cosmolite items delete CONTAINER ID --pk JSON [--if-match ETAG]`.
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an item.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @OptionGroup var address: ItemAddress

        @Option(name: .customLong("if-match"), help: ArgumentHelp(
            "Delete only if the item's current _etag is this (412 otherwise).", valueName: "etag"))
        var ifMatch: String?

        func run() throws {
            let partitionKey = try address.partitionKey()
            let store = try global.openStore()
            try store.deleteItem(in: address.container, id: address.id, partitionKey: partitionKey,
                                 ifMatch: Input.etag(ifMatch))
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("id", .string(address.id)), ("partitionKey", partitionKey.jsonValue), ("deleted", .bool(true)),
                ])))
            } else {
                output.printLine("deleted item '\(address.id)' in partition \(partitionKey)")
            }
        }
    }

    /// `cosmolite items delete-partition CONTAINER --pk JSON`.
    struct DeletePartition: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete-partition",
            abstract: "Delete every item of one logical partition, in one transaction.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp("The partition-key value as JSON.", valueName: "json"))
        var pk: String

        func run() throws {
            let partitionKey = try Input.partitionKey(pk)
            let store = try global.openStore()
            let deleted = try store.deleteAllItems(in: container, partitionKey: partitionKey)
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("partitionKey", partitionKey.jsonValue), ("deleted", .number(Double(deleted))),
                ])))
            } else {
                output.printLine("deleted \(deleted) item\(deleted == 1 ? "" : "s") in partition \(partitionKey)")
            }
        }
    }
}

// MARK: - Reads

extension Cosmolite.Items {
    /// `cosmolite items read CONTAINER ID --pk JSON [--if-none-match ETAG]`.
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read an item by id and partition key.",
            discussion: """
                Prints the stored document with its system properties (_rid, _self, _etag, _attachments, _ts). \
                With --if-none-match, an item that still has that _etag is not printed: standard output stays \
                empty, '304 Not Modified' goes to standard error, and the exit status is 0.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @OptionGroup var address: ItemAddress

        @Option(name: .customLong("if-none-match"), help: ArgumentHelp(
            "Print nothing if the item's _etag is still this, or if the item exists when it is * (304 Not Modified).",
            valueName: "etag"))
        var ifNoneMatch: String?

        func run() throws {
            let partitionKey = try address.partitionKey()
            let store = try global.openStore(readOnly: true)
            guard let item = try store.readItem(in: address.container, id: address.id, partitionKey: partitionKey,
                                                ifNoneMatch: Input.etag(ifNoneMatch)) else {
                let tag = Input.etag(ifNoneMatch) ?? ""
                StandardStreams.writeErrorLine("304 Not Modified: item '\(address.id)' "
                    + (tag == "*" ? "exists (If-None-Match *)" : "still has _etag \(tag)"))
                return
            }
            try global.output.printDocument(item)
        }
    }

    /// `cosmolite items list CONTAINER [--pk JSON] [--max-item-count N] [--continuation TOKEN] [--all]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the items of a container (the read feed), page by page.",
            discussion: """
                In JSON formats each page is one line: {"items":[...],"continuation":TOKEN}, the continuation \
                null on the last page. Pass a page's continuation to --continuation for the next one, or use \
                --all to read every page. An item that exists and is unchanged during the listing appears \
                exactly once.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp("List only this logical partition (its value as JSON), or the partitions under the "
                                   + "leading levels of a hierarchical key.", valueName: "json"))
        var pk: String?

        @Option(name: .customLong("max-item-count"), parsing: .unconditional, help: ArgumentHelp(
            "The most items per page (default 100; -1 for a dynamic page size).", valueName: "n"))
        var maxItemCount: Int?

        @Option(help: ArgumentHelp("Resume from a page's continuation token.", valueName: "token"))
        var continuation: String?

        @Flag(help: "Read every page up to the end, not just one.")
        var all = false

        func run() throws {
            let partitionKey = try pk.map { try Input.partitionKey($0) }
            let store = try global.openStore(readOnly: true)
            var command = "cosmolite items list \(Output.shellQuoted(container))"
            if let pk { command += " --pk \(Output.shellQuoted(pk))" }
            if let maxItemCount { command += " --max-item-count \(maxItemCount)" }
            var printer = PagePrinter(output: global.output, nextPageCommand: command)
            var token = continuation
            repeat {
                let page = try store.readItems(in: container, partitionKey: partitionKey, maxItemCount: maxItemCount,
                                               continuation: token)
                printer.page(page.items, continuation: page.continuation)
                token = page.continuation
            } while all && token != nil
            printer.finish(continuation: token)
        }
    }
}

// MARK: - Printing

/// Prints the item a write returned.
struct ItemPrinter {
    /// Where to print.
    let output: Output

    /// JSON formats: the stored document; table: `verb item 'id' in partition [...] (_etag ...)`.
    func printWritten(_ item: Item, verb: String) throws {
        if output.isJSON {
            try output.printDocument(item)
        } else {
            output.printLine("\(verb) item '\(item.id)' in partition \(item.partitionKey), _etag \(item.etag)")
        }
    }
}

/// The address of one item: `CONTAINER ID --pk JSON`.
struct ItemAddress: ParsableArguments {
    @Argument(help: "The container id.")
    var container: String

    @Argument(help: "The item id.")
    var id: String

    @Option(help: ArgumentHelp("The item's partition-key value as JSON.", valueName: "json"))
    var pk: String

    /// The parsed `--pk`.
    func partitionKey() throws -> PartitionKey { try Input.partitionKey(pk) }
}
