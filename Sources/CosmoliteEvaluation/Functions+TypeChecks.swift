// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// `IS_DEFINED`, `IS_NULL`, `IS_STRING`, ...: always a boolean, never undefined.
    static let typeChecks: [String: Implementation] = [
        "IS_DEFINED": { a, _ in .bool(a[0] != nil) },
        "IS_NULL": { a, _ in .bool(a[0] == .null) },
        "IS_STRING": { a, _ in .bool(string(a[0]) != nil) },
        "IS_NUMBER": { a, _ in .bool(number(a[0]) != nil) },
        "IS_BOOL": { a, _ in .bool(bool(a[0]) != nil) },
        "IS_ARRAY": { a, _ in .bool(array(a[0]) != nil) },
        "IS_OBJECT": { a, _ in if case .object? = a[0] { .bool(true) } else { .bool(false) } },
        // IS_DATETIME(v): whether v is a string in the documented form (see `DateTime.isDateTimeString`).
        "IS_DATETIME": { a, _ in
            guard case .string(let s)? = a[0] else { return .bool(false) }
            return .bool(DateTime.isDateTimeString(s))
        },
        "IS_PRIMITIVE": { a, _ in
            switch a[0] {
            case .string?, .number?, .bool?, .null?: .bool(true)
            default: .bool(false)
            }
        },
        // JSON numbers are always finite; the check exists for Cosmos compatibility.
        "IS_FINITE_NUMBER": { a, _ in .bool(number(a[0])?.isFinite ?? false) },
        // A 64-bit signed integer: integral and in Int64's range. Numbers are doubles, and the double nearest
        // Int64.max is 2^63, so 2^63 counts as in range (IS_INTEGER(9223372036854775807) is true in Cosmos).
        "IS_INTEGER": { a, _ in
            guard let n = number(a[0]) else { return .bool(false) }
            return .bool(n == n.rounded() && n >= -0x1p63 && n <= 0x1p63)
        },
    ]
}
