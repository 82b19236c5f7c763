// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OAuth 2.0 refresh-token grant over HTTP (RFC 6749 section 6), with `URLSession`.
///
/// It posts `grant_type=refresh_token&refresh_token=…[&scope=…]` as `application/x-www-form-urlencoded` to the
/// token endpoint, authenticating the client with HTTP Basic (or in the body), and reads a section 5.1 JSON
/// response (`access_token`, `token_type`, optional `expires_in`, `refresh_token`, `scope`) or a section 5.2 error
/// (`error`, `error_description`). A few providers answer errors with status 200; those are errors too.
///
/// The endpoint must use `https`, except on a loopback host (for tests and local development).
///
/// ```swift
/// let refresher = OAuth2TokenRefresher(timeout: 15)
/// let tokens = try await refresher.refresh(TokenRefreshRequest(
///     tokenURL: URL(string: "https://oauth2.example.com/token")!, refreshToken: refreshToken,
///     clientId: clientId, clientSecret: clientSecret))
/// ```
public struct OAuth2TokenRefresher: TokenRefresher {
    /// Seconds to wait for the endpoint.
    public let timeout: TimeInterval
    private let client: HTTPClient

    /// Creates a refresher.
    public init(timeout: TimeInterval = 30) {
        self.timeout = timeout
        self.client = HTTPClient()
    }

    /// Requests new tokens. See the type's documentation.
    ///
    /// - Throws: ``TokenRefreshError``.
    public func refresh(_ request: TokenRefreshRequest) async throws -> TokenRefreshResponse {
        let endpoint = TokenRefreshError.redacted(request.tokenURL)
        if let problem = OAuthEndpoint.problem(request.tokenURL.absoluteString) {
            throw TokenRefreshError(.notRefreshable, "the token endpoint \(endpoint) \(problem)")
        }
        var form = [("grant_type", "refresh_token"), ("refresh_token", request.refreshToken)]
        if let scopes = request.scopes, !scopes.isEmpty { form.append(("scope", scopes.joined(separator: " "))) }
        var headers = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        if let clientId = request.clientId {
            switch request.authentication {
            case .basic:
                let pair = FormEncoding.encode(clientId) + ":" + FormEncoding.encode(request.clientSecret ?? "")
                headers["Authorization"] = "Basic " + Data(pair.utf8).base64EncodedString()
            case .requestBody:
                form.append(("client_id", clientId))
                if let secret = request.clientSecret { form.append(("client_secret", secret)) }
            }
        }
        let body = Data(form.map { FormEncoding.encode($0.0) + "=" + FormEncoding.encode($0.1) }
            .joined(separator: "&").utf8)
        let response: HTTPClient.Response
        do {
            response = try await client.post(request.tokenURL, headers: headers, body: body, timeout: timeout)
        } catch let error as URLError {
            throw TokenRefreshError(.transport, "the token endpoint \(endpoint) could not be reached "
                                        + "(URLError \(error.code.rawValue))")
        } catch {
            throw TokenRefreshError(.transport, "the token endpoint \(endpoint) could not be reached")
        }
        // The forms in which the endpoint may echo a secret back: as sent (form-encoded, or inside the Basic
        // credentials) and decoded.
        var secrets = request.secrets + request.secrets.map(FormEncoding.encode)
        if let basic = headers["Authorization"] { secrets.append(String(basic.dropFirst("Basic ".count))) }
        return try Self.interpret(response, endpoint: endpoint, secrets: secrets)
    }

    /// Reads a token endpoint's answer.
    static func interpret(_ response: HTTPClient.Response, endpoint: String,
                          secrets: [String]) throws -> TokenRefreshResponse {
        let status = response.status
        let json = try? JSONReader.parse(Array(response.body))
        let object = json?.objectValue
        if let code = object?["error"]?.stringValue {
            var message = "the token endpoint \(endpoint) answered \(status) \(code)"
            if let description = object?["error_description"]?.stringValue {
                message += ": " + scrub(description, secrets: secrets)
            }
            let kind: TokenRefreshError.Kind = switch code {
            case "invalid_grant": .invalidGrant
            case "invalid_client", "unauthorized_client": .invalidClient
            default: .rejected
            }
            throw TokenRefreshError(kind, message, oauthError: code, httpStatus: status)
        }
        guard (200..<300).contains(status) else {
            let kind: TokenRefreshError.Kind = status == 401 ? .invalidClient : .serverError
            throw TokenRefreshError(kind, "the token endpoint \(endpoint) answered HTTP \(status) without an OAuth "
                                        + "error", httpStatus: status)
        }
        guard let object else {
            throw TokenRefreshError(.malformedResponse, "the token endpoint \(endpoint) answered \(status) with a "
                                        + "body that is not a JSON object", httpStatus: status)
        }
        guard case .string(let access)? = object["access_token"], !access.isEmpty else {
            throw TokenRefreshError(.malformedResponse, "the token endpoint \(endpoint) answered without an "
                                        + "access_token", httpStatus: status)
        }
        guard case .string(let type)? = object["token_type"], !type.isEmpty else {
            throw TokenRefreshError(.malformedResponse, "the token endpoint \(endpoint) answered without a "
                                        + "token_type", httpStatus: status)
        }
        var expiresIn: Int?
        switch object["expires_in"] {
        case .number(let n)? where n >= 0 && n < 1e10: expiresIn = Int(n)
        case .string(let s)? where Int(s).map { $0 >= 0 } == true: expiresIn = Int(s)   // some providers quote it
        case nil, .null?: expiresIn = nil
        default:
            throw TokenRefreshError(.malformedResponse, "the token endpoint \(endpoint) answered an invalid "
                                        + "expires_in", httpStatus: status)
        }
        let refresh = object["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let scopes = object["scope"]?.stringValue.map { $0.split(separator: " ").map(String.init) }
        return TokenRefreshResponse(accessToken: access, tokenType: type, expiresIn: expiresIn, refreshToken: refresh,
                                    scopes: scopes)
    }

    /// A server-provided description, with every part of the request's secrets it repeats replaced by
    /// `<redacted>`, then cut to 200 characters, on one line.
    ///
    /// An endpoint may echo a secret whole, cut short, across lines or inside a longer text; so line breaks go
    /// first, then any run of at least ``scrubbedRun`` characters found anywhere in a secret, and a shorter secret
    /// wherever it appears whole. The cut comes last, so that it cannot split a secret the scrub would have
    /// recognised.
    static func scrub(_ text: String, secrets: [String]) -> String {
        let characters = Array(text.prefix(4 * maxDescription).filter { !$0.isNewline })
        var secret = [Bool](repeating: false, count: characters.count)
        let run = scrubbedRun
        var runs = Set<ArraySlice<Character>>()
        var whole = [[Character]]()
        for value in secrets {
            let value = Array(value)
            if value.count >= run {
                for start in 0...(value.count - run) { runs.insert(value[start..<(start + run)]) }
            } else if value.count >= 4 {
                whole.append(value)
            }
        }
        for start in characters.indices {
            if start + run <= characters.count, runs.contains(characters[start..<(start + run)]) {
                for i in start..<(start + run) { secret[i] = true }
            }
            for value in whole where characters[start...].starts(with: value) {
                for i in start..<(start + value.count) { secret[i] = true }
            }
        }
        var out = ""
        var i = 0
        while i < characters.count {
            if secret[i] {
                out += "<redacted>"
                while i < characters.count && secret[i] { i += 1 }
            } else {
                out.append(characters[i])
                i += 1
            }
        }
        return String(out.prefix(maxDescription))
    }

    /// The longest description kept in a message.
    static let maxDescription = 200
    /// The length from which a run of a secret's characters counts as part of it.
    static let scrubbedRun = 8
}

/// `application/x-www-form-urlencoded` (RFC 6749 appendix B): unreserved characters as is, space as `+`, the rest
/// percent-encoded UTF-8.
enum FormEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// A minimal HTTP client over one ephemeral `URLSession` (no cookies, no cache).
///
/// Sendable invariant: `URLSession` is documented as safe to use from any thread; the session is created once
/// and never replaced.
final class HTTPClient: @unchecked Sendable {
    struct Response: Sendable {
        let status: Int
        let body: Data
    }

    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Posts `body` and returns the status and body.
    func post(_ url: URL, headers: [String: String], body: Data, timeout: TimeInterval) async throws -> Response {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        return try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else if let http = response as? HTTPURLResponse {
                    continuation.resume(returning: Response(status: http.statusCode, body: data ?? Data()))
                } else {
                    continuation.resume(throwing: URLError(.badServerResponse))
                }
            }
            task.resume()
        }
    }
}
