// SPDX-License-Identifier: Apache-2.0

public import Foundation

/// Exchanges a refresh token for new tokens (OAuth 2.0, RFC 6749 section 6).
///
/// ``OAuth2TokenRefresher`` does it over HTTP; tests and services may substitute their own.
///
/// ```swift
/// struct FixedRefresher: TokenRefresher {
///     func refresh(_ request: TokenRefreshRequest) async throws -> TokenRefreshResponse {
///         TokenRefreshResponse(accessToken: "new", tokenType: "Bearer", expiresIn: 3600)
///     }
/// }
/// ```
public protocol TokenRefresher: Sendable {
    /// Requests new tokens.
    ///
    /// - Throws: ``TokenRefreshError`` (its ``TokenRefreshError/Kind`` decides whether the connection becomes
    ///   `expired` or `error`).
    func refresh(_ request: TokenRefreshRequest) async throws -> TokenRefreshResponse
}

/// How the client authenticates to the token endpoint (RFC 6749 section 2.3.1).
public enum ClientAuthentication: String, Sendable, Hashable, Codable, CaseIterable {
    /// HTTP Basic with the form-encoded client id and secret (`client_secret_basic`, the default).
    case basic
    /// `client_id` and `client_secret` in the request body (`client_secret_post`).
    case requestBody
}

/// A refresh request. `description` never shows the refresh token or the client secret.
public struct TokenRefreshRequest: Sendable, CustomStringConvertible {
    /// The token endpoint.
    public var tokenURL: URL
    /// The refresh token.
    public var refreshToken: String
    /// The client id, if the client authenticates.
    public var clientId: String?
    /// The client secret, if the client authenticates.
    public var clientSecret: String?
    /// The scopes to ask for (`nil`: the scopes already granted, RFC 6749 section 6).
    public var scopes: [String]?
    /// How the client authenticates.
    public var authentication: ClientAuthentication

    /// Creates a request.
    public init(tokenURL: URL, refreshToken: String, clientId: String? = nil, clientSecret: String? = nil,
                scopes: [String]? = nil, authentication: ClientAuthentication = .basic) {
        self.tokenURL = tokenURL
        self.refreshToken = refreshToken
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.authentication = authentication
    }

    /// The endpoint and client id; never a secret.
    public var description: String {
        "TokenRefreshRequest(tokenURL: \(TokenRefreshError.redacted(tokenURL)), clientId: \(clientId ?? "none"))"
    }

    /// The secrets of the request, to scrub from any message.
    var secrets: [String] { [refreshToken] + (clientSecret.map { [$0] } ?? []) }
}

/// A successful token response (RFC 6749 section 5.1). `description` never shows the tokens.
public struct TokenRefreshResponse: Sendable, Hashable, CustomStringConvertible {
    /// The new access token.
    public var accessToken: String
    /// The token type (`Bearer`).
    public var tokenType: String
    /// Seconds until the access token expires, if the server said.
    public var expiresIn: Int?
    /// A new refresh token, if the server rotated it (otherwise the old one stays valid).
    public var refreshToken: String?
    /// The scopes granted, if they differ from those requested.
    public var scopes: [String]?

    /// Creates a response.
    public init(accessToken: String, tokenType: String, expiresIn: Int? = nil, refreshToken: String? = nil,
                scopes: [String]? = nil) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scopes = scopes
    }

    /// The token type and lifetime only.
    public var description: String {
        "TokenRefreshResponse(tokenType: \(tokenType), expiresIn: \(expiresIn.map(String.init) ?? "unknown"), "
            + "refreshToken: \(refreshToken == nil ? "unchanged" : "rotated"))"
    }
}

/// Why a refresh failed. Messages carry the endpoint (without query), the HTTP status and the OAuth error code,
/// never a token, a secret or the raw response body.
public struct TokenRefreshError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Hashable {
        /// `invalid_grant`: the refresh token is invalid, expired or revoked; the user must reconnect.
        case invalidGrant
        /// `invalid_client` or `unauthorized_client`: the client credentials are wrong.
        case invalidClient
        /// Another OAuth error (`invalid_request`, `invalid_scope`, ...).
        case rejected
        /// The endpoint failed (5xx) or answered with an unexpected status.
        case serverError
        /// The response was not a valid token response.
        case malformedResponse
        /// The endpoint could not be reached (refused, timed out, TLS failure).
        case transport
        /// The connection has no refresh token: the user must reconnect.
        case missingRefreshToken
        /// The connection cannot be refreshed (the provider has no usable token endpoint).
        case notRefreshable
    }

    /// The kind of failure.
    public let kind: Kind
    /// The OAuth `error` code, when the server sent one.
    public let oauthError: String?
    /// The HTTP status, when there was a response.
    public let httpStatus: Int?
    /// What happened (secret-free).
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, oauthError: String? = nil, httpStatus: Int? = nil) {
        self.kind = kind
        self.message = message
        self.oauthError = oauthError
        self.httpStatus = httpStatus
    }

    /// Whether the connection needs the user to authorize again (status `expired`) rather than being in `error`.
    public var requiresReauthorization: Bool { kind == .invalidGrant || kind == .missingRefreshToken }

    /// The message.
    public var description: String { message }

    /// `scheme://host[:port]/path` of a URL: no query or fragment, which might carry secrets.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the endpoint" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? "the endpoint"
    }
}
