// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

extension Functions {
    /// `CHOOSE`. (`IIF` is not here: the evaluator runs it itself, so that only the chosen branch is evaluated.)
    static let conditionals: [String: Implementation] = [
        // CHOOSE(i, v1, v2, ...): the i-th value, counting from 1; undefined outside the list.
        "CHOOSE": { a, _ in
            guard let i = integer(a[0]), i >= 1, i < a.count else { return nil }
            return a[i]
        },
    ]
}
