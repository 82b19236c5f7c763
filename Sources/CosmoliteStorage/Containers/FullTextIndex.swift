// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// One entry of an indexing policy's `fullTextIndexes`, in Cosmos DB's JSON shape: `{"path": "/description"}`.
///
/// The path must be one of the container's full-text policy. Each item's terms at the path are indexed in the
/// item's transaction, so that `FullTextContains` filters and `ORDER BY RANK FullTextScore(...)` read the index
/// instead of every item's text.
public struct FullTextIndex: Sendable, Hashable {
    /// The path, for example `/description`.
    public let path: String
    let propertyNames: [String]

    /// Parses the JSON form of the entry at `position` of `fullTextIndexes`.
    ///
    /// - Throws: ``StoreError`` 400 with the service's words.
    public init(json: JSONValue, position: Int) throws {
        guard case .object(let o) = json else {
            throw StoreError.badRequest("indexingPolicy.fullTextIndexes[\(position)]: must be an object like "
                + "{\"path\": \"/text\"}")
        }
        for key in o.keys where key != "path" {
            throw StoreError.badRequest("indexingPolicy.fullTextIndexes[\(position)]: unknown property '\(key)'; "
                + "an entry has only a path")
        }
        guard let raw = o["path"] else {
            throw StoreError.badRequest("Missing path in full-text index specification at index (\(position)); add "
                + "{\"path\": \"/text\"}")
        }
        guard case .string(let path) = raw, path.hasPrefix("/"),
              let parsed = try? DocumentPath.parse(path, field: "", allowTerminal: false, allowArrays: false) else {
            throw StoreError.badRequest("Full-text index specification at index (\(position)) contains invalid path "
                + "\(JSONWriter.string(raw)); write a path of the full-text policy, such as \"/text\" (no wildcards, "
                + "not inside an array)")
        }
        self.path = path
        propertyNames = parsed.propertyNames
    }

    /// Checks that the path is one of `policy`'s.
    ///
    /// - Throws: ``StoreError`` 400 with the service's words.
    func validate(against policy: FullTextPolicy) throws {
        guard policy.paths.contains(where: { $0.propertyNames == propertyNames }) else {
            throw StoreError.badRequest("The path of the Full Text Index \(path) does not match the path specified in "
                + "the Full Text Policy; add {\"path\": \"\(path)\"} to fullTextPolicy.fullTextPaths")
        }
    }

    /// The JSON form.
    var json: JSONValue { .object(["path": .string(path)]) }
}
