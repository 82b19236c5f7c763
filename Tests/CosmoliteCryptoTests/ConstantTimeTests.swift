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

    @Test func equalityOfBufferSlices() {
        let bytes: [UInt8] = [9, 1, 2, 3, 9, 1, 2, 4]
        bytes.withUnsafeBytes { all in
            let first = UnsafeRawBufferPointer(rebasing: all[1..<4])
            #expect(ConstantTime.equals(first, UnsafeRawBufferPointer(rebasing: all[5..<8])) == false)
            #expect(ConstantTime.equals(first, UnsafeRawBufferPointer(rebasing: all[5..<7])) == false)
            #expect(ConstantTime.equals(UnsafeRawBufferPointer(rebasing: all[1..<3]),
                                        UnsafeRawBufferPointer(rebasing: all[5..<7])))
            #expect(ConstantTime.equals(UnsafeRawBufferPointer(rebasing: all[2..<2]),
                                        UnsafeRawBufferPointer(rebasing: all[6..<6])))
        }
    }
}
