// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// The integration commands end to end: providers, integrations, connections, sync and keys, on the repository's
/// own `Containers/` and `Seeds/`.
struct IntegrationCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let key1 = "k1:" + Data(repeating: 7, count: 32).base64EncodedString()
    static let key2 = "k2:" + Data(repeating: 9, count: 32).base64EncodedString()

    /// A sandbox with the repository's containers applied and provider catalog seeded.
    func seeded() throws -> Sandbox {
        let box = Sandbox()
        _ = try box.ok(["init", "--containers", Self.root + "/Containers"])
        _ = try box.ok(["seed", Self.root + "/Seeds"])
        return box
    }

    func run(_ box: Sandbox, _ arguments: [String], stdin: String? = nil, keys: String = key1) throws -> CLIResult {
        try box.run(arguments, stdin: stdin, environment: ["COSMOLITE_ENCRYPTION_KEY": keys])
    }

    @discardableResult
    func ok(_ box: Sandbox, _ arguments: [String], stdin: String? = nil, keys: String = key1,
            sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let result = try run(box, arguments, stdin: stdin, keys: keys)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.summary)",
                sourceLocation: sourceLocation)
        return result
    }

    @Test func providersListPagesFiltersAndShowsTheNextPage() throws {
        let box = try seeded()
        let pages = try ok(box, ["providers", "list", "--page-size", "10", "--all"]).jsonLines()
        #expect(pages.count == 4)
        let names = pages.flatMap { $0["items"]?.arrayValue ?? [] }.compactMap { $0["displayName"]?.stringValue }
        #expect(names.count == 38 && names == names.sorted())
        #expect(pages.last?["continuation"] == .null)

        let table = try ok(box, ["providers", "list", "--page-size", "3", "--format", "table"])
        #expect(table.lines.first?.hasPrefix("category") == true)
        let next = try #require(table.lines.first { $0.hasPrefix("next page: cosmolite providers list --page-size 3 ") })
        let token = String(next.split(separator: " ").last!).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        let second = try ok(box, ["providers", "list", "--page-size", "3", "--continuation", token]).jsonLines()
        #expect(second.first?["items"]?.arrayValue?.first?["displayName"]?.stringValue == names[3])

        let crm = try ok(box, ["providers", "list", "--category", "crm", "--status", "active", "--audience", "public"])
            .jsonLines().flatMap { $0["items"]?.arrayValue ?? [] }
        #expect(crm.compactMap { $0["provider"]?.stringValue } == ["hubspot", "pipedrive", "salesforce", "zoho-crm"])
        let searchable = try ok(box, ["providers", "list", "--search-capable", "--all", "--page-size", "50"])
            .jsonLines().flatMap { $0["items"]?.arrayValue ?? [] }
        #expect(!searchable.isEmpty && searchable.allSatisfy { $0["supportsSearch"] == true })
        #expect(try ok(box, ["providers", "get", "salesforce"]).json()["category"] == "crm")
        #expect(try ok(box, ["providers", "get", "crm-hubspot", "--category", "crm"]).json()["provider"] == "hubspot")
        let missing = try run(box, ["providers", "get", "nope"])
        #expect(missing.status == 1 && missing.firstErrorLine == "error: 404 Not Found: provider 'nope' does not exist")
    }

    @Test func integrationsLifecycleWithTheErrorContract() throws {
        let box = try seeded()
        let created = try ok(box, ["integrations", "create", "--tenant", "acme", "--provider", "zendesk", "--name", "Support",
                                   "--settings", #"{"subdomain":"acme"}"#]).json()
        let id = try #require(created["id"]?.stringValue)
        #expect(created["status"] == "pending" && created["settings"]?["subdomain"] == "acme")
        let duplicate = try run(box, ["integrations", "create", "--tenant", "acme", "--provider", "zendesk",
                                      "--name", "Support"])
        #expect(duplicate.status == 1)
        #expect(duplicate.firstErrorLine.hasPrefix("error: 409 Conflict: tenant acme already has an integration"))
        let beta = try run(box, ["integrations", "create", "--tenant", "acme", "--provider", "linear", "--name", "x"])
        #expect(beta.firstErrorLine.hasPrefix("error: 400 Bad Request: provider 'linear' cannot back a new integration"))
        let other = try run(box, ["integrations", "get", id, "--tenant", "globex"])
        #expect(other.firstErrorLine == "error: 404 Not Found: integration '\(id)' does not exist for tenant globex")
        let noTenant = try run(box, ["integrations", "list", "--tenant", ""])
        #expect(noTenant.firstErrorLine.hasPrefix("error: 400 Bad Request: the scope has no valid tenant id"))

        for name in ["b", "a", "c"] {
            try ok(box, ["integrations", "create", "--tenant", "acme", "--provider", "slack", "--name", name])
        }
        let listed = try ok(box, ["integrations", "list", "--tenant", "acme", "--page-size", "2", "--all"]).jsonLines()
        #expect(listed.flatMap { $0["items"]?.arrayValue ?? [] }.compactMap { $0["name"]?.stringValue }
                    == ["Support", "a", "b", "c"])
        let table = try ok(box, ["integrations", "list", "--tenant", "acme", "--page-size", "2", "--format", "table"])
        #expect(table.stdout.contains("next page: cosmolite integrations list --tenant acme --page-size 2 --continuation "))

        let updated = try ok(box, ["integrations", "update", id, "--tenant", "acme", "--name", "Support EU",
                                   "--search-enabled", "false"]).json()
        #expect(updated["name"] == "Support EU" && updated["searchEnabled"] == false)
        #expect(try ok(box, ["integrations", "get", "--tenant", "acme", "--provider", "zendesk", "--name", "Support EU"])
                    .json()["id"] == .string(id))
        #expect(try ok(box, ["integrations", "disable", id, "--tenant", "acme"]).json()["status"] == "disabled")
        let again = try run(box, ["integrations", "disable", id, "--tenant", "acme"])
        #expect(again.firstErrorLine.hasPrefix("error: 409 Conflict: an integration in status 'disabled' cannot disable"))
        #expect(try ok(box, ["integrations", "enable", id, "--tenant", "acme"]).json()["status"] == "pending")
        try ok(box, ["integrations", "delete", id, "--tenant", "acme"])
        #expect(try run(box, ["integrations", "get", id, "--tenant", "acme"]).status == 1)
        let activity = try ok(box, ["integrations", "activity", "--tenant", "acme", "--integration", id]).jsonLines()
        #expect(activity.first?["items"]?.arrayValue?.first?["action"] == "deleted")
    }

    /// Credentials with a field Cosmolite does not know (OAuth's snake-case names, typically) are refused whole:
    /// dropping the refresh token silently would surface only when a refresh fails.
    @Test func credentialsWithUnknownFieldsAreRefusedAndNothingIsConnected() throws {
        let box = try seeded()
        let id = try #require(try ok(box, ["integrations", "create", "--tenant", "acme", "--provider", "gmail",
                                           "--name", "mail"]).json()["id"]?.stringValue)
        let secret = String(repeating: "s", count: 40)
        let refused = try run(box, ["connections", "create", "--tenant", "acme", "--integration", id],
                              stdin: #"{"accessToken":"x","refresh_token":"R-1","\#(secret)":"y"}"#)
        #expect(refused.status == 1, "\(refused.summary)")
        #expect(refused.firstErrorLine.hasPrefix("error: 400 Bad Request: the credentials have unknown fields "
                                                     + "'refresh_token' (did you mean 'refreshToken'?)"),
                "\(refused.summary)")
        #expect(refused.firstErrorLine.contains("a 40-character name") && !refused.stderr.contains(secret))
        let listed = try ok(box, ["connections", "list", "--tenant", "acme", "--integration", id]).jsonLines()
        #expect(listed.first?["items"]?.arrayValue?.isEmpty == true, "nothing was connected")

        // An API-key connection has nothing to refresh: 400, and its status stays.
        let keyed = try #require(try ok(box, ["integrations", "create", "--tenant", "acme", "--provider", "zendesk",
                                              "--name", "keyed"]).json()["id"]?.stringValue)
        try ok(box, ["connections", "create", "--tenant", "acme", "--integration", keyed, "--auth-type", "apiKey"],
               stdin: #"{"apiKeys":{"default":"K1"}}"#)
        let refresh = try run(box, ["connections", "refresh", "--tenant", "acme", "--integration", keyed])
        #expect(refresh.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(refresh.summary)")
        let after = try ok(box, ["connections", "list", "--tenant", "acme", "--integration", keyed]).jsonLines()
        #expect(after.first?["items"]?.arrayValue?.first?["status"] == "active")
    }

    @Test func connectionsCredentialsExpiryRotationAndNoPlaintext() throws {
        let box = try seeded()
        let id = try #require(try ok(box, ["integrations", "create", "--tenant", "acme", "--provider", "gmail",
                                           "--name", "mail", "--user", "alice"]).json()["id"]?.stringValue)
        let secret = "ya29.SECRET-\(UUID().uuidString)"
        let refresh = "1//REFRESH-\(UUID().uuidString)"
        let connected = try ok(box, ["connections", "create", "--tenant", "acme", "--user", "alice", "--integration", id,
                                     "--scope", "user", "--expires-at", "2020-01-01T00:00:00Z", "--scopes", "a,b"],
                               stdin: #"{"accessToken":"\#(secret)","refreshToken":"\#(refresh)"}"#).json()
        #expect(connected["id"] == "user-alice" && connected["encryptedCredentials"]?["kid"] == "k1")
        #expect(connected["oauth"]?["scopes"] == ["a", "b"])
        let bob = try run(box, ["connections", "credentials", "--tenant", "acme", "--user", "bob", "--integration", id,
                                "--scope", "user", "--owner", "alice"])
        #expect(bob.firstErrorLine.hasPrefix("error: 403 Forbidden:"), "\(bob.summary)")
        let names = try ok(box, ["connections", "credentials", "--tenant", "acme", "--user", "alice", "--integration", id,
                                 "--scope", "user"]).json()
        #expect(names["fields"] == ["accessToken", "refreshToken"])
        let revealed = try ok(box, ["connections", "credentials", "--tenant", "acme", "--user", "alice",
                                    "--integration", id, "--scope", "user", "--reveal"]).json()
        #expect(revealed["accessToken"] == .string(secret))
        let expired = try ok(box, ["connections", "expired", "--now", "2021-01-01T00:00:00Z"]).jsonLines()
        #expect(expired.first?["items"]?.arrayValue?.map { $0["integrationId"] } == [.string(id)])
        #expect(try ok(box, ["connections", "expired", "--tenant", "globex"]).jsonLines()
                    .first?["items"]?.arrayValue?.isEmpty == true)

        let rotated = try ok(box, ["keys", "rotate"], keys: "\(Self.key2),\(Self.key1)").json()
        #expect(rotated["rotated"] == 1 && rotated["key"] == "k2")
        let listed = try ok(box, ["connections", "list", "--tenant", "acme", "--integration", id], keys: Self.key2)
        #expect(try listed.jsonLines().first?["items"]?.arrayValue?.first?["encryptedCredentials"]?["kid"] == "k2")
        #expect(try ok(box, ["connections", "credentials", "--tenant", "acme", "--user", "alice", "--integration", id,
                             "--scope", "user", "--reveal"], keys: Self.key2).json()["refreshToken"] == .string(refresh))
        let oldKeyOnly = try run(box, ["connections", "credentials", "--tenant", "acme", "--user", "alice",
                                       "--integration", id, "--scope", "user"])
        #expect(oldKeyOnly.firstErrorLine.contains("sealed with key 'k2', which is not configured"))
        let noKey = try box.run(["connections", "credentials", "--tenant", "acme", "--integration", id])
        #expect(noKey.firstErrorLine.hasPrefix("error: 400 Bad Request: no encryption key configured"))

        let file = try Data(contentsOf: URL(fileURLWithPath: box.store + "/data.mdb"))
        #expect(file.range(of: Data(secret.utf8)) == nil && file.range(of: Data(refresh.utf8)) == nil)
    }

    @Test func syncRecordsAndAFailedRefreshShowUpInTheListings() throws {
        let box = try seeded()
        let port = 1 + Int.random(in: 0..<2)   // nothing listens on tcpmux/compressnet ports: refused at once
        try box.write("Seeds/integration_providers.json", """
            [{"id": "testing-local", "category": "testing", "provider": "local", "name": "local",
              "displayName": "Local", "description": "A provider for tests.", "status": "active", "audience": "public",
              "supportsSearch": false, "supportsNotifications": false, "requiresUserScoping": false,
              "oauthConfig": {"authorizationUrl": "https://example.com/authorize",
                              "tokenUrl": "http://127.0.0.1:\(port)/token", "scopes": []},
              "availableEntities": [], "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}]
            """)
        try ok(box, ["seed", "Seeds"])
        let id = try #require(try ok(box, ["integrations", "create", "--tenant", "acme", "--provider", "local",
                                           "--name", "l"]).json()["id"]?.stringValue)
        for n in 1...3 {
            let result = try ok(box, ["sync", "record", "--tenant", "acme", "--integration", id, "--failed",
                                      "--error", "boom \(n)", "--format", "table"])
            #expect(result.stdout.contains(n < 3 ? "status pending" : "status error"), "\(result.summary)")
        }
        try ok(box, ["sync", "record", "--tenant", "acme", "--integration", id, "--created", "5", "--cursor", "c9"])
        let integration = try ok(box, ["integrations", "get", id, "--tenant", "acme"]).json()
        #expect(integration["status"] == "active" && integration["errorCount"] == 0 && integration["syncCursor"] == "c9")
        let history = try ok(box, ["sync", "history", "--tenant", "acme", "--integration", id, "--page-size", "3",
                                   "--all"]).jsonLines()
        #expect(history.count == 2)
        #expect(history.flatMap { $0["items"]?.arrayValue ?? [] }.map { $0["success"] } == [true, false, false, false])

        try ok(box, ["connections", "create", "--tenant", "acme", "--integration", id], stdin: #"{"accessToken":"a","refreshToken":"r"}"#)
        let refresh = try run(box, ["connections", "refresh", "--tenant", "acme", "--integration", id])
        #expect(refresh.status == 1)
        #expect(refresh.firstErrorLine.hasPrefix("error: 502 Bad Gateway: refreshing the tenant connection"), "\(refresh.summary)")
        let errors = try ok(box, ["integrations", "list", "--tenant", "acme", "--connection-errors"]).jsonLines()
        #expect(errors.first?["items"]?.arrayValue?.map { $0["id"] } == [.string(id)])
        let activity = try ok(box, ["integrations", "activity", "--tenant", "acme", "--format", "table"])
        #expect(activity.stdout.contains("oauth_refresh_failed"))
    }

    @Test func keysGenerateAndRejectABadKey() throws {
        let box = Sandbox()
        let line = try box.ok(["keys", "generate", "--id", "k7"]).stdout
        #expect(line.hasPrefix("k7:") && line.count == 3 + 44 + 1)
        _ = try box.ok(["init", "--containers", Self.root + "/Containers"])
        let bad = try box.run(["keys", "rotate"], environment: ["COSMOLITE_ENCRYPTION_KEY": "k1:tooshort"])
        #expect(bad.firstErrorLine.hasPrefix("error: 400 Bad Request: COSMOLITE_ENCRYPTION_KEY: entry 1 is not ID:KEY"))
        #expect(!bad.stderr.contains("tooshort"))
    }
}
