// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain
import Foundation

/// The sync directions, for `--direction`.
enum SyncDirectionOption: String, ExpressibleByArgument, CaseIterable {
    case toExternal = "to_external"
    case fromExternal = "from_external"
    case bidirectional

    var direction: SyncDirection { SyncDirection(rawValue: rawValue)! }
}

extension Cosmolite {
    /// `cosmolite sync ...`: sync bookkeeping of integrations.
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record sync results, read the sync history, and start, pause or resume syncing.",
            discussion: """
                Recording a result stores it in sync-executions (kept 30 days) and updates the integration's \
                lastSyncAt, errorCount, errorMessage, cursor and status in the same transaction: a failure \
                increments errorCount, three failures in a row put the integration in status error, a success \
                resets it.
                """,
            subcommands: [Record.self, History.self, Start.self, Pause.self, Resume.self]
        )
    }
}

extension Cosmolite.Sync {
    /// `cosmolite sync record --tenant T --integration I [...]`.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the result of a sync run.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
        var integration: String

        @Option(help: ArgumentHelp("to_external, from_external or bidirectional.", valueName: "direction"))
        var direction: SyncDirectionOption = .fromExternal

        @Flag(help: "The run failed (default: it succeeded).")
        var failed = false

        @Option(parsing: .unconditional, help: ArgumentHelp("Records created.", valueName: "n"))
        var created = 0

        @Option(parsing: .unconditional, help: ArgumentHelp("Records updated.", valueName: "n"))
        var updated = 0

        @Option(name: .customLong("records-failed"), parsing: .unconditional,
                help: ArgumentHelp("Records that failed.", valueName: "n"))
        var recordsFailed = 0

        @Option(name: .customLong("error"), help: ArgumentHelp("An error message; repeat for several.",
                                                               valueName: "message"))
        var errors: [String] = []

        @Option(help: ArgumentHelp("When the run started (ISO 8601; default: --completed).", valueName: "timestamp"))
        var started: String?

        @Option(help: ArgumentHelp("When the run finished (ISO 8601; default: now).", valueName: "timestamp"))
        var completed: String?

        @Option(help: ArgumentHelp("The incremental-sync cursor reached.", valueName: "cursor"))
        var cursor: String?

        func run() async throws {
            try await DomainCommand.run {
                let completedAt = try DomainCommand.date(completed, option: "--completed") ?? Date()
                let startedAt = try DomainCommand.date(started, option: "--started") ?? completedAt
                let result = SyncResult(success: !failed, direction: direction.direction, recordsCreated: created,
                                        recordsUpdated: updated, recordsFailed: recordsFailed, errors: errors,
                                        startedAt: startedAt, completedAt: completedAt, cursor: cursor)
                let platform = try DomainCommand.platform(global)
                let execution = try await platform.sync.record(scope.scope, integrationId: integration, result)
                if global.output.isJSON {
                    try DomainCommand.printModel(execution, output: global.output)
                } else {
                    let integration = try await platform.integrations.get(scope.scope, id: integration)
                    global.output.printLine("recorded \(execution.success ? "successful" : "failed") sync "
                                                + "\(execution.id); integration status \(integration.status.rawValue), "
                                                + "\(integration.errorCount) consecutive failure(s)")
                }
            }
        }
    }

    /// `cosmolite sync history --tenant T --integration I`.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an integration's sync runs recorded in the last 30 days, most recent first.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var paging: PageOptions

        @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
        var integration: String

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                var printer = ListingPrinter<SyncExecution>(
                    output: global.output, headers: ["started", "direction", "ok", "synced", "failed", "ms", "error"],
                    nextPageCommand: "cosmolite sync history \(scope.arguments) --integration "
                        + Output.shellQuoted(integration) + paging.arguments) { e in
                        [e.startedAt.timestamp, e.direction.rawValue, e.success ? "yes" : "no", String(e.recordsSynced),
                         String(e.recordsFailed), String(e.durationMs), e.errors.first ?? "-"]
                    }
                try await paging.run(&printer) { token in
                    try await platform.sync.history(scope.scope, integrationId: integration, pageSize: paging.pageSize,
                                                    continuation: token)
                }
            }
        }
    }

    /// `cosmolite sync start --tenant T --integration I`.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a sync as started (status syncing).")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
        var integration: String

        func run() async throws {
            try await Cosmolite.Sync.transition(global, scope, integration) {
                try await $0.begin($1, integrationId: $2)
            }
        }
    }

    /// `cosmolite sync pause --tenant T --integration I`.
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause an integration's syncing.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
        var integration: String

        func run() async throws {
            try await Cosmolite.Sync.transition(global, scope, integration) {
                try await $0.pause($1, integrationId: $2)
            }
        }
    }

    /// `cosmolite sync resume --tenant T --integration I`.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused integration's syncing.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
        var integration: String

        func run() async throws {
            try await Cosmolite.Sync.transition(global, scope, integration) {
                try await $0.resume($1, integrationId: $2)
            }
        }
    }

    /// Runs a sync-state transition and prints the integration it leaves.
    static func transition(_ global: GlobalOptions, _ scope: ScopeOptions, _ integration: String,
                           _ apply: (SyncService, Scope, String) async throws -> Integration) async throws {
        try await DomainCommand.run {
            let updated = try await apply(try DomainCommand.platform(global).sync, scope.scope, integration)
            try DomainCommand.printModel(updated, output: global.output)
        }
    }
}
