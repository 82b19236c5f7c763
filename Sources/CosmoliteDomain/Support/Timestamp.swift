// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
public import Foundation

/// The timestamp format of every stored date: ISO 8601 in UTC with milliseconds, fixed width
/// (`2026-02-10T09:00:00.000Z`), so that comparing the strings compares the instants and range queries and
/// `ORDER BY` on dates work on the index.
///
/// ```swift
/// let text = Timestamp.string(from: Date(timeIntervalSince1970: 0))   // "1970-01-01T00:00:00.000Z"
/// let date = Timestamp.date(from: "2026-02-10T09:00:00Z")             // seconds without fraction are accepted
/// ```
public enum Timestamp {
    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ` (years 0000–9999; others are clamped).
    public static func string(from date: Date) -> String {
        var millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let minMillis: Int64 = -62_167_219_200_000          // 0000-01-01T00:00:00.000Z
        let maxMillis: Int64 = 253_402_300_799_999          // 9999-12-31T23:59:59.999Z
        millis = min(max(millis, minMillis), maxMillis)
        let (secondsTotal, ms) = floorDivide(millis, 1000)
        let (days, secondOfDay) = floorDivide(secondsTotal, 86_400)
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(ms, 3))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `nil` when `text` is not such a timestamp.
    public static func date(from text: String) -> Date? {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= b.count else { return nil }
            var value: Int64 = 0
            for i in at..<at + count {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int64(b[i] - 0x30)
            }
            return value
        }
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
              let minute = digits(14, 2), let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offsetSeconds: Int64 = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = digits(i + 4, 2) else {
                return nil
            }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The current instant rounded down to a millisecond (what a stored timestamp can represent).
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (q, a - q * b)
    }

    // The calendar arithmetic is the query engine's (proleptic Gregorian, as the date functions use).
    private static func days(fromCivil y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        Int64(DateTime.daysFromCivil(year: Int(y), month: Int(m), day: Int(d)))
    }

    private static func civil(fromDays z: Int64) -> (Int64, Int64, Int64) {
        let (y, m, d) = DateTime.civilFromDays(Int(z))
        return (Int64(y), Int64(m), Int64(d))
    }
}
