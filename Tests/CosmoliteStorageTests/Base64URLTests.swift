// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// Continuation tokens are unpadded base64url (RFC 4648 §5); only the canonical spelling of some bytes decodes.
struct Base64URLTests {
    /// Foundation's base64, turned into the unpadded URL alphabet.
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func encodesLikeRFC4648AndDecodesBack() {
        var generator = SeededGenerator(seed: 0x5EED_0B64)
        for count in 0..<200 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(text == Self.reference(bytes), "\(bytes)")
            #expect(Base64URL.decode(text) == bytes, "\(text)")
        }
    }

    @Test(arguments: ["A", "AAAAA", "AB", "AAB", "AAAAAB", "AA=A", "AA+A", "AA/A", "AA A", "AAé"])
    func refusesWhatNoEncodingProduces(text: String) {
        // One character left over, non-zero unused bits, padding, characters of other alphabets.
        #expect(Base64URL.decode(text) == nil, "\(text)")
    }

    @Test func acceptsCanonicalTails() {
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("AA") == [0])
        #expect(Base64URL.decode("AAA") == [0, 0])
        #expect(Base64URL.decode("_w") == [0xFF])
        #expect(Base64URL.decode("__8") == [0xFF, 0xFF])
    }
}
