// SPDX-License-Identifier: Apache-2.0

// MARK: - BuiltinFunctions

/// The built-in functions the parser accepts.
///
/// Function names are case-insensitive in query text (`StartsWith`, `startswith`) and stored in
/// ``Expression/call(name:arguments:)`` in uppercase. A call to a name that is not here, or with an
/// argument count outside its range, is a ``QuerySyntaxError``.
public enum BuiltinFunctions {
    /// The most arguments accepted by the variadic functions (`CONCAT`, `ARRAY_CONCAT`, `CHOOSE`, ...).
    static let maxVariadicArguments = 1000

    /// Each function's uppercase name and allowed argument counts.
    public static let arity: [String: ClosedRange<Int>] = {
        var table: [String: ClosedRange<Int>] = [:]
        func add(_ names: [String], _ counts: ClosedRange<Int>) {
            for name in names {
                table[name] = counts
            }
        }
        // Type checks.
        add(["IS_DEFINED", "IS_NULL", "IS_STRING", "IS_NUMBER", "IS_BOOL", "IS_ARRAY", "IS_OBJECT"], 1...1)
        add(["IS_PRIMITIVE", "IS_FINITE_NUMBER", "IS_INTEGER", "IS_DATETIME"], 1...1)
        // Conditionals.
        add(["IIF"], 3...3)
        add(["CHOOSE"], 2...maxVariadicArguments)
        // Strings.
        add(["STARTSWITH", "ENDSWITH", "CONTAINS", "INDEX_OF", "STRINGEQUALS"], 2...3)
        add(["LOWER", "UPPER", "LENGTH", "REVERSE", "TOSTRING"], 1...1)
        add(["TRIM", "LTRIM", "RTRIM"], 1...2)
        add(["SUBSTRING", "REPLACE"], 3...3)
        add(["LEFT", "RIGHT", "REPLICATE", "STRINGJOIN", "STRINGSPLIT"], 2...2)
        add(["CONCAT"], 2...maxVariadicArguments)
        add(["REGEXMATCH", "LASTINDEXOF"], 2...3)
        add(["CONTAINS_ALL_CI", "CONTAINS_ALL_CS", "CONTAINS_ANY_CI", "CONTAINS_ANY_CS"], 2...maxVariadicArguments)
        add(["STRINGTOARRAY", "STRINGTOBOOLEAN", "STRINGTONULL", "STRINGTONUMBER", "STRINGTOOBJECT"], 1...1)
        // Arrays and objects.
        add(["ARRAY_CONTAINS", "ARRAY_SLICE"], 2...3)
        add(["ARRAY_LENGTH", "ARRAY_SUM", "ARRAY_AVG", "ARRAY_MEDIAN"], 1...1)
        add(["ARRAY_CONCAT", "ARRAY_CONTAINS_ANY", "ARRAY_CONTAINS_ALL"], 2...maxVariadicArguments)
        add(["SETINTERSECT", "SETUNION", "SETDIFFERENCE", "SETEQUAL"], 2...2)
        add(["ARRAY_MIN", "ARRAY_MAX"], 1...1)
        add(["OBJECTTOARRAY"], 1...3)
        // Math.
        add(["ABS", "CEILING", "FLOOR", "TRUNC", "SQRT", "SQUARE", "SIGN", "EXP", "LOG10"], 1...1)
        add(["SIN", "COS", "TAN", "COT", "ASIN", "ACOS", "ATAN", "DEGREES", "RADIANS"], 1...1)
        add(["POWER", "ATN2", "INTADD", "INTSUB", "INTMUL", "INTDIV", "INTMOD"], 2...2)
        add(["INTBITAND", "INTBITOR", "INTBITXOR", "INTBITLEFTSHIFT", "INTBITRIGHTSHIFT"], 2...2)
        add(["INTBITNOT"], 1...1)
        add(["LOG", "NUMBERBIN", "ROUND"], 1...2)
        add(["PI", "RAND"], 0...0)
        // Dates.
        add(["GETCURRENTDATETIME", "GETCURRENTTIMESTAMP", "GETCURRENTTICKS"], 0...0)
        add(["GETCURRENTDATETIMESTATIC", "GETCURRENTTIMESTAMPSTATIC", "GETCURRENTTICKSSTATIC"], 0...0)
        add(["DATETIMEADD", "DATETIMEDIFF"], 3...3)
        add(["DATETIMETOTIMESTAMP", "TIMESTAMPTODATETIME", "DATETIMETOTICKS", "TICKSTODATETIME"], 1...1)
        add(["DATETIMEPART"], 2...2)
        add(["DATETIMEFROMPARTS"], 3...7)
        add(["DATETIMEBIN"], 2...4)
        add(["DAY", "MONTH", "YEAR"], 1...1)
        add(["DATETIMEFORMAT", "AGO"], 2...2)
        add(["NOW"], 0...2)   // but not 1: see `excludedCounts`
        // Items.
        add(["DOCUMENTID"], 1...1)
        // Vector and full-text search (FULLTEXTSCORE and RRF only in ORDER BY RANK).
        add(["VECTORDISTANCE"], 2...4)
        add(["FULLTEXTCONTAINS"], 2...2)
        add(["FULLTEXTCONTAINSALL", "FULLTEXTCONTAINSANY", "FULLTEXTSCORE"], 2...maxVariadicArguments)
        add(["RRF"], 0...maxVariadicArguments)   // fewer than two scores: RRF's own message
        // Spatial.
        add(["ST_DISTANCE", "ST_WITHIN", "ST_INTERSECTS"], 2...2)
        add(["ST_AREA", "ST_ISVALID", "ST_ISVALIDDETAILED"], 1...1)
        // Aggregates.
        add(["COUNT", "SUM", "MIN", "MAX", "AVG"], 1...1)
        return table
    }()

    /// Argument counts inside a function's range (``arity``) that it does not take: `NOW()` or `NOW(part, n)`.
    public static let excludedCounts: [String: Int] = ["NOW": 1]

    /// The aggregate functions. They may not be nested in one another, nor used in `WHERE` or
    /// `GROUP BY`.
    public static let aggregates: Set<String> = ["COUNT", "SUM", "MIN", "MAX", "AVG"]

    /// The scoring functions `ORDER BY RANK` ranks by. `FULLTEXTSCORE` and `RRF` may appear nowhere else (`RRF`
    /// fuses the others' ranks); `VECTORDISTANCE` is an ordinary function too.
    public static let scoring: Set<String> = ["VECTORDISTANCE", "FULLTEXTSCORE", "RRF"]

    /// The scoring functions that may appear only after `ORDER BY RANK` (`RRF` also within it).
    public static let rankingOnly: Set<String> = ["FULLTEXTSCORE", "RRF"]

    /// How an arity error describes the accepted counts for a call with `got` arguments:
    /// `takes 2 or 3 arguments`, `takes no arguments`, `takes at least 2 arguments`.
    static func describe(_ counts: ClosedRange<Int>, got: Int, name: String = "") -> String {
        func arguments(_ count: Int) -> String { count == 1 ? "1 argument" : "\(count) arguments" }
        if excludedCounts[name] != nil, counts == 0...2 { return "takes no arguments or 2 arguments" }
        if counts.lowerBound == counts.upperBound {
            return counts.lowerBound == 0 ? "takes no arguments" : "takes \(arguments(counts.lowerBound))"
        }
        if counts.upperBound >= maxVariadicArguments {
            return got < counts.lowerBound
                ? "takes at least \(arguments(counts.lowerBound))" : "takes at most \(arguments(counts.upperBound))"
        }
        if counts.upperBound == counts.lowerBound + 1 {
            return "takes \(counts.lowerBound) or \(arguments(counts.upperBound))"
        }
        return "takes \(counts.lowerBound) to \(arguments(counts.upperBound))"
    }
}
