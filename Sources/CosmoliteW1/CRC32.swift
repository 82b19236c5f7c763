// SPDX-License-Identifier: Apache-2.0

/// CRC-32 (zlib/IEEE, reflected polynomial 0xEDB88320), chainable like `zlib.crc32(data, prev)`.
struct CRC32 {
    private(set) var value: UInt32 = 0

    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        Self.table.withUnsafeBufferPointer { t in
            var c = ~value
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            value = ~c
        }
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    mutating func update(_ byte: UInt8) { withUnsafeBytes(of: byte) { update($0) } }

    mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// W1 §6: the id's UTF-8 bytes followed by "\n".
    mutating func updateID(_ id: String) {
        update(id)
        update(0x0A)
    }
}
