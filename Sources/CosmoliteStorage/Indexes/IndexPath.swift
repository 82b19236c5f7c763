// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Synchronization

/// Canonical bytes of a concrete document path, and their 8-byte hash used in index keys.
///
/// A path is a sequence of steps; a property step is `0x01 ‖ name UTF-8 (0x00 escaped as 0x00 0xFF) ‖ 0x00 0x00`,
/// an array-element step is `0x02`. Array positions are not part of the path: every element of an array is
/// indexed under the same `[]` step, which is what `ARRAY_CONTAINS`, `IN` over arrays and `JOIN` need.
/// The encoding is prefix-free and unambiguous whatever the property names contain.
package enum IndexPath {
    static let arrayStep: UInt8 = 0x02

    /// Appends a property step.
    static func appendProperty(_ name: String, to path: inout [UInt8]) {
        path.append(0x01)
        for b in name.utf8 {
            path.append(b)
            if b == 0 { path.append(0xFF) }
        }
        path.append(0x00)
        path.append(0x00)
    }

    /// The canonical bytes of a path made of property names only.
    package static func bytes(properties: [String]) -> [UInt8] {
        var out = [UInt8]()
        for p in properties { appendProperty(p, to: &out) }
        return out
    }

    /// The 8-byte hash of canonical path bytes: the first 8 bytes of SHA-256.
    package static func hash(_ path: [UInt8]) -> [UInt8] {
        Array(path.withUnsafeBytes { SHA256.hash($0) }.prefix(8))
    }
}

/// A process-wide memo of path hashes (paths repeat across documents; SHA-256 per leaf would dominate writes).
final class PathHashCache: Sendable {
    private let table = Mutex<[ByteKey: [UInt8]]>([:])
    private let limit = 100_000

    /// The hash of `path`, computed once.
    func hash(_ path: [UInt8]) -> [UInt8] {
        let key = ByteKey(path)
        if let hit = table.withLock({ $0[key] }) { return hit }
        let value = IndexPath.hash(path)
        table.withLock { t in
            if t.count >= limit { t.removeAll(keepingCapacity: true) }
            t[key] = value
        }
        return value
    }
}

/// A byte string as a dictionary key, hashed in one call over its bytes (an `[UInt8]` key hashes byte by byte).
struct ByteKey: Hashable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}
