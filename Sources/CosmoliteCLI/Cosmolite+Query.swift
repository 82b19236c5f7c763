// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite query CONTAINER 'SQL'`: runs a Cosmos SQL query, page by page.
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a Cosmos SQL query over a container, page by page.",
            discussion: """
                The query language is Cosmos DB's NoSQL subset: SELECT [DISTINCT] [TOP n] ... FROM c [JOIN ...] \
                [WHERE ...] [GROUP BY ...] [ORDER BY ...] [OFFSET n LIMIT m], with @parameters. In JSON formats \
                each page is one line: {"items":[...],"continuation":TOKEN-or-null}; --all follows the tokens and \
                prints every page. --explain prints the plan instead of running the query. A query of '-' is read \
                from standard input, for texts longer than a command line takes (the limit is 512 KB).
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Argument(help: ArgumentHelp("The query, for example 'SELECT * FROM c WHERE c.tenantId = @t ORDER BY "
                                         + "c.name', or '-' to read it from standard input."))
        var sql: String

        @Option(name: .customLong("param"), help: ArgumentHelp(
            "A query parameter as NAME=JSON (for example --param t='\"acme\"'); repeat for several.", valueName: "name=json"))
        var parameters: [String] = []

        @Option(name: .customLong("param-file"), help: ArgumentHelp(
            "A query parameter whose JSON value is in a file, as NAME=PATH ('-' for standard input), for values too "
                + "long for a command line such as a query vector; repeat for several.", valueName: "name=path"))
        var parameterFiles: [String] = []

        @Option(help: ArgumentHelp(
            "Restrict the query to one logical partition (the partition-key value as JSON), or to the partitions "
                + "under the leading levels of a hierarchical key (--pk '[\"acme\"]').", valueName: "json"))
        var pk: String?

        @Option(name: .customLong("max-item-count"), parsing: .unconditional, help: ArgumentHelp(
            "The most results per page (default 100; -1 for a dynamic page size).", valueName: "n"))
        var maxItemCount: Int?

        @Option(help: ArgumentHelp("Resume after the page that returned this token.", valueName: "token"))
        var continuation: String?

        @Flag(help: ArgumentHelp(
            "Follow the continuation tokens and print every page (with a dynamic page size unless --max-item-count "
                + "is given)."))
        var all = false

        @Flag(help: "Print the plan the query would run with, without running it.")
        var explain = false

        func run() throws {
            let store = try global.openStore(readOnly: true)
            var values = [String: JSONValue]()
            var readStandardInput = false
            var sql = sql
            if sql == "-" {
                readStandardInput = true
                let bytes = try StandardStreams.readInput()
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw CLIError.badRequest("the query on standard input is not UTF-8 text")
                }
                guard text.contains(where: { !$0.isWhitespace }) else {
                    throw CLIError.badRequest("the query is '-' (read it from standard input), but standard input "
                        + "holds no query")
                }
                sql = text
            }
            let given = parameters.map { ("--param", $0) } + parameterFiles.map { ("--param-file", $0) }
            for (option, parameter) in given {
                guard let eq = parameter.firstIndex(of: "=") else {
                    throw CLIError.badRequest(option == "--param" ? "--param takes NAME=JSON, got '\(parameter)'"
                        : "--param-file takes NAME=PATH, got '\(parameter)'")
                }
                var name = String(parameter[..<eq])
                if name.hasPrefix("@") { name.removeFirst() }
                let text = String(parameter[parameter.index(after: eq)...])
                // As the service: "Invalid query. Specified duplicate parameter name".
                guard values[name] == nil else {
                    throw CLIError.badRequest("parameter @\(name) is given twice; pass each parameter once (--param or "
                        + "--param-file)")
                }
                if option == "--param" {
                    values[name] = try Input.parseJSON(Array(text.utf8), what: "--param \(name)")
                } else if text == "-" {
                    guard !readStandardInput else {
                        throw CLIError.badRequest("only one of the query and the --param-file values can read "
                            + "standard input ('-')")
                    }
                    readStandardInput = true
                    values[name] = try Input.standardInputJSON("--param-file \(name)")
                } else {
                    values[name] = try Input.parseJSON(try Input.readFile(text), what: "--param-file \(name) (\(text))")
                }
            }
            let key = try pk.map { try Input.partitionKey($0) }
            if explain {
                let plan = try store.explain(in: container, sql, parameters: values, partitionKey: key)
                if global.output.isJSON {
                    global.output.printJSONLine(.object(["plan": .string(plan)]))
                } else {
                    global.output.printLine("plan: \(plan)")
                }
                return
            }
            var token = continuation
            var count = 0
            var read = 0, loaded = 0
            repeat {
                // --all asks for every result: a dynamic page size unless one is given, so that GROUP BY and
                // DISTINCT queries, which cannot be continued, return all their results.
                let page = try store.query(in: container, sql, parameters: values, partitionKey: key,
                                           maxItemCount: maxItemCount ?? (all ? -1 : nil), continuation: token)
                if global.output.isJSON {
                    StandardStreams.writeOutput(Output.pageLine(documents: page.items.map(\.json),
                                                                continuation: page.continuation))
                } else {
                    for item in page.items { StandardStreams.writeOutput(item.json + [UInt8(ascii: "\n")]) }
                }
                count += page.items.count
                read += page.metrics.indexEntriesRead
                loaded += page.metrics.documentsLoaded
                token = page.continuation
            } while all && token != nil
            if !global.output.isJSON {
                global.output.printLine("\(count) result\(count == 1 ? "" : "s") (cost: \(read) index entries read, "
                    + "\(loaded) documents loaded)")
                if let token {
                    let fromInput = self.sql == "-"
                    global.output.printLine("next page: cosmolite query \(Output.shellQuoted(container)) "
                        + "\(fromInput ? "-" : Output.shellQuoted(sql)) --continuation \(Output.shellQuoted(token))"
                        + (fromInput ? ", with the same query on standard input" : ""))
                }
            }
        }
    }
}
