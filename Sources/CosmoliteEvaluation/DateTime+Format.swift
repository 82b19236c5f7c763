// SPDX-License-Identifier: Apache-2.0

extension DateTime {
    /// `DateTimeFormat`: a date-time written by a custom format string, as .NET's custom date and time format
    /// strings read it (the service's documentation shows `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`, `fff`, `FFF` and `\`
    /// escapes; the rest of .NET's custom specifiers are read the same way, in the invariant culture and UTC):
    ///
    /// - `y`, `yy` the year modulo 100 (`yy` two digits); `yyy`… the year in at least as many digits;
    /// - `M`, `MM` the month; `MMM`, `MMMM` its abbreviated and full English name;
    /// - `d`, `dd` the day; `ddd`, `dddd` the abbreviated and full English day of the week;
    /// - `h`, `hh` the hour 1–12; `H`, `HH` the hour 0–23; `m`, `mm` the minute; `s`, `ss` the second;
    /// - `f`… (1 to 7) the first digits of the fraction of a second; `F`… the same without trailing zeros (nothing
    ///   when they are all zero);
    /// - `t`, `tt` `A` or `AM`, `P` or `PM`; `K` `Z`; `z`, `zz`, `zzz` the offset `+0`, `+00`, `+00:00`; `g`, `gg` `A.D.`;
    /// - `\c` the character `c`; `'…'` and `"…"` their text; `%` before a single specifier nothing;
    /// - every other character itself.
    ///
    /// Returns `nil` (undefined) for a pattern .NET refuses: more than 7 `f` or `F`, a trailing `\`, an unclosed
    /// quote.
    static func format(ticks: Int64, pattern: String) -> String? {
        let days = floorDiv(ticks, ticksPerDay)
        let rest = ticks - days * ticksPerDay
        let (year, month, day) = civilFromDays(Int(days))
        let seconds = Int(rest / ticksPerSecond)
        let fraction = Int(rest % ticksPerSecond)
        let hour = seconds / 3600
        // 1970-01-01 was a Thursday.
        let weekday = Int(((days % 7) + 7 + 4) % 7)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let characters = Array(pattern)
        var out = ""
        var i = 0
        while i < characters.count {
            let c = characters[i]
            var run = 1
            while i + run < characters.count, characters[i + run] == c { run += 1 }
            switch c {
            case "y":
                out += run <= 2 ? pad(year % 100, run) : pad(year, run)
            case "M":
                out += run <= 2 ? pad(month, run) : run == 3 ? String(monthNames[month - 1].prefix(3))
                                                             : monthNames[month - 1]
            case "d":
                out += run <= 2 ? pad(day, run) : run == 3 ? String(dayNames[weekday].prefix(3)) : dayNames[weekday]
            case "h":
                out += pad(hour % 12 == 0 ? 12 : hour % 12, min(run, 2))
            case "H":
                out += pad(hour, min(run, 2))
            case "m":
                out += pad(seconds / 60 % 60, min(run, 2))
            case "s":
                out += pad(seconds % 60, min(run, 2))
            case "f", "F":
                guard run <= 7 else { return nil }
                var digits = String(pad(fraction, 7).prefix(run))
                if c == "F" { while digits.last == "0" { digits.removeLast() } }
                out += digits
            case "t":
                out += run == 1 ? (hour < 12 ? "A" : "P") : (hour < 12 ? "AM" : "PM")
            case "K":
                out += String(repeating: "Z", count: run)
            case "z":
                out += run == 1 ? "+0" : run == 2 ? "+00" : "+00:00"
            case "g":
                out += "A.D."
            case "\\":
                // Each backslash escapes the character after it.
                guard i + 1 < characters.count else { return nil }
                out.append(characters[i + 1])
                run = 2
            case "'", "\"":
                guard let close = characters[(i + 1)...].firstIndex(of: c) else { return nil }
                out += String(characters[(i + 1)..<close])
                run = close - i + 1
            case "%":
                run = 1
            default:
                out += String(repeating: String(c), count: run)
            }
            i += run
        }
        return out
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                     "September", "October", "November", "December"]
    private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
}
