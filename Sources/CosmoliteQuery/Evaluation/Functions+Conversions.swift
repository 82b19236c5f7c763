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
    ]
}
