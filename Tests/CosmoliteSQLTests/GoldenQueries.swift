// SPDX-License-Identifier: Apache-2.0

// MARK: - Golden queries

/// Query text and the expected canonical dump (`Query.description`). Shared by the golden test, the
/// round-trip test and the fuzz seed corpus.
enum GoldenQueries {
    static let cases: [(query: String, dump: String)] = [
        // W1's queries.
        (
            "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name",
            "SELECT * FROM c WHERE (c.tenantId = @t) ORDER BY c.name ASC"
        ),
        (
            "SELECT * FROM c WHERE c.tenantId = @t AND c.connectionStatus = 'error' ORDER BY c.updatedAt DESC",
            #"SELECT * FROM c WHERE ((c.tenantId = @t) AND (c.connectionStatus = "error")) ORDER BY c.updatedAt DESC"#
        ),
        (
            "SELECT * FROM c WHERE c.connectionStatus = 'expired' ORDER BY c.updatedAt DESC",
            #"SELECT * FROM c WHERE (c.connectionStatus = "expired") ORDER BY c.updatedAt DESC"#
        ),
        (
            #"select * from c where c.status = "active" and c.n > 5 order by c.name"#,
            #"SELECT * FROM c WHERE ((c.status = "active") AND (c.n > 5)) ORDER BY c.name ASC"#
        ),
        // FROM forms.
        ("SELECT * FROM c", "SELECT * FROM c"),
        ("SELECT * FROM root", "SELECT * FROM root"),
        ("SELECT * FROM root r", "SELECT * FROM root AS r"),
        ("SELECT * FROM c AS x", "SELECT * FROM c AS x"),
        ("SELECT * FROM c c", "SELECT * FROM c"),
        ("SELECT x FROM x IN c.arr", "SELECT x FROM x IN c.arr"),
        ("SELECT * FROM c.children", "SELECT * FROM c.children"),
        ("SELECT * FROM c.children ch", "SELECT * FROM c.children AS ch"),
        ("SELECT * FROM c.children AS children", "SELECT * FROM c.children"),
        (#"SELECT * FROM c["a-b"] x"#, #"SELECT * FROM c["a-b"] AS x"#),
        ("SELECT * FROM c.a.b[0] z", "SELECT * FROM c.a.b[0] AS z"),
        ("SELECT * FROM x IN c.a[@i].list", "SELECT * FROM x IN c.a[@i].list"),
        ("SELECT VALUE f FROM f IN c.items WHERE f.n > 0", "SELECT VALUE f FROM f IN c.items WHERE (f.n > 0)"),
        // JOIN.
        (
            "SELECT c.id, t FROM c JOIN t IN c.tags JOIN s IN t.subs",
            "SELECT c.id, t FROM c JOIN t IN c.tags JOIN s IN t.subs"
        ),
        (
            "SELECT c, t FROM c JOIN t IN c.tags WHERE t.name = @n",
            "SELECT c, t FROM c JOIN t IN c.tags WHERE (t.name = @n)"
        ),
        // Projections.
        (
            #"SELECT c.a, c.b AS x, c["weird-key"] y FROM c"#,
            #"SELECT c.a, c.b AS x, c["weird-key"] AS y FROM c"#
        ),
        ("SELECT VALUE c.id FROM c", "SELECT VALUE c.id FROM c"),
        ("SELECT DISTINCT c.a FROM c", "SELECT DISTINCT c.a FROM c"),
        ("SELECT DISTINCT VALUE c.a FROM c", "SELECT DISTINCT VALUE c.a FROM c"),
        ("SELECT TOP 10 * FROM c", "SELECT TOP 10 * FROM c"),
        ("SELECT DISTINCT TOP @n c.a FROM c", "SELECT DISTINCT TOP @n c.a FROM c"),
        ("SELECT 1", "SELECT 1"),
        ("SELECT +c.n, ~c.m FROM c", "SELECT (+c.n), (~c.m) FROM c"),
        // Arithmetic and precedence.
        ("SELECT VALUE 1 + 2 * 3 - 4 / 5 % 6", "SELECT VALUE ((1 + (2 * 3)) - ((4 / 5) % 6))"),
        ("SELECT VALUE (1 + 2) * 3", "SELECT VALUE ((1 + 2) * 3)"),
        ("SELECT VALUE -5", "SELECT VALUE -5"),
        ("SELECT VALUE -(5)", "SELECT VALUE -5"),
        ("SELECT VALUE - -5", "SELECT VALUE 5"),
        ("SELECT VALUE -c.n FROM c", "SELECT VALUE (-c.n) FROM c"),
        ("SELECT VALUE 2 - -3 * 4", "SELECT VALUE (2 - (-3 * 4))"),
        ("SELECT VALUE (-5).x", "SELECT VALUE (-5).x"),
        (#"SELECT VALUE 'a' || "b" || c.d FROM c"#, #"SELECT VALUE (("a" || "b") || c.d) FROM c"#),
        ("SELECT VALUE 1 | 2 ^ 3 & 4 << 5 >> 6 >>> 7", "SELECT VALUE (1 | (2 ^ (3 & (((4 << 5) >> 6) >>> 7))))"),
        ("SELECT VALUE c.a & 1 = 1 FROM c", "SELECT VALUE ((c.a & 1) = 1) FROM c"),
        ("SELECT VALUE 1 + 2 << 3", "SELECT VALUE ((1 + 2) << 3)"),
        ("SELECT VALUE ~1", "SELECT VALUE (~1)"),
        // Coalesce and conditional.
        ("SELECT VALUE c.a ?? c.b ?? 1 FROM c", "SELECT VALUE ((c.a ?? c.b) ?? 1) FROM c"),
        ("SELECT VALUE c.a OR c.b ?? c.c FROM c", "SELECT VALUE ((c.a OR c.b) ?? c.c) FROM c"),
        ("SELECT VALUE c.a ? 1 : c.b ? 2 : 3 FROM c", "SELECT VALUE (c.a ? 1 : (c.b ? 2 : 3)) FROM c"),
        ("SELECT VALUE c.a ? c.b ? 1 : 2 : 3 FROM c", "SELECT VALUE (c.a ? (c.b ? 1 : 2) : 3) FROM c"),
        ("SELECT VALUE c.a ?? c.b ? 1 : 2 FROM c", "SELECT VALUE ((c.a ?? c.b) ? 1 : 2) FROM c"),
        ("SELECT VALUE undefined ?? 'x'", #"SELECT VALUE (undefined ?? "x")"#),
        // Logic and comparisons.
        (
            "SELECT * FROM c WHERE NOT c.a = 1 OR c.b AND NOT c.c",
            "SELECT * FROM c WHERE ((NOT (c.a = 1)) OR (c.b AND (NOT c.c)))"
        ),
        ("SELECT * FROM c WHERE c.a OR c.b AND c.c", "SELECT * FROM c WHERE (c.a OR (c.b AND c.c))"),
        ("SELECT * FROM c WHERE NOT NOT c.done", "SELECT * FROM c WHERE (NOT (NOT c.done))"),
        ("SELECT * FROM c WHERE c.a = 1 = true", "SELECT * FROM c WHERE ((c.a = 1) = true)"),
        ("SELECT * FROM c WHERE c.a <> 1 AND c.b != 2", "SELECT * FROM c WHERE ((c.a != 1) AND (c.b != 2))"),
        (
            "SELECT * FROM c WHERE c.a < 1 OR c.a <= 2 OR c.a > 3 OR c.a >= 4",
            "SELECT * FROM c WHERE ((((c.a < 1) OR (c.a <= 2)) OR (c.a > 3)) OR (c.a >= 4))"
        ),
        ("SELECT VALUE true AND false OR null", "SELECT VALUE ((true AND false) OR null)"),
        ("SELECT c.a FROM c WHERE (c.a)", "SELECT c.a FROM c WHERE c.a"),
        (#"SELECT VALUE 'single' = "double""#, #"SELECT VALUE ("single" = "double")"#),
        // IN, BETWEEN, LIKE.
        (
            "SELECT * FROM c WHERE c.a NOT IN (1, 2, 'x') AND c.b IN (@p)",
            #"SELECT * FROM c WHERE ((c.a NOT IN (1, 2, "x")) AND (c.b IN (@p)))"#
        ),
        ("SELECT * FROM c WHERE NOT c.a IN (1)", "SELECT * FROM c WHERE (NOT (c.a IN (1)))"),
        (
            "SELECT * FROM c WHERE c.n BETWEEN 1 AND 5 AND c.m NOT BETWEEN -1 AND 2",
            "SELECT * FROM c WHERE ((c.n BETWEEN 1 AND 5) AND (c.m NOT BETWEEN -1 AND 2))"
        ),
        (
            "SELECT * FROM c WHERE c.n BETWEEN c.lo + 1 AND c.hi * 2",
            "SELECT * FROM c WHERE (c.n BETWEEN (c.lo + 1) AND (c.hi * 2))"
        ),
        (
            "SELECT * FROM c WHERE c.s LIKE 'a%' ESCAPE '!' OR c.s NOT LIKE @p",
            #"SELECT * FROM c WHERE ((c.s LIKE "a%" ESCAPE "!") OR (c.s NOT LIKE @p))"#
        ),
        // Constructors and access.
        ("SELECT VALUE [1, c.a, [], {}] FROM c", "SELECT VALUE [1, c.a, [], {}] FROM c"),
        (
            #"SELECT VALUE {"a": 1, b: c.x, "c-d": [true, false, null, undefined]} FROM c"#,
            #"SELECT VALUE {"a": 1, "b": c.x, "c-d": [true, false, null, undefined]} FROM c"#
        ),
        (#"SELECT VALUE c.arr[0][@i]["k"] FROM c"#, #"SELECT VALUE c.arr[0][@i]["k"] FROM c"#),
        (#"SELECT VALUE c["value"] FROM c"#, #"SELECT VALUE c["value"] FROM c"#),
        ("SELECT VALUE c.a.b.c FROM c", "SELECT VALUE c.a.b.c FROM c"),
        ("SELECT VALUE [1, 2][0]", "SELECT VALUE [1, 2][0]"),
        // Literals.
        (
            #"SELECT VALUE 'it\'s \"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00'"#,
            #"SELECT VALUE "it's \"q\" \\ / \b\f\n\r\t é 😀""#
        ),
        (
            "SELECT VALUE 1.5e3 + 2E-2 + 0.1 + 12345678901234567890",
            "SELECT VALUE (((1500 + 0.02) + 0.1) + 12345678901234567000)"
        ),
        ("SELECT * FROM c WHERE c.a = -0.5e-3", "SELECT * FROM c WHERE (c.a = -0.0005)"),
        // Functions and aggregates.
        ("SELECT COUNT(1) FROM c", "SELECT COUNT(1) FROM c"),
        ("SELECT VALUE COUNT(1) FROM c", "SELECT VALUE COUNT(1) FROM c"),
        (
            "SELECT c.a, COUNT(1) AS n, SUM(c.x), min(c.x), Max(c.x), avg(c.x) FROM c GROUP BY c.a",
            "SELECT c.a, COUNT(1) AS n, SUM(c.x), MIN(c.x), MAX(c.x), AVG(c.x) FROM c GROUP BY c.a"
        ),
        ("SELECT c.a, c.b FROM c GROUP BY c.a, c.b", "SELECT c.a, c.b FROM c GROUP BY c.a, c.b"),
        ("SELECT VALUE {\"n\": COUNT(1)} FROM c", "SELECT VALUE {\"n\": COUNT(1)} FROM c"),
        (
            "SELECT VALUE StartsWith(c.name, 'a', true) FROM c",
            #"SELECT VALUE STARTSWITH(c.name, "a", true) FROM c"#
        ),
        (
            "SELECT * FROM c WHERE StringEquals(c.a, @s, true) AND ARRAY_CONTAINS(c.tags, 'x') AND IS_DEFINED(c.y)",
            #"SELECT * FROM c WHERE ((STRINGEQUALS(c.a, @s, true) AND ARRAY_CONTAINS(c.tags, "x"))"#
                + " AND IS_DEFINED(c.y))"
        ),
        ("SELECT VALUE GetCurrentDateTime()", "SELECT VALUE GETCURRENTDATETIME()"),
        ("SELECT VALUE CONCAT(c.a, '-', c.b) FROM c", #"SELECT VALUE CONCAT(c.a, "-", c.b) FROM c"#),
        ("SELECT VALUE lower(trim(c.name)) FROM c", "SELECT VALUE LOWER(TRIM(c.name)) FROM c"),
        // ORDER BY, OFFSET, LIMIT.
        (
            "SELECT * FROM c ORDER BY c.a ASC, c.b DESC OFFSET 10 LIMIT 20",
            "SELECT * FROM c ORDER BY c.a ASC, c.b DESC OFFSET 10 LIMIT 20"
        ),
        ("SELECT * FROM c OFFSET @o LIMIT @l", "SELECT * FROM c OFFSET @o LIMIT @l"),
        (
            "SELECT * FROM c WHERE c.a = 1 ORDER BY c._ts DESC OFFSET 0 LIMIT 5",
            "SELECT * FROM c WHERE (c.a = 1) ORDER BY c._ts DESC OFFSET 0 LIMIT 5"
        ),
        // Subqueries.
        (
            "SELECT c.id FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t.name = 'winter')",
            #"SELECT c.id FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE (t.name = "winter"))"#
        ),
        (
            "SELECT c.id, ARRAY(SELECT DISTINCT VALUE t.name FROM t IN c.tags) AS names FROM c",
            "SELECT c.id, ARRAY(SELECT DISTINCT VALUE t.name FROM t IN c.tags) AS names FROM c"
        ),
        (
            "select (select value count(1) from s in c.sizes where s >= @min) as n from c",
            "SELECT (SELECT VALUE COUNT(1) FROM s IN c.sizes WHERE (s >= @min)) AS n FROM c"
        ),
        (
            "SELECT VALUE COUNT(1) FROM p JOIN (SELECT VALUE t FROM t IN p.tags WHERE t.q > 2) "
                + "JOIN (SELECT VALUE s FROM s IN p.sizes WHERE s > 1) AS s",
            "SELECT VALUE COUNT(1) FROM p JOIN (SELECT VALUE t FROM t IN p.tags WHERE (t.q > 2)) "
                + "JOIN (SELECT VALUE s FROM s IN p.sizes WHERE (s > 1)) AS s"
        ),
        (
            "SELECT * FROM c WHERE NOT EXISTS(SELECT TOP 1 VALUE y FROM a.b x JOIN y IN x.list WHERE y = c.id)",
            "SELECT * FROM c WHERE (NOT EXISTS(SELECT TOP 1 VALUE y FROM a.b AS x JOIN y IN x.list WHERE (y = c.id)))"
        ),
        ("SELECT VALUE (SELECT VALUE 1)", "SELECT VALUE (SELECT VALUE 1)"),
        (
            "select first(select value t from t in c.tags) as f, Last(select value t.x from t in c.tags) from c "
                + "where all(select value t from t in c.tags where t.q > 2)",
            "SELECT FIRST(SELECT VALUE t FROM t IN c.tags) AS f, LAST(SELECT VALUE t.x FROM t IN c.tags) FROM c "
                + "WHERE ALL(SELECT VALUE t FROM t IN c.tags WHERE (t.q > 2))"
        ),
        // An outer ORDER BY over a FROM subquery stays where it was written.
        (
            "SELECT * FROM (SELECT VALUE d.item FROM d WHERE d.kind = 'x') c ORDER BY c.createdAt DESC",
            #"SELECT * FROM (SELECT VALUE d.item FROM d WHERE (d.kind = "x")) AS c ORDER BY c.createdAt DESC"#
        ),
        // Layout.
        ("SELECT   *\n  FROM c\r\n\tWHERE c.a = 1  ", "SELECT * FROM c WHERE (c.a = 1)"),
    ]
}
