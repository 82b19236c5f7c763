// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite batch CONTAINER --pk JSON`: a transactional batch from standard input.
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a transactional batch of operations on one logical partition: all apply or none.",
            discussion: """
                Standard input is a JSON array of up to 100 operations in Cosmos DB's batch shape, for example:
                  [{"operationType": "Create", "resourceBody": {"id": "a", "tenantId": "acme"}},
                   {"operationType": "Patch", "id": "b",
                    "resourceBody": {"operations": [{"op": "set", "path": "/x", "value": 1}],
                                     "condition": "FROM c WHERE c.x = 0"}},
                   {"operationType": "Delete", "id": "c", "ifMatch": "\\"...\\""}]
                Operation types: Create, Read, Replace, Upsert, Delete, Patch. The per-operation results are \
                printed ({"statusCode", "eTag", "resourceBody"} or "message"). If an operation fails nothing is \
                written, the others report 424, and the exit status is 1. A Patch with a "condition" (Cosmos's \
                filter predicate) fails with 412 when its item does not satisfy it. A Read whose "ifMatch" or \
                "ifNoneMatch" equals the item's _etag reports 304 without a body, and the batch still commits.
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp("The batch's partition-key value as JSON.", valueName: "json"))
        var pk: String

        func run() throws {
            let partitionKey = try Input.partitionKey(pk)
            guard case .array(let list) = try Input.standardInputJSON("the batch") else {
                throw CLIError.badRequest("the batch on standard input must be a JSON array of operations")
            }
            let operations = try list.enumerated().map { index, json in
                try BatchOperation(json: json, index: index, compileCondition: PatchCondition.init(filterPredicate:))
            }
            let store = try global.openStore()
            let response = try store.executeBatch(in: container, partitionKey: partitionKey, operations: operations)
            printResults(response, operations: operations)
            if let failed = response.failedIndex {
                let result = response.results[failed]
                let code = result.error?.code
                StandardStreams.writeErrorLine(
                    "error: \(result.statusCode) \(code?.reason ?? "Error"): batch operation \(failed) failed: "
                        + (result.error?.message ?? "unknown failure"))
                throw ExitCode.failure
            }
        }

        private func printResults(_ response: BatchResponse, operations: [BatchOperation]) {
            let output = global.output
            if output.isJSON {
                output.printJSON(.array(response.results.map(\.json)))
                return
            }
            var table = Table(headers: ["#", "operation", "id", "status", "etag", "message"])
            for (i, result) in response.results.enumerated() {
                let operation = operations[i]
                table.rows.append([
                    String(i), operation.kind.rawValue, result.item?.id ?? operation.id ?? "-",
                    String(result.statusCode), result.etag ?? "-", result.error?.message ?? "",
                ])
            }
            output.printTable(table)
            output.printLine(response.isSuccess
                ? "batch committed: \(operations.count) operation\(operations.count == 1 ? "" : "s")"
                : "batch failed: nothing was written")
        }
    }
}
