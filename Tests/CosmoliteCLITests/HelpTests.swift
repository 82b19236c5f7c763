// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// The help screens of the built binary.
struct HelpTests {
    @Test func rootHelpListsTheCommandGroups() throws {
        let box = Sandbox()
        let result = try CLI.run(["--help"], directory: box.directory)
        #expect(result.status == 0)
        let help = result.stdout
        for line in [
            "OVERVIEW: An embedded document store with Azure Cosmos DB semantics, on LMDB.",
            "USAGE: cosmolite [--store <path>] [--format <format>] [--durability <mode>] <subcommand>",
            "SUBCOMMANDS:",
            "  init                    Create the containers defined in a folder of JSON",
            "  containers              Create, read, list, replace and delete containers.",
            "  items                   Create, read, replace, upsert, patch, delete and list",
            "  batch                   Run a transactional batch of operations on one",
            "  changes                 Read a container's change feed (latest version of",
            "  seed                    Load seed items from DIR/<container>.json files",
            "  verify                  Check that every item agrees with its index,",
        ] {
            #expect(help.contains(line + "\n"), "missing help line: \(line)\n\(help)")
        }
    }

    @Test(arguments: [
        (["items", "--help"], ["  create ", "  upsert ", "  replace ", "  read ", "  patch ", "  delete ",
                               "  delete-partition ", "  list "]),
        (["containers", "--help"], ["  create ", "  get ", "  list ", "  replace ", "  delete "]),
        (["items", "upsert", "--help"], ["--lines", "--if-match <etag>", "--store <path>", "--format <format>"]),
        (["changes", "--help"], ["--continuation <token>", "--from <start>", "--max-item-count <n>", "--all"]),
    ])
    func subcommandHelp(arguments: [String], expected: [String]) throws {
        let box = Sandbox()
        let result = try CLI.run(arguments, directory: box.directory)
        #expect(result.status == 0)
        for text in expected {
            #expect(result.stdout.contains(text), "\(arguments): missing \(text)\n\(result.stdout)")
        }
    }
}
