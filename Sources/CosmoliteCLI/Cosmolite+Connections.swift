// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain
import CosmoliteJSON
import Foundation

/// The connection scope kinds, for `--scope`.
enum ConnectionScopeOption: String, ExpressibleByArgument, CaseIterable {
    case system, tenant, user

    /// The scope; a `user` connection belongs to `--owner`, else to the command's `--user`.
    func scope(_ options: ScopeOptions, owner: String? = nil) throws -> ConnectionScope {
        try ConnectionScope(kind: rawValue, user: self == .user ? (owner ?? options.user).map { UserID($0) } : nil)
    }
}

/// The options that name an existing connection: `--integration`, `--scope` and, for a user's connection,
/// `--owner`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
    var integration: String

    @Option(name: .customLong("scope"), help: ArgumentHelp("Whose connection: system, tenant or user (--user).",
                                                           valueName: "scope"))
    var connectionScope: ConnectionScopeOption = .tenant

    @Option(help: ArgumentHelp(
        "With --scope user: the connection's user, when not the --user acting (default: --user).",
        valueName: "user"))
    var owner: String?

    /// The connection's scope, for a command acting as `options` says.
    func scope(_ options: ScopeOptions) throws -> ConnectionScope {
        try connectionScope.scope(options, owner: owner)
    }
}

/// The auth types, for `--auth-type`.
enum AuthTypeOption: String, ExpressibleByArgument, CaseIterable {
    case oauth2, apiKey, basic

    var authType: AuthType { AuthType(rawValue: rawValue)! }
}

extension Cosmolite {
    /// `cosmolite connections ...`: connections of integrations and their encrypted credentials.
    struct Connections: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect integrations, read their credentials, list expired connections, refresh tokens.",
            discussion: """
                Credentials are read from standard input as JSON ({"accessToken":..., "refreshToken":..., \
                "apiKeys": {...}, "clientId":..., "clientSecret":...}), never from options, and are stored \
                encrypted with AES-256-GCM under the newest key of $COSMOLITE_ENCRYPTION_KEY_FILE / \
                $COSMOLITE_ENCRYPTION_KEY (or --key-file). A user-scoped connection (--scope user) belongs to \
                --user: another user gets 403 Forbidden.
                """,
            subcommands: [List.self, Create.self, Credentials.self, Expired.self, Refresh.self, Delete.self]
        )
    }
}

extension Cosmolite.Connections {
    static func printer(_ output: Output, _ command: String) -> ListingPrinter<Connection> {
        ListingPrinter(output: output, headers: ["integration", "id", "scope", "user", "status", "auth", "expires",
                                                 "key"],
                       nextPageCommand: command) { c in
            [c.integrationId, c.id, c.scopeKind, c.userId?.rawValue ?? "-", c.status.rawValue, c.authType.rawValue,
             c.oauth?.expiresAt?.timestamp ?? "-", c.encryptedCredentials?.keyId ?? "-"]
        }
    }

    /// `cosmolite connections list --tenant T --integration I`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an integration's connections (no secrets).")

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
                var printer = Cosmolite.Connections.printer(
                    global.output, "cosmolite connections list \(scope.arguments) --integration "
                        + Output.shellQuoted(integration) + paging.arguments)
                try await paging.run(&printer) { token in
                    try await platform.connections.list(scope.scope, integrationId: integration,
                                                        pageSize: paging.pageSize, continuation: token)
                }
            }
        }
    }

    /// `cosmolite connections create --tenant T --integration I --scope S [...]` (credentials on standard input).
    struct Create: AsyncParsableCommand {
        /// The camel-case name of the snake-case spellings users bring from OAuth.
        static let spellings = ["access_token": "accessToken", "refresh_token": "refreshToken", "api_keys": "apiKeys",
                                "client_id": "clientId", "client_secret": "clientSecret"]

        /// 400 for credentials that are not an object or have a field Cosmolite does not know: a secret dropped
        /// silently would surface only when a refresh fails.
        static func checkFields(_ input: JSONValue) throws {
            guard case .object(let object) = input else {
                throw CLIError.badRequest("the credentials must be a JSON object such as "
                                              + #"{"accessToken":"...","refreshToken":"..."}"#)
            }
            let fields = CosmoliteDomain.Credentials.jsonKeys
            let unknown = object.keys.filter { !fields.contains($0) }
            guard !unknown.isEmpty else { return }
            // A long "name" may be a secret pasted in the wrong place: it is counted, not shown.
            let named = unknown.map { key in
                key.count > 32 ? "a \(key.count)-character name"
                    : spellings[key].map { "'\(key)' (did you mean '\($0)'?)" } ?? "'\(key)'"
            }
            throw CLIError.badRequest("the credentials have unknown fields \(named.joined(separator: ", ")); the "
                                          + "fields are \(fields.sorted().joined(separator: ", ")) (put other "
                                          + "secrets under extra)")
        }

        static let configuration = CommandConfiguration(
            abstract: "Connect an integration (or reconnect: replaces the scope's credentials).")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var keys: KeyOptions

        @Option(help: ArgumentHelp("The integration id.", valueName: "id"))
        var integration: String

        @Option(name: .customLong("scope"), help: ArgumentHelp("Whose credentials: system, tenant or user (--user).",
                                                               valueName: "scope"))
        var connectionScope: ConnectionScopeOption = .tenant

        @Option(name: .customLong("auth-type"), help: ArgumentHelp("oauth2, apiKey or basic.", valueName: "type"))
        var authTypeOption: AuthTypeOption = .oauth2
        var authType: AuthType { authTypeOption.authType }

        @Option(name: .customLong("expires-at"), help: ArgumentHelp("When the access token expires (ISO 8601).",
                                                                     valueName: "timestamp"))
        var expiresAt: String?

        @Option(name: .customLong("expires-in"), parsing: .unconditional,
                help: ArgumentHelp("Seconds until the access token expires.", valueName: "seconds"))
        var expiresIn: Int?

        @Option(name: .customLong("scopes"), help: ArgumentHelp("The OAuth scopes granted, comma-separated.",
                                                                 valueName: "list"))
        var oauthScopes: String?

        @Option(name: .customLong("token-type"), help: ArgumentHelp("The OAuth token type.", valueName: "type"))
        var tokenType: String?

        func validate() throws {
            if expiresAt != nil && expiresIn != nil {
                throw ValidationError("give either --expires-at or --expires-in, not both")
            }
            if let expiresIn, expiresIn < 0 {
                throw ValidationError("--expires-in must be a number of seconds from now, 0 or more; got \(expiresIn)")
            }
        }

        func run() async throws {
            try await DomainCommand.run {
                let input = try Input.standardInputJSON("the credentials")
                try Self.checkFields(input)
                let credentials = try DomainJSON.decode(CosmoliteDomain.Credentials.self,
                                                        from: JSONWriter.serialize(input))
                var oauth: OAuthMetadata?
                if authType == .oauth2 || expiresAt != nil || expiresIn != nil || oauthScopes != nil {
                    let expiry = try DomainCommand.date(expiresAt, option: "--expires-at")
                        ?? expiresIn.map { Date().addingTimeInterval(TimeInterval($0)) }
                    oauth = OAuthMetadata(expiresAt: expiry,
                                          scopes: oauthScopes?.split(separator: ",").map(String.init) ?? [],
                                          tokenType: tokenType ?? (authType == .oauth2 ? "Bearer" : nil))
                }
                let draft = ConnectionDraft(scope: try connectionScope.scope(scope), authType: authType,
                                            credentials: credentials, oauth: oauth)
                let platform = try DomainCommand.platform(global, keyRing: try keys.keyRing())
                let connection = try await platform.connections.connect(scope.scope, integrationId: integration, draft)
                if global.output.isJSON {
                    try DomainCommand.printModel(connection, output: global.output)
                } else {
                    global.output.printLine("connected integration \(integration) (\(connection.id)); credentials "
                                                + "sealed with key \(connection.encryptedCredentials?.keyId ?? "-")")
                }
            }
        }
    }

    /// `cosmolite connections credentials --tenant T --integration I --scope S [--reveal]`.
    struct Credentials: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a connection's credentials: which are set, or (--reveal) their values.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var keys: KeyOptions

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Print the secret values (as JSON) instead of only the names of the fields set.")
        var reveal = false

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true, keyRing: try keys.keyRing())
                let which = try connection.scope(scope)
                let credentials = try await platform.connections.credentials(
                    scope.scope, integrationId: connection.integration, scope: which)
                if reveal {
                    try DomainCommand.printModel(credentials, output: Output(format: global.output.isJSON
                                                                                 ? global.output.format : .json))
                } else if global.output.isJSON {
                    global.output.printJSON(.object(["fields": .array(credentials.fieldNames.map { .string($0) })]))
                } else {
                    global.output.printLine("set: " + (credentials.fieldNames.isEmpty ? "nothing"
                                                        : credentials.fieldNames.joined(separator: ", "))
                                                + " (use --reveal to print the values)")
                }
            }
        }
    }

    /// `cosmolite connections expired [--tenant T] [--now TIMESTAMP]`.
    struct Expired: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List connections that are expired or whose token expires before --now.",
            discussion: """
                With --tenant, the tenant's connections (another user's user connections are hidden when --user is \
                given); without it, every tenant's (the maintenance listing a refresh job walks). Pass the same \
                --now to every page of one listing.
                """)

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var paging: PageOptions

        @Option(help: ArgumentHelp("The tenant (default: all tenants).", valueName: "tenant"))
        var tenant: String?

        @Option(help: ArgumentHelp("The user the command acts for, with --tenant.", valueName: "user"))
        var user: String?

        @Option(help: ArgumentHelp("The instant to compare expiries with (default: now).", valueName: "timestamp"))
        var now: String?

        func validate() throws {
            // Without a tenant the listing is every tenant's: a user there would look scoped and not be.
            if user != nil && tenant == nil {
                throw ValidationError("--user needs --tenant: a user acts within one tenant; without --tenant the "
                                      + "listing is the every-tenant maintenance listing, which takes no --user")
            }
        }

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, readOnly: true)
                let instant = try DomainCommand.date(now, option: "--now") ?? Date()
                var command = "cosmolite connections expired --now \(instant.timestamp)"
                if let tenant { command += " --tenant \(Output.shellQuoted(tenant))" }
                if let user { command += " --user \(Output.shellQuoted(user))" }
                var printer = Cosmolite.Connections.printer(global.output, command + paging.arguments)
                try await paging.run(&printer) { token in
                    if let tenant {
                        return try await platform.connections.expired(
                            Scope(tenant: TenantID(tenant), user: user.map { UserID($0) }), now: instant,
                            pageSize: paging.pageSize, continuation: token)
                    }
                    return try await platform.connections.expiredAcrossTenants(now: instant, pageSize: paging.pageSize,
                                                                               continuation: token)
                }
            }
        }
    }

    /// `cosmolite connections refresh --tenant T --integration I --scope S`.
    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refresh a connection's OAuth tokens at the provider's token endpoint (RFC 6749 section 6).",
            discussion: """
                On failure the connection becomes expired (the refresh token was refused: reconnect) or error, the \
                failure is recorded in the activity log, and the command exits with 502 Bad Gateway.
                """)

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var keys: KeyOptions

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await DomainCommand.run {
                let platform = try DomainCommand.platform(global, keyRing: try keys.keyRing())
                let which = try connection.scope(scope)
                let refreshed = try await platform.connections.refresh(
                    scope.scope, integrationId: connection.integration, scope: which)
                try DomainCommand.printModel(refreshed, output: global.output)
            }
        }
    }

    /// `cosmolite connections delete --tenant T --integration I --scope S`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disconnect: remove a connection and its credentials.")

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var scope: ScopeOptions

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await DomainCommand.run {
                let which = try connection.scope(scope)
                try await DomainCommand.platform(global).connections.disconnect(
                    scope.scope, integrationId: connection.integration, scope: which)
                if global.output.isJSON {
                    global.output.printJSONLine(.object(["deleted": .string(which.connectionId)]))
                } else {
                    global.output.printLine("disconnected \(which) from integration \(connection.integration)")
                }
            }
        }
    }
}
