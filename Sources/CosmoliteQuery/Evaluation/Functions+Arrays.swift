// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// Array functions.
    static let arrays: [String: Implementation] = [
        "ARRAY_CONTAINS": { a, _ in
            guard let items = array(a[0]), let needle = a[1] else { return nil }
            var partial = false
            if a.count == 3 {
                guard let p = bool(a[2]) else { return nil }
                partial = p
            }
            return .bool(items.contains { item in
                if partial, case .object(let pattern) = needle, case .object(let candidate) = item {
                    return pattern.allSatisfy { candidate[$0.key] == $0.value }
                }
                return item == needle
            })
        },
        "ARRAY_LENGTH": { a, _ in array(a[0]).map { .number(Double($0.count)) } },
        "ARRAY_SLICE": { a, _ in
            guard let items = array(a[0]), var start = integer(a[1]) else { return nil }
            if start < 0 { start = max(0, items.count + start) }
            start = min(start, items.count)
            var end = items.count
            if a.count == 3 {
                guard let n = integer(a[2]) else { return nil }
                end = min(items.count, start + max(0, n))
            }
            return .array(Array(items[start..<max(start, end)]))
        },
        "ARRAY_CONCAT": { a, _ in
            var out = [JSONValue]()
            for v in a {
                guard let items = array(v) else { return nil }
                out += items
            }
            return .array(out)
        },
    ]
}
