// SPDX-License-Identifier: Apache-2.0
//
// # Continuation-token format, version 1
//
//   base64url( version(1) ‖ kind(1) ‖ binding(8) ‖ position(n) ‖ mac(16) )
//
//   version   1
//   kind      1 = read feed (items list), 2 = change feed, 3 = query
//   binding   first 8 bytes of SHA-256 over what the token belongs to: the container's cid and rid plus the
//             request's scope (partition key, query text and parameters). A token presented with another
//             request does not match and gets a 400.
//   position  where to resume: a key in the scanned DBI (never an offset), so page k costs the same as page 1
//   mac       first 16 bytes of HMAC-SHA256 over everything before it, under the store's 32-byte secret
//             (meta/secret, created with the store). An edited token fails the MAC and gets a 400, never wrong
//             data. Tokens stay valid across restarts because the secret is stored.
//
// Tokens carry no transaction: each page is one short read transaction, so later pages see newer writes.

import CosmoliteCrypto

/// Stateless, signed, versioned continuation tokens.
package enum ContinuationToken {
    static let version: UInt8 = 1

    package enum Kind: UInt8 {
        case readFeed = 1
        case changeFeed = 2
        case query = 3
    }

    /// The binding digest of a scope.
    package static func binding(_ parts: [[UInt8]]) -> [UInt8] {
        var bytes = [UInt8]()
        for part in parts {
            bytes.appendBigEndian(UInt32(part.count))
            bytes.append(contentsOf: part)
        }
        return Array(SHA256.hash(bytes).prefix(8))
    }

    /// Makes a token.
    static func make(kind: Kind, binding: [UInt8], position: [UInt8], key: HMACSHA256.PreparedKey) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(2 + binding.count + position.count + macCount)
        bytes.append(version)
        bytes.append(kind.rawValue)
        bytes.append(contentsOf: binding)
        bytes.append(contentsOf: position)
        bytes.append(contentsOf: key.authenticationCode(for: bytes).prefix(macCount))
        return Base64URL.encode(bytes)
    }

    /// Bytes of the MAC kept in a token.
    static let macCount = 16

    /// Opens a token and returns its position.
    ///
    /// - Throws: ``StoreError`` 400 for a malformed, altered, foreign or unsupported token.
    static func open(_ token: String, kind: Kind, binding: [UInt8], key: HMACSHA256.PreparedKey) throws -> [UInt8] {
        guard let bytes = Base64URL.decode(token), bytes.count >= 2 + 8 + macCount else {
            throw StoreError.badRequest("the continuation token is malformed; pass a token exactly as a previous page returned it")
        }
        guard bytes[0] == version else {
            throw StoreError.badRequest("the continuation token has version \(bytes[0]); this Cosmolite reads version \(version)")
        }
        let macStart = bytes.count - macCount
        let valid = bytes.withUnsafeBytes { bytes in
            let expected = key.authenticationCode(for: UnsafeRawBufferPointer(rebasing: bytes[..<macStart]))
            return expected.withUnsafeBytes { expected in
                ConstantTime.equals(UnsafeRawBufferPointer(rebasing: bytes[macStart...]),
                                    UnsafeRawBufferPointer(rebasing: expected[..<macCount]))
            }
        }
        guard valid else {
            throw StoreError.badRequest("the continuation token is invalid or was altered; restart from the first page")
        }
        guard bytes[1] == kind.rawValue, bytes[2..<10].elementsEqual(binding) else {
            throw StoreError.badRequest(
                "the continuation token belongs to another request (container, partition key or query); "
                    + "use it only with the request that returned it")
        }
        return Array(bytes[10..<macStart])
    }
}

/// Base64url without padding (RFC 4648 §5).
package enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    package static func encode(_ bytes: [UInt8]) -> String {
        let count = (bytes.count * 4 + 2) / 3
        return alphabet.withUnsafeBufferPointer { alphabet in
            bytes.withUnsafeBufferPointer { bytes in
                String(unsafeUninitializedCapacity: count) { out in
                    var o = 0
                    var i = 0
                    // Whole groups: 3 bytes → 4 characters.
                    while i + 3 <= bytes.count {
                        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                        out[o] = alphabet[Int(n >> 18 & 63)]
                        out[o + 1] = alphabet[Int(n >> 12 & 63)]
                        out[o + 2] = alphabet[Int(n >> 6 & 63)]
                        out[o + 3] = alphabet[Int(n & 63)]
                        o += 4
                        i += 3
                    }
                    // The last 1 or 2 bytes: 2 or 3 characters, no padding.
                    if i < bytes.count {
                        let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
                        let n = UInt32(bytes[i]) << 16 | b1 << 8
                        out[o] = alphabet[Int(n >> 18 & 63)]
                        out[o + 1] = alphabet[Int(n >> 12 & 63)]
                        o += 2
                        if i + 1 < bytes.count {
                            out[o] = alphabet[Int(n >> 6 & 63)]
                            o += 1
                        }
                    }
                    return o
                }
            }
        }
    }

    /// The bytes of an unpadded base64url text, or `nil` if it is not one (a character outside the alphabet, a
    /// length no encoding has, or non-zero unused bits in the last character: only the canonical spelling of
    /// some bytes decodes).
    package static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { chars -> [UInt8]? in
            let remainder = chars.count % 4
            guard remainder != 1 else { return nil }
            let count = chars.count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
            return reverse.withUnsafeBufferPointer { reverse -> [UInt8]? in
                var valid = true
                let out = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                    var i = 0
                    var o = 0
                    var invalid: UInt8 = 0
                    while i + 4 <= chars.count {
                        let a = reverse[Int(chars[i])], b = reverse[Int(chars[i + 1])]
                        let c = reverse[Int(chars[i + 2])], d = reverse[Int(chars[i + 3])]
                        invalid |= (a | b | c | d) & 0xC0
                        let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        out[o] = UInt8(truncatingIfNeeded: n >> 16)
                        out[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                        out[o + 2] = UInt8(truncatingIfNeeded: n)
                        o += 3
                        i += 4
                    }
                    if remainder > 0 {
                        let a = reverse[Int(chars[i])], b = reverse[Int(chars[i + 1])]
                        let c = remainder == 3 ? reverse[Int(chars[i + 2])] : 0
                        invalid |= (a | b | c) & 0xC0
                        let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                        out[o] = UInt8(truncatingIfNeeded: n >> 16)
                        if remainder == 3 {
                            out[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                            // Non-canonical trailing bits mean an edited token.
                            if n & 0xFF != 0 { invalid = 0xFF }
                        } else if n & 0xFFFF != 0 {
                            invalid = 0xFF
                        }
                    }
                    initialized = count
                    valid = invalid == 0
                }
                return valid ? out : nil
            }
        }
    }
}
