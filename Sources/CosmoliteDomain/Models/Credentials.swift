// SPDX-License-Identifier: Apache-2.0

/// A connection's secrets: OAuth tokens, API keys, client credentials.
///
/// Stored only sealed (AES-256-GCM, see ``CredentialCipher``). `description`, `debugDescription` and
/// reflection (`dump`, `Mirror`) show which fields are set, never their values.
///
/// ```swift
/// let credentials = Credentials(accessToken: "ya29...", refreshToken: "1//0e...")
/// print(credentials)   // Credentials(accessToken: <redacted>, refreshToken: <redacted>)
/// ```
public struct Credentials: Codable, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The OAuth access token.
    public var accessToken: String?
    /// The OAuth refresh token.
    public var refreshToken: String?
    /// API keys by name (`default` for a single key).
    public var apiKeys: [String: String]
    /// The OAuth client id used to refresh (not secret, but kept with the secret).
    public var clientId: String?
    /// The OAuth client secret used to refresh.
    public var clientSecret: String?
    /// Other secrets (a password, a webhook signing secret, ...).
    public var extra: [String: String]

    /// Creates credentials.
    public init(accessToken: String? = nil, refreshToken: String? = nil, apiKeys: [String: String] = [:],
                clientId: String? = nil, clientSecret: String? = nil, extra: [String: String] = [:]) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.apiKeys = apiKeys
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.extra = extra
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case accessToken, refreshToken, apiKeys, clientId, clientSecret, extra
    }

    /// The JSON member names of credentials (for refusing input that has others).
    public static let jsonKeys: Set<String> = Set(CodingKeys.allCases.map(\.rawValue))

    /// Decodes credentials; absent maps are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try c.decodeIfPresent(String.self, forKey: .accessToken)
        refreshToken = try c.decodeIfPresent(String.self, forKey: .refreshToken)
        apiKeys = try c.decodeIfPresent([String: String].self, forKey: .apiKeys) ?? [:]
        clientId = try c.decodeIfPresent(String.self, forKey: .clientId)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        extra = try c.decodeIfPresent([String: String].self, forKey: .extra) ?? [:]
    }

    /// Whether no secret is set.
    public var isEmpty: Bool {
        accessToken == nil && refreshToken == nil && apiKeys.isEmpty && clientSecret == nil && extra.isEmpty
    }

    /// The names of the fields that are set (`accessToken`, `apiKeys.default`, ...), for display.
    public var fieldNames: [String] {
        var names = [String]()
        if accessToken != nil { names.append("accessToken") }
        if refreshToken != nil { names.append("refreshToken") }
        names += apiKeys.keys.sorted().map { "apiKeys.\($0)" }
        if clientId != nil { names.append("clientId") }
        if clientSecret != nil { names.append("clientSecret") }
        names += extra.keys.sorted().map { "extra.\($0)" }
        return names
    }

    /// Every secret value set (for leak checks and for scrubbing messages).
    var secretValues: [String] {
        [accessToken, refreshToken, clientSecret].compactMap { $0 } + Array(apiKeys.values) + Array(extra.values)
    }

    /// `Credentials(accessToken: <redacted>, ...)`: the set fields' names only.
    public var description: String {
        "Credentials(" + fieldNames.map { $0 == "clientId" ? "clientId: \(clientId ?? "")" : "\($0): <redacted>" }
            .joined(separator: ", ") + ")"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// A mirror listing the set fields' names only.
    public var customMirror: Mirror { Mirror(self, children: ["fields": fieldNames], displayStyle: .struct) }
}
