// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON
import Foundation

extension Provider {
    /// The problems of a catalog entry given as JSON (a seed entry), field by field; empty when it is valid.
    ///
    /// Every field of the catalog schema is required (`oauthConfig` may be `null`), with the right type:
    /// non-empty strings, booleans, a list of entity names, `https` (or loopback `http`) OAuth URLs and
    /// ISO 8601 timestamps with `updatedAt` not before `createdAt`.
    ///
    /// ```swift
    /// let problems = Provider.problems(in: try JSONReader.parse(bytes))
    /// ```
    public static func problems(in entry: JSONValue) -> [DomainError.FieldError] {
        typealias F = DomainError.FieldError
        guard case .object(let o) = entry else { return [F("entry", "must be a JSON object")] }
        var problems = [F]()
        func string(_ key: String) -> String? {
            switch o[key] {
            case .string(let s)? where !s.trimmingCharacters(in: .whitespaces).isEmpty: return s
            case nil: problems.append(F(key, "required")); return nil
            default: problems.append(F(key, "must be a non-empty string")); return nil
            }
        }
        func bool(_ key: String) {
            switch o[key] {
            case .bool?: break
            case nil: problems.append(F(key, "required"))
            default: problems.append(F(key, "must be true or false"))
            }
        }
        let id = string("id")
        let category = string("category")
        let provider = string("provider")
        _ = string("name")
        _ = string("displayName")
        _ = string("description")
        for (key, value) in [("id", id), ("category", category), ("provider", provider)] {
            if let value, let problem = Identifier.problem(value) { problems.append(F(key, problem)) }
        }
        if let provider, provider != provider.lowercased() || provider.contains(" ") {
            problems.append(F("provider", "must be lower case without spaces (it is a key), got '\(provider)'"))
        }
        if let status = string("status"), !ProviderStatus.known.map(\.rawValue).contains(status) {
            let known = ProviderStatus.known.map(\.rawValue).joined(separator: ", ")
            problems.append(F("status", "must be one of \(known)"))
        }
        if let audience = string("audience"), !ProviderAudience.known.map(\.rawValue).contains(audience) {
            problems.append(F("audience",
                              "must be one of \(ProviderAudience.known.map(\.rawValue).joined(separator: ", "))"))
        }
        bool("supportsSearch")
        bool("supportsNotifications")
        bool("requiresUserScoping")
        switch o["availableEntities"] {
        case .array(let items)?:
            if items.contains(where: { $0.stringValue?.isEmpty ?? true }) {
                problems.append(F("availableEntities", "must be a list of non-empty strings"))
            }
        case nil: problems.append(F("availableEntities", "required"))
        default: problems.append(F("availableEntities", "must be a list of strings"))
        }
        switch o["oauthConfig"] {
        case .null?: break
        case .object(let oauth)?:
            for key in ["authorizationUrl", "tokenUrl"] {
                guard case .string(let url)? = oauth[key] else {
                    problems.append(F("oauthConfig.\(key)", "required, a URL"))
                    continue
                }
                if let problem = OAuthEndpoint.problem(url) { problems.append(F("oauthConfig.\(key)", problem)) }
            }
            switch oauth["scopes"] {
            case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }): break
            default: problems.append(F("oauthConfig.scopes", "required, a list of strings"))
            }
            if let pkce = oauth["pkce"], pkce.boolValue == nil {
                problems.append(F("oauthConfig.pkce", "must be true or false"))
            }
        case nil: problems.append(F("oauthConfig", "required (null when the provider does not use OAuth)"))
        default: problems.append(F("oauthConfig", "must be an object or null"))
        }
        var dates = [String: Date]()
        for key in ["createdAt", "updatedAt"] {
            guard let text = string(key) else { continue }
            if let date = Timestamp.date(from: text) { dates[key] = date } else {
                problems.append(F(key, "must be an ISO 8601 timestamp such as 2026-01-31T09:00:00.000Z"))
            }
        }
        if let created = dates["createdAt"], let updated = dates["updatedAt"], updated < created {
            problems.append(F("updatedAt", "is before createdAt"))
        }
        return problems
    }
}

/// Rules for OAuth endpoint URLs.
enum OAuthEndpoint {
    /// Why `url` is not an acceptable endpoint, or `nil`: it must be `https`, or `http` to a loopback host
    /// (RFC 6749 section 3.1/3.2 require TLS; loopback is allowed for local testing). `{name}` placeholders are
    /// allowed in the host.
    static func problem(_ url: String) -> String? {
        let probe = url.replacingOccurrences(of: "{", with: "x").replacingOccurrences(of: "}", with: "x")
        guard let components = URLComponents(string: probe), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            return "must be an absolute URL"
        }
        if scheme == "https" { return nil }
        if scheme == "http" && isLoopback(host) { return nil }
        return "must use https (http is allowed only for 127.0.0.1, ::1 or localhost)"
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}
