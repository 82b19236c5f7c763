// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation

extension ConnectionService {
    /// Refreshes a connection's OAuth tokens with its refresh token (RFC 6749 section 6) at the provider's token
    /// endpoint.
    ///
    /// On success the new access token (and the new refresh token, when the server rotates it) are sealed and
    /// stored with the new expiry, scopes and token type, the connection becomes `active` and the integration
    /// `connected`, and `oauth_refreshed` is logged. On failure `oauth_refresh_failed` is logged and the
    /// connection (and the integration's connection status) becomes `expired` when the user must authorize
    /// again (`invalid_grant`, no refresh token) or `error` otherwise; then the call throws.
    ///
    /// The provider's `oauthConfig.tokenUrl` may contain `{name}` placeholders, filled from the integration's
    /// settings; the client id and secret come from the connection's credentials, sent with HTTP Basic unless
    /// the integration's setting `clientAuthentication` is `requestBody`.
    ///
    /// ```swift
    /// for connection in try await platform.connections.expiredAcrossTenants().items {
    ///     _ = try? await platform.connections.refresh(Scope(tenant: connection.tenantId),
    ///                                                integrationId: connection.integrationId,
    ///                                                scope: connection.scope)
    /// }
    /// ```
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/refreshFailed`` (its `cause` is the ``TokenRefreshError``),
    ///   ``DomainError/Code/notFound``, ``DomainError/Code/forbidden``, ``DomainError/Code/encryption``, and
    ///   ``DomainError/Code/validation`` for a connection that is not an OAuth 2.0 one (nothing changes).
    public func refresh(_ scope: Scope, integrationId: String,
                        scope connectionScope: ConnectionScope) async throws -> Connection {
        let scope = try scope.validated()
        let cipher = try requireCipher()
        let integration = try await integration(scope, integrationId)
        try authorize(scope, connectionScope, .manage)
        let connection = try await load(scope, integrationId, connectionScope)
        guard connection.authType == .oauth2 else {
            // Nothing to refresh, and nothing wrong with the connection: it keeps its status.
            throw DomainError(.validation, "the \(connectionScope) connection of integration '\(integrationId)' is an "
                                  + "\(connection.authType.rawValue) connection; only oauth2 connections have tokens "
                                  + "to refresh")
        }
        let credentials = try connection.encryptedCredentials.map { try cipher.open($0, for: connection.binding) }
            ?? Credentials()
        let response: TokenRefreshResponse
        do {
            let request = try await refreshRequest(integration, credentials)
            do {
                response = try await refresher.refresh(request)
            } catch let error as TokenRefreshError {
                throw error
            } catch {
                throw TokenRefreshError(.transport, "the token refresher failed (\(type(of: error)))")
            }
        } catch let error as TokenRefreshError {
            try await recordFailure(scope, integrationId, connectionScope, error)
            throw DomainError(.refreshFailed, "refreshing the \(connectionScope) connection of integration "
                                  + "'\(integrationId)' failed: \(error.message)", cause: error)
        }
        return try await change(scope, integrationId, connectionScope) { stored, integration in
            var fresh = credentials
            if stored.encryptedCredentials != connection.encryptedCredentials,
               let sealed = stored.encryptedCredentials {
                fresh = try cipher.open(sealed, for: stored.binding)   // changed meanwhile: keep its other fields
            }
            fresh.accessToken = response.accessToken
            if let rotated = response.refreshToken { fresh.refreshToken = rotated }
            let now = self.now
            var oauth = stored.oauth ?? OAuthMetadata()
            oauth.expiresAt = response.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) }
            oauth.scopes = response.scopes ?? oauth.scopes
            oauth.tokenType = response.tokenType
            oauth.refreshedAt = now
            stored.oauth = oauth
            stored.status = .active
            stored.lastError = nil
            stored.encryptedCredentials = try cipher.seal(fresh, for: stored.binding)
            var metadata: JSONFields = ["connectionId": .string(stored.id),
                                        "refreshTokenRotated": .bool(response.refreshToken != nil)]
            if let expiresAt = oauth.expiresAt { metadata["expiresAt"] = .string(Timestamp.string(from: expiresAt)) }
            return .about(integration, .oauthRefreshed, by: scope, at: now, metadata: metadata)
        }
    }

    /// The refresh request for a connection: the provider's token endpoint with the integration's settings, the
    /// refresh token and the client credentials.
    func refreshRequest(_ integration: Integration, _ credentials: Credentials) async throws -> TokenRefreshRequest {
        guard let refreshToken = credentials.refreshToken, !refreshToken.isEmpty else {
            throw TokenRefreshError(.missingRefreshToken, "the connection has no refresh token; connect again")
        }
        let provider: Provider
        do {
            provider = try await catalog.provider(id: integration.providerId, category: integration.providerCategory)
        } catch let error as DomainError where error.code == .notFound {
            throw TokenRefreshError(.notRefreshable, "provider '\(integration.providerId)' is no longer in the catalog")
        }
        guard let config = provider.oauthConfig else {
            throw TokenRefreshError(.notRefreshable, "provider '\(provider.provider)' has no OAuth configuration")
        }
        let url = try Self.tokenURL(config.tokenUrl, settings: integration.settings)
        let authentication: ClientAuthentication =
            integration.settings["clientAuthentication"]?.stringValue == ClientAuthentication.requestBody.rawValue
            ? .requestBody : .basic
        return TokenRefreshRequest(tokenURL: url, refreshToken: refreshToken, clientId: credentials.clientId,
                                   clientSecret: credentials.clientSecret, authentication: authentication)
    }

    /// Fills `{name}` placeholders of a token URL from string settings.
    static func tokenURL(_ template: String, settings: JSONFields) throws -> URL {
        var text = template
        while let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") {
            let name = String(text[text.index(after: open)..<close])
            guard let value = settings[name]?.stringValue, !value.isEmpty,
                  value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }) else {
                throw TokenRefreshError(.notRefreshable, "the token endpoint needs the integration setting '\(name)' "
                                            + "(letters, digits, '-', '.', '_')")
            }
            text.replaceSubrange(open...close, with: value)
        }
        guard let url = URL(string: text), url.host != nil else {
            throw TokenRefreshError(.notRefreshable, "the provider's token endpoint is not a valid URL")
        }
        if let problem = OAuthEndpoint.problem(text) {
            throw TokenRefreshError(.notRefreshable, "the token endpoint \(problem)")
        }
        return url
    }

    /// Records a failed refresh: the connection becomes `expired` or `error`, the integration's connection status
    /// follows, and `oauth_refresh_failed` is logged.
    func recordFailure(_ scope: Scope, _ integrationId: String, _ connectionScope: ConnectionScope,
                       _ error: TokenRefreshError) async throws {
        let status: ConnectionStatus = error.requiresReauthorization ? .expired : .error
        _ = try await change(scope, integrationId, connectionScope) { connection, integration in
            connection.status = status
            connection.lastError = error.message
            var metadata: JSONFields = ["connectionId": .string(connection.id), "kind": .string(error.kind.rawValue),
                                        "connectionStatus": .string(status.rawValue)]
            if let code = error.oauthError { metadata["oauthError"] = .string(code) }
            if let http = error.httpStatus { metadata["httpStatus"] = .number(Double(http)) }
            return .about(integration, .oauthRefreshFailed, by: scope, at: self.now, success: false,
                          error: error.message, metadata: metadata)
        }
    }
}

/// What ``ConnectionService/rotateKeys(pageSize:)`` did.
public struct KeyRotationReport: Sendable, Hashable {
    /// A connection whose credentials could not be re-sealed.
    public struct Failure: Sendable, Hashable {
        /// The tenant.
        public let tenantId: TenantID
        /// The integration.
        public let integrationId: String
        /// The connection id.
        public let connectionId: String
        /// Why (never a secret).
        public let reason: String
    }

    /// Connections examined.
    public var examined = 0
    /// Connections re-sealed with the newest key.
    public var rotated = 0
    /// Connections already sealed with the newest key (or without credentials).
    public var current = 0
    /// Connections that could not be re-sealed (their key is missing, or they fail authentication).
    public var failures: [Failure] = []
}

extension ConnectionService {
    /// Re-seals every connection's credentials that is not sealed with the ring's newest key.
    ///
    /// Each connection is re-sealed in its own write, conditional on the version read, so the rotation can run
    /// while the service is live and can be interrupted and run again (it only touches what still needs it).
    /// Connections that fail are reported, not fatal.
    ///
    /// - Parameter pageSize: Connections read per page.
    public func rotateKeys(pageSize: Int = 200) async throws -> KeyRotationReport {
        let cipher = try requireCipher()
        var report = KeyRotationReport()
        var seen = Set<String>()
        var token: String?
        repeat {
            let page = try await connections.all(pageSize: pageSize, continuation: token)
            for connection in page.items where seen.insert(connection.integrationId + "/" + connection.id).inserted {
                report.examined += 1
                var current = connection
                for attempt in 0..<IntegrationService.attempts {
                    guard let sealed = current.encryptedCredentials, cipher.needsRotation(sealed) else {
                        report.current += 1
                        break
                    }
                    do {
                        let credentials = try cipher.open(sealed, for: current.binding)
                        current.encryptedCredentials = try cipher.seal(credentials, for: current.binding)
                        _ = try await connections.save(current, integration: nil, activity: nil)
                        report.rotated += 1
                        break
                    } catch let error as DomainError where error.code == .preconditionFailed
                        && attempt + 1 < IntegrationService.attempts {
                        guard let reread = try await connections.connection(integrationId: connection.integrationId,
                                                                            id: connection.id) else { break }
                        current = reread
                    } catch let error as DomainError {
                        report.failures.append(.init(tenantId: connection.tenantId,
                                                     integrationId: connection.integrationId,
                                                     connectionId: connection.id, reason: error.message))
                        break
                    }
                }
            }
            token = page.continuation
        } while token != nil
        return report
    }
}
