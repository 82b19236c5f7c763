// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteSQL
import CosmoliteStorage
import Foundation
import FuzzDriver

// MARK: - Fuzz target

/// libFuzzer's entry point: runs the input (decoded as UTF-8, invalid bytes replaced) as a query over every
/// container of the ``Fixture`` and traps when an invariant breaks:
///
/// - a query either answers or fails with a ``StoreError`` below 500;
/// - on each container, the pages of a small `maxItemCount` (1 to 4) are, concatenated, the pages of 1,000:
///   continuation tokens neither lose nor repeat nor reorder results (a query that cannot be continued, GROUP BY or
///   DISTINCT, and queries over a FROM subquery that aggregates, may refuse their second page with 400);
/// - a query without ORDER BY, TOP or OFFSET gives each indexed container the same results, as a multiset, as the
///   container without indexes: the planner's choice of index never changes an answer. A query ranked by
///   `ORDER BY VectorDistance(...)` (two containers have a vector index, two have none), by
///   `ORDER BY RANK FullTextScore(...)` (two have a full-text index) or by `RRF(...)` gives the same results in the
///   same order everywhere, TOP and OFFSET included;
/// - a query with an ORDER BY (and no TOP or OFFSET) gives the two containers indexing every path the same results,
///   as a multiset: the items lacking an ORDER BY path are results whichever index serves the order;
/// - a top-level `SELECT DISTINCT` returns no result twice.
///
/// - Parameters:
///   - data: The input bytes.
///   - size: The number of input bytes.
/// - Returns: 0, as libFuzzer requires.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    // The page size and the partition scope come from the input's hash, so that an input always replays alike.
    let hash = bytes.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    let pageSize = Int(hash % 4) + 1
    let partitionKey: PartitionKey? = switch (hash >> 8) % 8 {
    case 0: PartitionKey("p1")
    case 1: PartitionKey(1)
    default: nil
    }
    let fixture = Fixture.shared
    var whole = [String: Outcome]()
    // RAND() gives other values at every run: only errors are checked then.
    let deterministic = !text.uppercased().contains("RAND")
    for container in Fixture.containers {
        let all = fixture.run(text, in: container, partitionKey: partitionKey, maxItemCount: 1_000)
        let paged = fixture.run(text, in: container, partitionKey: partitionKey, maxItemCount: pageSize)
        let context = "\(container), pages of \(pageSize), pk \(String(describing: partitionKey))"
        if deterministic { check(paged, against: all, text: text, context: context) }
        whole[container] = all
    }
    guard deterministic else { return 0 }
    // A top-level DISTINCT returns no result twice, whatever orders it.
    let leading = text.drop { $0.isWhitespace }.uppercased()
    if leading.hasPrefix("SELECT") && leading.dropFirst(6).drop(while: { $0.isWhitespace }).hasPrefix("DISTINCT") {
        for (container, outcome) in whole {
            guard case .rows(let rows) = outcome, Set(rows).count != rows.count else { continue }
            fatalError("DISTINCT returned a result twice for \(text.debugDescription) in \(container) "
                + "(pk \(String(describing: partitionKey))): \(rows)")
        }
    }
    if Fixture.comparesOrderedAcrossContainers(text) {
        // An ORDER BY returns every item the rest selects, those lacking its paths included, whichever index serves
        // it: the two containers that index every path ("all" through composites too) agree, as multisets. (Under
        // "explicit", `/a/?` indexes a's scalars only, so an item holding an array there has no entry to order by.)
        let answered = ["all", "ttl"].compactMap { container -> (String, [String])? in
            guard case .rows(let rows)? = whole[container] else { return nil }
            return (container, rows.sorted())
        }
        for (container, rows) in answered.dropFirst() where rows != answered[0].1 {
            fatalError("""
                \(container) and \(answered[0].0) differ for \(text.debugDescription) \
                (pk \(String(describing: partitionKey))):
                \(answered[0].0): \(answered[0].1)
                \(container): \(rows)
                """)
        }
    }
    let ranked = Fixture.isRanked(text)
    guard ranked || Fixture.comparesAcrossContainers(text), case .rows(let expected)? = whole["plain"] else { return 0 }
    let expectedSorted = ranked ? expected : expected.sorted()
    for container in Fixture.containers where container != "plain" {
        guard case .rows(let actual)? = whole[container] else { continue }
        guard (ranked ? actual : actual.sorted()) == expectedSorted else {
            fatalError("""
                \(container) and plain differ for \(text.debugDescription) (pk \(String(describing: partitionKey))):
                plain:  \(expectedSorted)
                \(container): \(actual.sorted())
                """)
        }
    }
    return 0
}

/// What one query gave: its results in order (canonical text, system properties left out), or its error.
enum Outcome: Equatable {
    case rows([String])
    case failed(status: Int, message: String)
}

/// Traps unless the small pages of a query concatenate to its large pages.
private func check(_ paged: Outcome, against all: Outcome, text: String, context: String) {
    switch (all, paged) {
    case (.rows(let expected), .rows(let actual)):
        guard expected == actual else {
            fatalError("paging changed the results of \(text.debugDescription) (\(context)):\n"
                + "whole: \(expected)\npaged: \(actual)")
        }
    case (.rows, .failed(let status, let message)):
        // Queries that cannot be continued: GROUP BY, DISTINCT, RRF, and queries over a FROM subquery that
        // aggregates (a subquery without aggregates pages like any query; no subquery ranks: ORDER BY in a
        // subquery is a 400).
        let upper = text.uppercased()
        let squeezed = upper.filter { !$0.isWhitespace }
        let aggregates = ["COUNT(", "SUM(", "MIN(", "MAX(", "AVG(", "RANK"].contains { squeezed.contains($0) }
        guard status == 400, upper.contains("GROUP") || upper.contains("DISTINCT") || upper.contains("RRF")
                || squeezed.contains("FROM(") && aggregates else {
            fatalError("only the paged run of \(text.debugDescription) failed (\(context)): \(status) \(message)")
        }
    case (.failed(let status, let message), .rows):
        fatalError("only the whole run of \(text.debugDescription) failed (\(context)): \(status) \(message)")
    case (.failed, .failed):
        break
    }
}

// MARK: - Fixture

/// The store every input runs against: the same items in a container without indexes and in three with indexes
/// (everything but one path, explicit paths only, everything with a default TTL), all partitioned by `/pk`.
final class Fixture: @unchecked Sendable {
    /// The fixture, made on first use in a fresh temporary directory.
    static let shared = Fixture()

    /// The containers, the one without indexes first.
    static let containers = ["plain", "all", "explicit", "ttl"]

    /// Parameters every input may use.
    static let parameters: [String: JSONValue] = [
        "p": "s1", "n": 2, "t": "p1", "s": "b", "arr": ["x0", "x1"], "o": ["x": 1], "z": .null,
        "g": ["type": "Point", "coordinates": [-179.995, 10]],
    ]

    let store: Store

    private init() {
        let directory = NSTemporaryDirectory() + "cosmolite-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = StoreConfiguration()
        configuration.durability = .relaxed
        configuration.ttlSweepInterval = nil
        configuration.indexesInBackground = false
        configuration.clock = { 1_700_000_000 }
        store = try! Store.open(at: directory, configuration: configuration)
        let policies = [
            "plain": #"{"indexingMode": "none"}"#,
            "all": #"""
                {"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/name/?"}], "compositeIndexes": [
                  [{"path": "/a"}, {"path": "/b", "order": "descending"}],
                  [{"path": "/pk"}, {"path": "/b"}, {"path": "/a"}],
                  [{"path": "/b"}, {"path": "/n/d", "order": "descending"}]]}
                """#,
            "explicit": #"""
                {"includedPaths": [{"path": "/a/?"}, {"path": "/b/*"}, {"path": "/n/d/?"}, {"path": "/tags/[]/?"},
                                   {"path": "/pk/?"}],
                 "excludedPaths": [{"path": "/*"}],
                 "compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}]]}
                """#,
            "ttl": #"{"includedPaths": [{"path": "/*"}]}"#,
        ]
        // Every container declares the vector path /v and the full-text path /text; "all" and "explicit" index the
        // vectors, "all" and "ttl" the text; "all" indexes every shape spatially, "explicit" those at /loc.
        let spatialIndexes = [
            "all": #", "spatialIndexes": [{"path": "/*", "types": ["Point"]}]"#,
            "explicit": #", "spatialIndexes": [{"path": "/loc/?", "types": ["Point", "Polygon"]}]"#,
        ]
        let vectorIndex = #", "vectorIndexes": [{"path": "/v", "type": "flat"}]"#
        let fullTextIndex = #", "fullTextIndexes": [{"path": "/text"}]"#
        let vectorPolicy = #", "vectorEmbeddingPolicy": {"vectorEmbeddings": [{"path": "/v", "dimensions": 2}]}"#
        let fullTextPolicy = #", "fullTextPolicy": {"fullTextPaths": [{"path": "/text"}]}"#
        let items = Self.items()
        for container in Self.containers {
            let ttl = container == "ttl" ? #", "defaultTtl": 1000000"# : ""
            var policy = String(policies[container]!.dropLast())
            if container == "all" || container == "explicit" { policy += vectorIndex }
            if container == "all" || container == "ttl" { policy += fullTextIndex }
            policy += spatialIndexes[container] ?? ""
            let definition = #"{"id": "\#(container)", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": "#
                + policy + "}" + ttl + vectorPolicy + fullTextPolicy + "}"
            _ = try! store.createContainer(try! ContainerDefinition(json: try! JSONReader.parse(definition)))
            let operations = items.map { BatchOperation(.create, resourceBody: .object($0)) }
            let results = try! store.bulk(in: container, operations: operations)
            precondition(results.allSatisfy(\.isSuccess), "fixture items rejected")
        }
    }

    /// 64 items with every JSON type at the indexed paths, missing properties, long strings sharing a key prefix,
    /// arrays of mixed elements, and partition keys that are strings, a number or missing.
    static func items() -> [JSONObject] {
        let long1 = String(repeating: "q", count: 140) + "1"
        let long2 = String(repeating: "q", count: 140) + "2"
        let scalars: [JSONValue?] = [
            nil, .null, true, false, -2, -1, 0, 0.5, 1, 2.5, 3, 1e300, "s0", "s1", "S1", "", "ab", "abc", "ab%",
            "a_c", "zürich", "Z", .string(long1), .string(long2), [1, 2], ["s1"], ["x": 1], ["x": "s1"],
        ]
        let tags: [JSONValue?] = [
            nil, [], ["x0"], ["x0", "x1"], ["x2", "x1", "x0"], ["x0", 1, .null], [["x0"]], "x0", [["k": "x0"]],
            [.string(long1), .string(long2)], ["x1", "x1"],
        ]
        let words = ["Red", "red,", "bicycle", "bicycles", "the", "of", "run", "Running", "runs;", "don't", "x0",
                     "3.14", "zürich", "Zürich", "ab", "ride.", "the", "bike"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        return (0..<64).map { i in
            var item: JSONObject = ["id": .string("d\(i)")]
            switch i % 16 {
            case 14: break
            case 15: item["pk"] = 1
            default: item["pk"] = .string("p\(next(4))")
            }
            if let a = scalars[next(scalars.count)] { item["a"] = a }
            if next(3) > 0 { item["b"] = .string(next(5) == 0 ? "B1" : "b\(next(4))") }
            switch next(5) {
            case 0: break
            case 1: item["n"] = ["d": "7"]
            case 2: item["n"] = ["d": .null]
            default: item["n"] = ["d": .number(Double(next(10)))]
            }
            if let t = tags[next(tags.count)] { item["tags"] = t }
            if next(2) == 0 {
                item["arr"] = [["k": .number(Double(i)), "v": "a"], ["k": .number(Double(i + 1)), "v": "b"]]
            }
            if next(4) > 0 { item["name"] = .string(next(3) == 0 ? "Ñame \(i)" : "N\(next(20))") }
            // A small vector (ties happen), or none, for VectorDistance.
            if next(4) > 0 { item["v"] = [.number(Double(next(5)) - 2), .number(Double(next(5)) - 2)] }
            // A text of words that share stems, stop words and punctuation, a number, or none, for full-text search.
            switch next(6) {
            case 0: break
            case 1: item["text"] = .number(Double(i))
            default: item["text"] = .string((0..<(1 + next(7))).map { _ in words[next(words.count)] }.joined(separator: " "))
            }
            // A GeoJSON shape near one of a few places (the antimeridian and a pole among them), or an invalid one.
            let places: [(Double, Double)] = [(0, 0), (179.99, 10), (-179.99, 10), (30, 89.99), (1, 1)]
            let place = places[next(places.count)]
            let x = place.0 + Double(next(5)) * 0.004, y = place.1 - Double(next(5)) * 0.004
            switch next(8) {
            case 0: break
            case 1:
                let ring: [JSONValue] = [[.number(x), .number(y)], [.number(x + 0.01), .number(y)],
                                         [.number(x), .number(y + 0.01)], [.number(x), .number(y)]]
                item["loc"] = ["type": "Polygon", "coordinates": [.array(ring)]]
            case 2: item["loc"] = ["type": "Point", "coordinates": [.number(x), 95]]
            case 3: item["loc"] = "here"
            default: item["loc"] = ["type": "Point", "coordinates": [.number(x), .number(y)]]
            }
            return item
        }
    }

    /// Whether `text` is a query ranked by a scoring function alone (`ORDER BY [RANK] VectorDistance(...)`,
    /// `FullTextScore(...)`, `RRF(...)`, as parsed: the words may also stand in a string) without a system property
    /// that differs between containers: then every container returns the same rows in the same order.
    static func isRanked(_ text: String) -> Bool {
        guard let query = try? Query.parse(text), query.orderBy.count == 1,
              case .call(let name, _) = query.orderBy[0].expression, BuiltinFunctions.scoring.contains(name) else {
            return false
        }
        let upper = text.uppercased()
        return !["_RID", "_ETAG", "_SELF", "_ATTACHMENTS", "DOCUMENTID"].contains { upper.contains($0) }
    }

    /// Whether the results of `text` may be compared across containers: no ORDER BY (which items lacking the path
    /// it includes depends on the indexes), no TOP or OFFSET (which items they keep depends on the order), and no
    /// system property that differs between containers (nor DOCUMENTID, read from `_rid`).
    /// Whether the indexed containers that answer `text`, which has an ORDER BY, must give the same multiset of
    /// results: no TOP or OFFSET (which pick among ties), no ranking, nothing that differs by container.
    static func comparesOrderedAcrossContainers(_ text: String) -> Bool {
        let upper = text.uppercased()
        return upper.contains("ORDER") && !isRanked(text) && !["TOP", "OFFSET", "_RID", "_ETAG", "_SELF",
                                                              "_ATTACHMENTS", "DOCUMENTID", "RANK"].contains {
            upper.contains($0)
        }
    }

    static func comparesAcrossContainers(_ text: String) -> Bool {
        let upper = text.uppercased()
        return !["ORDER", "TOP", "OFFSET", "_RID", "_ETAG", "_SELF", "_ATTACHMENTS", "DOCUMENTID"].contains {
            upper.contains($0)
        }
    }

    /// Runs every page of `text` at `maxItemCount`, following the tokens.
    func run(_ text: String, in container: String, partitionKey: PartitionKey?, maxItemCount: Int) -> Outcome {
        var rows = [String]()
        var token: String?
        var pages = 0
        do {
            repeat {
                let page = try store.query(in: container, text, parameters: Self.parameters, partitionKey: partitionKey,
                                           maxItemCount: maxItemCount, continuation: token)
                for item in page.items { rows.append(canonical(try item.value())) }
                token = page.continuation
                pages += 1
                precondition(pages <= 10_000, "more than 10,000 pages: the tokens of \(text.debugDescription) loop")
            } while token != nil
        } catch let error as StoreError {
            precondition(error.status < 500, "\(text.debugDescription) in \(container): \(error)")
            return .failed(status: error.status, message: error.message)
        } catch {
            fatalError("\(text.debugDescription) in \(container) threw a non-store error: \(error)")
        }
        return .rows(rows)
    }
}

/// A value as comparable text: object members sorted, system properties other than `_ts` left out, numbers to 12
/// significant digits (a sum's last bits depend on the order it adds in).
func canonical(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return n == 0 ? "0" : String(format: "%.12g", n)
    case .string: return JSONWriter.string(value)
    case .array(let elements): return "[" + elements.map(canonical).joined(separator: ",") + "]"
    case .object(let object):
        let members = object.members
            .filter { !["_rid", "_etag", "_self", "_attachments"].contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { JSONWriter.string(.string($0.key)) + ":" + canonical($0.value) }
        return "{" + members.joined(separator: ",") + "}"
    }
}

// MARK: - Entry point

/// The program's entry point (SwiftPM's alias of `main` for this target): libFuzzer's driver runs ``fuzz(_:_:)``.
///
/// - Parameters:
///   - argc: The argument count.
///   - argv: The arguments.
/// - Returns: libFuzzer's exit status.
@_cdecl("QueryExecutionFuzzer_main")
public func queryExecutionFuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
