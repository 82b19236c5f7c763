// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// Conversions between values and their JSON text.
    static let conversions: [String: Implementation] = [
        "TOSTRING": { a, _ in
            switch a[0] {
            case nil: nil
            case .string(let s)?: .string(s)
            case let v?: .string(JSONWriter.string(v))
            }
        },
        // STRINGTO...(s): s parsed as JSON text of that type (whitespace around it allowed; keywords are
        // lowercase, strings double-quoted), else undefined. A value that is not a string is undefined too.
        "STRINGTOARRAY": { a, _ in parsed(a[0]).flatMap { if case .array = $0 { $0 } else { nil } } },
        "STRINGTOBOOLEAN": { a, _ in parsed(a[0]).flatMap { if case .bool = $0 { $0 } else { nil } } },
        "STRINGTONULL": { a, _ in parsed(a[0]).flatMap { if case .null = $0 { $0 } else { nil } } },
        "STRINGTONUMBER": { a, _ in parsed(a[0]).flatMap { if case .number = $0 { $0 } else { nil } } },
        "STRINGTOOBJECT": { a, _ in parsed(a[0]).flatMap { if case .object = $0 { $0 } else { nil } } },
    ]

    /// The JSON value a string argument spells, or nil.
    private static func parsed(_ v: JSONValue?) -> JSONValue? {
        guard let text = string(v) else { return nil }
        return try? JSONReader.parse(text)
    }
}
