// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import CosmoliteJSON
import Foundation
import Synchronization
import Testing

/// The OAuth 2.0 refresh-token flow against a token endpoint on 127.0.0.1.
struct TokenRefreshTests {
    let alice = Scope(tenant: "acme", user: "alice")

    /// A store with a provider whose token endpoint is `tokenURL`, an integration of it, and Alice's connection.
    func connected(tokenURL: String, refreshToken: String? = "refresh-OLD-7f3a", settings: JSONFields = [:],
                   clientSecret: String = "client-SECRET-91c2") async throws -> (DomainFixture, Integration) {
        let fixture = try DomainFixture(seed: false)
        _ = try await fixture.addProvider("acmeauth", tokenURL: tokenURL)
        let integration = try await fixture.platform.integrations.create(alice, IntegrationDraft(
            provider: "acmeauth", name: "main", settings: settings))
        _ = try await fixture.platform.connections.connect(alice, integrationId: integration.id, ConnectionDraft(
            scope: .user("alice"), authType: .oauth2,
            credentials: Credentials(accessToken: "access-OLD-11aa", refreshToken: refreshToken, clientId: "client id",
                                     clientSecret: clientSecret),
            oauth: OAuthMetadata(expiresAt: fixture.now.addingTimeInterval(-5), scopes: ["read"], tokenType: "Bearer")))
        return (fixture, integration)
    }

    @Test func successStoresNewTokensAndExpiryAndMarksActive() async throws {
        let server = try LocalTokenServer { _ in
            .init(status: 200, body: #"{"access_token":"access-NEW-22bb","token_type":"Bearer","expires_in":3600,"#
                + #""refresh_token":"refresh-NEW-33cc","scope":"read write"}"#)
        }
        defer { server.stop() }
        let (fixture, integration) = try await connected(tokenURL: server.tokenURL)
        let connections = fixture.platform.connections
        let before = try #require(try await connections.expired(alice, now: fixture.now).items.first)
        #expect(before.integrationId == integration.id)

        let refreshed = try await connections.refresh(alice, integrationId: integration.id, scope: .user("alice"))
        #expect(refreshed.status == .active && refreshed.lastError == nil)
        #expect(refreshed.oauth?.expiresAt == fixture.now.addingTimeInterval(3600))
        #expect(refreshed.oauth?.scopes == ["read", "write"] && refreshed.oauth?.refreshedAt == fixture.now)
        let credentials = try await connections.credentials(alice, integrationId: integration.id, scope: .user("alice"))
        #expect(credentials.accessToken == "access-NEW-22bb" && credentials.refreshToken == "refresh-NEW-33cc")
        #expect(credentials.clientSecret == "client-SECRET-91c2", "other fields are kept")
        #expect(try await connections.expired(alice, now: fixture.now).items.isEmpty)

        // RFC 6749 section 6 request: form body, HTTP Basic client authentication.
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/oauth/token")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.form == ["grant_type": "refresh_token", "refresh_token": "refresh-OLD-7f3a"])
        let basic = Data("client+id:client-SECRET-91c2".utf8).base64EncodedString()
        #expect(request.headers["authorization"] == "Basic \(basic)")
        let activity = try await fixture.platform.integrations.activity(alice, integrationId: integration.id).items
        #expect(activity.first?.action == .oauthRefreshed && activity.first?.success == true)
    }

    @Test func withoutRotationTheOldRefreshTokenStaysAndBodyAuthWorks() async throws {
        let server = try LocalTokenServer { _ in
            .init(status: 200, body: #"{"access_token":"access-NEW","token_type":"bearer","expires_in":"60"}"#)
        }
        defer { server.stop() }
        let (fixture, integration) = try await connected(tokenURL: server.tokenURL,
                                                         settings: ["clientAuthentication": "requestBody"])
        let refreshed = try await fixture.platform.connections.refresh(alice, integrationId: integration.id,
                                                                       scope: .user("alice"))
        #expect(refreshed.oauth?.expiresAt == fixture.now.addingTimeInterval(60) && refreshed.oauth?.scopes == ["read"])
        let credentials = try await fixture.platform.connections.credentials(alice, integrationId: integration.id,
                                                                             scope: .user("alice"))
        #expect(credentials.refreshToken == "refresh-OLD-7f3a")
        let request = try #require(server.requests.first)
        #expect(request.headers["authorization"] == nil)
        #expect(request.form["client_id"] == "client id" && request.form["client_secret"] == "client-SECRET-91c2")
    }

    @Test func tokenURLPlaceholdersComeFromSettings() async throws {
        let server = try LocalTokenServer { _ in
            .init(status: 200, body: #"{"access_token":"x","token_type":"Bearer"}"#)
        }
        defer { server.stop() }
        let template = "http://127.0.0.1:\(server.port)/{area}/token"
        let (fixture, integration) = try await connected(tokenURL: template, settings: ["area": "oauth"])
        _ = try await fixture.platform.connections.refresh(alice, integrationId: integration.id, scope: .user("alice"))
        #expect(server.requests.map(\.path) == ["/oauth/token"])
    }

    /// Refresh failures: what the connection becomes, and what the error and activity say.
    @Test(arguments: [
        (400, #"{"error":"invalid_grant","error_description":"token refresh-OLD-7f3a was revoked"}"#,
         ConnectionStatus.expired, "invalid_grant"),
        (401, #"{"error":"invalid_client"}"#, ConnectionStatus.error, "invalid_client"),
        (200, #"{"error":"bad_verification_code"}"#, ConnectionStatus.error, "bad_verification_code"),
        (500, "<html>oops</html>", ConnectionStatus.error, "HTTP 500"),
        (200, #"{"token_type":"Bearer"}"#, ConnectionStatus.error, "without an access_token"),
        (200, "not json", ConnectionStatus.error, "not a JSON object"),
        (200, #"{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"#, ConnectionStatus.error,
         "invalid expires_in"),
    ])
    func failuresMarkTheConnectionAndRecordActivity(status: Int, body: String, becomes: ConnectionStatus,
                                                    message: String) async throws {
        let server = try LocalTokenServer { _ in .init(status: status, body: body) }
        defer { server.stop() }
        let (fixture, integration) = try await connected(tokenURL: server.tokenURL)
        try await expectRefreshFailure(fixture, integration, becomes: becomes, message: message)
    }

    /// An endpoint that echoes a secret back in its `error_description`, whole, cut short, form-encoded or inside
    /// the Basic credentials, has every run of it redacted from the error, the connection and the activity log.
    @Test(arguments: ["cut", "form", "basic", "lines"])
    func echoedSecretsNeverReachAMessage(echo: String) async throws {
        let refreshToken = "1//0gRefresh+Token/with=Symbols~" + String(repeating: "k", count: 40)
        let clientSecret = "client-SECRET/91c2+"
        let server = try LocalTokenServer { request in
            let echoed = switch echo {
            case "cut": String(repeating: "x", count: 190) + (request.form["refresh_token"] ?? "")
            case "form": "we got " + request.body
            case "basic": "we got " + (request.headers["authorization"] ?? request.headers["Authorization"] ?? "")
            default: "token:\n" + (request.form["refresh_token"] ?? "").map { "\($0)" }.joined(separator: "\n")
            }
            let description = JSONWriter.string(.string(echoed))
            return .init(status: 400, body: #"{"error":"invalid_grant","error_description":"# + description + "}")
        }
        defer { server.stop() }
        let (fixture, integration) = try await connected(tokenURL: server.tokenURL, refreshToken: refreshToken,
                                                         clientSecret: clientSecret)
        let connections = fixture.platform.connections
        let message: String
        do {
            _ = try await connections.refresh(alice, integrationId: integration.id, scope: .user("alice"))
            Issue.record("the refresh succeeded")
            return
        } catch let error as DomainError {
            message = error.message
        }
        #expect(message.contains("invalid_grant"))
        let basic = Data("client+id:\(Self.formEncoded(clientSecret))".utf8).base64EncodedString()
        let forms = [refreshToken, clientSecret, Self.formEncoded(refreshToken), Self.formEncoded(clientSecret), basic]
        let connection = try await connections.connection(alice, integrationId: integration.id, scope: .user("alice"))
        let activity = try await fixture.platform.integrations.activity(alice, integrationId: integration.id).items
        for text in [message, connection.lastError ?? ""] + activity.map({ $0.errorMessage ?? "" }) {
            #expect(!Self.repeatsPart(of: forms, in: text), "\(text)")
        }
        #expect(server.requests.count == 1)
    }

    /// Whether `text` holds 8 consecutive characters of one of `secrets`.
    static func repeatsPart(of secrets: [String], in text: String) -> Bool {
        let text = Array(text)
        return secrets.contains { secret in
            let secret = Array(secret)
            guard text.count >= 8, secret.count >= 8 else { return false }
            return (0...(secret.count - 8)).contains { start in
                let run = secret[start..<(start + 8)]
                return (0...(text.count - 8)).contains { text[$0..<($0 + 8)] == run }
            }
        }
    }

    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<"~"))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    @Test func aConnectionWithoutOAuthTokensIsNotRefreshedAndKeepsItsStatus() async throws {
        let fixture = try DomainFixture(seed: false)
        _ = try await fixture.addProvider("acmeauth", tokenURL: "http://127.0.0.1:9/never")
        let integration = try await fixture.platform.integrations.create(alice, IntegrationDraft(
            provider: "acmeauth", name: "keyed"))
        let connections = fixture.platform.connections
        let connected = try await connections.connect(alice, integrationId: integration.id, ConnectionDraft(
            scope: .tenant, authType: .apiKey, credentials: Credentials(apiKeys: ["default": "key-SECRET-5e6f"])))
        let before = try await fixture.platform.integrations.get(alice, id: integration.id)
        do {
            _ = try await connections.refresh(alice, integrationId: integration.id, scope: .tenant)
            Issue.record("an apiKey connection was refreshed")
        } catch let error as DomainError {
            #expect(error.code == .validation && error.status == 400 && error.message.contains("apiKey connection"))
        }
        let after = try await connections.connection(alice, integrationId: integration.id, scope: .tenant)
        #expect(after.status == connected.status && after.lastError == nil && after.etag == connected.etag)
        let integrationAfter = try await fixture.platform.integrations.get(alice, id: integration.id)
        #expect(integrationAfter.connectionStatus == before.connectionStatus && integrationAfter.etag == before.etag)
        let actions = try await fixture.platform.integrations.activity(alice, integrationId: integration.id).items
            .map(\.action)
        #expect(!actions.contains(.oauthRefreshFailed))
    }

    @Test func anUnreachableEndpointIsAnError() async throws {
        let (fixture, integration) = try await connected(
            tokenURL: "http://127.0.0.1:\(LocalTokenServer.closedPort())/oauth/token")
        try await expectRefreshFailure(fixture, integration, becomes: .error, message: "could not be reached")
    }

    @Test func noRefreshTokenMeansReconnect() async throws {
        let (fixture, integration) = try await connected(tokenURL: "http://127.0.0.1:9/never", refreshToken: nil)
        try await expectRefreshFailure(fixture, integration, becomes: .expired, message: "no refresh token")
    }

    @Test func aMissingPlaceholderSettingIsAnError() async throws {
        let (fixture, integration) = try await connected(tokenURL: "https://{subdomain}.example.com/token")
        try await expectRefreshFailure(fixture, integration, becomes: .error, message: "setting 'subdomain'")
    }

    @Test func remoteEndpointsMustUseTLS() async throws {
        let refresher = OAuth2TokenRefresher(timeout: 5)
        do {
            _ = try await refresher.refresh(TokenRefreshRequest(tokenURL: URL(string: "http://example.com/token")!,
                                                                refreshToken: "r"))
            Issue.record("refreshed over plain http")
        } catch let error as TokenRefreshError {
            #expect(error.kind == .notRefreshable && error.message.contains("must use https"))
        }
    }

    func expectRefreshFailure(_ fixture: DomainFixture, _ integration: Integration, becomes: ConnectionStatus,
                              message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let connections = fixture.platform.connections
        do {
            _ = try await connections.refresh(alice, integrationId: integration.id, scope: .user("alice"))
            Issue.record("the refresh succeeded", sourceLocation: sourceLocation)
        } catch let error as DomainError {
            #expect(error.code == .refreshFailed && error.status == 502, sourceLocation: sourceLocation)
            #expect(error.message.contains(message), "\(error.message)", sourceLocation: sourceLocation)
            for secret in ["refresh-OLD-7f3a", "client-SECRET-91c2", "access-OLD-11aa"] {
                #expect(!error.message.contains(secret), sourceLocation: sourceLocation)
            }
        }
        let connection = try await connections.connection(alice, integrationId: integration.id, scope: .user("alice"))
        #expect(connection.status == becomes, sourceLocation: sourceLocation)
        #expect(!(connection.lastError ?? "").contains("refresh-OLD-7f3a"), sourceLocation: sourceLocation)
        let stored = try await fixture.platform.integrations.get(alice, id: integration.id)
        #expect(stored.connectionStatus == (becomes == .expired ? .expired : .error), sourceLocation: sourceLocation)
        let entry = try #require(try await fixture.platform.integrations.activity(alice, integrationId: integration.id)
                                    .items.first, sourceLocation: sourceLocation)
        #expect(entry.action == .oauthRefreshFailed && !entry.success, sourceLocation: sourceLocation)
        #expect(entry.metadata["connectionStatus"] == .string(becomes.rawValue), sourceLocation: sourceLocation)
        // The credentials are untouched by a failure.
        #expect(try await connections.credentials(alice, integrationId: integration.id, scope: .user("alice"))
                    .accessToken == "access-OLD-11aa", sourceLocation: sourceLocation)
        if becomes == .error {
            #expect(try await fixture.platform.integrations.withConnectionErrors(alice).items.map(\.id)
                        == [integration.id], sourceLocation: sourceLocation)
        }
    }
}
