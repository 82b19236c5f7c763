// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON

extension Functions {
    /// Array and object functions.
    static let arrays: [String: Implementation] = [
        "ARRAY_CONTAINS": { a, _ in
            guard let items = array(a[0]), let needle = a[1] else { return nil }
            var partial = false
            // An undefined third argument is false (the SDK's offline engine, BuiltinFunctionEvaluator.cs); any other
            // value that is not a boolean makes the result undefined.
            if a.count == 3, let flag = a[2] {
                guard case .bool(let p) = flag else { return nil }
                partial = p
            }
            return .bool(items.contains { item in
                if partial, case .object(let pattern) = needle, case .object(let candidate) = item {
                    return pattern.allSatisfy { candidate[$0.key] == $0.value }
                }
                return item == needle
            })
        },
        // ARRAY_CONTAINS_ANY(array, v1, ...) and ARRAY_CONTAINS_ALL(array, v1, ...).
        "ARRAY_CONTAINS_ANY": { a, _ in containment(a, all: false) },
        "ARRAY_CONTAINS_ALL": { a, _ in containment(a, all: true) },
        // SETINTERSECT(a, b): the values in both, without duplicates, in b's order (as the service's examples show).
        "SETINTERSECT": { a, _ in
            guard let first = array(a[0]), let second = array(a[1]) else { return nil }
            let inFirst = Set(first)
            var seen = Set<JSONValue>()
            return .array(second.filter { inFirst.contains($0) && seen.insert($0).inserted })
        },
        // SETUNION(a, b): a's values, then b's that are new, without duplicates.
        "SETUNION": { a, _ in
            guard let first = array(a[0]), let second = array(a[1]) else { return nil }
            var seen = Set<JSONValue>()
            return .array((first + second).filter { seen.insert($0).inserted })
        },
        // SETDIFFERENCE(a, b): a's values that are not in b, without duplicates, in a's order.
        "SETDIFFERENCE": { a, _ in
            guard let first = array(a[0]), let second = array(a[1]) else { return nil }
            var seen = Set(second)
            return .array(first.filter { seen.insert($0).inserted })
        },
        // SETEQUAL(a, b): whether a and b hold the same values, whatever their order and duplicates.
        "SETEQUAL": { a, _ in
            guard let first = array(a[0]), let second = array(a[1]) else { return nil }
            return .bool(Set(first) == Set(second))
        },
        // ARRAY_MIN(a) / ARRAY_MAX(a): by the order null < booleans < numbers < strings (strings ordinal), as MIN and
        // MAX; undefined for an empty array, a non-array, or an array holding an array or an object.
        "ARRAY_MIN": { a, _ in extreme(of: a[0], greatest: false) },
        "ARRAY_MAX": { a, _ in extreme(of: a[0], greatest: true) },
        // OBJECTTOARRAY(o [, keyName [, valueName]]): one {k: name, v: value} object per member, in member order.
        "OBJECTTOARRAY": { a, _ in
            guard case .object(let o)? = a[0] else { return nil }
            var keyName = "k", valueName = "v"
            if a.count >= 2 {
                guard let name = string(a[1]) else { return nil }
                keyName = name
            }
            if a.count == 3 {
                guard let name = string(a[2]) else { return nil }
                valueName = name
            }
            return .array(o.map { member in
                var pair = JSONObject()
                pair[keyName] = .string(member.key)
                pair[valueName] = member.value
                return .object(pair)
            })
        },
        "ARRAY_LENGTH": { a, _ in array(a[0]).map { .number(Double($0.count)) } },
        // ARRAY_SUM, ARRAY_AVG, ARRAY_MEDIAN: of an array of numbers; undefined when an element is not a number
        // (an undefined element of a literal is already left out), or when the result overflows, as for `+`. The
        // sum of none is 0; their mean and median are undefined.
        "ARRAY_SUM": { a, _ in numbers(a[0]).flatMap { finite($0.reduce(0, +)) } },
        "ARRAY_AVG": { a, _ in
            guard let values = numbers(a[0]), !values.isEmpty else { return nil }
            return finite(values.reduce(0, +) / Double(values.count))
        },
        "ARRAY_MEDIAN": { a, _ in
            guard let values = numbers(a[0])?.sorted(), !values.isEmpty else { return nil }
            let middle = values.count / 2
            return finite(values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2)
        },
        // ARRAY_SLICE(array, start [, length]): a negative start counts from the end; positions and lengths past
        // either end are clamped, however large (`ARRAY_SLICE(a, 1, 9223372036854775807)` is all but the first).
        "ARRAY_SLICE": { a, _ in
            guard let items = array(a[0]), var start = clampedInteger(a[1]) else { return nil }
            if start < 0 { start = max(0, items.count + start) }
            start = min(start, items.count)
            var end = items.count
            if a.count == 3 {
                guard let n = clampedInteger(a[2]) else { return nil }
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

    /// The least or greatest element of an array as MIN or MAX would find it over those values (see `Accumulator`).
    private static func extreme(of value: JSONValue?, greatest: Bool) -> JSONValue? {
        guard let items = array(value) else { return nil }
        var accumulator = Accumulator(greatest ? "MAX" : "MIN")
        for item in items { accumulator.add(item) }
        return accumulator.result
    }

    /// Whether any (or, with `all`, every) value after the array is one of its elements. An undefined value matches
    /// nothing, and when the answer rests on it (no match for ANY, no miss for ALL) the result is undefined.
    private static func containment(_ a: [JSONValue?], all: Bool) -> JSONValue? {
        guard let items = array(a[0]) else { return nil }
        let elements = Set(items)
        var sawUndefined = false
        for value in a.dropFirst() {
            guard let value else {
                sawUndefined = true
                continue
            }
            if elements.contains(value) != all { return .bool(!all) }
        }
        return sawUndefined ? nil : .bool(all)
    }

    /// The elements of an array that holds only numbers, else `nil`.
    static func numbers(_ v: JSONValue?) -> [Double]? {
        array(v).flatMap(numbers)
    }

    /// The numbers of elements that are all numbers, else `nil`.
    package static func numbers(_ elements: [JSONValue]) -> [Double]? {
        var out = [Double]()
        out.reserveCapacity(elements.count)
        for element in elements {
            guard case .number(let n) = element else { return nil }
            out.append(n)
        }
        return out
    }
}
