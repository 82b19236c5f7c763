// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation

extension Functions {
    /// Mathematical functions. A result that is not a finite number (`LOG(0)`, `SQRT(-1)`) is undefined.
    static let math: [String: Implementation] = [
        "ABS": { a, _ in number(a[0]).map { .number(Swift.abs($0)) } },
        "CEILING": { a, _ in number(a[0]).map { .number($0.rounded(.up)) } },
        "FLOOR": { a, _ in number(a[0]).map { .number($0.rounded(.down)) } },
        // ROUND(x [, precision]): to the nearest integer, midpoints away from zero; with a precision p, to p digits
        // right of the decimal point (left of it when p is negative), on x's binary value as it is (ROUND(2.675, 2)
        // is 2.67: 2.675 is stored as 2.67499999...). A precision that is not an integer gives undefined.
        "ROUND": { a, _ in
            guard let x = number(a[0]) else { return nil }
            guard a.count == 2 else { return .number(x.rounded(.toNearestOrAwayFromZero)) }
            guard let p = clampedInteger(a[1]) else { return nil }
            return .number(round(x, digits: p))
        },
        "TRUNC": { a, _ in number(a[0]).map { .number($0.rounded(.towardZero)) } },
        "SIGN": { a, _ in number(a[0]).map { .number($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) } },
        "SQUARE": { a, _ in number(a[0]).flatMap { finite($0 * $0) } },
        "SQRT": { a, _ in number(a[0]).flatMap { $0 < 0 ? nil : .number($0.squareRoot()) } },
        "EXP": { a, _ in number(a[0]).flatMap { finite(Foundation.exp($0)) } },
        "POWER": { a, _ in
            guard let x = number(a[0]), let y = number(a[1]) else { return nil }
            return finite(Foundation.pow(x, y))
        },
        "LOG": { a, _ in
            guard let x = number(a[0]), x > 0 else { return nil }
            if a.count == 2 {
                guard let base = number(a[1]), base > 0, base != 1 else { return nil }
                // As a ratio of decimal logarithms, which gives the documented LOG(2, 10) = 0.3010299956639812
                // (natural logarithms give ...114) and LOG(1000, 10) = 3.
                return finite(Foundation.log10(x) / Foundation.log10(base))
            }
            return finite(Foundation.log(x))
        },
        // RAND(): a uniformly distributed number in [0, 1), new at every call.
        "RAND": { _, _ in .number(Double.random(in: 0..<1)) },
        "LOG10": { a, _ in number(a[0]).flatMap { $0 > 0 ? finite(Foundation.log10($0)) : nil } },
        "PI": { _, _ in .number(Double.pi) },
        "SIN": { a, _ in number(a[0]).flatMap { finite(Foundation.sin($0)) } },
        "COS": { a, _ in number(a[0]).flatMap { finite(Foundation.cos($0)) } },
        "TAN": { a, _ in number(a[0]).flatMap { finite(Foundation.tan($0)) } },
        "COT": { a, _ in number(a[0]).flatMap { finite(1 / Foundation.tan($0)) } },
        "ASIN": { a, _ in number(a[0]).flatMap { finite(Foundation.asin($0)) } },
        "ACOS": { a, _ in number(a[0]).flatMap { finite(Foundation.acos($0)) } },
        "ATAN": { a, _ in number(a[0]).flatMap { finite(Foundation.atan($0)) } },
        // ATN2(y, x): the angle of the point (x, y), as C's atan2(y, x).
        "ATN2": { a, _ in
            guard let y = number(a[0]), let x = number(a[1]) else { return nil }
            return finite(Foundation.atan2(y, x))
        },
        "DEGREES": { a, _ in number(a[0]).flatMap { finite($0 * 180 / Double.pi) } },
        "RADIANS": { a, _ in number(a[0]).flatMap { finite($0 * Double.pi / 180) } },
        // NUMBERBIN(x [, size]): x rounded down to a multiple of size (default 1); undefined for size 0.
        "NUMBERBIN": { a, _ in
            guard let x = number(a[0]) else { return nil }
            var size = 1.0
            if a.count == 2 {
                guard let s = number(a[1]), s != 0 else { return nil }
                size = s
            }
            return finite((x / size).rounded(.down) * size)
        },
        // INTADD, INTSUB, INTMUL, INTDIV, INTMOD: 64-bit integer arithmetic that wraps on overflow, as in C++;
        // undefined when an operand is not an integer or a divisor is 0.
        "INTADD": { a, _ in integers(a).map { .number(Double($0 &+ $1)) } },
        "INTSUB": { a, _ in integers(a).map { .number(Double($0 &- $1)) } },
        "INTMUL": { a, _ in integers(a).map { .number(Double($0 &* $1)) } },
        "INTDIV": { a, _ in
            guard let (x, y) = integers(a), y != 0 else { return nil }
            return .number(Double(x.dividedReportingOverflow(by: y).partialValue))
        },
        "INTMOD": { a, _ in
            guard let (x, y) = integers(a), y != 0 else { return nil }
            return .number(Double(x.remainderReportingOverflow(dividingBy: y).partialValue))
        },
        // INTBITAND, INTBITOR, INTBITXOR, INTBITNOT, INTBITLEFTSHIFT, INTBITRIGHTSHIFT: bitwise operations on
        // 64-bit integers; undefined when an operand is not an integer. A shift counts modulo 64 (as x86 does) and
        // shifting right keeps the sign.
        "INTBITAND": { a, _ in integers(a).map { .number(Double($0 & $1)) } },
        "INTBITOR": { a, _ in integers(a).map { .number(Double($0 | $1)) } },
        "INTBITXOR": { a, _ in integers(a).map { .number(Double($0 ^ $1)) } },
        "INTBITNOT": { a, _ in number(a[0]).flatMap { Int64(exactly: $0) }.map { .number(Double(~$0)) } },
        "INTBITLEFTSHIFT": { a, _ in integers(a).map { .number(Double($0 &<< $1)) } },
        "INTBITRIGHTSHIFT": { a, _ in integers(a).map { .number(Double($0 &>> $1)) } },
    ]

    /// `x` rounded to `digits` decimal digits (midpoints away from zero); `x` itself when that is finer than a
    /// double holds, 0 when coarser than `x`'s magnitude.
    private static func round(_ x: Double, digits: Int) -> Double {
        if digits >= 0 {
            guard digits <= 340 else { return x }
            let scale = Foundation.pow(10, Double(digits))
            let scaled = x * scale
            guard scaled.isFinite, scaled.magnitude < 0x1p52 else { return x }   // no fractional digits left to round
            return scaled.rounded(.toNearestOrAwayFromZero) / scale
        }
        guard digits >= -340 else { return 0 }
        let scale = Foundation.pow(10, Double(-digits))
        guard scale.isFinite else { return 0 }
        let rounded = (x / scale).rounded(.toNearestOrAwayFromZero) * scale
        return rounded.isFinite ? rounded : x
    }

    /// Both arguments as 64-bit integers, or nil when either is not an integral number in range.
    private static func integers(_ a: [JSONValue?]) -> (Int64, Int64)? {
        guard let x = number(a[0]).flatMap({ Int64(exactly: $0) }),
              let y = number(a[1]).flatMap({ Int64(exactly: $0) }) else { return nil }
        return (x, y)
    }
}
