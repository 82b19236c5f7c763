// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

@Suite struct SHA256Tests {
    @Test func emptyInput() {
        let expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        #expect(Hex.encode(SHA256.hash("")) == expected)
        #expect(Hex.encode(SHA256.hash([UInt8]())) == expected)
        #expect(Hex.encode(SHA256.hash(UnsafeRawBufferPointer(start: nil, count: 0))) == expected)
    }

    @Test func abc() {
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(Hex.encode(SHA256.hash("abc")) == expected)
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == expected)
        Array("abc".utf8).withUnsafeBytes { #expect(Hex.encode(SHA256.hash($0)) == expected) }
    }

    @Test func oneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(Hex.encode(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000))) == expected)
        #expect(Hex.encode(SHA256.hash(String(repeating: "a", count: 1_000_000))) == expected)
    }

    @Test func twoBlockMessage() {
        // FIPS 180-2 appendix B.2.
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(Hex.encode(SHA256.hash(message)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func stringIsHashedAsUTF8() {
        let text = "Grüße, 世界 🌍"
        #expect(SHA256.hash(text) == SHA256.hash(Array(text.utf8)))
        // A Substring-derived, non-ASCII string goes through the same path.
        let sliced = String(text.dropFirst(2))
        #expect(SHA256.hash(sliced) == SHA256.hash(Array(sliced.utf8)))
        #expect(SHA256.hash(text).count == SHA256.digestCount)
    }

    @Test func concurrentHashingAgrees() async {
        let input = Array("concurrency".utf8)
        let expected = SHA256.hash(input)
        let results = await withTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { SHA256.hash(input) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }
}
