// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// Full-text search: the analyzer, `FullTextContains[All|Any]`, `ORDER BY RANK FullTextScore(...)` against an
/// independent BM25 computation, `RRF`, paging, and the service's refusals.
struct FullTextSearchTests {
    /// Words that are their own stems and no stop words, so that the oracle below can split texts on spaces.
    static let vocabulary = ["alpha", "beta", "gamma", "delta", "omega", "zeta", "kappa"]

    static let policy = #"""
        "fullTextPolicy": {"defaultLanguage": "en-US", "fullTextPaths": [{"path": "/text"}]}
        """#

    /// Items `i0` … `i(n-1)` over partitions `p0` … `p3`, each with a text of 1–12 words from ``vocabulary`` (every
    /// ninth has none, every eleventh a number instead) and a 3-dimensional vector `v`.
    static func store(items n: Int = 72, indexing: String = indexAll) throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(indexing), \#(policy)}"#)))
        var random = SeededGenerator(seed: 0xF7)
        for i in 0..<n {
            _ = try test.store.createItem(in: "c", document: .object(item(i, using: &random)))
        }
        return test
    }

    static func item(_ i: Int, using random: inout SeededGenerator) -> JSONObject {
        var item: JSONObject = ["id": .string("i\(i)"), "pk": .string("p\(i % 4)")]
        // Words drawn with a skew, so that terms differ in frequency.
        let words = (0..<Int.random(in: 1...12, using: &random)).map { _ in
            vocabulary[min(Int.random(in: 0..<vocabulary.count, using: &random),
                           Int.random(in: 0..<vocabulary.count, using: &random))]
        }
        if i % 11 == 5 {
            item["text"] = .number(Double(i))
        } else if i % 9 != 4 {
            item["text"] = .string(words.joined(separator: i % 2 == 0 ? " " : ", ").capitalized)
        }
        item["v"] = .array((0..<3).map { _ in .number(Double(Int.random(in: -3...3, using: &random))) })
        return item
    }

    // MARK: - Oracle

    /// An item as the oracle sees it: its place (partition key, id) and its words.
    struct Row {
        var pk: String
        var id: String
        var words: [String]?
        var vector: [Double]
    }

    static func rows(_ store: Store) throws -> [Row] {
        try queryAll(store, "c", "SELECT * FROM c").map { item in
            var words: [String]?
            if case .string(let text)? = item["text"] {
                words = text.lowercased().split { !$0.isLetter }.map(String.init)
            }
            let vector: [Double] = item["v"]?.arrayValue?.compactMap {
                if case .number(let n) = $0 { n } else { nil }
            } ?? []
            return Row(pk: item["pk"]!.stringValue!, id: item["id"]!.stringValue!, words: words, vector: vector)
        }
    }

    /// BM25 by its definition (k1 1.2, b 0.75, Lucene's idf) over `corpus`, for single-word phrases.
    static func bm25(_ row: Row, _ terms: [String], corpus: [Row]) -> Double {
        guard let words = row.words, !words.isEmpty else { return 0 }
        let n = Double(corpus.count)
        let average = Double(corpus.reduce(0) { $0 + ($1.words?.count ?? 0) }) / n
        var total = 0.0
        for term in terms {
            let tf = Double(words.filter { $0 == term }.count)
            guard tf > 0 else { continue }
            let hits = Double(corpus.filter { $0.words?.contains(term) == true }.count)
            let idf = Foundation.log(1 + (n - hits + 0.5) / (hits + 0.5))
            total += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * Double(words.count) / average))
        }
        return total
    }

    /// Ids ordered by score, highest first, ties by partition key then id (the engine's document-key order).
    static func ranked(_ rows: [Row], by score: (Row) -> Double) -> [String] {
        rows.map { ($0, score($0)) }.sorted {
            if $0.1 != $1.1 { return $0.1 > $1.1 }
            return ($0.0.pk, $0.0.id) < ($1.0.pk, $1.0.id)
        }.map(\.0.id)
    }

    /// Expects `got` in the oracle's order, allowing only swaps of rows whose scores differ by rounding.
    static func expectOrder(_ got: [String], _ want: [String], scores: [String: Double],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        #expect(Set(got) == Set(want), sourceLocation: sourceLocation)
        for (g, w) in zip(got, want) where g != w && abs(scores[g]! - scores[w]!) > 1e-9 {
            Issue.record("\(g) (\(scores[g]!)) where \(w) (\(scores[w]!)) was expected", sourceLocation: sourceLocation)
            return
        }
    }

    // MARK: - Analyzer

    @Test func analyzerSplitsLowersStemsAndLeavesOutStopWords() {
        let tokens = FullTextAnalyzer.english.tokens(
            "The CONNECTED connections, don't U.S.A 3.14 1,000 state-of-the-art Bicycles' café 東京 x_z")
        #expect(tokens.map(\.term) == ["connect", "connect", "u.s.a", "3.14", "1,000", "state", "art", "bicycl",
                                       "café", "東", "京", "x_z"])
        // Stop words ("the", "don't", "of") keep their positions.
        #expect(tokens.map(\.position) == [1, 2, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15])
        #expect(FullTextAnalyzer.english.tokens("the and of 7").isEmpty)
        let long = String(repeating: "a", count: FullTextAnalyzer.maxWordLength * 2 + 5)
        #expect(FullTextAnalyzer.english.tokens(long).map(\.term.count) == [128, 128, 5])
        for word in Self.vocabulary { #expect(FullTextAnalyzer.english.tokens(word).map(\.term) == [word]) }
    }

    /// ASCII texts take a byte-level path: it must find what the character-level path does (a non-ASCII word
    /// appended sends a text down the other).
    @Test func asciiTextsAreSplitAsAnyText() {
        var random = SeededGenerator(seed: 0x5C)
        let pieces = ["a", "B", "z", "1", "9", "'", ".", ",", ";", "_", " ", "-", "!", "the", "Don't", "U.S", "3.1"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...24, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            let other = FullTextAnalyzer.english.tokens(text + " é")
            #expect(FullTextAnalyzer.english.tokens(text) == Array(other.dropLast()), "\(text.debugDescription)")
            #expect(other.last?.term == "é")
        }
    }

    // MARK: - FullTextContains

    @Test(arguments: [indexAll, indexNothing])
    func containsFunctionsMatchTermsAndPhrases(indexing: String) throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(indexing), \#(Self.policy)}"#)))
        let texts: [(String, JSONValue?)] = [
            ("1", .string("The red bicycle is fast")),
            ("2", .string("Bicycles and HELMETS for mountain riding")),
            ("3", .string("A red car, not a bicycle: red paint")),
            ("4", .string("Connected connections connecting")),
            ("5", .number(5)),
            ("6", nil),
            ("7", .string("state of the art")),
        ]
        for (id, text) in texts {
            var item: JSONObject = ["id": .string(id), "pk": .string(id == "1" ? "a" : "b")]
            if let text { item["text"] = text }
            _ = try test.store.createItem(in: "c", document: .object(item))
        }
        func matching(_ condition: String) throws -> [String] {
            ids(try queryAll(test.store, "c", "SELECT c.id FROM c WHERE \(condition)")).sorted()
        }
        #expect(try matching("FullTextContains(c.text, 'bicycles')") == ["1", "2", "3"])
        #expect(try matching("FullTextContains(c.text, 'Helmet')") == ["2"])
        #expect(try matching("FullTextContains(c.text, 'red bicycle')") == ["1"])
        #expect(try matching("FullTextContains(c.text, 'bicycle red')") == ["3"])
        #expect(try matching("FullTextContains(c.text, 'bicycle fast')") == [])
        #expect(try matching("FullTextContains(c.text, 'bicy')") == [])
        #expect(try matching("FullTextContains(c.text, 'connection')") == ["4"])
        #expect(try matching("FullTextContains(c.text, 'state of the art')") == ["7"])
        #expect(try matching("FullTextContains(c.text, 'state art')") == [])
        #expect(try matching("FullTextContains(c.text, 'the')") == [])
        #expect(try matching("FullTextContainsAll(c.text, 'red', 'bicycle')") == ["1", "3"])
        #expect(try matching("FullTextContainsAll(c.text, 'red', 'helmet')") == [])
        #expect(try matching("FullTextContainsAny(c.text, 'helmet', 'connect', 'nothing')") == ["2", "4"])
        _ = expectStatus(400) { _ = try matching("FullTextContains(c.text, @q)") }
        // A path without a string gives undefined: neither the condition nor its negation holds.
        #expect(try matching("NOT FullTextContains(c.text, 'red')") == ["2", "4", "7"])
        #expect(try queryAll(test.store, "c", "SELECT VALUE FullTextContains(c.text, 'red') FROM c WHERE c.id = '5'")
            .isEmpty)
        #expect(try queryAll(test.store, "c", "SELECT VALUE FullTextContains('Red Roses', @w)",
                             parameters: ["w": .string("rose")]) == [.bool(true)])
    }

    @Test func searchArgumentsThatAreNotStringsAreRefused() throws {
        let test = try Self.store(items: 3)
        for (search, words) in [("5", "must be a string, got 5"), ("['a', 'b']", "not in an array"),
                                ("{'term': 'red', 'distance': 1}", "fuzzy search")] {
            let message = expectStatus(400) {
                _ = try queryAll(test.store, "c", "SELECT * FROM c WHERE FullTextContains(c.text, \(search))")
            }
            #expect(message?.contains(words) == true, "\(message ?? "")")
        }
    }

    // MARK: - FullTextScore

    @Test(arguments: [["alpha"], ["zeta", "kappa"], ["gamma", "beta", "omega"]])
    func fullTextScoreRanksByBM25OverTheWholeContainer(terms: [String]) throws {
        let test = try Self.store()
        let corpus = try Self.rows(test.store)
        let arguments = terms.map { "'\($0)'" }.joined(separator: ", ")
        let text = "SELECT c.id FROM c ORDER BY RANK FullTextScore(c.text, \(arguments))"
        var scores = [String: Double]()
        for row in corpus { scores[row.id] = Self.bm25(row, terms, corpus: corpus) }
        let want = Self.ranked(corpus) { scores[$0.id]! }
        #expect(Set(want.prefix(3)).isDisjoint(with: want.suffix(3)))
        for pageSize in [nil, 1, 2, 5, 7] {
            Self.expectOrder(ids(try queryAll(test.store, "c", text, pageSize: pageSize)), want, scores: scores)
        }
        // TOP and OFFSET LIMIT take the ranking's first rows.
        let top = ids(try queryAll(test.store, "c", text.replacingOccurrences(of: "SELECT", with: "SELECT TOP 5"),
                                   pageSize: 2))
        Self.expectOrder(top, Array(want.prefix(5)), scores: scores)
        let offset = ids(try queryAll(test.store, "c", text + " OFFSET 4 LIMIT 6", pageSize: 4))
        Self.expectOrder(offset, Array(want[4..<10]), scores: scores)
        // As in the service, no subquery ranks (ORDER BY in a subquery is its 400 SC2202), and a rank is no document
        // path an outer query could order a subquery's results by.
        for ranked in ["SELECT VALUE {id: x.id} FROM (\(text)) x",
                       "SELECT * FROM (SELECT c.id, c.text FROM c) s ORDER BY RANK FullTextScore(s.text, \(arguments))"] {
            _ = expectStatus(400) { _ = try queryAll(test.store, "c", ranked) }
        }
        // A partition's query ranks its items with the statistics of the whole container, as the service does.
        let partition = corpus.filter { $0.pk == "p2" }
        let scoped = ids(try queryAll(test.store, "c", text, partitionKey: PartitionKey(["p2"]), pageSize: 3))
        Self.expectOrder(scoped, Self.ranked(partition) { scores[$0.id]! }, scores: scores)
        // WHERE filters before ranking, and does not change the statistics.
        let filtered = ids(try queryAll(test.store, "c", "SELECT c.id FROM c WHERE c.pk != 'p0' ORDER BY RANK "
                                            + "FullTextScore(c.text, \(arguments))", pageSize: 4))
        Self.expectOrder(filtered, Self.ranked(corpus.filter { $0.pk != "p0" }) { scores[$0.id]! }, scores: scores)
    }

    @Test(arguments: [indexAll, indexed])
    func pagesKeepTheFirstPagesStatisticsUnderWrites(indexing: String) throws {
        let test = try Self.store(indexing: indexing)
        let corpus = try Self.rows(test.store)
        var scores = [String: Double]()
        for row in corpus { scores[row.id] = Self.bm25(row, ["delta"], corpus: corpus) }
        let want = Self.ranked(corpus) { scores[$0.id]! }
        let text = "SELECT c.id FROM c ORDER BY RANK FullTextScore(c.text, 'delta')"
        var got = [String]()
        var token: String?
        var added = 0
        var random = SeededGenerator(seed: 0x3A)
        repeat {
            let page = try test.store.query(in: "c", text, maxItemCount: 4, continuation: token)
            got += try page.items.map { try $0.value()["id"]!.stringValue! }
            token = page.continuation
            // New items full of the term: recounted statistics would move every later item's score.
            for _ in 0..<3 {
                var item = Self.item(1000 + added, using: &random)
                item["text"] = .string("delta delta delta")
                _ = try test.store.createItem(in: "c", document: .object(item))
                added += 1
            }
        } while token != nil
        let original = got.filter { scores[$0] != nil }
        Self.expectOrder(original, want, scores: scores)
        #expect(Set(got).count == got.count, "an item came twice")
    }

    // MARK: - RRF

    /// Competition ranks (1, 1, 3) of `scores`, best first; rows without a score after all the others.
    static func ranks(_ scores: [String: Double?], higherFirst: Bool) -> [String: Int] {
        let scored = scores.compactMap { id, score in score.map { (id, $0) } }
        var out = [String: Int]()
        for (id, score) in scored {
            out[id] = 1 + scored.filter { higherFirst ? $0.1 > score : $0.1 < score }.count
        }
        for (id, score) in scores where score == nil { out[id] = scored.count + 1 }
        return out
    }

    @Test(arguments: [nil, [1.0, 1.0], [2.0, 0.5], [1.0, -1.0], [0.0, 3.0]] as [[Double]?])
    func rrfFusesTheRanksOfEachScore(weights: [Double]?) throws {
        let test = try Self.store()
        let corpus = try Self.rows(test.store)
        let q: [Double] = [1, -2, 0.5]
        var text = [String: Double?]()
        var vector = [String: Double?]()
        for row in corpus {
            text[row.id] = Self.bm25(row, ["beta", "kappa"], corpus: corpus)
            let dot = zip(row.vector, q).map { $0 * $1 }.reduce(0, +)
            let norms = (row.vector.map { $0 * $0 }.reduce(0, +) * q.map { $0 * $0 }.reduce(0, +)).squareRoot()
            vector[row.id] = norms == 0 ? nil : dot / norms
        }
        let w = weights ?? [1, 1]
        let textRanks = Self.ranks(text, higherFirst: w[0] >= 0)
        let vectorRanks = Self.ranks(vector, higherFirst: w[1] >= 0)
        var fused = [String: Double]()
        for row in corpus {
            fused[row.id] = abs(w[0]) / (60 + Double(textRanks[row.id]!)) + abs(w[1]) / (60 + Double(vectorRanks[row.id]!))
        }
        let want = Self.ranked(corpus) { fused[$0.id]! }
        let weightText = weights.map { ", [" + $0.map { "\($0)" }.joined(separator: ", ") + "]" } ?? ""
        let query = "SELECT c.id FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'beta', 'kappa'), "
            + "VectorDistance(c.v, @q)\(weightText))"
        let got = ids(try queryAll(test.store, "c", query, parameters: ["q": .array(q.map(JSONValue.number))],
                                   pageSize: -1))
        Self.expectOrder(got, want, scores: fused)
        // The weights may come in a parameter, as the service takes them (the Python SDK's hybrid-search tests).
        if let weights {
            let parameterized = "SELECT c.id FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'beta', 'kappa'), "
                + "VectorDistance(c.v, @q), @w)"
            let viaParameter = ids(try queryAll(test.store, "c", parameterized, parameters: [
                "q": .array(q.map(JSONValue.number)), "w": .array(weights.map(JSONValue.number)),
            ], pageSize: -1))
            #expect(viaParameter == got)
            for bad: JSONValue in [[1], [1, 2, 3], ["1", 2], 2, .null] {
                let message = expectStatus(400) {
                    _ = try queryAll(test.store, "c", parameterized,
                                     parameters: ["q": .array(q.map(JSONValue.number)), "w": bad], pageSize: -1)
                }
                #expect(message?.contains("@w must be an array of numbers, one for each") == true, "\(message ?? "")")
            }
        }
        // TOP fits one page; more results than a fixed page holds cannot be continued.
        let top = ids(try queryAll(test.store, "c", query.replacingOccurrences(of: "SELECT", with: "SELECT TOP 4"),
                                   parameters: ["q": .array(q.map(JSONValue.number))], pageSize: 4))
        Self.expectOrder(top, Array(want.prefix(4)), scores: fused)
        let message = expectStatus(400) {
            _ = try test.store.query(in: "c", query, parameters: ["q": .array(q.map(JSONValue.number))],
                                     maxItemCount: 10)
        }
        #expect(message?.contains("cannot be continued") == true)
    }

    // MARK: - The full-text index

    static let indexed = #"{"includedPaths": [{"path": "/*"}], "fullTextIndexes": [{"path": "/text"}]}"#

    /// The postings and the counter row after every kind of write: strict mode checks them against the items after
    /// each commit, and queries answer as over a container without the index.
    @Test func postingsFollowEveryWrite() throws {
        let test = try Self.store(items: 20, indexing: Self.indexed)
        let store = test.store
        _ = try store.replaceItem(in: "c", id: "i0", partitionKey: PartitionKey("p0"),
                                  document: try json(#"{"id": "i0", "pk": "p0", "text": "Zeta zeta, and alpha"}"#))
        _ = try store.patchItem(in: "c", id: "i1", partitionKey: PartitionKey("p1"),
                                operations: [PatchOperation(.set, path: try JSONPointer("/text"), value: "kappa")])
        _ = try store.patchItem(in: "c", id: "i2", partitionKey: PartitionKey("p2"),
                                operations: [PatchOperation(.set, path: try JSONPointer("/text"), value: 42)])
        _ = try store.patchItem(in: "c", id: "i4", partitionKey: PartitionKey("p0"),
                                operations: [PatchOperation(.add, path: try JSONPointer("/text"), value: "omega")])
        try store.deleteItem(in: "c", id: "i3", partitionKey: PartitionKey("p3"))
        _ = try store.upsertItem(in: "c", document: try json(#"{"id": "n", "pk": "p1", "text": "the end"}"#))
        _ = try store.upsertItem(in: "c", document: try json(#"{"id": "n", "pk": "p1", "text": "Delta's end"}"#))
        #expect(try store.verify().isEmpty)
        // Every query answers as over a container without the index.
        let plain = try Self.store(items: 0)
        for case .object(let item) in try queryAll(store, "c", "SELECT * FROM c") {
            var copy = item
            for key in ["_rid", "_self", "_etag", "_attachments", "_ts"] { copy[key] = nil }
            _ = try plain.store.createItem(in: "c", document: .object(copy))
        }
        for text in ["SELECT c.id FROM c WHERE FullTextContains(c.text, 'zeta')",
                     "SELECT c.id FROM c ORDER BY RANK FullTextScore(c.text, 'zeta', 'kappa', 'delta')"] {
            #expect(try queryAll(store, "c", text, pageSize: 3) == (try queryAll(plain.store, "c", text)))
        }
        // Deleting every item removes the counter row with the postings (strict mode: no row left over).
        for case .object(let item) in try queryAll(store, "c", "SELECT c.id, c.pk FROM c") {
            try store.deleteItem(in: "c", id: item["id"]!.stringValue!, partitionKey: PartitionKey(item["pk"]!.stringValue!))
        }
        #expect(try store.verify().isEmpty)
    }

    /// Containers `plain` and `indexed` (with a full-text index) holding the same items (``item(_:using:)``), the
    /// text of item i replaced by `text(i)` when it gives one.
    static func twins(items n: Int, seed: UInt64, text: (Int) -> String?) throws -> TestStore {
        let test = try TestStore()
        for (id, indexing) in [("plain", indexAll), ("indexed", indexed)] {
            try test.store.createContainer(try ContainerDefinition(json: try json(
                #"{"id": "\#(id)", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(indexing), \#(policy)}"#)))
            var random = SeededGenerator(seed: seed)
            for i in 0..<n {
                var item = item(i, using: &random)
                if let replaced = text(i) { item["text"] = .string(replaced) }
                _ = try test.store.createItem(in: id, document: .object(item))
            }
        }
        return test
    }

    /// Two containers with the same items, one with a full-text index: every ranked query answers the same, page by
    /// page, and the indexed one reads the index.
    @Test func anIndexAnswersAsReadingTheItems() throws {
        // Phrases with stop words between their words, and repeated ones.
        let test = try Self.twins(items: 90, seed: 0xF7) {
            $0 % 6 == 1 ? "Alpha of the beta, alpha beta; beta alpha zeta" : nil
        }
        let score = "ORDER BY RANK FullTextScore(c.text, @a, @b)"
        let shapes: [(String, [String: JSONValue], PartitionKey?)] = [
            ("SELECT c.id FROM c \(score)", ["a": "alpha", "b": "zeta"], nil),
            ("SELECT c.id FROM c \(score)", ["a": "alpha beta", "b": "kappa"], nil),
            ("SELECT c.id FROM c \(score)", ["a": "alpha of the beta", "b": "the"], nil),
            ("SELECT c.id FROM c \(score)", ["a": "nothing", "b": "nowhere"], nil),
            ("SELECT c.id, c.text FROM c WHERE c.pk = 'p1' \(score)", ["a": "gamma", "b": "delta"], nil),
            ("SELECT c.id FROM c \(score)", ["a": "omega", "b": "beta"], PartitionKey("p3")),
            ("SELECT c.id FROM c WHERE IS_STRING(c.text) AND c.id != 'i7' \(score)", ["a": "beta", "b": "gamma"], nil),
            ("SELECT TOP 7 c.id FROM c \(score)", ["a": "delta", "b": "kappa"], nil),
            ("SELECT c.id FROM c \(score) OFFSET 5 LIMIT 9", ["a": "zeta", "b": "alpha"], nil),
            ("SELECT VALUE c.pk FROM c \(score)", ["a": "kappa", "b": "kappa"], nil),
        ]
        for (text, parameters, key) in shapes {
            #expect(try test.store.explain(in: "indexed", text, parameters: parameters, partitionKey: key)
                .contains("full-text index /text"))
            #expect(!(try test.store.explain(in: "plain", text, parameters: parameters, partitionKey: key))
                .contains("full-text index"))
            let want = try queryAll(test.store, "plain", text, parameters: parameters, partitionKey: key)
            #expect(want.count > 3, "\(text)")
            for pageSize in [1, 2, 3, 5, 100] {
                let got = try queryAll(test.store, "indexed", text, parameters: parameters, partitionKey: key,
                                       pageSize: pageSize)
                #expect(got == want, "\(text) \(parameters), pages of \(pageSize)")
            }
        }
        // TOP 3 reads three items.
        let page = try test.store.query(in: "indexed", "SELECT TOP 3 c.id FROM c \(score)",
                                        parameters: ["a": "alpha", "b": "beta"])
        #expect(page.metrics.documentsLoaded == 3)
    }

    /// Filters read the postings of their terms when the path has a full-text index, and find the same items.
    @Test func filtersReadThePostings() throws {
        let test = try Self.twins(items: 80, seed: 0xA1) { $0 % 5 == 2 ? "Beta alpha, the alpha of beta" : nil }
        let shapes: [(String, String?)] = [
            ("FullTextContains(c.text, 'kappa')", "1 term"),
            ("FullTextContains(c.text, 'Alphas')", "1 term"),
            ("FullTextContains(c.text, 'alpha of beta')", "1 term"),
            ("FullTextContains(c.text, 'beta alpha')", "1 term"),
            ("FullTextContainsAll(c.text, 'zeta', 'omega')", "1 term"),
            ("FullTextContainsAll(c.text, 'zeta', 'the')", "1 term"),
            ("FullTextContainsAny(c.text, 'zeta', 'omega', 'kappa')", "3 terms"),
            ("FullTextContainsAny(c.text, 'the', 'delta gamma', 'gamma')", "2 terms"),
            ("FullTextContains(c.text, 'beta') AND c.pk = 'p2'", "full-text index /text of the partition"),
            ("FullTextContains(c.text, 'delta') OR c.id = 'i3'", "union of 2 reads"),
            ("FullTextContains(c.text, 'the')", nil),
            ("NOT FullTextContains(c.text, 'beta')", nil),
        ]
        for (condition, read) in shapes {
            let text = "SELECT c.id FROM c WHERE \(condition)"
            let plan = try test.store.explain(in: "indexed", text)
            if let read {
                #expect(plan.contains("full-text index /text") && plan.contains(read), "\(condition): \(plan)")
            } else {
                #expect(!plan.contains("full-text index"), "\(condition): \(plan)")
            }
            let want = ids(try queryAll(test.store, "plain", text)).sorted()
            // 'the' is a stop word: it matches nothing, and a condition that needs it neither.
            #expect(want.isEmpty == condition.contains("'the')"), "\(condition)")
            for pageSize in [1, 2, 3, 100] {
                let got = ids(try queryAll(test.store, "indexed", text, pageSize: pageSize))
                #expect(got.sorted() == want, "\(condition), pages of \(pageSize)")
            }
        }
        // ORDER BY reads an ordered index; the postings only filter when nothing orders.
        let ordered = "SELECT c.id FROM c WHERE FullTextContains(c.text, 'beta') ORDER BY c.id"
        #expect(!(try test.store.explain(in: "indexed", ordered)).contains("full-text index"))
        #expect(try queryAll(test.store, "indexed", ordered, pageSize: 3) == (try queryAll(test.store, "plain", ordered)))
    }

    @Test func anAddedFullTextIndexIsBuiltOnlineAndRemoved() throws {
        let test = try Self.store(items: 40)
        let definition = #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, \#(Self.policy)"#
        let text = "SELECT VALUE c.id FROM c ORDER BY RANK FullTextScore(c.text, 'beta', 'omega')"
        let want = try queryAll(test.store, "c", text)
        try test.store.replaceContainer(try ContainerDefinition(json: try json(
            definition + #", "indexingPolicy": "# + Self.indexed + "}")))
        #expect(try test.store.indexTransformationProgress(in: "c") < 100)
        _ = try test.store.advanceIndexTransformations(limit: 15)
        #expect(try queryAll(test.store, "c", text, pageSize: 4) == want)
        try test.store.finishIndexTransformations()
        #expect(try test.store.verify().isEmpty)
        #expect(try queryAll(test.store, "c", text, pageSize: 4) == want)
        try test.store.replaceContainer(try ContainerDefinition(json: try json(
            definition + #", "indexingPolicy": "# + indexAll + "}")))
        try test.store.finishIndexTransformations()
        #expect(try test.store.verify().isEmpty)
        #expect(try queryAll(test.store, "c", text) == want)
    }

    // MARK: - Policies

    @Test(arguments: [
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "text"}]}"#, "The Full Text Policy contains an invalid Path: text"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/tags/[]"}]}"#, "fullTextPolicy.fullTextPaths[0].path"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/*"}]}"#, "fullTextPolicy.fullTextPaths[0].path"),
        (#""fullTextPolicy": {"defaultLanguage": "spa-SPA"}"#, "unsupported language spa-SPA. Supported languages are: en-US"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/t", "language": "de-DE"}]}"#, "unsupported language de-DE"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/t"}, {"path": "/t"}]}"#, "listed twice"),
        (#""fullTextPolicy": {"package": "standard"}"#, "unknown property 'package'"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/t"}]}, "indexingPolicy": {"fullTextIndexes": [{"path": "/u"}]}"#,
         "The path of the Full Text Index /u does not match the path specified in the Full Text Policy"),
        (#""indexingPolicy": {"fullTextIndexes": [{"path": "/u"}]}"#, "does not match the path specified"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/t"}]}, "indexingPolicy": {"fullTextIndexes": [{}]}"#,
         "Missing path in full-text index specification at index (0)"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/t"}]}, "indexingPolicy": {"fullTextIndexes": [{"path": "t"}]}"#,
         "Full-text index specification at index (0) contains invalid path"),
        (#""fullTextPolicy": {"fullTextPaths": [{"path": "/t"}]}, "indexingPolicy": {"fullTextIndexes": [{"path": "/t"}, {"path": "/t"}]}"#,
         "listed twice"),
    ])
    func invalidPoliciesAreRefused(definition: String, words: String) throws {
        let message = expectStatus(400) {
            _ = try ContainerDefinition(json: try json(#"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "# + definition + "}"))
        }
        #expect(message?.contains(words) == true, "\(message ?? "")")
    }

    @Test func policiesAreEchoedAndKept() throws {
        let given = try ContainerDefinition(json: try json(#"""
            {"id": "c", "partitionKey": {"paths": ["/pk"]},
             "fullTextPolicy": {"defaultLanguage": "en-us", "fullTextPaths": [{"path": "/a/b"}, {"path": "/t", "language": "EN-US"}]},
             "indexingPolicy": {"includedPaths": [{"path": "/*"}], "fullTextIndexes": [{"path": "/t"}]}}
            """#))
        #expect(given.json["fullTextPolicy"] == (try json(
            #"{"defaultLanguage": "en-US", "fullTextPaths": [{"path": "/a/b"}, {"path": "/t", "language": "en-US"}]}"#)))
        #expect(given.json["indexingPolicy"]?["fullTextIndexes"] == (try json(#"[{"path": "/t"}]"#)))
        #expect(try ContainerDefinition(json: given.json) == given)
        // A policy with only its default language is echoed; none is not.
        let bare = try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/pk"]}, "fullTextPolicy": {"defaultLanguage": "en-US"}}"#))
        #expect(bare.json["fullTextPolicy"] == (try json(#"{"defaultLanguage": "en-US", "fullTextPaths": []}"#)))
        let none = try ContainerDefinition(json: try json(#"{"id": "c", "partitionKey": {"paths": ["/pk"]}}"#))
        #expect(none.json["fullTextPolicy"] == nil)
        #expect(none.differences(from: bare) == ["fullTextPolicy"])
    }

    // MARK: - Refusals

    @Test(arguments: [
        ("SELECT FullTextScore(c.text, 'a') FROM c", "only allowed in the ORDER BY RANK clause"),
        ("SELECT * FROM c WHERE FullTextScore(c.text, 'a') > 1", "only allowed in the ORDER BY RANK clause"),
        ("SELECT * FROM c ORDER BY FullTextScore(c.text, 'a')", "only allowed in the ORDER BY RANK clause"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text, 'a') DESC", "sort order (ASC or DESC)"),
        ("SELECT * FROM c ORDER BY RANK c.text", "must be followed by a VectorDistance and/or a FullTextScore"),
        ("SELECT * FROM c ORDER BY RANK UPPER(c.text)", "must be followed by a VectorDistance and/or a FullTextScore"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text, 'a') + 1", "must be followed by a VectorDistance"),
        ("SELECT RRF(FullTextScore(c.text, 'a'), FullTextScore(c.text, 'b')) FROM c", "RRF is only allowed"),
        ("SELECT * FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'a'))", "at least two scoring functions"),
        ("SELECT * FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'a'), c.x)", "FullTextScore(...) and VectorDistance"),
        ("SELECT * FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'a'), FullTextScore(c.text, 'b'), [1])",
         "optional array of weights"),
        ("SELECT * FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'a'), FullTextScore(c.text, 'b'), [1, 'x'])",
         "optional array of weights"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text, 'a'), c.id", "takes one scoring function"),
        ("SELECT c.id FROM c JOIN t IN c.tags ORDER BY RANK FullTextScore(c.text, 'a')", "within a JOIN"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(UPPER(c.text), 'a')", "must be a property path"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text, c.word)", "must be constants"),
        ("SELECT COUNT(1) FROM c ORDER BY RANK FullTextScore(c.text, 'a')", "aggregates"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text, ['a', 'b'])", "not in an array"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text, 3)", "must be a string"),
        ("SELECT * FROM c ORDER BY RANK FullTextScore(c.text)", "function FULLTEXTSCORE takes at least 2 arguments"),
        ("SELECT VALUE ARRAY(SELECT VALUE t FROM t IN c.tags ORDER BY RANK FullTextScore(t.x, 'a')) FROM c",
         "'ORDER BY' is not supported in subqueries"),
        ("SELECT * FROM c ORDER BY RANK RRF()", "at least two scoring functions"),
    ])
    func misplacedScoringIsRefused(query: String, words: String) throws {
        let test = try Self.store(items: 2)
        let message = expectStatus(400) { _ = try queryAll(test.store, "c", query) }
        #expect(message?.contains(words) == true, "\(message ?? "")")
    }
}
