// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

/// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test case 16 (256-bit key, with AAD).
private enum TestCase16 {
    static let key = Hex.decode("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
    static let plaintext = Hex.decode("""
        d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
        1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
        """)
    static let associatedData = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    static let nonce = Hex.decode("cafebabefacedbaddecaf888")
    static let ciphertext = Hex.decode("""
        522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
        8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
        """)
    static let tag = Hex.decode("76fc6ece0f4e1768cddf8853bb2d551b")
}

@Suite struct AES256GCMTests {
    @Test func knownAnswerSeal() throws {
        let key = try SymmetricKey(bytes: TestCase16.key)
        let box = try AES256GCM.seal(
            TestCase16.plaintext, key: key, authenticating: TestCase16.associatedData, nonce: TestCase16.nonce)
        #expect(box.nonce == TestCase16.nonce)
        #expect(box.ciphertext == TestCase16.ciphertext)
        #expect(box.tag == TestCase16.tag)
        #expect(box.combined == TestCase16.nonce + TestCase16.ciphertext + TestCase16.tag)
    }

    @Test func knownAnswerOpen() throws {
        let key = try SymmetricKey(bytes: TestCase16.key)
        let box = try AES256GCM.SealedBox(
            nonce: TestCase16.nonce, ciphertext: TestCase16.ciphertext, tag: TestCase16.tag)
        #expect(try AES256GCM.open(box, key: key, authenticating: TestCase16.associatedData) == TestCase16.plaintext)
        let combined = try AES256GCM.SealedBox(combined: TestCase16.nonce + TestCase16.ciphertext + TestCase16.tag)
        #expect(combined == box)
        let reopened = try AES256GCM.open(combined, key: key, authenticating: TestCase16.associatedData)
        #expect(reopened == TestCase16.plaintext)
    }

    @Test func knownAnswerEmptyPlaintextNoAAD() throws {
        // McGrew & Viega test case 13: zero key, zero nonce, empty plaintext and AAD.
        let key = try SymmetricKey(bytes: [UInt8](repeating: 0, count: 32))
        let box = try AES256GCM.seal([], key: key, nonce: [UInt8](repeating: 0, count: 12))
        #expect(box.ciphertext.isEmpty)
        #expect(Hex.encode(box.tag) == "530f8afbc74536b9a963b4f1c4cb738b")
        #expect(try AES256GCM.open(box, key: key) == [])
    }

    @Test func roundTripWithRandomNonce() throws {
        let key = try SymmetricKey.random()
        let plaintext = Array("{\"id\":\"doc-1\",\"pk\":\"tenant\"}".utf8)
        let aad = Array("container/items".utf8)
        let box = try AES256GCM.seal(plaintext, key: key, authenticating: aad)
        #expect(box.nonce.count == AES256GCM.nonceCount)
        #expect(box.tag.count == AES256GCM.tagCount)
        #expect(box.ciphertext.count == plaintext.count)
        #expect(box.ciphertext != plaintext)
        #expect(try AES256GCM.open(box, key: key, authenticating: aad) == plaintext)
        let reparsed = try AES256GCM.SealedBox(combined: box.combined)
        #expect(try AES256GCM.open(reparsed, key: key, authenticating: aad) == plaintext)
    }

    @Test func largePlaintextRoundTrip() throws {
        let key = try SymmetricKey.random()
        let plaintext = try SecureRandom.bytes(count: 1 << 20)
        let box = try AES256GCM.seal(plaintext, key: key)
        #expect(try AES256GCM.open(box, key: key) == plaintext)
    }

    @Test func twoSealsDiffer() throws {
        let key = try SymmetricKey.random()
        let plaintext = Array("same plaintext".utf8)
        let first = try AES256GCM.seal(plaintext, key: key)
        let second = try AES256GCM.seal(plaintext, key: key)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        #expect(first.combined != second.combined)
    }

    @Test func tamperingWithAnyByteFailsAuthentication() throws {
        let key = try SymmetricKey.random()
        let plaintext = Array("tamper-evident payload, 40 bytes long...".utf8)
        let aad = Array("partition-key=42".utf8)
        let box = try AES256GCM.seal(plaintext, key: key, authenticating: aad)

        for index in box.ciphertext.indices {
            var ciphertext = box.ciphertext
            ciphertext[index] ^= 0x01
            let tampered = try AES256GCM.SealedBox(nonce: box.nonce, ciphertext: ciphertext, tag: box.tag)
            expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
                try AES256GCM.open(tampered, key: key, authenticating: aad)
            }
        }
        for index in box.tag.indices {
            var tag = box.tag
            tag[index] ^= 0x80
            let tampered = try AES256GCM.SealedBox(nonce: box.nonce, ciphertext: box.ciphertext, tag: tag)
            expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
                try AES256GCM.open(tampered, key: key, authenticating: aad)
            }
        }
        for index in box.nonce.indices {
            var nonce = box.nonce
            nonce[index] ^= 0x10
            let tampered = try AES256GCM.SealedBox(nonce: nonce, ciphertext: box.ciphertext, tag: box.tag)
            expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
                try AES256GCM.open(tampered, key: key, authenticating: aad)
            }
        }
        for index in aad.indices {
            var tamperedAAD = aad
            tamperedAAD[index] ^= 0x01
            expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
                try AES256GCM.open(box, key: key, authenticating: tamperedAAD)
            }
        }
        expectCryptoError(.authenticationFailed) { () throws(CryptoError) in try AES256GCM.open(box, key: key) }
        expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
            try AES256GCM.open(box, key: key, authenticating: aad + [0])
        }
        let truncated = try AES256GCM.SealedBox(nonce: box.nonce, ciphertext: box.ciphertext.dropLast(), tag: box.tag)
        expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
            try AES256GCM.open(truncated, key: key, authenticating: aad)
        }
        // The untampered box still opens, so the failures above are due to tampering alone.
        #expect(try AES256GCM.open(box, key: key, authenticating: aad) == plaintext)
    }

    @Test func wrongKeyFailsAuthentication() throws {
        let box = try AES256GCM.seal(Array("secret".utf8), key: try SymmetricKey.random())
        let error = expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
            try AES256GCM.open(box, key: try SymmetricKey.random())
        }
        #expect(error?.openSSLErrorCode == nil)
    }

    @Test(arguments: [16, 24, 31, 33, 64])
    func wrongKeySize(byteCount: Int) throws {
        let key = try SymmetricKey(bytes: [UInt8](repeating: 7, count: byteCount))
        expectCryptoError(.invalidKeySize) { () throws(CryptoError) in try AES256GCM.seal([1, 2, 3], key: key) }
        let box = try AES256GCM.seal([1, 2, 3], key: try SymmetricKey.random())
        expectCryptoError(.invalidKeySize) { () throws(CryptoError) in try AES256GCM.open(box, key: key) }
    }

    @Test(arguments: [0, 8, 11, 13, 16])
    func wrongNonceSize(byteCount: Int) throws {
        let key = try SymmetricKey.random()
        let nonce = [UInt8](repeating: 1, count: byteCount)
        expectCryptoError(.invalidNonceSize) { () throws(CryptoError) in
            try AES256GCM.seal([1], key: key, nonce: nonce)
        }
        expectCryptoError(.invalidNonceSize) { () throws(CryptoError) in
            try AES256GCM.SealedBox(nonce: nonce, ciphertext: [], tag: [UInt8](repeating: 0, count: 16))
        }
    }

    @Test func sealedBoxValidation() throws {
        expectCryptoError(.invalidInput) { () throws(CryptoError) in
            try AES256GCM.SealedBox(nonce: [UInt8](repeating: 0, count: 12), ciphertext: [1], tag: [1, 2, 3])
        }
        expectCryptoError(.invalidInput) { () throws(CryptoError) in
            try AES256GCM.SealedBox(combined: [UInt8](repeating: 0, count: 27))
        }
        let minimal = try AES256GCM.SealedBox(combined: Array(0..<28))
        #expect(minimal.nonce == Array(0..<12))
        #expect(minimal.ciphertext.isEmpty)
        #expect(minimal.tag == Array(12..<28))
    }
}
