// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain
import CosmoliteJSON

extension Cosmolite {
    /// `cosmolite integrations ...`: a tenant's integrations.
    struct Integrations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, show, list, update, enable, disable and delete a tenant's integrations.",
            discussion: """
                Every command acts for one tenant (--tenant) and, optionally, a user (--user). Another tenant's \
                integration is reported as 404 Not Found. Deleting an integration deletes its connections and \
                sync records in the same transaction.
                """,
            subcommands: [List.self, Get.self, Create.self, Update.self, Enable.self, Disable.self, Delete.self,
                          Activity.self]
        )
    }
}

extension Cosmolite.Integrations {
    /// `cosmolite integrations list --tenant T [--connection-errors | --search-enabled]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a tenant's integrations ordered by name (or those with connection errors, newest first).")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var paging: PageOptions

        @Flag(name: .customLong("connection-errors"),
              help: "Only integrations whose connections are in error, most recently updated first.")
        var connectionErrors = false

        @Flag(name: .customLong("search-enabled"), help: "Only search-enabled integrations.")
        var searchEnabled = false

        func validate() throws {
            if connectionErrors && searchEnabled {
                throw ValidationError("--connection-errors and --search-enabled cannot be combined")
            }
        }

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                var command = "cosmolite integrations list \(scope.arguments)"
                if connectionErrors { command += " --connection-errors" }
                if searchEnabled { command += " --search-enabled" }
                var printer = Self.printer(global.output, command + paging.arguments)
                try await paging.run(&printer) { token in
                    if connectionErrors {
                        return try await platform.integrations.withConnectionErrors(
                            scope.scope, pageSize: paging.pageSize, continuation: token)
                    }
                    if searchEnabled {
                        return try await platform.integrations.searchEnabled(
                            scope.scope, pageSize: paging.pageSize, continuation: token)
                    }
                    return try await platform.integrations.list(scope.scope, pageSize: paging.pageSize,
                                                                continuation: token)
                }
            }
        }

        static func printer(_ output: Output, _ command: String) -> ListingPrinter<Integration> {
            ListingPrinter(output: output, headers: ["id", "name", "provider", "status", "connection", "search",
                                                     "errors", "updated"],
                           nextPageCommand: command) { i in
                [i.id, i.name, i.providerName, i.status.rawValue, i.connectionStatus.rawValue,
                 i.searchEnabled ? "yes" : "no", String(i.errorCount), i.updatedAt.timestamp]
            }
        }
    }

    /// `cosmolite integrations get ID --tenant T` (or `--provider P --name N`).
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an integration, by id or by provider and name.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Argument(help: "The integration id (or give --provider and --name).")
        var id: String?

        @Option(help: ArgumentHelp("The provider's key, with --name.", valueName: "provider"))
        var provider: String?

        @Option(help: ArgumentHelp("The integration's name, with --provider.", valueName: "name"))
        var name: String?

        func validate() throws {
            guard (id != nil) != (provider != nil && name != nil), (provider == nil) == (name == nil) else {
                throw ValidationError("give either an integration id or both --provider and --name")
            }
        }

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                let integration: Integration
                if let id {
                    integration = try await platform.integrations.get(scope.scope, id: id)
                } else if let provider, let name,
                          let found = try await platform.integrations.find(scope.scope, providerName: provider,
                                                                           name: name) {
                    integration = found
                } else {
                    throw DomainError(.notFound, "tenant \(scope.tenant) has no integration of provider "
                                          + "'\(provider ?? "")' named '\(name ?? "")'")
                }
                try DomainCommand.printModel(integration, output: global.output)
            }
        }
    }

    /// `cosmolite integrations create --tenant T --provider P --name N [...]`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an integration of an active provider (several per provider, unique by name).",
            discussion: """
                --upsert updates the integration of this provider and name if it exists (display name, \
                description, search, settings, sync configuration) instead of failing with 409 Conflict; \
                options not given keep the integration's values.
                """)

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Option(help: ArgumentHelp("The provider's key (for example salesforce).", valueName: "provider"))
        var provider: String

        @Option(help: ArgumentHelp("The provider's category, if the key exists in several.", valueName: "category"))
        var category: String?

        @Option(help: ArgumentHelp("The integration's name (unique per tenant and provider).", valueName: "name"))
        var name: String

        @Option(name: .customLong("display-name"), help: ArgumentHelp("A display name.", valueName: "text"))
        var displayName: String?

        @Option(help: ArgumentHelp("A description.", valueName: "text"))
        var description: String?

        @Option(name: .customLong("search-enabled"), help: ArgumentHelp(
            "Offer its data to search (default: whether the provider supports search).", valueName: "true|false"))
        var searchEnabled: Bool?

        @Option(name: .customLong("user-scoped"), help: ArgumentHelp(
            "Make connections per user (default: whether the provider requires it).", valueName: "true|false"))
        var userScoped: Bool?

        @Option(help: ArgumentHelp("Settings as a JSON object (for example '{\"subdomain\":\"acme\"}').",
                                   valueName: "json"))
        var settings: String?

        @Option(name: .customLong("sync-config"), help: ArgumentHelp("Sync configuration as a JSON object.",
                                                                      valueName: "json"))
        var syncConfig: String?

        @Flag(help: "Update the integration of this provider and name if it exists.")
        var upsert = false

        func run() async throws {
            try await DomainCommand.run {
                let draft = IntegrationDraft(
                    provider: provider, category: category, name: name, displayName: displayName,
                    description: description, searchEnabled: searchEnabled, userScoped: userScoped,
                    settings: try jsonFields(settings, option: "--settings") ?? [:],
                    syncConfig: try jsonFields(syncConfig, option: "--sync-config") ?? [:])
                let platform = try DomainCommand.platform(global)
                let integration: Integration
                let verb: String
                if upsert {
                    let (result, created) = try await platform.integrations.upsert(scope.scope, draft)
                    (integration, verb) = (result, created ? "created" : "updated")
                } else {
                    (integration, verb) = (try await platform.integrations.create(scope.scope, draft), "created")
                }
                if global.output.isJSON {
                    try DomainCommand.printModel(integration, output: global.output)
                } else {
                    global.output.printLine("\(verb) integration '\(integration.name)' (\(integration.providerName)) "
                                                + "with id \(integration.id)")
                }
            }
        }
    }

    /// `cosmolite integrations update ID --tenant T [--name N] [...]`.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an integration's configuration.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Argument(help: "The integration id.")
        var id: String

        @Option(help: ArgumentHelp("A new name.", valueName: "name"))
        var name: String?

        @Option(name: .customLong("display-name"), help: ArgumentHelp("A new display name.", valueName: "text"))
        var displayName: String?

        @Option(help: ArgumentHelp("A new description.", valueName: "text"))
        var description: String?

        @Option(name: .customLong("search-enabled"), help: ArgumentHelp("Offer its data to search.",
                                                                         valueName: "true|false"))
        var searchEnabled: Bool?

        @Option(help: ArgumentHelp("New settings as a JSON object (replacing the old).", valueName: "json"))
        var settings: String?

        @Option(name: .customLong("sync-config"), help: ArgumentHelp("New sync configuration as a JSON object.",
                                                                      valueName: "json"))
        var syncConfig: String?

        @Option(name: .customLong("if-match"), help: ArgumentHelp(
            "Update only if the integration's _etag is still this (412 otherwise).", valueName: "etag"))
        var ifMatch: String?

        func run() async throws {
            try await DomainCommand.run {
                let changes = IntegrationChanges(
                    name: name, displayName: displayName, description: description, searchEnabled: searchEnabled,
                    settings: try jsonFields(settings, option: "--settings"),
                    syncConfig: try jsonFields(syncConfig, option: "--sync-config"))
                guard !changes.isEmpty else {
                    throw DomainError.validation("nothing to change", [.init("options", "give at least one change")])
                }
                let platform = try DomainCommand.platform(global)
                let integration = try await platform.integrations.update(scope.scope, id: id, changes,
                                                                         ifMatch: Input.etag(ifMatch))
                try DomainCommand.printModel(integration, output: global.output)
            }
        }
    }

    /// `cosmolite integrations enable ID --tenant T`.
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled integration.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Argument(help: "The integration id.")
        var id: String

        func run() async throws {
            try await DomainCommand.run {
                let integration = try await DomainCommand.platform(global).integrations.enable(scope.scope, id: id)
                try DomainCommand.printModel(integration, output: global.output)
            }
        }
    }

    /// `cosmolite integrations disable ID --tenant T`.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an integration (its connections are kept).")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Argument(help: "The integration id.")
        var id: String

        func run() async throws {
            try await DomainCommand.run {
                let integration = try await DomainCommand.platform(global).integrations.disable(scope.scope, id: id)
                try DomainCommand.printModel(integration, output: global.output)
            }
        }
    }

    /// `cosmolite integrations delete ID --tenant T`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an integration with its connections and sync records (one transaction).")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @Argument(help: "The integration id.")
        var id: String

        @Option(name: .customLong("if-match"), help: ArgumentHelp(
            "Delete only if the integration's _etag is still this (412 otherwise).", valueName: "etag"))
        var ifMatch: String?

        func run() async throws {
            try await DomainCommand.run {
                try await DomainCommand.platform(global).integrations.delete(scope.scope, id: id,
                                                                             ifMatch: Input.etag(ifMatch))
                if global.output.isJSON {
                    global.output.printJSONLine(.object(["deleted": .string(id)]))
                } else {
                    global.output.printLine("deleted integration \(id) with its connections and sync records")
                }
            }
        }
    }

    /// `cosmolite integrations activity --tenant T [--integration I]`.
    struct Activity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the tenant's activity log (or one integration's), most recent first.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var paging: PageOptions

        @Option(help: ArgumentHelp("Only this integration's entries.", valueName: "id"))
        var integration: String?

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                var command = "cosmolite integrations activity \(scope.arguments)"
                if let integration { command += " --integration \(Output.shellQuoted(integration))" }
                var printer = ListingPrinter<ActivityEntry>(
                    output: global.output, headers: ["at", "action", "ok", "integration", "user", "error"],
                    nextPageCommand: command + paging.arguments) { a in
                        [a.createdAt.timestamp, a.action.rawValue, a.success ? "yes" : "no",
                         a.integrationName ?? a.integrationId ?? "-", a.userId?.rawValue ?? "-", a.errorMessage ?? "-"]
                    }
                try await paging.run(&printer) { token in
                    try await platform.integrations.activity(scope.scope, integrationId: integration,
                                                             pageSize: paging.pageSize, continuation: token)
                }
            }
        }
    }
}

/// Parses an option holding a JSON object.
func jsonFields(_ text: String?, option: String) throws -> JSONFields? {
    guard let text else { return nil }
    guard case .object(let object) = try Input.parseJSON(Array(text.utf8), what: option) else {
        throw CLIError.badRequest("\(option) must be a JSON object")
    }
    return JSONFields(object)
}
