// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite query ...` end to end.
struct QueryCommandTests {
    @Test func pagesParametersExplainAndErrors() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let lines = (0..<7).map { #"{"id": "i\#($0)", "tenantId": "t\#($0 % 2)", "rank": \#(7 - $0)}"# }.joined(separator: "\n")
        _ = try box.ok(["items", "upsert", "c", "--lines"], stdin: lines)

        let sql = "SELECT VALUE c.id FROM c WHERE c.tenantId = @t ORDER BY c.rank"
        let first = try box.ok(["query", "c", sql, "--param", #"t="t0""#, "--max-item-count", "2"]).jsonLines()
        #expect(first.count == 1)
        #expect(first[0]["items"] == ["i6", "i4"])
        let token = try #require(first[0]["continuation"]?.stringValue)
        let rest = try box.ok(["query", "c", sql, "--param", #"t="t0""#, "--max-item-count", "2", "--continuation", token, "--all"]).jsonLines()
        #expect(rest.flatMap { $0["items"]?.arrayValue ?? [] } == ["i2", "i0"])
        #expect(rest.last?["continuation"] == .null)

        let all = try box.ok(["query", "c", "SELECT * FROM c", "--max-item-count", "3", "--all"]).jsonLines()
        #expect(all.count == 3)
        #expect(all.flatMap { $0["items"]?.arrayValue ?? [] }.count == 7)
        // A query over a FROM subquery pages too.
        let nested = try box.ok(["query", "c", "SELECT VALUE s.id FROM (SELECT c.id, c.rank FROM c) s ORDER BY s.rank",
                                 "--max-item-count", "3", "--all"]).jsonLines()
        #expect(nested.map { $0["items"]?.arrayValue?.count ?? 0 } == [3, 3, 1])
        #expect(nested.flatMap { $0["items"]?.arrayValue ?? [] } == (0..<7).reversed().map { .string("i\($0)") })

        let explain = try box.ok(["query", "c", sql, "--param", #"t="t0""#, "--explain"]).json()
        #expect(explain["plan"]?.stringValue?.contains("partition range index") == true)

        let bad = try box.run(["query", "c", "SELECT * FROM c WHERE"])
        #expect(bad.status != 0)
        #expect(bad.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(bad.summary)")
        let missing = try box.run(["query", "c", sql])
        #expect(missing.firstErrorLine.contains("@t"), "\(missing.summary)")
        // A parameter given twice is refused, as the service refuses a duplicate parameter name.
        let twice = try box.run(["query", "c", sql, "--param", #"t="t0""#, "--param", #"@t="t1""#])
        #expect(twice.firstErrorLine == "error: 400 Bad Request: parameter @t is given twice; pass each parameter once "
                + "(--param or --param-file)", "\(twice.summary)")
    }

    /// A query of '-' is read from standard input: a text longer than a command line takes (Linux caps one argument
    /// at 128 KiB) still reaches the 512 KB limit of the query language.
    @Test func aLongQueryComesFromStandardInput() throws {
        let box = Sandbox()
        try box.createContainer("c")
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "a", "tenantId": "t", "n": 1}"#)
        let values = (0..<30_000).map { String($0 + 2) }.joined(separator: ", ")
        let long = "SELECT VALUE c.id FROM c WHERE c.n IN (1, \(values))"
        #expect(long.utf8.count > 128 * 1024 && long.utf8.count < 512 * 1024)
        let page = try box.ok(["query", "c", "-"], stdin: long).jsonLines()
        #expect(page.first?["items"] == ["a"])
        let tooLong = try box.run(["query", "c", "-"], stdin: long + String(repeating: " ", count: 512 * 1024))
        #expect(tooLong.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(tooLong.summary)")
        let empty = try box.run(["query", "c", "-"], stdin: "  \n")
        #expect(empty.firstErrorLine == "error: 400 Bad Request: the query is '-' (read it from standard input), but "
                    + "standard input holds no query", "\(empty.summary)")
        let both = try box.run(["query", "c", "-", "--param-file", "q=-"], stdin: "SELECT * FROM c")
        #expect(both.firstErrorLine == "error: 400 Bad Request: only one of the query and the --param-file values can "
                    + "read standard input ('-')", "\(both.summary)")
    }

    @Test func vectorSearchPagesMostSimilarFirst() throws {
        let box = Sandbox()
        try box.createContainer("docs", extra: #", "vectorEmbeddingPolicy": {"vectorEmbeddings": [{"path": "/v", "#
            + #""dimensions": 2, "distanceFunction": "euclidean"}]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
            + #""vectorIndexes": [{"path": "/v", "type": "flat"}]}"#)
        // Distances from [0, 0]: i0 0, i1 1, i2 2, ...; i5 has no vector.
        let lines = (0..<5).map { #"{"id": "i\#($0)", "tenantId": "t\#($0 % 2)", "v": [\#($0), 0]}"# }
            + [#"{"id": "i5", "tenantId": "t0"}"#]
        _ = try box.ok(["items", "upsert", "docs", "--lines"], stdin: lines.joined(separator: "\n"))
        let sql = "SELECT VALUE c.id FROM c ORDER BY VectorDistance(c.v, @q)"
        let pages = try box.ok(["query", "docs", sql, "--param", "q=[0.1, 0]", "--max-item-count", "2", "--all"]).jsonLines()
        #expect(pages.map { $0["items"] } == [["i0", "i1"], ["i2", "i3"], ["i4"]])
        let explain = try box.ok(["query", "docs", sql, "--param", "q=[0, 0]", "--explain"]).json()
        #expect(explain["plan"]?.stringValue?.contains("ranked by VectorDistance (euclidean, lowest first)") == true)
        let described = try box.ok(["containers", "get", "docs"]).json()
        #expect(described["vectorEmbeddingPolicy"]?["vectorEmbeddings"]?.arrayValue?.first?["distanceFunction"] == "euclidean")
        // A long vector comes from a file, or from standard input.
        let file = try box.write("q.json", "[3.9,\n 0]")
        let fromFile = try box.ok(["query", "docs", sql, "--param-file", "q=\(file)", "--max-item-count", "2"]).jsonLines()
        #expect(fromFile.first?["items"] == ["i4", "i3"])
        let fromInput = try box.ok(["query", "docs", sql, "--param-file", "@q=-", "--max-item-count", "2"], stdin: "[2, 0]")
            .jsonLines()
        // i1 and i3 are as far from [2, 0]: ties come in document-key order (same partition, ids i1 < i3).
        #expect(fromInput.first?["items"] == ["i2", "i1"])
        let missing = try box.run(["query", "docs", sql, "--param-file", "q=\(file).absent"])
        #expect(missing.firstErrorLine.contains("no such file"), "\(missing.summary)")
        let both = try box.run(["query", "docs", sql, "--param", "q=[1, 0]", "--param-file", "q=\(file)"])
        #expect(both.firstErrorLine.contains("parameter @q is given twice"), "\(both.summary)")
        let refused = try box.run(["query", "docs", sql + " DESC", "--param", "q=[0, 0]"])
        #expect(refused.firstErrorLine.contains("Specifying a sorting order (ASC or DESC) with VectorDistance"),
                "\(refused.summary)")
    }

    @Test func fullTextSearchFiltersAndRanks() throws {
        let box = Sandbox()
        try box.createContainer("docs", extra: #", "fullTextPolicy": {"defaultLanguage": "en-US", "fullTextPaths": "#
            + #"[{"path": "/text"}]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
            + #""fullTextIndexes": [{"path": "/text"}]}, "vectorEmbeddingPolicy": {"vectorEmbeddings": "#
            + #"[{"path": "/v", "dimensions": 2}]}"#)
        let lines = [
            #"{"id": "a", "tenantId": "t0", "text": "Red bicycles for sale", "v": [1, 0]}"#,
            #"{"id": "b", "tenantId": "t1", "text": "A red car and a red bicycle", "v": [0, 1]}"#,
            #"{"id": "c", "tenantId": "t0", "text": "Mountain biking", "v": [1, 1]}"#,
            #"{"id": "d", "tenantId": "t1", "v": [-1, 0]}"#,
        ]
        _ = try box.ok(["items", "upsert", "docs", "--lines"], stdin: lines.joined(separator: "\n"))
        let filtered = try box.ok(["query", "docs", "SELECT VALUE c.id FROM c WHERE FullTextContains(c.text, 'Bicycle')"])
            .jsonLines()
        #expect(filtered.first?["items"]?.arrayValue?.compactMap(\.stringValue).sorted() == ["a", "b"])
        let explain = try box.ok(["query", "docs", "SELECT * FROM c WHERE FullTextContains(c.text, 'red')", "--explain"])
            .json()
        #expect(explain["plan"]?.stringValue?.contains("full-text index /text (1 term)") == true)
        // Ranked: b has "red" twice; items without the words follow, in document-key order.
        let sql = "SELECT VALUE c.id FROM c ORDER BY RANK FullTextScore(c.text, 'red', 'bicycle')"
        let pages = try box.ok(["query", "docs", sql, "--max-item-count", "2", "--all"]).jsonLines()
        #expect(pages.map { $0["items"] } == [["b", "a"], ["c", "d"]])
        // RRF returns every result in one page (it cannot be continued).
        let fused = "SELECT VALUE c.id FROM c ORDER BY RANK RRF(FullTextScore(c.text, 'mountain'), "
            + "VectorDistance(c.v, [1, 1]))"
        let all = try box.ok(["query", "docs", fused, "--all"]).jsonLines()
        #expect(all.count == 1 && all.first?["items"]?.arrayValue?.first == "c")
        let refused = try box.run(["query", "docs", "SELECT FullTextScore(c.text, 'red') FROM c"])
        #expect(refused.firstErrorLine.contains("error: 400") && refused.firstErrorLine.contains("ORDER BY RANK"),
                "\(refused.summary)")
    }

    /// Spatial queries through the command line: a container with the Azure portal's spatial index, a distance
    /// filter read from the index with a GeoJSON parameter, and the validity functions.
    @Test func spatialQueriesReadTheSpatialIndex() throws {
        let box = Sandbox()
        try box.createContainer("places", extra: #", "indexingPolicy": {"includedPaths": [{"path": "/*"}], "#
            + #""spatialIndexes": [{"path": "/*", "types": ["Point", "LineString", "Polygon", "MultiPolygon"]}]}"#)
        let lines = [
            #"{"id": "hq", "tenantId": "t0", "location": {"type": "Point", "coordinates": [-122.12827, 47.6398]}}"#,
            #"{"id": "rd", "tenantId": "t1", "location": {"type": "Point", "coordinates": [-96.84369, 46.81298]}}"#,
            #"{"id": "bad", "tenantId": "t1", "location": {"type": "Point", "coordinates": [31.9, -132.8]}}"#,
        ]
        _ = try box.ok(["items", "upsert", "places", "--lines"], stdin: lines.joined(separator: "\n"))
        let sql = "SELECT VALUE c.id FROM c WHERE ST_DISTANCE(c.location, @p) < 5000"
        let point = #"p={"type": "Point", "coordinates": [-122.11758, 47.66901]}"#
        let near = try box.ok(["query", "places", sql, "--param", point]).jsonLines()
        #expect(near.first?["items"] == ["hq"])
        let explain = try box.ok(["query", "places", sql, "--param", point, "--explain"]).json()
        #expect(explain["plan"]?.stringValue?.contains("spatial index /location") == true)
        let validity = try box.ok(["query", "places", "SELECT VALUE ST_ISVALIDDETAILED(c.location) FROM c WHERE c.id = 'bad'"])
            .jsonLines()
        #expect(validity.first?["items"]?.arrayValue?.first?["reason"]
            == "Latitude values must be between -90 and 90 degrees.")
    }
}
