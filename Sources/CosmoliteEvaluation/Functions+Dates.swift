// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// Date and time functions over ISO 8601 UTC strings (see ``DateTime``); the current time is the query's.
    static let dates: [String: Implementation] = [
        "GETCURRENTDATETIME": { _, now in .string(DateTime.format(ticks: currentTicks(now))) },
        "GETCURRENTTIMESTAMP": { _, now in .number((now * 1000).rounded(.down)) },
        // The ...STATIC forms promise one value for every item of a query: the query's time already is one.
        "GETCURRENTDATETIMESTATIC": { _, now in .string(DateTime.format(ticks: currentTicks(now))) },
        "GETCURRENTTIMESTAMPSTATIC": { _, now in .number((now * 1000).rounded(.down)) },
        "GETCURRENTTICKSSTATIC": { _, now in .number((now * 1e7).rounded(.down)) },
        "DATETIMETOTIMESTAMP": { a, _ in
            guard let s = string(a[0]), let ticks = DateTime.parse(s) else { return nil }
            return .number(Double(DateTime.floorDiv(ticks, 10_000)))
        },
        // Milliseconds since the Unix epoch; undefined outside 0001-01-01 ... 9999-12-31T23:59:59.999.
        "TIMESTAMPTODATETIME": { a, _ in
            // 9e14 ms (28,500 years) bounds the product below 2^63.
            guard let ms = number(a[0]), ms.isFinite, Swift.abs(ms) < 9e14 else { return nil }
            let ticks = Int64(ms.rounded(.down)) * 10_000
            return DateTime.validTicks.contains(ticks) ? .string(DateTime.format(ticks: ticks)) : nil
        },
        "DATETIMEADD": { a, _ in
            guard let part = string(a[0]), let n = integer(a[1]), let s = string(a[2]),
                  let ticks = DateTime.parse(s), let result = DateTime.add(part, n, to: ticks) else { return nil }
            return .string(DateTime.format(ticks: result))
        },
        "DATETIMEDIFF": { a, _ in
            guard let part = string(a[0]), let s = string(a[1]), let e = string(a[2]),
                  let start = DateTime.parse(s), let end = DateTime.parse(e),
                  let diff = DateTime.difference(part, from: start, to: end) else { return nil }
            return .number(diff)
        },
        // Ticks are 100-nanosecond units since the Unix epoch.
        "GETCURRENTTICKS": { _, now in .number((now * 1e7).rounded(.down)) },
        "DATETIMETOTICKS": { a, _ in
            guard let s = string(a[0]), let ticks = DateTime.parse(s) else { return nil }
            return .number(Double(ticks))
        },
        "TICKSTODATETIME": { a, _ in
            guard let n = number(a[0]), let ticks = Int64(exactly: n.rounded(.down)),
                  DateTime.validTicks.contains(ticks) else { return nil }
            return .string(DateTime.format(ticks: ticks))
        },
        // DAY, MONTH, YEAR(dt): DATETIMEPART of that part.
        "DAY": { a, _ in datePart("day", a[0]) },
        "MONTH": { a, _ in datePart("month", a[0]) },
        "YEAR": { a, _ in datePart("year", a[0]) },
        // NOW() is GETCURRENTDATETIME; NOW(part, n) that moved by n parts (DATETIMEADD); AGO(part, n) by -n.
        "NOW": { a, now in
            a.isEmpty ? .string(DateTime.format(ticks: currentTicks(now))) : moved(a, by: 1, now: now)
        },
        "AGO": { a, now in moved(a, by: -1, now: now) },
        // DATETIMEFORMAT(dt, pattern): see `DateTime.format(ticks:pattern:)`.
        "DATETIMEFORMAT": { a, _ in
            guard let s = string(a[0]), let pattern = string(a[1]), let ticks = DateTime.parse(s),
                  let text = DateTime.format(ticks: ticks, pattern: pattern) else { return nil }
            return .string(text)
        },
        // DATETIMEPART(part, dateTime).
        "DATETIMEPART": { a, _ in string(a[0]).flatMap { datePart($0, a[1]) } },
        // DATETIMEFROMPARTS(year, month, day [, hour, minute, second, fraction in 100 ns]); omitted parts are 0.
        "DATETIMEFROMPARTS": { a, _ in
            var parts = [Int](repeating: 0, count: 7)
            for (i, value) in a.enumerated() {
                guard let n = integer(value) else { return nil }
                parts[i] = n
            }
            guard let ticks = DateTime.fromParts(year: parts[0], month: parts[1], day: parts[2], hour: parts[3],
                                                 minute: parts[4], second: parts[5], fraction: parts[6])
            else { return nil }
            return .string(DateTime.format(ticks: ticks))
        },
        // DATETIMEBIN(dateTime, part [, size [, origin]]): size defaults to 1, origin to the Unix epoch.
        "DATETIMEBIN": { a, _ in
            guard let s = string(a[0]), let ticks = DateTime.parse(s), let part = string(a[1]) else { return nil }
            var size: Int64 = 1
            if a.count >= 3 {
                guard let n = integer(a[2]) else { return nil }
                size = Int64(n)
            }
            var origin: Int64 = 0
            if a.count == 4 {
                guard let o = string(a[3]), let t = DateTime.parse(o) else { return nil }
                origin = t
            }
            return DateTime.bin(ticks, part: part, size: size, origin: origin).map { .string(DateTime.format(ticks: $0)) }
        },
    ]

    /// DATETIMEPART(part, dt).
    private static func datePart(_ part: String, _ value: JSONValue?) -> JSONValue? {
        guard let s = string(value), let ticks = DateTime.parse(s), let n = DateTime.part(part, of: ticks) else {
            return nil
        }
        return .number(Double(n))
    }

    /// The query's time in ticks.
    private static func currentTicks(_ now: Double) -> Int64 { Int64((now * 1e7).rounded(.down)) }

    /// The query's time moved by `sign` × n parts (`a` is `[part, n]`); undefined for an unknown part or an n that is
    /// not an integer.
    private static func moved(_ a: [JSONValue?], by sign: Int, now: Double) -> JSONValue? {
        guard let part = string(a[0]), let n = integer(a[1]),
              let ticks = DateTime.add(part, sign * n, to: currentTicks(now)) else { return nil }
        return .string(DateTime.format(ticks: ticks))
    }
}
