// SPDX-License-Identifier: Apache-2.0

// MARK: - UTF8Key

/// A dictionary key that hashes and compares a string by its UTF-8 bytes.
struct UTF8Key: Hashable {
    let string: String

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        UTF8Text.equal(lhs.string, rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        UTF8Text.hash(string, into: &hasher)
    }
}
