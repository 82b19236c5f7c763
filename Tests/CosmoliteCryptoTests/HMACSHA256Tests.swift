// SPDX-License-Identifier: Apache-2.0

@testable import CosmoliteCrypto
import Testing

@Suite struct HMACSHA256Tests {
    @Test func rfc4231TestCase1() throws {
        let key = try SymmetricKey(bytes: [UInt8](repeating: 0x0b, count: 20))
        let code = HMACSHA256.authenticationCode(for: Array("Hi There".utf8), key: key)
        #expect(Hex.encode(code) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231TestCase2() {
        // The 4-byte key "Jefe" is below SymmetricKey's 16-byte minimum, so use the internal raw-key entry point.
        let code = Array("Jefe".utf8).withUnsafeBytes { key in
            Array("what do ya want for nothing?".utf8).withUnsafeBytes { message in
                HMACSHA256.authenticationCode(for: message, keyBytes: key)
            }
        }
        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(throws: CryptoError.self) { try SymmetricKey(bytes: Array("Jefe".utf8)) }
    }

    @Test func rfc4231TestCase6LongKey() throws {
        let key = try SymmetricKey(bytes: [UInt8](repeating: 0xaa, count: 131))
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        let expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        #expect(Hex.encode(HMACSHA256.authenticationCode(for: message, key: key)) == expected)
        message.withUnsafeBytes {
            #expect(Hex.encode(HMACSHA256.authenticationCode(for: $0, key: key)) == expected)
        }
    }

    @Test func emptyMessage() throws {
        // Cross-checked with Python's hmac module.
        let key = try SymmetricKey(bytes: Array(0..<32))
        let code = HMACSHA256.authenticationCode(for: [], key: key)
        #expect(Hex.encode(code) == "d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1cb")
    }

    @Test func isValid() throws {
        let key = try SymmetricKey(bytes: [UInt8](repeating: 0x0b, count: 20))
        let message = Array("Hi There".utf8)
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(HMACSHA256.isValid(code, for: message, key: key))

        var flipped = code
        flipped[31] ^= 0x01
        #expect(!HMACSHA256.isValid(flipped, for: message, key: key))
        #expect(!HMACSHA256.isValid(code, for: Array("Hi there".utf8), key: key))
        let otherKey = try SymmetricKey(bytes: [UInt8](repeating: 0x0c, count: 20))
        #expect(!HMACSHA256.isValid(code, for: message, key: otherKey))
    }

    @Test func isValidRejectsLengthMismatch() throws {
        let key = try SymmetricKey.random()
        let message = Array("message".utf8)
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(!HMACSHA256.isValid(Array(code.prefix(16)), for: message, key: key))
        #expect(!HMACSHA256.isValid(code + [0], for: message, key: key))
        #expect(!HMACSHA256.isValid([], for: message, key: key))
    }
}
