// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import Foundation
import Testing

/// Secrets stored through the services never appear in the store file, in error messages or in the activity log.
struct NoPlaintextSecretsTests {
    @Test func theRawStoreFileHoldsNoSecret() async throws {
        let server = try LocalTokenServer { request in
            if request.form["refresh_token"] == "refresh-FAILS" {
                // A hostile endpoint echoing the refresh token in its error description.
                return .init(status: 400, body: #"{"error":"invalid_grant","error_description":"bad token refresh-FAILS"}"#)
            }
            return .init(status: 200, body: #"{"access_token":"rotated-ACCESS-5e8c1d","token_type":"Bearer","#
                + #""refresh_token":"rotated-REFRESH-77b0aa","expires_in":3600}"#)
        }
        defer { server.stop() }
        let fixture = try DomainFixture(seed: false)
        _ = try await fixture.addProvider("vault", tokenURL: server.tokenURL)
        let scope = Scope(tenant: "acme", user: "alice")
        var secrets = ["refresh-FAILS", "rotated-ACCESS-5e8c1d", "rotated-REFRESH-77b0aa"]
        for i in 0..<20 {
            let integration = try await fixture.platform.integrations.create(
                scope, IntegrationDraft(provider: "vault", name: "v\(i)"))
            let credentials = Credentials(
                accessToken: "access-\(UUID().uuidString)", refreshToken: i == 0 ? "refresh-FAILS" : "refresh-\(UUID().uuidString)",
                apiKeys: ["default": "apikey-\(UUID().uuidString)"], clientId: "client-\(i)",
                clientSecret: "clientsecret-\(UUID().uuidString)", extra: ["password": "pw-\(UUID().uuidString)"])
            secrets += credentials.secretValuesForTest
            _ = try await fixture.platform.connections.connect(scope, integrationId: integration.id, ConnectionDraft(
                scope: i % 2 == 0 ? .tenant : .user("alice"), authType: .oauth2, credentials: credentials))
            if i < 2 {
                do {
                    _ = try await fixture.platform.connections.refresh(
                        scope, integrationId: integration.id, scope: i % 2 == 0 ? .tenant : .user("alice"))
                } catch let error as DomainError {
                    #expect(i == 0)
                    #expect(!secrets.contains { error.description.contains($0) })
                }
            }
        }
        let file = try fixture.storeFileBytes()
        #expect(file.count > 100_000)
        for secret in secrets {
            #expect(!file.contains(bytes: Array(secret.utf8)), "\(secret) is in the store file")
        }
        // The control: a value written in clear is found.
        #expect(file.contains(bytes: Array("client-7".utf8)) == false, "client ids are sealed too")
        #expect(file.contains(bytes: Array("v19".utf8)), "the scan does find clear text")
        let activity = try await fixture.platform.integrations.activity(scope, pageSize: 200).items
        let logged = String(decoding: try DomainJSON.encode(activity), as: UTF8.self)
        #expect(!secrets.contains { logged.contains($0) })
        #expect(logged.contains("oauth_refresh_failed") && logged.contains("<redacted>"))
    }
}

extension Credentials {
    var secretValuesForTest: [String] {
        [accessToken, refreshToken, clientSecret].compactMap { $0 } + Array(apiKeys.values) + Array(extra.values)
    }
}
