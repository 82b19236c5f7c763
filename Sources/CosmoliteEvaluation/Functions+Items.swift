// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation

extension Functions {
    /// Item functions.
    static let items: [String: Implementation] = [
        // DOCUMENTID(root): the item's number within its container, from its `_rid` (database(4) ‖ container(4) ‖
        // item(8, big-endian), in base64 with `-` for `/`). The service's number is unique within a physical
        // partition; this one within the container, which is stricter. Undefined for a value without such a `_rid`.
        "DOCUMENTID": { a, _ in
            guard case .object(let item)? = a[0], case .string(let rid)? = item["_rid"],
                  let bytes = Data(base64Encoded: rid.replacingOccurrences(of: "-", with: "/")), bytes.count == 16
            else { return nil }
            let number = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return number < 1 << 53 ? .number(Double(number)) : nil
        },
    ]
}
