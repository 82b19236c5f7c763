// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation

extension Functions {
    /// Mathematical functions. A result that is not a finite number (`LOG(0)`, `SQRT(-1)`) is undefined.
    static let math: [String: Implementation] = [
        "ABS": { a, _ in number(a[0]).map { .number(Swift.abs($0)) } },
        "CEILING": { a, _ in number(a[0]).map { .number($0.rounded(.up)) } },
        "FLOOR": { a, _ in number(a[0]).map { .number($0.rounded(.down)) } },
        "ROUND": { a, _ in number(a[0]).map { .number($0.rounded(.toNearestOrAwayFromZero)) } },
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
                return finite(Foundation.log(x) / Foundation.log(base))
            }
            return finite(Foundation.log(x))
        },
    ]
}
