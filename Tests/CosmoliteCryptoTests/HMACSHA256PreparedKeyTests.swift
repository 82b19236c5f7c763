// SPDX-License-Identifier: Apache-2.0

@testable import CosmoliteCrypto
import Dispatch
import Synchronization
import Testing

@Suite struct HMACSHA256PreparedKeyTests {
    @Test func rfc4231Vectors() throws {
        let short = HMACSHA256.PreparedKey(try SymmetricKey(bytes: [UInt8](repeating: 0x0b, count: 20)))
        #expect(Hex.encode(short.authenticationCode(for: Array("Hi There".utf8)))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let long = HMACSHA256.PreparedKey(try SymmetricKey(bytes: [UInt8](repeating: 0xaa, count: 131)))
        #expect(Hex.encode(long.authenticationCode(for: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func reusedContextsMatchTheOneShotFunction() throws {
        let key = try SymmetricKey.random()
        let prepared = HMACSHA256.PreparedKey(key)
        // Messages of many lengths, each authenticated twice: every call after the first re-arms a pooled context.
        for length in [0, 1, 31, 55, 56, 63, 64, 65, 90, 200] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) }
            let expected = HMACSHA256.authenticationCode(for: message, key: key)
            #expect(prepared.authenticationCode(for: message) == expected)
            #expect(prepared.authenticationCode(for: message) == expected)
        }
    }

    @Test func concurrentCallersGetCorrectCodes() throws {
        let key = try SymmetricKey.random()
        let prepared = HMACSHA256.PreparedKey(key)
        let messages = (0..<64).map { i in (0..<(i * 3)).map { UInt8(truncatingIfNeeded: $0 ^ i) } }
        let expected = messages.map { HMACSHA256.authenticationCode(for: $0, key: key) }
        let mismatches = Mutex(0)
        // More threads than the idle pool keeps, so contexts are copied from the template and freed too.
        DispatchQueue.concurrentPerform(iterations: 32) { worker in
            for round in 0..<50 {
                let i = (worker * 7 + round) % messages.count
                if prepared.authenticationCode(for: messages[i]) != expected[i] {
                    mismatches.withLock { $0 += 1 }
                }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
