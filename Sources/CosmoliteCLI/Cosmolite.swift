// SPDX-License-Identifier: Apache-2.0

public import ArgumentParser

/// The `cosmolite` command line: manage containers and items of a Cosmolite store from a shell or a script.
///
/// Every command takes the ``GlobalOptions`` (`--store`, `--format`, `--durability`). Results go to standard
/// output (JSON when it is not a terminal); on failure the exit status is non-zero and the first line of
/// standard error is `error: STATUS REASON: message`, with Cosmos DB's status codes (`404 Not Found`,
/// `409 Conflict`, `412 Precondition Failed`, ...).
///
/// ```sh
/// cosmolite init --containers Containers
/// echo '{"id":"1","tenantId":"acme"}' | cosmolite items create integrations
/// cosmolite items read integrations 1 --pk '"acme"'
/// ```
public struct Cosmolite: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "cosmolite",
        abstract: "An embedded document store with Azure Cosmos DB semantics, on LMDB.",
        discussion: """
            Results go to standard output: JSON when it is not a terminal, a table when it is (see --format). \
            On failure the exit status is non-zero and the first line of standard error is \
            'error: STATUS REASON: message' (for example 'error: 409 Conflict: ...').

            The store is the directory given by --store, else $COSMOLITE_STORE, else ./cosmolite-store.

            A tour: 'init' creates containers from definitions, 'seed' loads items, 'items', 'query', 'batch' \
            and 'changes' read and write; 'export' and 'import' move data as JSON Lines, 'backup' and \
            'restore' copy the live store, 'verify' checks it and 'stats' measures it. Every command has \
            --help. Shell completion: cosmolite --generate-completion-script bash|zsh|fish.
            """,
        version: "0.1.0",
        subcommands: [
            Initialize.self, Containers.self, Items.self, Query.self, Batch.self, Changes.self, Seed.self, Verify.self,
            Export.self, Import.self, Backup.self, Restore.self, Stats.self,
            Providers.self, Integrations.self, Connections.self, Sync.self, Keys.self,
        ]
    )

    /// The global options given before the subcommand name; a subcommand's own take precedence.
    @OptionGroup var global: GlobalOptions

    /// Creates the command.
    public init() {}

    /// Argument-parser's message for a usage error, with its first line (`Error: ...`) in the tool's error form
    /// (`error: 400 Bad Request: ...`), or `nil` for a message of another shape.
    static func usageErrorLines(_ message: String) -> [String]? {
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, first.hasPrefix("Error: ") else { return nil }
        lines[0] = "error: 400 Bad Request: " + first.dropFirst("Error: ".count)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Parses the process arguments and runs the command (the executable's entry point).
    ///
    /// Engine and input errors are printed as `error: STATUS REASON: message` on standard error with exit
    /// status 1. Usage errors (a missing argument, an unknown option, a refused combination) get the same first
    /// line, as a 400, followed by argument-parser's usage text, with its exit status 64; `--help` and
    /// `--version` are handled by argument-parser as usual.
    public static func run() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let report = CLIError.report(for: error) {
                StandardStreams.writeErrorLine("error: \(report)")
                exit(withError: ExitCode.failure)
            }
            let status = exitCode(for: error)
            if status != .success, let usage = usageErrorLines(fullMessage(for: error)) {
                for line in usage { StandardStreams.writeErrorLine(line) }
                exit(withError: status)
            }
            exit(withError: error)
        }
    }
}
