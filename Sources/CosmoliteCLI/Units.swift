// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Human-readable numbers for tables, summaries and progress: `100,000`, `12.3 MB`, `1:05`.
enum Units {
    /// A count with thousands separators: `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A byte size in decimal units (1 KB = 1,000 bytes): `512 B`, `1.5 KB`, `12.3 MB`, `2.0 GB`.
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1000 && unit < units.count - 1 {
            amount /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : decimal(amount, places: 1) + " " + units[unit]
    }

    /// A duration: `0.42 s`, `12.3 s`, `2:05`, `1:02:05`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 1 { return decimal(seconds, places: 2) + " s" }
        if seconds < 60 { return decimal(seconds, places: 1) + " s" }
        let whole = Int(seconds.rounded())
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }

    /// A rate per second, rounded: `48,210`.
    static func rate(_ count: Int, seconds: Double) -> String {
        guard seconds > 0 else { return "-" }
        return Units.count(Int((Double(count) / seconds).rounded()))
    }

    /// `value` with `places` decimals.
    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard places > 0 else { return String(scaled) }
        let whole = scaled / Int(scale)
        var fraction = String(scaled % Int(scale))
        while fraction.count < places { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }

    /// Seconds on a monotonic clock, for rates and intervals.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
