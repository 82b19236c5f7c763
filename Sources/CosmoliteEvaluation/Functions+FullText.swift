// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON

extension Functions {
    /// Full-text search: `FullTextContains(c.text, 'phrase')`, `FullTextContainsAll(c.text, 'a', 'b', ...)` (every
    /// phrase occurs, not necessarily together) and `FullTextContainsAny(c.text, 'a', 'b', ...)`. A string of several
    /// words is a phrase: its words must occur in that order, next to one another (``FullTextPhrase``). Text and
    /// searches are analyzed alike (``FullTextAnalyzer``): case, stems and stop words do not matter.
    ///
    /// A path that holds no string gives undefined. A search argument must be a string: anything else is a 400.
    static let fullText: [String: Implementation] = [
        "FULLTEXTCONTAINS": { a, _ in try fullTextContains("FullTextContains", a, all: true) },
        "FULLTEXTCONTAINSALL": { a, _ in try fullTextContains("FullTextContainsAll", a, all: true) },
        "FULLTEXTCONTAINSANY": { a, _ in try fullTextContains("FullTextContainsAny", a, all: false) },
    ]

    private static func fullTextContains(_ name: String, _ a: [JSONValue?], all: Bool) throws -> JSONValue? {
        let phrases = try a.dropFirst().map { try fullTextPhrase($0, function: name) }
        guard case .string(let text)? = a[0] else { return nil }
        let analyzed = AnalyzedText(text)
        return .bool(all ? phrases.allSatisfy(analyzed.contains) : phrases.contains(where: analyzed.contains))
    }

    /// The phrase a full-text function's search argument gives.
    ///
    /// - Throws: 400 for a value that is not a string (the service's fuzzy-search objects, a preview feature,
    ///   included).
    package static func fullTextPhrase(_ value: JSONValue?, function: String) throws -> FullTextPhrase {
        switch value {
        case .string(let search)?:
            return FullTextPhrase(search)
        case .object(let o)? where o["term"] != nil:
            throw EvaluationError.badRequest("\(function): fuzzy search ({\"term\": ..., \"distance\": ...}, a "
                + "preview feature of the service) is not supported by Cosmolite; search for the word as a string")
        case .array?:
            throw EvaluationError.badRequest("\(function): pass each search word or phrase as a string argument of "
                + "its own, as in \(function)(c.text, 'red', 'bicycle'), not in an array")
        default:
            let shown = value.map { JSONWriter.string($0) } ?? "undefined"
            throw EvaluationError.badRequest("\(function): a search word or phrase must be a string, got \(shown)")
        }
    }
}
