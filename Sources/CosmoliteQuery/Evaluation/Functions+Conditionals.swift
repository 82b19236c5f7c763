// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// `IIF` and `CHOOSE`.
    static let conditionals: [String: Implementation] = [
        // The evaluator runs IIF itself, evaluating only the chosen branch; this entry serves callers that already
        // hold every argument's value.
        "IIF": { a, _ in bool(a[0]) == true ? a[1] : a[2] },
        // CHOOSE(i, v1, v2, ...): the i-th value, counting from 1; undefined outside the list.
        "CHOOSE": { a, _ in
            guard let i = integer(a[0]), i >= 1, i < a.count else { return nil }
            return a[i]
        },
    ]
}
