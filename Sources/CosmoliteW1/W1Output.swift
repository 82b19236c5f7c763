// SPDX-License-Identifier: Apache-2.0

import Foundation

/// One member value of an output line.
enum W1Field {
    case int(Int)
    case number(Double, decimals: Int)
    case string(String)
    case bool(Bool)
}

/// Prints the result lines of W1.md §5, one JSON object per line, flushed at once.
struct W1Output {
    let label: String

    func emit(_ op: String, _ members: [(String, W1Field)]) {
        var line = "{\"label\":\(Self.quote(label)),\"op\":\(Self.quote(op))"
        for (key, value) in members {
            line += ",\(Self.quote(key)):"
            switch value {
            case .int(let n): line += String(n)
            case .number(let x, let decimals): line += String(format: "%.\(decimals)f", x)
            case .string(let s): line += Self.quote(s)
            case .bool(let b): line += b ? "true" : "false"
            }
        }
        line += "}\n"
        writeAll(1, line)
    }

    /// A timed op's line: count, seconds, ops/s, per-request p50/p99/max, per-transaction percentiles for batched
    /// writes, then the op-specific members.
    func emitOp(_ op: String, count: Int, nanoseconds: UInt64, latencies: LatencyRecorder,
                transactions: LatencyRecorder? = nil, extra: [(String, W1Field)] = []) {
        let seconds = Double(nanoseconds) / 1e9
        var members: [(String, W1Field)] = [
            ("count", .int(count)), ("seconds", .number(seconds, decimals: 6)),
            ("ops_per_sec", .number(seconds > 0 ? Double(count) / seconds : 0, decimals: 1)),
        ]
        if latencies.count > 0 {
            let s = latencies.summary()
            members += [("p50_us", .number(s.p50, decimals: 2)), ("p99_us", .number(s.p99, decimals: 2)),
                        ("max_us", .number(s.max, decimals: 2))]
        }
        if let transactions, transactions.count > 0 {
            let s = transactions.summary()
            members += [("txns", .int(transactions.count)), ("txn_p50_us", .number(s.p50, decimals: 2)),
                        ("txn_p99_us", .number(s.p99, decimals: 2))]
        }
        emit(op, members + extra)
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Writes a diagnostic to stderr.
func fputsStderr(_ message: String) {
    writeAll(2, message)
}

/// Writes `text` to the file descriptor (unbuffered, so lines appear at once and in order).
func writeAll(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
