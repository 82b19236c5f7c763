// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// `STARTSWITH(path, prefix)` and `path LIKE 'prefix%...'` read the key range of the strings with that prefix from a
/// range or composite index (or `docs`, for the partition key and the id) instead of scanning, as Cosmos DB serves
/// them from its range indexes. The condition stays a filter, so the range only has to hold every match.
struct PrefixRangeTests {
    /// 300 partitions of 10 items; every 100th item is named `acme-<n>`.
    static func store() throws -> TestStore {
        try indexedStore(items: 3000) { i in
            ["id": .string("i\(i)"), "tenantId": .string("t\(i / 10)"),
             "name": .string(i % 100 == 0 ? "acme-\(i)" : "n\(i)")]
        }
    }

    /// `filtered`: whether the condition must still be tested per item (the pattern says more than the prefix).
    @Test(arguments: [
        ("SELECT * FROM c WHERE STARTSWITH(c.name, 'acme-')", 30, false),
        ("SELECT * FROM c WHERE STARTSWITH(c.name, 'acme-', false)", 30, false),
        ("SELECT * FROM c WHERE c.name LIKE 'acme-%'", 30, false),
        ("SELECT * FROM c WHERE c.name LIKE 'acme-1%'", 11, false),
        ("SELECT * FROM c WHERE c.name LIKE 'acme-2_00'", 10, true),
        ("SELECT * FROM c WHERE c.name LIKE 'acme-%0'", 30, true),
        ("SELECT * FROM c WHERE STARTSWITH(c.name, 'acme-') ORDER BY c.name DESC", 30, false),
    ])
    func crossPartitionPrefixReadsOnlyItsRange(query: String, matches: Int, filtered: Bool) throws {
        let test = try Self.store()
        let page = try test.store.query(in: "c", query, maxItemCount: 100)
        #expect(page.plan.contains("cross-partition range index /name (prefix)"), "\(page.plan)")
        #expect(page.plan.contains("residual filter: WHERE") == filtered, "\(page.plan)")
        #expect(page.items.count == matches)
        #expect(page.metrics.indexEntriesRead <= 31, "\(page.metrics)")
        let names = try page.items.map { try $0.value()["name"]?.stringValue ?? "" }
        #expect(names.allSatisfy { $0.hasPrefix("acme-") })
        if query.contains("ORDER BY") { #expect(names == names.sorted(by: >)) }
    }

    @Test func partitionKeyAndIdPrefixes() throws {
        let test = try Self.store()
        let inPartition = try test.store.query(in: "c", "SELECT * FROM c WHERE c.tenantId = 't1' AND STARTSWITH(c.name, 'n1')",
                                               maxItemCount: 100)
        #expect(inPartition.plan.contains("partition range index /name (prefix)"), "\(inPartition.plan)")
        #expect(ids(try inPartition.items.map { try $0.value() }).sorted() == (10...19).map { "i\($0)" })
        let byID = try test.store.query(in: "c", "SELECT * FROM c WHERE STARTSWITH(c.id, 'i2')",
                                        partitionKey: PartitionKey("t2"), maxItemCount: 100)
        #expect(byID.plan.contains("partition scan by id (prefix)"), "\(byID.plan)")
        #expect(byID.items.count == 10)
        let byKey = try test.store.query(in: "c", "SELECT * FROM c WHERE STARTSWITH(c.tenantId, 't29')", maxItemCount: 200)
        #expect(byKey.plan.contains("scan by partition key (prefix)"), "\(byKey.plan)")
        #expect(byKey.items.count == 110)   // t29 and t290 ... t299
        #expect(byKey.metrics.documentsLoaded == 110, "\(byKey.metrics)")
    }

    /// Conditions a prefix range would answer wrongly are left to the filter.
    @Test(arguments: [
        ("SELECT * FROM c WHERE STARTSWITH(c.name, 'ACME-', true)", 30),
        ("SELECT * FROM c WHERE c.name LIKE '%cme-%'", 30),
        ("SELECT * FROM c WHERE c.name LIKE '[a]cme-%'", 30),
        ("SELECT * FROM c WHERE c.name NOT LIKE 'n%'", 30),
        ("SELECT * FROM c WHERE NOT STARTSWITH(c.name, 'n')", 30),
    ])
    func conditionsWithoutAPrefixScan(query: String, matches: Int) throws {
        let test = try Self.store()
        let page = try test.store.query(in: "c", query, maxItemCount: 100)
        #expect(!page.plan.contains("prefix"), "\(page.plan)")
        #expect(page.items.count == matches)
    }

    /// Strings near and past the key bound (stored truncated, with a digest), with NUL bytes, with multi-byte
    /// characters, and values of other types: the indexed answers equal those of an unindexed container, for
    /// prefixes shorter than the truncated form keeps, between that and the bound, and past the bound; through a
    /// range index, and through a composite index whose next path is descending.
    @Test func prefixesAtTheKeyBoundsMatchAScan() throws {
        let test = try storeWithContainers([
            "range": indexAll,
            "composite": #"{"includedPaths": [{"path": "/k/?"}], "excludedPaths": [{"path": "/*"}], "#
                + #""compositeIndexes": [[{"path": "/k"}, {"path": "/name", "order": "descending"}]]}"#,
            "plain": indexNothing,
        ])
        let store = test.store
        let stem = String(repeating: "x", count: 100)
        var names: [JSONValue] = [.null, .number(1), .bool(true), .array([.string("a")]), "", "a", "a\u{0}", "a\u{0}b", "a\u{1}", "ab",
                                  "é", "éa", "e\u{301}", "\u{10FFFF}", "b"]
        for length in [0, 5, 9, 10, 11, 20, 27, 28, 40, 60] {
            for tail in ["", "a", "b", "é", "\u{0}"] {
                names.append(.string(stem + String(repeating: "y", count: length) + tail))
            }
        }
        var ops = [BatchOperation]()
        for (i, name) in names.enumerated() {
            ops.append(BatchOperation(.create, resourceBody: .object([
                "id": .string("d\(i)"), "pk": .string("p\(i % 3)"), "k": "k", "name": name,
            ])))
        }
        for container in ["range", "composite", "plain"] {
            #expect(try store.bulk(in: container, operations: ops).allSatisfy { $0.isSuccess })
        }
        var prefixes = ["", "a", "a\u{0}", "é", "e", "\u{10FFFF}", "z"]
        for length in [0, 9, 10, 11, 27, 28, 29, 40] {
            prefixes.append(stem + String(repeating: "y", count: length))
            prefixes.append(stem + String(repeating: "y", count: length) + "a")
        }
        var matched = 0
        for prefix in prefixes {
            let like = prefix.unicodeScalars.map { "%_[!".unicodeScalars.contains($0) ? "!\($0)" : "\($0)" }.joined() + "%"
            let all: [String: JSONValue] = ["p": .string(prefix), "l": .string(like)]
            let context = "prefix of \(prefix.utf8.count) bytes: \(prefix.debugDescription)"
            for condition in ["STARTSWITH(c.name, @p)", "c.name LIKE @l ESCAPE '!'"] {
                let expected = ids(try queryAll(store, "plain", "SELECT * FROM c WHERE \(condition)", parameters: all)).sorted()
                if !expected.isEmpty { matched += 1 }
                let ranged = "SELECT * FROM c WHERE \(condition)"
                // LIKE '%' has no literal prefix: it is left to the filter.
                let usesPrefix = !(prefix.isEmpty && condition.contains("LIKE"))
                #expect(try store.explain(in: "range", ranged, parameters: all).contains("(prefix)") == usesPrefix, "\(context)")
                #expect(ids(try queryAll(store, "range", ranged, parameters: all, pageSize: 4)).sorted() == expected,
                        "\(context), \(condition), range index")
                let composite = "SELECT * FROM c WHERE c.k = 'k' AND \(condition)"
                #expect(try store.explain(in: "composite", composite, parameters: all).contains("range /name") == usesPrefix,
                        "\(context)")
                #expect(ids(try queryAll(store, "composite", composite, parameters: all, pageSize: 4)).sorted() == expected,
                        "\(context), \(condition), composite index")
            }
        }
        // Every prefix has matches but "z" and the stem with 29 "y" and an "a": no name has it, though the truncated
        // keys of longer names share its range ("e" matches "e" + U+0301: the comparison is ordinal).
        #expect(matched == 2 * (prefixes.count - 2), "\(matched)")
    }
}
