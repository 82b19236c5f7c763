// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

@Suite struct CryptoErrorTests {
    @Test func codesAreDistinctAndNamed() {
        let codes: [CryptoError.Code] = [
            .authenticationFailed, .invalidKeySize, .invalidNonceSize, .invalidInput, .randomFailure,
            .openSSLFailure,
        ]
        #expect(Set(codes).count == codes.count)
        #expect(CryptoError.Code.authenticationFailed.rawValue == "authenticationFailed")
        #expect(CryptoError.Code(rawValue: "invalidKeySize") == .invalidKeySize)
        #expect("\(CryptoError.Code.openSSLFailure)" == "openSSLFailure")
    }

    @Test func descriptionsContainNoKeyMaterial() throws {
        let secret = SymmetricKeyTests.secret
        let key = try SymmetricKey(bytes: secret)
        let box = try AES256GCM.seal(Array("payload".utf8), key: key)
        var wrongKeyBytes = secret
        wrongKeyBytes[0] ^= 0xff

        var errors: [CryptoError] = []
        errors += [expectCryptoError(.authenticationFailed) { () throws(CryptoError) in
            try AES256GCM.open(box, key: try SymmetricKey(bytes: wrongKeyBytes))
        }].compactMap { $0 }
        errors += [expectCryptoError(.invalidKeySize) { () throws(CryptoError) in
            try AES256GCM.seal([1], key: try SymmetricKey(bytes: Array(secret.prefix(16))))
        }].compactMap { $0 }
        errors += [expectCryptoError(.invalidKeySize) { () throws(CryptoError) in
            try SymmetricKey(bytes: Array(secret.prefix(15)))
        }].compactMap { $0 }
        errors += [expectCryptoError(.invalidNonceSize) { () throws(CryptoError) in
            try AES256GCM.seal([1], key: key, nonce: Array(secret.prefix(11)))
        }].compactMap { $0 }
        #expect(errors.count == 4)

        for error in errors {
            var dumped = ""
            dump(error, to: &dumped)
            for rendering in [error.description, String(reflecting: error), "\(error)", dumped] {
                #expect(rendering.contains(error.code.rawValue))
                for pattern in SymmetricKeyTests.leakPatterns(secret) + SymmetricKeyTests.leakPatterns(wrongKeyBytes) {
                    #expect(!rendering.contains(pattern), "\(rendering) leaks \(pattern)")
                }
            }
        }
    }
}
