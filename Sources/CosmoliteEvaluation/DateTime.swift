// SPDX-License-Identifier: Apache-2.0

/// ISO 8601 UTC date-times as Cosmos DB's date functions use them: `YYYY-MM-DDThh:mm:ss.fffffffZ`, with
/// 100-nanosecond ticks since the Unix epoch as the internal representation.
package enum DateTime {
    static let ticksPerSecond: Int64 = 10_000_000
    static let ticksPerDay: Int64 = 86_400 * ticksPerSecond

    /// Parses `YYYY-MM-DD` (years 0001 to 9999), optionally followed by `Thh:mm[:ss[.f…]]`, then optionally `Z`.
    /// A space may stand for the `T`: the service reads `'2020-01-01 12:30:15'` as 12:30:15 (dotnet/efcore issue
    /// 35310, run against Cosmos DB), and `IS_DATETIME` calls it and `'2020-01-01Z'` valid.
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let year = digits(0, 4), year >= 1, b.count >= 10, b[4] == 45, let month = digits(5, 2), b[7] == 45,
              let day = digits(8, 2), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction: Int64 = 0
        var i = 10
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") {
            guard let h = digits(11, 2), b.count > 13, b[13] == 58, let m = digits(14, 2), h < 24, m < 60 else {
                return nil
            }
            hour = h
            minute = m
            i = 16
            if i < b.count, b[i] == 58 {
                guard let s = digits(17, 2), s < 60 else { return nil }
                second = s
                i = 19
                if i < b.count, b[i] == UInt8(ascii: ".") {
                    i += 1
                    var scale: Int64 = 1_000_000
                    var count = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        if count < 7 {
                            fraction += Int64(b[i] - 48) * scale
                            scale /= 10
                        }
                        count += 1
                        i += 1
                    }
                    guard count > 0 else { return nil }
                }
            }
        }
        if i < b.count, b[i] == UInt8(ascii: "Z") { i += 1 }
        guard i == b.count else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        return days * ticksPerDay + Int64(hour * 3600 + minute * 60 + second) * ticksPerSecond + fraction
    }

    /// `IS_DATETIME`'s rules, as documented: `YYYY-MM-DD`, then either nothing, `Z`, or a space or `T` and
    /// `hh:mm:ss` (seconds required), optionally `.` and 1 to 7 digits, optionally `Z`; and the date and time must
    /// exist.
    static func isDateTimeString(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func isDigit(_ i: Int) -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        func digits(_ from: Int, _ n: Int) -> Bool { (from..<(from + n)).allSatisfy(isDigit) }
        guard b.count >= 10, digits(0, 4), b[4] == 45, digits(5, 2), b[7] == 45, digits(8, 2) else { return false }
        var i = 10
        if i < b.count, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T") {
            guard b.count >= 19, digits(11, 2), b[13] == 58, digits(14, 2), b[16] == 58, digits(17, 2) else {
                return false
            }
            i = 19
            if i < b.count, b[i] == UInt8(ascii: ".") {
                var count = 0
                while isDigit(i + 1 + count) { count += 1 }
                guard (1...7).contains(count) else { return false }
                i += 1 + count
            }
        }
        if i < b.count, b[i] == UInt8(ascii: "Z") { i += 1 }
        guard i == b.count else { return false }
        // The shape is right: the date and time must also exist (the parser checks the calendar and the clock).
        var normalized = text
        if normalized.hasSuffix("Z") { normalized.removeLast() }
        if normalized.count > 10 { normalized = String(normalized.prefix(10)) + "T" + normalized.dropFirst(11) }
        return parse(normalized) != nil
    }

    /// Formats ticks as `YYYY-MM-DDThh:mm:ss.fffffffZ`.
    static func format(ticks: Int64) -> String {
        let days = floorDiv(ticks, ticksPerDay)
        let rest = ticks - days * ticksPerDay
        let (y, m, d) = civilFromDays(Int(days))
        let seconds = Int(rest / ticksPerSecond)
        let fraction = Int(rest % ticksPerSecond)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):"
            + "\(pad(seconds % 60, 2)).\(pad(fraction, 7))Z"
    }

    /// The first tick of 0001-01-01 and the last of 9999-12-31: the date-times the functions accept and make.
    static let validTicks: ClosedRange<Int64> =
        Int64(daysFromCivil(year: 1, month: 1, day: 1)) * ticksPerDay
        ... Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * ticksPerDay - 1

    /// `DateTimePart`: the year, month, day, hour, minute or second of a date-time, or its fraction of a second
    /// in milliseconds, microseconds or nanoseconds.
    static func part(_ name: String, of ticks: Int64) -> Int64? {
        let days = floorDiv(ticks, ticksPerDay)
        let rest = ticks - days * ticksPerDay
        let (y, m, d) = civilFromDays(Int(days))
        let seconds = rest / ticksPerSecond
        let fraction = rest % ticksPerSecond
        switch name.lowercased() {
        case "year", "yyyy", "yy": return Int64(y)
        case "month", "mm", "m": return Int64(m)
        case "day", "dd", "d": return Int64(d)
        case "hour", "hh": return seconds / 3600
        case "minute", "mi", "n": return seconds / 60 % 60
        case "second", "ss", "s": return seconds % 60
        case "millisecond", "ms": return fraction / 10_000
        case "microsecond", "mcs": return fraction / 10
        case "nanosecond", "ns": return fraction * 100
        default: return nil
        }
    }

    /// `DateTimeFromParts`: the ticks of a date and time of day, `fraction` in 100-nanosecond units; nil for a
    /// date or time that does not exist.
    static func fromParts(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                          fraction: Int) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
              (0..<Int(ticksPerSecond)).contains(fraction) else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        return days * ticksPerDay + Int64(hour * 3600 + minute * 60 + second) * ticksPerSecond + Int64(fraction)
    }

    /// `DateTimeBin`: the start of the bin of `size` parts (days down to nanoseconds) that holds `ticks`, bins
    /// counted from `origin`; nil for a month or year part, a size below one, an origin before 1601, or a bin start
    /// outside ``validTicks``.
    ///
    /// Nanosecond bins are cut on the nanosecond line, then the start is written in whole ticks (100 ns), rounded
    /// down: a bin of 1 ns is the date-time itself, a bin of 250 ns starting at ...345678750 ns starts at tick
    /// ...3456787.
    static func bin(_ ticks: Int64, part: String, size: Int64, origin: Int64) -> Int64? {
        guard size > 0, origin >= windowsEpoch else { return nil }
        // Both lie in 0001...9999, so their difference (under 3.2e18 ticks) never overflows.
        let offset = ticks - origin
        let back: Int64   // from `ticks` back to its bin's start
        if isNanosecond(part) {
            // (offset × 100) mod size without forming offset × 100, which may not fit: both factors are below
            // size after reduction, and size is below 10^15 (an `integer` argument), so their product fits.
            let remainder = floorMod(floorMod(offset, size) * (100 % size), size)
            back = (remainder + 99) / 100
        } else {
            guard let unit = tickUnit(part) else { return nil }
            let (width, overflow) = unit.multipliedReportingOverflow(by: size)
            // A bin wider than any two date-times are apart starts at the origin or a whole width before it.
            back = overflow ? (offset >= 0 ? offset : Int64.max) : floorMod(offset, width)
        }
        guard back <= offset - (validTicks.lowerBound - origin) else { return nil }
        let start = ticks - back
        return validTicks.contains(start) ? start : nil
    }

    /// 1601-01-01, the earliest origin `DateTimeBin` accepts.
    static let windowsEpoch = Int64(daysFromCivil(year: 1601, month: 1, day: 1)) * ticksPerDay

    /// Whether a date part name means nanoseconds, which are finer than the 100 ns tick.
    private static func isNanosecond(_ part: String) -> Bool {
        let name = part.lowercased()
        return name == "nanosecond" || name == "ns"
    }

    /// The unit of a date part name, or nil for months and years (calendar units).
    private static func tickUnit(_ part: String) -> Int64? {
        switch part.lowercased() {
        case "day", "dd", "d": ticksPerDay
        case "hour", "hh": 3600 * ticksPerSecond
        case "minute", "mi", "n": 60 * ticksPerSecond
        case "second", "ss", "s": ticksPerSecond
        case "millisecond", "ms": 10_000
        case "microsecond", "mcs": 10
        case "nanosecond", "ns": 1
        default: nil
        }
    }

    private static func monthUnit(_ part: String) -> Int? {
        switch part.lowercased() {
        case "year", "yyyy", "yy": 12
        case "month", "mm", "m": 1
        default: nil
        }
    }

    /// `DateTimeAdd`: nil for an unknown part or a result outside ``validTicks`` (which the arithmetic never
    /// overflows reaching: `n` is below 10^15 in magnitude).
    static func add(_ part: String, _ n: Int, to ticks: Int64) -> Int64? {
        var result: Int64
        if isNanosecond(part) {
            result = ticks + Int64(n / 100)
        } else if let unit = tickUnit(part) {
            let (offset, overflow) = Int64(n).multipliedReportingOverflow(by: unit)
            guard !overflow, case (let sum, false) = ticks.addingReportingOverflow(offset) else { return nil }
            result = sum
        } else if let months = monthUnit(part) {
            let days = floorDiv(ticks, ticksPerDay)
            let timeOfDay = ticks - days * ticksPerDay
            var (y, m, d) = civilFromDays(Int(days))
            let total = y * 12 + (m - 1) + n * months
            y = total >= 0 ? total / 12 : (total - 11) / 12
            guard (1...9999).contains(y) else { return nil }
            m = total - y * 12 + 1
            d = min(d, daysIn(month: m, year: y))
            result = Int64(daysFromCivil(year: y, month: m, day: d)) * ticksPerDay + timeOfDay
        } else {
            return nil
        }
        return validTicks.contains(result) ? result : nil
    }

    /// `DateTimeDiff`: the number of part boundaries crossed from `start` to `end`. Nanoseconds over more than
    /// 292 years pass 2^63: the difference is a JSON number (a double) anyway, so it is computed as one.
    static func difference(_ part: String, from start: Int64, to end: Int64) -> Double? {
        if isNanosecond(part) { return Double(end - start) * 100 }
        if let unit = tickUnit(part) { return Double(floorDiv(end, unit) - floorDiv(start, unit)) }
        guard let months = monthUnit(part) else { return nil }
        let (y1, m1, _) = civilFromDays(Int(floorDiv(start, ticksPerDay)))
        let (y2, m2, _) = civilFromDays(Int(floorDiv(end, ticksPerDay)))
        return Double(months == 12 ? y2 - y1 : (y2 * 12 + m2) - (y1 * 12 + m1))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `a` modulo a positive `b`, in `0..<b`.
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number since 1970-01-01.
    package static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
