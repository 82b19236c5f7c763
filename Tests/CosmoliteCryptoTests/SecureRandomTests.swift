// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

@Suite struct SecureRandomTests {
    @Test(arguments: [0, 1, 12, 32, 4096])
    func returnsRequestedCount(count: Int) throws {
        #expect(try SecureRandom.bytes(count: count).count == count)
    }

    @Test func outputsDifferAndAreNotConstant() throws {
        let first = try SecureRandom.bytes(count: 64)
        let second = try SecureRandom.bytes(count: 64)
        #expect(first != second)
        #expect(Set(first).count > 1)
    }

    @Test func negativeCountIsRejected() {
        expectCryptoError(.invalidInput) { () throws(CryptoError) in try SecureRandom.bytes(count: -1) }
    }
}
