// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteSQL
import Testing

// MARK: - BuiltinFunctionsTests

@Suite struct BuiltinFunctionsTests {
    /// The functions the planner implements, with their argument counts.
    static let expected: [String: ClosedRange<Int>] = [
        "IS_DEFINED": 1...1, "IS_NULL": 1...1, "IS_STRING": 1...1, "IS_NUMBER": 1...1, "IS_BOOL": 1...1,
        "IS_ARRAY": 1...1, "IS_OBJECT": 1...1, "IS_PRIMITIVE": 1...1, "IS_FINITE_NUMBER": 1...1, "IS_INTEGER": 1...1,
        "IS_DATETIME": 1...1,
        "IIF": 3...3, "CHOOSE": 2...1000,
        "STARTSWITH": 2...3, "ENDSWITH": 2...3, "CONTAINS": 2...3, "LOWER": 1...1, "UPPER": 1...1,
        "LENGTH": 1...1, "TRIM": 1...2, "LTRIM": 1...2, "RTRIM": 1...2, "SUBSTRING": 3...3, "CONCAT": 2...1000,
        "INDEX_OF": 2...3, "REPLACE": 3...3, "LEFT": 2...2, "RIGHT": 2...2, "REVERSE": 1...1,
        "STRINGEQUALS": 2...3, "TOSTRING": 1...1, "REPLICATE": 2...2, "STRINGJOIN": 2...2, "STRINGSPLIT": 2...2,
        "REGEXMATCH": 2...3, "STRINGTOARRAY": 1...1, "STRINGTOBOOLEAN": 1...1, "STRINGTONULL": 1...1,
        "STRINGTONUMBER": 1...1, "STRINGTOOBJECT": 1...1,
        "ARRAY_CONTAINS": 2...3, "ARRAY_LENGTH": 1...1,
        "ARRAY_SUM": 1...1, "ARRAY_AVG": 1...1, "ARRAY_MEDIAN": 1...1, "ARRAY_SLICE": 2...3, "ARRAY_CONCAT": 2...1000,
        "ARRAY_CONTAINS_ANY": 2...1000, "ARRAY_CONTAINS_ALL": 2...1000, "SETINTERSECT": 2...2, "SETUNION": 2...2,
        "OBJECTTOARRAY": 1...3,
        "ABS": 1...1, "CEILING": 1...1, "FLOOR": 1...1, "ROUND": 1...2, "TRUNC": 1...1, "SQRT": 1...1,
        "SQUARE": 1...1, "SIGN": 1...1, "POWER": 2...2, "LOG": 1...2, "EXP": 1...1, "LOG10": 1...1, "PI": 0...0,
        "SIN": 1...1, "COS": 1...1, "TAN": 1...1, "COT": 1...1, "ASIN": 1...1, "ACOS": 1...1, "ATAN": 1...1,
        "ATN2": 2...2, "DEGREES": 1...1, "RADIANS": 1...1, "NUMBERBIN": 1...2,
        "INTADD": 2...2, "INTSUB": 2...2, "INTMUL": 2...2, "INTDIV": 2...2, "INTMOD": 2...2,
        "INTBITAND": 2...2, "INTBITOR": 2...2, "INTBITXOR": 2...2, "INTBITNOT": 1...1, "INTBITLEFTSHIFT": 2...2,
        "INTBITRIGHTSHIFT": 2...2, "LASTINDEXOF": 2...3,
        "GETCURRENTDATETIMESTATIC": 0...0, "GETCURRENTTIMESTAMPSTATIC": 0...0, "GETCURRENTTICKSSTATIC": 0...0,
        "GETCURRENTDATETIME": 0...0, "GETCURRENTTIMESTAMP": 0...0, "GETCURRENTTICKS": 0...0, "DATETIMEADD": 3...3,
        "DATETIMEDIFF": 3...3, "DATETIMETOTIMESTAMP": 1...1, "TIMESTAMPTODATETIME": 1...1,
        "DATETIMETOTICKS": 1...1, "TICKSTODATETIME": 1...1, "DATETIMEPART": 2...2, "DATETIMEFROMPARTS": 3...7,
        "DATETIMEBIN": 2...4, "DAY": 1...1, "MONTH": 1...1, "YEAR": 1...1, "DATETIMEFORMAT": 2...2, "AGO": 2...2,
        "NOW": 0...2, "DOCUMENTID": 1...1, "RAND": 0...0, "ARRAY_MIN": 1...1, "ARRAY_MAX": 1...1, "VECTORDISTANCE": 2...4,
        "FULLTEXTCONTAINS": 2...2, "FULLTEXTCONTAINSALL": 2...1000, "FULLTEXTCONTAINSANY": 2...1000,
        "FULLTEXTSCORE": 2...1000, "RRF": 0...1000,
        "ST_DISTANCE": 2...2, "ST_WITHIN": 2...2, "ST_INTERSECTS": 2...2, "ST_AREA": 1...1, "ST_ISVALID": 1...1,
        "ST_ISVALIDDETAILED": 1...1,
        "SETDIFFERENCE": 2...2, "SETEQUAL": 2...2, "CONTAINS_ALL_CI": 2...1000, "CONTAINS_ALL_CS": 2...1000,
        "CONTAINS_ANY_CI": 2...1000, "CONTAINS_ANY_CS": 2...1000,
        "COUNT": 1...1, "SUM": 1...1, "MIN": 1...1, "MAX": 1...1, "AVG": 1...1,
    ]

    @Test func tableMatchesTheSupportedSet() {
        #expect(BuiltinFunctions.arity == Self.expected)
        #expect(BuiltinFunctions.aggregates == ["COUNT", "SUM", "MIN", "MAX", "AVG"])
        #expect(BuiltinFunctions.excludedCounts == ["NOW": 1])
    }

    /// NOW takes no arguments or two: one is refused, with a message that says so.
    @Test func nowTakesNoneOrTwoArguments() throws {
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT VALUE NOW('ss')") }
        #expect(error.message == "syntax error at line 1, column 14: function NOW takes no arguments or 2 arguments, got 1")
        #expect(throws: Never.self) { try Query.parse("SELECT VALUE [NOW(), NOW('ss', 1)]") }
    }

    private static func call(_ name: String, arguments count: Int) -> String {
        "SELECT VALUE \(name)(" + Array(repeating: "1", count: count).joined(separator: ", ") + ")"
    }

    /// Every function but FullTextScore and RRF, which may stand only after ORDER BY RANK (FullTextSearchTests).
    @Test(arguments: expected.keys.filter { !BuiltinFunctions.rankingOnly.contains($0) }.sorted())
    func argumentCountsAreChecked(name: String) throws {
        let counts = try #require(BuiltinFunctions.arity[name])
        for count in [counts.lowerBound, counts.upperBound] {
            let query = try Query.parse(Self.call(name, arguments: count))
            #expect(
                query.select.projection
                    == .value(.call(name: name, arguments: Array(repeating: .literal(1), count: count))))
        }
        for count in [counts.lowerBound - 1, counts.upperBound + 1] where count >= 0 {
            let error = try #require(throws: QuerySyntaxError.self) {
                try Query.parse(Self.call(name, arguments: count))
            }
            #expect(error.message.hasPrefix("syntax error at line 1, column 14: function \(name) takes "))
            #expect(error.message.hasSuffix(", got \(count)"))
        }
    }

    @Test(arguments: ["startswith", "StartsWith", "STARTSWITH", "sTaRtSwItH"])
    func namesAreCaseInsensitive(spelling: String) throws {
        let query = try Query.parse("SELECT VALUE \(spelling)('abc', 'a')")
        #expect(
            query.select.projection == .value(.call(name: "STARTSWITH", arguments: [.literal("abc"), .literal("a")])))
    }

    @Test(arguments: [
        ("SELECT VALUE CONCAT(1)", "function CONCAT takes at least 2 arguments, got 1"),
        ("SELECT VALUE LOG()", "function LOG takes 1 or 2 arguments, got 0"),
        ("SELECT VALUE SUBSTRING('a', 1)", "function SUBSTRING takes 3 arguments, got 2"),
        ("SELECT VALUE ABS(1, 2)", "function ABS takes 1 argument, got 2"),
        ("SELECT VALUE GetCurrentTimestamp(1)", "function GETCURRENTTIMESTAMP takes no arguments, got 1"),
        ("SELECT VALUE DateTimeFromParts(2020, 1)", "function DATETIMEFROMPARTS takes 3 to 7 arguments, got 2"),
    ])
    func arityMessages(query: String, detail: String) throws {
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse(query) }
        #expect(error.message == "syntax error at line 1, column 14: " + detail)
    }

    @Test(arguments: BuiltinFunctions.aggregates.sorted())
    func aggregatesCannotNest(name: String) throws {
        #expect(throws: Never.self) { try Query.parse("SELECT \(name)(c.a) FROM c") }
        for outer in BuiltinFunctions.aggregates.sorted() {
            let error = try #require(throws: QuerySyntaxError.self) {
                try Query.parse("SELECT \(outer)(ABS(\(name)(c.a))) FROM c")
            }
            #expect(error.message.hasSuffix("aggregate function \(name) cannot be nested inside \(outer)"))
        }
    }
}
