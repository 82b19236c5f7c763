// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain

extension Cosmolite {
    /// `cosmolite providers list|get`: browse the integration provider catalog.
    struct Providers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Browse the integration provider catalog.",
            discussion: """
                The catalog is the container integration_providers (load it with 'cosmolite seed'). Listings are \
                ordered by display name and paged: in JSON formats each page is one line \
                {"items":[...],"continuation":TOKEN-or-null}; in the table format the command for the next page \
                is printed after the table.
                """,
            subcommands: [List.self, Get.self]
        )
    }
}

extension Cosmolite.Providers {
    /// `cosmolite providers list [--category C] [--status S] [--audience A] [--search-capable]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List providers, by category, status and audience, ordered by display name.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var paging: PageOptions

        @Option(help: ArgumentHelp("Only this category (crm, email, storage, ...).", valueName: "category"))
        var category: String?

        @Option(help: ArgumentHelp("Only this status (active, beta, deprecated, disabled).", valueName: "status"))
        var status: String?

        @Option(help: ArgumentHelp("Only this audience (public, tenant, internal, preview).", valueName: "audience"))
        var audience: String?

        @Flag(name: .customLong("search-capable"), help: "Only providers whose data can be searched.")
        var searchCapable = false

        func validate() throws {
            // The catalog accepts only these values, so any other filter is a typo that would list nothing.
            let statuses = ProviderStatus.known.map(\.rawValue)
            if let status, !statuses.contains(status) {
                throw ValidationError("--status must be one of \(statuses.joined(separator: ", ")); got '\(status)'")
            }
            let audiences = ProviderAudience.known.map(\.rawValue)
            if let audience, !audiences.contains(audience) {
                throw ValidationError(
                    "--audience must be one of \(audiences.joined(separator: ", ")); got '\(audience)'")
            }
        }

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                var command = "cosmolite providers list"
                if let category { command += " --category \(Output.shellQuoted(category))" }
                if let status { command += " --status \(Output.shellQuoted(status))" }
                if let audience { command += " --audience \(Output.shellQuoted(audience))" }
                if searchCapable { command += " --search-capable" }
                var printer = ListingPrinter<Provider>(
                    output: global.output, headers: ["category", "provider", "display name", "status", "audience",
                                                      "search", "user-scoped"],
                    nextPageCommand: command + paging.arguments) { p in
                        [p.category, p.provider, p.displayName, p.status.rawValue, p.audience.rawValue,
                         p.supportsSearch ? "yes" : "no", p.requiresUserScoping ? "yes" : "no"]
                    }
                try await paging.run(&printer) { token in
                    try await platform.catalog.list(
                        category: category, status: status.map(ProviderStatus.init(rawValue:)),
                        audience: audience.map(ProviderAudience.init(rawValue:)), searchCapable: searchCapable,
                        pageSize: paging.pageSize, continuation: token)
                }
            }
        }
    }

    /// `cosmolite providers get PROVIDER [--category C]`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one provider, by key (salesforce) or by id with --category.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The provider's key (for example salesforce), or its id when --category is given.")
        var provider: String

        @Option(help: ArgumentHelp("The category (needed when the key exists in several).", valueName: "category"))
        var category: String?

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                let found: Provider
                if let category, let byID = try? await platform.catalog.provider(id: provider, category: category) {
                    found = byID
                } else {
                    found = try await platform.catalog.provider(named: provider, category: category)
                }
                try DomainCommand.printModel(found, output: global.output)
            }
        }
    }
}
