// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Testing

// MARK: - Layout

@Suite struct OrderedEncodingLayoutTests {
    @Test(arguments: [
        (nil, [0x02]),
        (JSONValue.null, [0x03]),
        (false, [0x04]),
        (true, [0x05]),
        (1.0, [0x06, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0]),
        (0.0, [0x06, 0x80, 0, 0, 0, 0, 0, 0, 0]),
        (.number(-0.0), [0x06, 0x80, 0, 0, 0, 0, 0, 0, 0]),
        (-1.0, [0x06, 0x40, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        ("ab", [0x07, 0x61, 0x62, 0x00, 0x01]),
        ("a\u{0}b", [0x07, 0x61, 0x00, 0xFF, 0x62, 0x00, 0x01]),
        ([], [0x08, 0x01]),
        ([1, "a"], [0x08, 0x06, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0, 0x07, 0x61, 0x00, 0x01, 0x01]),
        ([:], [0x09, 0x01]),
        (["a": nil], [0x09, 0x07, 0x61, 0x00, 0x01, 0x03, 0x01]),
    ] as [(JSONValue?, [UInt8])])
    func matchesDocumentedBytes(value: JSONValue?, bytes: [UInt8]) {
        #expect(OrderedEncoding.encode(value) == bytes)
        #expect(OrderedEncoding.encode(value, descending: true) == bytes.map { ~$0 })
    }

    @Test func appendWritesAfterExistingBytes() {
        var buffer: [UInt8] = [0xAA]
        OrderedEncoding.append(true, to: &buffer)
        OrderedEncoding.append(true, descending: true, to: &buffer)
        #expect(buffer == [0xAA, 0x05, 0xFA])
    }
}

// MARK: - Order

@Suite struct OrderedEncodingOrderTests {
    /// Values in strictly ascending Cosmos DB order.
    static let ascending: [JSONValue?] = [
        nil, .null, false, true,
        .number(-.greatestFiniteMagnitude), -1e300, -1, -0.5, .number(-.leastNonzeroMagnitude),
        0, .number(.leastNonzeroMagnitude), 0.5, 1, 2, 1e300,
        .number(.greatestFiniteMagnitude),
        "", "\u{0}", "\u{0}\u{0}", "\u{1}", "a", "a\u{0}", "a\u{0}b", "ab", "b", "z", "é", "\u{FFFF}", "😀",
        [], [nil], [false], [0], [0, 0], [1], [""], [[]], [[:]],
        [:], ["": nil], ["a": nil], ["a": nil, "b": 1], ["a": false], ["a": 1], ["a\u{0}": nil], ["b": nil],
    ]

    @Test func documentedOrderHoldsForEncodingsAndCompare() {
        let values = Self.ascending
        for i in values.indices {
            for j in values.indices {
                let expected = sign(i - j)
                let encoded = byteCompare(OrderedEncoding.encode(values[i]), OrderedEncoding.encode(values[j]))
                #expect(encoded == expected, "\(String(describing: values[i])) vs \(String(describing: values[j]))")
                #expect(sign(OrderedEncoding.compare(values[i], values[j])) == expected)
                let descending = byteCompare(
                    OrderedEncoding.encode(values[i], descending: true),
                    OrderedEncoding.encode(values[j], descending: true)
                )
                #expect(descending == -expected)
            }
        }
    }

    @Test func objectOrderFollowsStoredMemberOrder() {
        let ab: JSONValue = ["a": 1, "b": 2]
        let ba: JSONValue = ["b": 2, "a": 1]
        #expect(ab == ba)
        #expect(OrderedEncoding.compare(ab, ba) < 0)
        #expect(byteCompare(OrderedEncoding.encode(ab), OrderedEncoding.encode(ba)) < 0)
    }

    @Test func randomPairsAgreeWithCompareAndDescendingReverses() {
        let seed: UInt64 = 0x5EED_0005
        var random = RandomJSON(seed: seed)
        for round in 0..<5_000 {
            let a = random.optionalValue()
            let b = random.int(0...4) == 0 ? a : random.optionalValue()
            let order = sign(OrderedEncoding.compare(a, b))
            let ascending = byteCompare(OrderedEncoding.encode(a), OrderedEncoding.encode(b))
            let descending = byteCompare(
                OrderedEncoding.encode(a, descending: true),
                OrderedEncoding.encode(b, descending: true)
            )
            #expect(ascending == order, "seed \(seed) round \(round)")
            #expect(descending == -order, "seed \(seed) round \(round)")
            #expect(sign(OrderedEncoding.compare(b, a)) == -order, "seed \(seed) round \(round): antisymmetry")
        }
    }

    @Test func randomNumbersOrderNumerically() {
        let seed: UInt64 = 0x5EED_0006
        var random = RandomJSON(seed: seed)
        for round in 0..<5_000 {
            let x = random.number()
            let y = random.number()
            let expected = x < y ? -1 : (x == y ? 0 : 1)
            let encoded = byteCompare(OrderedEncoding.encode(.number(x)), OrderedEncoding.encode(.number(y)))
            #expect(encoded == expected, "seed \(seed) round \(round): \(x) vs \(y)")
        }
    }
}

// MARK: - Decoding and splitting

@Suite struct OrderedEncodingDecodeTests {
    @Test func randomValuesDecodeToThemselves() throws {
        let seed: UInt64 = 0x5EED_0007
        var random = RandomJSON(seed: seed)
        for round in 0..<3_000 {
            let value = random.optionalValue()
            for descending in [false, true] {
                let bytes = OrderedEncoding.encode(value, descending: descending)
                let decoded = try bytes.withUnsafeBytes { buffer in
                    try OrderedEncoding.decode(buffer, descending: descending)
                }
                #expect(decoded.component == .value(value), "seed \(seed) round \(round)")
                #expect(decoded.end == bytes.count, "seed \(seed) round \(round)")
                if case .value(.object(let object)?) = decoded.component {
                    #expect(object.keys == value?.objectValue?.keys, "seed \(seed) round \(round): member order")
                }
            }
        }
    }

    @Test func componentEndSplitsMixedConcatenations() {
        let seed: UInt64 = 0x5EED_0008
        var random = RandomJSON(seed: seed)
        for round in 0..<1_000 {
            var buffer: [UInt8] = []
            var boundaries: [(start: Int, descending: Bool)] = []
            for _ in 0..<random.int(1...6) {
                let descending = random.int(0...1) == 1
                boundaries.append((buffer.count, descending))
                let value = random.optionalValue()
                if random.int(0...1) == 0 {
                    OrderedEncoding.append(value, descending: descending, to: &buffer)
                } else {
                    OrderedEncoding.appendKeyComponent(
                        value,
                        maxStringBytes: random.int(0...24),
                        descending: descending,
                        digest: testDigest,
                        to: &buffer
                    )
                }
            }
            buffer.withUnsafeBytes { bytes in
                for (n, boundary) in boundaries.enumerated() {
                    let expectedEnd = n + 1 < boundaries.count ? boundaries[n + 1].start : bytes.count
                    let (start, descending) = boundary
                    let end = OrderedEncoding.componentEnd(in: bytes, from: start, descending: descending)
                    #expect(end == expectedEnd, "seed \(seed) round \(round) component \(n)")
                    let decodedEnd = try? OrderedEncoding.decode(bytes, from: start, descending: descending).end
                    #expect(decodedEnd == expectedEnd, "seed \(seed) round \(round) component \(n)")
                }
            }
        }
    }

    @Test(arguments: [
        [], [0x06, 0x80], [0x07, 0x61], [0x07, 0x61, 0x00], [0x07, 0x00, 0x05], [0x08], [0x08, 0x05],
        [0x09, 0x07, 0x61, 0x00, 0x01], [0x08, 0x00, 0x01], [0x07, 0x61, 0x00, 0x02, 0x01], [0x00], [0x0A],
    ] as [[UInt8]])
    func rejectsTruncatedOrMalformedBytes(bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            #expect(OrderedEncoding.componentEnd(in: buffer, from: 0) == nil)
            #expect(throws: JSONError.self) { try OrderedEncoding.decode(buffer) }
        }
    }

    @Test(arguments: [
        [0x08, 0x02, 0x01],                    // undefined inside an array
        [0x09, 0x03, 0x03, 0x01],              // non-string key
        [0x09, 0x07, 0x00, 0x01, 0x02, 0x01],  // undefined member value
        [0x07, 0xC3, 0x00, 0x01],              // invalid UTF-8 in a full string
    ] as [[UInt8]])
    func decodeValidatesStructure(bytes: [UInt8]) throws {
        let error = try #require(throws: JSONError.self) {
            try bytes.withUnsafeBytes { try OrderedEncoding.decode($0) }
        }
        #expect(error.code == .invalidEncoding)
    }

    @Test func decodeStartsAtOffset() throws {
        var buffer: [UInt8] = []
        OrderedEncoding.append("first", to: &buffer)
        let start = buffer.count
        OrderedEncoding.append(["x": [1]], descending: true, to: &buffer)
        let decoded = try buffer.withUnsafeBytes { try OrderedEncoding.decode($0, from: start, descending: true) }
        #expect(decoded.component == .value(["x": [1]]))
        #expect(decoded.end == buffer.count)
    }
}

// MARK: - Key forms

@Suite struct OrderedEncodingKeyFormTests {
    func keyComponent(_ value: JSONValue?, max: Int, descending: Bool = false) -> [UInt8] {
        var buffer: [UInt8] = []
        OrderedEncoding.appendKeyComponent(
            value, maxStringBytes: max, descending: descending, digest: testDigest, to: &buffer
        )
        return buffer
    }

    @Test(arguments: [nil, JSONValue.null, true, 12.5, "short", "exactly-10"] as [JSONValue?])
    func smallValuesUseFullForm(value: JSONValue?) {
        #expect(keyComponent(value, max: 10) == OrderedEncoding.encode(value))
        #expect(keyComponent(value, max: 10, descending: true) == OrderedEncoding.encode(value, descending: true))
    }

    @Test func longStringsAreTruncatedWithDigest() throws {
        let text = String(repeating: "abcdefghij", count: 10)
        let key = keyComponent(.string(text), max: 40)
        let expectedDigest = Array(Array(text.utf8).withUnsafeBytes(testDigest).prefix(16))
        #expect(key == [0x07] + Array(text.utf8.prefix(22)) + [0x00, 0x02] + expectedDigest)
        #expect(key.count <= 40 + 3)
        let decoded = try key.withUnsafeBytes { try OrderedEncoding.decode($0) }
        #expect(decoded.component == .truncatedString(prefix: String(text.prefix(22)), digest: expectedDigest))
    }

    @Test func stringConvenienceOverloadsMatch() {
        let text = String(repeating: "é\u{0}x", count: 30)
        let expected = keyComponent(.string(text), max: 50, descending: true)
        var fromString: [UInt8] = []
        OrderedEncoding.appendKeyComponent(
            string: text, maxStringBytes: 50, descending: true, digest: testDigest, to: &fromString
        )
        var fromBytes: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { utf8 in
            OrderedEncoding.appendKeyComponent(
                string: utf8, maxStringBytes: 50, descending: true, digest: testDigest, to: &fromBytes
            )
        }
        #expect(fromString == expected)
        #expect(fromBytes == expected)
    }

    @Test func truncationNeverSplitsCharactersOrEscapes() throws {
        let seed: UInt64 = 0x5EED_0009
        var random = RandomJSON(seed: seed)
        for round in 0..<2_000 {
            var text = ""
            for _ in 0..<random.int(5...40) {
                text += RandomJSON.fragments[random.int(0...RandomJSON.fragments.count - 1)]
            }
            let max = random.int(18...60)
            let key = keyComponent(.string(text), max: max)
            #expect(key.count <= max + 3, "seed \(seed) round \(round)")
            let decoded = try key.withUnsafeBytes { try OrderedEncoding.decode($0) }
            switch decoded.component {
            case .value(let value):
                #expect(value == .string(text), "seed \(seed) round \(round)")
            case .truncatedString(let prefix, let digest):
                #expect(text.utf8.starts(with: prefix.utf8), "seed \(seed) round \(round): prefix is a UTF-8 prefix")
                #expect(digest.count == 16)
                let escapedPrefix = prefix.utf8.count + prefix.utf8.filter { $0 == 0 }.count
                #expect(escapedPrefix <= max - 18, "seed \(seed) round \(round)")
            default:
                Issue.record("seed \(seed) round \(round): unexpected component \(decoded.component)")
            }
        }
    }

    @Test func longStringsWithCommonPrefixGetDistinctKeys() {
        let prefix = String(repeating: "p", count: 200)
        let keys = Set((0..<200).map { keyComponent(.string(prefix + "-\($0)"), max: 64) })
        #expect(keys.count == 200)
        #expect(keys.allSatisfy { $0.count <= 64 + 3 })
        let same = keyComponent(.string(prefix + "-1"), max: 64)
        #expect(keys.contains(same))
    }

    @Test(arguments: [
        (JSONValue.array([1, "two"]), UInt8(0x08)),
        (.array([]), 0x08),
        (.object(["k": [true]]), 0x09),
    ])
    func containersAreHashed(value: JSONValue, tag: UInt8) throws {
        let full = OrderedEncoding.encode(value)
        let digest = Array(full.withUnsafeBytes(testDigest).prefix(16))
        let key = keyComponent(value, max: 1_000)
        #expect(key == [tag, 0x00] + digest)
        let descending = keyComponent(value, max: 1_000, descending: true)
        #expect(descending == key.map { ~$0 })
        let decoded = try descending.withUnsafeBytes { try OrderedEncoding.decode($0, descending: true) }
        #expect(decoded.component == (tag == 0x08 ? .hashedArray(digest: digest) : .hashedObject(digest: digest)))
        #expect(decoded.end == key.count)
    }

    /// The key component of every string starting with `p`, kept whole or truncated, ascending or descending, starts
    /// with `appendStringPrefix(p)`'s bytes; and when neither is cut, only such strings' components do.
    @Test func stringPrefixBytesBeginEveryMatchingKey() {
        var random = RandomJSON(seed: 0x5EED_0010)
        let alphabet = ["a", "b", "\u{0}", "é", "😀", "z"]
        var truncatedMatches = 0
        for round in 0..<3_000 {
            func text(_ count: Int) -> String {
                (0..<count).map { _ in alphabet[random.int(0...(alphabet.count - 1))] }.joined()
            }
            let prefix = text(random.int(0...10))
            let string = random.int(0...2) == 0 ? text(random.int(0...12)) : prefix + text(random.int(0...12))
            let bound = random.int(18...44)
            let descending = random.int(0...1) == 1
            var bytes = [UInt8]()
            OrderedEncoding.appendStringPrefix(prefix, maxStringBytes: bound, descending: descending, to: &bytes)
            let key = keyComponent(.string(string), max: bound, descending: descending)
            let matches = string.unicodeScalars.starts(with: prefix.unicodeScalars)
            let context = "round \(round): \(string.debugDescription) \(prefix.debugDescription) bound \(bound)"
            if matches {
                #expect(key.starts(with: bytes), "\(context)")
                if OrderedEncoding.escapedLength(string) > bound { truncatedMatches += 1 }
            } else if OrderedEncoding.escapedLength(string) <= bound && OrderedEncoding.escapedLength(prefix) <= bound - 18 {
                #expect(!key.starts(with: bytes), "\(context)")
            }
        }
        #expect(truncatedMatches > 100, "\(truncatedMatches)")
    }

    @Test func keyFormsKeepCrossTypeOrder() {
        let long = JSONValue.string(String(repeating: "z", count: 99))
        let values: [JSONValue?] = [nil, .null, false, true, -1, 3, "a", long, [1], ["k": 1]]
        let keys = values.map { keyComponent($0, max: 32) }
        for i in keys.indices.dropLast() {
            #expect(byteCompare(keys[i], keys[i + 1]) < 0, "position \(i)")
        }
    }
}
