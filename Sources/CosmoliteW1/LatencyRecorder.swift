// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in nanoseconds (`CLOCK_MONOTONIC`, as the reference peers use).
@inline(__always)
func nowNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Per-request (or per-transaction) durations of one op; percentiles by nearest rank.
struct LatencyRecorder {
    private(set) var samples: [UInt64] = []

    init(capacity: Int = 0) { samples.reserveCapacity(capacity) }

    var count: Int { samples.count }

    @inline(__always)
    mutating func add(_ nanoseconds: UInt64) { samples.append(nanoseconds) }

    /// p50, p99 and max in microseconds.
    struct Summary {
        let p50: Double, p99: Double, max: Double
    }

    func summary() -> Summary {
        guard !samples.isEmpty else { return Summary(p50: 0, p99: 0, max: 0) }
        let sorted = samples.sorted()
        return Summary(p50: Self.percentile(sorted, 0.50), p99: Self.percentile(sorted, 0.99),
                       max: Double(sorted[sorted.count - 1]) / 1000)
    }

    /// Nearest rank: sorted[ceil(q·n) − 1], in microseconds. The ceiling is taken as the reference peers take it
    /// (`q·n + 0.999999999`, truncated), so that 0.99 × 100,000 is rank 99,000 despite binary rounding.
    static func percentile(_ sorted: [UInt64], _ q: Double) -> Double {
        let n = sorted.count
        let rank = min(max(Int(q * Double(n) + 0.999_999_999), 1), n)
        return Double(sorted[rank - 1]) / 1000
    }
}
