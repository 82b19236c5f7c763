// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

@Suite struct SymmetricKeyTests {
    /// Distinctive key bytes, so that any leak in hex or decimal form would be found.
    static let secret: [UInt8] = [
        0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba, 0xbe, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87, 0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x9f,
    ]

    /// Forms in which key bytes could leak into text.
    static func leakPatterns(_ bytes: [UInt8]) -> [String] {
        let hex = Hex.encode(bytes)
        let prefix = Hex.encode(Array(bytes.prefix(4)))
        return [
            hex, hex.uppercased(), prefix, prefix.uppercased(),
            bytes.map(String.init).joined(separator: ", "),  // "222, 173, 190, ..."
            bytes.prefix(4).map(String.init).joined(separator: ", "),
            "\(bytes)",
        ] + bytes.prefix(4).filter { $0 >= 100 }.map(String.init)  // three-digit decimals of the first bytes
    }

    @Test func printingNeverRevealsKeyBytes() throws {
        let key = try SymmetricKey(bytes: Self.secret)
        var dumped = ""
        dump(key, to: &dumped)
        let renderings = [
            key.description, key.debugDescription, String(describing: key), String(reflecting: key), "\(key)",
            dumped, "\([key])", "\(Optional(key) as Any)",
        ]
        for rendering in renderings {
            for pattern in Self.leakPatterns(Self.secret) {
                #expect(!rendering.contains(pattern), "\(rendering) leaks \(pattern)")
            }
        }
        #expect(key.description == "SymmetricKey(256 bits, redacted)")
        #expect(key.debugDescription == "SymmetricKey(256 bits, redacted)")
        #expect(String(reflecting: key) == "SymmetricKey(256 bits, redacted)")
    }

    @Test func randomKeyIsNotPrinted() throws {
        let key = try SymmetricKey.random()
        let bytes = key.withUnsafeBytes { Array($0) }
        var dumped = ""
        dump(key, to: &dumped)
        for rendering in [key.description, key.debugDescription, String(reflecting: key), dumped] {
            #expect(!rendering.contains(Hex.encode(bytes)))
            #expect(!rendering.contains(bytes.map(String.init).joined(separator: ", ")))
        }
    }

    @Test func bytesRoundTrip() throws {
        let key = try SymmetricKey(bytes: Self.secret)
        #expect(key.byteCount == 32)
        #expect(key.withUnsafeBytes { Array($0) } == Self.secret)
        let copy = key
        #expect(copy.withUnsafeBytes { Array($0) } == Self.secret)
    }

    @Test func withUnsafeBytesRethrows() throws {
        struct Marker: Error {}
        let key = try SymmetricKey.random()
        #expect(throws: Marker.self) { try key.withUnsafeBytes { _ in throw Marker() } }
    }

    @Test(arguments: [0, 1, 8, 15])
    func tooShortKeyIsRejected(byteCount: Int) {
        let error = expectCryptoError(.invalidKeySize) { () throws(CryptoError) in
            try SymmetricKey(bytes: [UInt8](repeating: 0x5a, count: byteCount))
        }
        #expect(error?.description.contains("5a") == false)
        expectCryptoError(.invalidKeySize) { () throws(CryptoError) in try SymmetricKey.random(byteCount: byteCount) }
    }

    @Test(arguments: [16, 20, 32, 64, 131])
    func acceptedLengths(byteCount: Int) throws {
        #expect(try SymmetricKey(bytes: [UInt8](repeating: 1, count: byteCount)).byteCount == byteCount)
        let random = try SymmetricKey.random(byteCount: byteCount)
        #expect(random.byteCount == byteCount)
        #expect(random.description == "SymmetricKey(\(byteCount * 8) bits, redacted)")
    }

    @Test func randomKeysDiffer() throws {
        let first = try SymmetricKey.random().withUnsafeBytes { Array($0) }
        let second = try SymmetricKey.random().withUnsafeBytes { Array($0) }
        #expect(first.count == 32)
        #expect(first != second)
    }

    @Test func keyIsUsableAcrossTasks() async throws {
        let key = try SymmetricKey.random()
        let expected = HMACSHA256.authenticationCode(for: [1, 2, 3], key: key)
        let codes = await withTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 { group.addTask { HMACSHA256.authenticationCode(for: [1, 2, 3], key: key) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(codes.count == 8)
        #expect(codes.allSatisfy { $0 == expected })
    }
}
