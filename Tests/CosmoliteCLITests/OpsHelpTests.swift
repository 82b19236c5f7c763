// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Help screens and shell completion of the operations commands.
struct OpsHelpTests {
    @Test func rootHelpListsTheOperationsCommandsAndCompletion() throws {
        let box = Sandbox()
        let result = try CLI.run(["--help"], directory: box.directory)
        #expect(result.status == 0)
        for line in [
            "  export                  Write containers and their items to a JSON Lines file",
            "  import                  Load items from a JSON Lines file (an export, or one",
            "  backup                  Copy the live store into a new directory: a",
            "  restore                 Put a backup in place as the store (--store),",
            "  stats                   Show items, partitions, index entries, sizes, map,",
        ] {
            #expect(result.stdout.contains(line + "\n"), "missing help line: \(line)\n\(result.stdout)")
        }
        #expect(result.stdout.contains("--generate-completion-script bash|zsh|fish"))
    }

    @Test(arguments: [
        (["export", "--help"], ["--output <file>", "--quiet", "<container> ...", "cosmoliteExportContainer"]),
        (["import", "--help"], ["--container <container>", "--mode <mode>", "--batch <n>", "--on-error <policy>",
                                "--resume-at <line>", "--quiet", "(values: create, upsert", "(values: stop, skip"]),
        (["backup", "--help"], ["<path>", "--no-compact", "(compaction)"]),
        (["restore", "--help"], ["<path>", "--force", "--skip-verify", "in use"]),
        (["stats", "--help"], ["--top <n>", "--paths", "free pages"]),
        (["verify", "--help"], ["<container> ...", "exit status 1"]),
    ])
    func subcommandHelp(arguments: [String], expected: [String]) throws {
        let box = Sandbox()
        let result = try CLI.run(arguments, directory: box.directory)
        #expect(result.status == 0)
        for text in expected {
            #expect(result.stdout.contains(text), "\(arguments): missing \(text)\n\(result.stdout)")
        }
        #expect(!result.stdout.contains("progress-interval"), "the test hook stays hidden")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let box = Sandbox()
        let result = try CLI.run(["--generate-completion-script", shell], directory: box.directory)
        #expect(result.status == 0, "\(result.summary)")
        for word in ["cosmolite", "export", "import", "backup", "restore", "stats", "resume-at"] {
            #expect(result.stdout.contains(word), "\(shell): missing \(word)")
        }
    }
}
