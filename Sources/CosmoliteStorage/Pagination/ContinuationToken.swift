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
        let expected = bytes.withUnsafeBytes { key.authenticationCode(for: UnsafeRawBufferPointer(rebasing: $0[..<macStart])) }
        guard ConstantTime.equals(Array(bytes[macStart...]), Array(expected.prefix(macCount))) else {
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
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        let count = (bytes.count * 4 + 2) / 3
        return alphabet.withUnsafeBufferPointer { alphabet in
            String(unsafeUninitializedCapacity: count) { out in
                var o = 0
                var i = 0
                while i < bytes.count {
                    let b0 = UInt32(bytes[i])
                    let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
                    let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
                    let n = b0 << 16 | b1 << 8 | b2
                    out[o] = alphabet[Int(n >> 18 & 63)]
                    out[o + 1] = alphabet[Int(n >> 12 & 63)]
                    o += 2
                    if i + 1 < bytes.count {
                        out[o] = alphabet[Int(n >> 6 & 63)]
                        o += 1
                    }
                    if i + 2 < bytes.count {
                        out[o] = alphabet[Int(n & 63)]
                        o += 1
                    }
                    i += 3
                }
                return o
            }
        }
    }

    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { chars in
            guard chars.count % 4 != 1 else { return nil }
            return reverse.withUnsafeBufferPointer { reverse in
                var out = [UInt8]()
                out.reserveCapacity(chars.count * 3 / 4)
                var acc: UInt32 = 0
                var bits = 0
                for c in chars {
                    let v = reverse[Int(c)]
                    guard v != 0xFF else { return nil }
                    acc = acc << 6 | UInt32(v)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                    }
                }
                // Non-canonical trailing bits mean an edited token.
                guard acc & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
                return out
            }
        }
    }
}
