// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

@Suite struct ConstantTimeTests {
    @Test func equality() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
        let long = [UInt8](repeating: 0xab, count: 1000)
        var almost = long
        almost[999] = 0xac
        #expect(ConstantTime.equals(long, long))
        #expect(!ConstantTime.equals(long, almost))
    }
}
