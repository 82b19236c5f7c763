// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// A container's full-text policy, in Cosmos DB's JSON shape:
///
/// ```json
/// {"defaultLanguage": "en-US", "fullTextPaths": [{"path": "/description", "language": "en-US"}]}
/// ```
///
/// It names the paths whose text full-text search reads, and their language; the indexing policy's
/// `fullTextIndexes` may index only these paths. The full-text functions (`FullTextContains`, `FullTextScore`, ...)
/// answer on any path, declared or not, as in the service (an undeclared path is read from the items). Cosmolite
/// supports English (`en-US`, the service's generally available language); the service's preview languages are
/// refused with a 400 rather than analyzed as English.
public struct FullTextPolicy: Sendable, Hashable {
    /// One full-text path.
    public struct Path: Sendable, Hashable {
        /// The path, for example `/description` (no wildcards, not inside an array).
        public let path: String
        /// The language, or `nil` for the policy's default.
        public let language: String?
        let propertyNames: [String]

        /// The JSON form.
        var json: JSONValue {
            var o: JSONObject = ["path": .string(path)]
            if let language { o["language"] = .string(language) }
            return .object(o)
        }
    }

    /// The languages Cosmolite analyzes.
    public static let languages = ["en-US"]
    /// The service's preview languages, which Cosmolite refuses by name.
    static let previewLanguages = ["de-DE", "es-ES", "fr-FR", "it-IT", "pt-PT", "pt-BR"]

    /// The language of paths that name none (`en-US` by default).
    public let defaultLanguage: String
    /// The full-text paths, in definition order.
    public let paths: [Path]
    /// Whether the definition had a policy at all (an empty one is echoed, an absent one is not).
    let isDeclared: Bool

    /// No policy.
    public init() {
        defaultLanguage = "en-US"
        paths = []
        isDeclared = false
    }

    /// Parses and validates the JSON form.
    ///
    /// - Throws: ``StoreError`` 400 naming the bad field.
    public init(json: JSONValue) throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("fullTextPolicy: must be an object like {\"defaultLanguage\": \"en-US\", "
                + "\"fullTextPaths\": [{\"path\": \"/text\"}]}")
        }
        for key in o.keys where key != "defaultLanguage" && key != "fullTextPaths" {
            throw StoreError.badRequest("fullTextPolicy: unknown property '\(key)'; the properties are "
                + "defaultLanguage and fullTextPaths (the service's preview analysis settings are not supported)")
        }
        defaultLanguage = try Self.language(o["defaultLanguage"], field: "fullTextPolicy.defaultLanguage") ?? "en-US"
        var paths = [Path]()
        switch o["fullTextPaths"] {
        case nil, .null?:
            break
        case .array(let entries)?:
            for (i, entry) in entries.enumerated() {
                paths.append(try Self.path(entry, field: "fullTextPolicy.fullTextPaths[\(i)]"))
            }
        default:
            throw StoreError.badRequest("fullTextPolicy.fullTextPaths: must be an array like [{\"path\": \"/text\"}]")
        }
        var seen = Set<[String]>()
        for path in paths where !seen.insert(path.propertyNames).inserted {
            throw StoreError.badRequest("fullTextPolicy: the path \(path.path) is listed twice; list each path once")
        }
        self.paths = paths
        isDeclared = true
    }

    private static func path(_ entry: JSONValue, field: String) throws -> Path {
        guard case .object(let e) = entry else {
            throw StoreError.badRequest("\(field): must be an object like {\"path\": \"/text\", \"language\": "
                + "\"en-US\"}")
        }
        for key in e.keys where key != "path" && key != "language" {
            throw StoreError.badRequest("\(field): unknown property '\(key)'; the properties are path and language")
        }
        guard case .string(let path)? = e["path"] else {
            throw StoreError.badRequest("\(field).path: required, a path such as \"/description\"")
        }
        guard path.hasPrefix("/") else {
            throw StoreError.badRequest("The Full Text Policy contains an invalid Path: \(path) (\(field).path); "
                + "write it from the item's root, as in \"/\(path)\"")
        }
        let parsed = try DocumentPath.parse(path, field: "\(field).path", allowTerminal: false, allowArrays: false)
        return Path(path: path, language: try language(e["language"], field: "\(field).language"),
                    propertyNames: parsed.propertyNames)
    }

    /// A language code, normalized (`en-us` is `en-US`), or `nil` when absent.
    private static func language(_ value: JSONValue?, field: String) throws -> String? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let code)?:
            if let known = languages.first(where: { $0.lowercased() == code.lowercased() }) { return known }
            if let preview = previewLanguages.first(where: { $0.lowercased() == code.lowercased() }) {
                throw StoreError.badRequest("The Full Text Policy contains an unsupported language \(preview) "
                    + "(\(field)): Cosmolite supports en-US; the service's preview languages (de-DE, es-ES, fr-FR, "
                    + "it-IT, pt-PT, pt-BR) are not supported")
            }
            throw StoreError.badRequest("The Full Text Policy contains an unsupported language \(code). Supported "
                + "languages are: en-US (\(field))")
        default:
            throw StoreError.badRequest("\(field): must be a language code such as \"en-US\"")
        }
    }

    /// The JSON form.
    public var json: JSONValue {
        .object(["defaultLanguage": .string(defaultLanguage), "fullTextPaths": .array(paths.map(\.json))])
    }

    /// Two policies are equal when they declare the same paths and languages.
    public static func == (a: FullTextPolicy, b: FullTextPolicy) -> Bool {
        a.isDeclared == b.isDeclared && a.defaultLanguage == b.defaultLanguage && a.paths == b.paths
    }

    /// Hashes what defines the policy.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isDeclared)
        hasher.combine(defaultLanguage)
        hasher.combine(paths)
    }
}
