// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// Date and time functions over ISO 8601 UTC strings (see ``DateTime``); the current time is the query's.
    static let dates: [String: Implementation] = [
        "GETCURRENTDATETIME": { _, now in .string(DateTime.format(ticks: Int64((now * 1e7).rounded(.down)))) },
        "GETCURRENTTIMESTAMP": { _, now in .number((now * 1000).rounded(.down)) },
        "DATETIMETOTIMESTAMP": { a, _ in
            guard let s = string(a[0]), let ticks = DateTime.parse(s) else { return nil }
            return .number(Double(DateTime.floorDiv(ticks, 10_000)))
        },
        "TIMESTAMPTODATETIME": { a, _ in
            guard let ms = number(a[0]), ms.isFinite, Swift.abs(ms) < 2.5e14 else { return nil }
            return .string(DateTime.format(ticks: Int64(ms.rounded(.down)) * 10_000))
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
            return .number(Double(diff))
        },
    ]
}
