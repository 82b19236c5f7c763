// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteTestSupport
import Testing

// MARK: - Valid documents

@Suite struct JSONReaderTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        (" \t\r\ntrue\n", .bool(true)),
        ("false", .bool(false)),
        ("0", .number(0)),
        ("-0", .number(-0.0)),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .object([:])),
        ("[1, \"a\", null, true, [ ], { }]", [1, "a", nil, true, [], [:]]),
        ("{\"b\":1,\"a\":{\"c\":[false]}}", ["b": 1, "a": ["c": [false]]]),
        (" { \"k\" : 1 , \"l\" : [ 2 , 3 ] } ", ["k": 1, "l": [2, 3]]),
    ] as [(String, JSONValue)])
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONReader.parse(text) == expected)
    }

    @Test func keepsObjectMemberOrder() throws {
        let value = try json(#"{"z":1,"a":2,"m":3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func parsesSampleDocument() throws {
        let text = #"""
            {"id":"0a45dd6d","settings":{"rateLimitPerMinute":180,"env":"dev"},
             "description":"for the \"Partners\" team","objects":["customers","invoices"],"enabled":true}
            """#
        let value = try json(text)
        #expect(value["id"] == "0a45dd6d")
        #expect(value["settings"]?["rateLimitPerMinute"] == 180)
        #expect(value["description"] == "for the \"Partners\" team")
        #expect(value["objects"]?.arrayValue?.count == 2)
        #expect(value["enabled"] == true)
    }

    // MARK: Entry points

    @Test func allEntryPointsAgree() throws {
        let text = #"{"a":[1,"é"]}"#
        let expected: JSONValue = ["a": [1, "é"]]
        let bytes = Array(text.utf8)
        #expect(try JSONReader.parse(text) == expected)
        #expect(try JSONReader.parse(bytes) == expected)
        #expect(try JSONReader.parse(bytes[...]) == expected)
        #expect(try JSONReader.parse(bytes.lazy.map { $0 }) == expected)  // non-contiguous collection
        let viaBuffer = try bytes.withUnsafeBytes { try JSONReader.parse($0) }
        #expect(viaBuffer == expected)
    }

    // MARK: Errors

    @Test(arguments: [
        ("", JSONError.Code.emptyInput, 0),
        ("   \n", .emptyInput, 4),
        ("{\"a\":1 x}", .unexpectedCharacter, 7),
        ("[1 2]", .unexpectedCharacter, 3),
        ("[1,]", .unexpectedCharacter, 3),
        ("{\"a\":1,}", .unexpectedCharacter, 7),
        ("{a:1}", .unexpectedCharacter, 1),
        ("{\"a\" 1}", .unexpectedCharacter, 5),
        ("[", .unexpectedEndOfInput, 1),
        ("{\"a\":", .unexpectedEndOfInput, 5),
        ("\"abc", .unexpectedEndOfInput, 4),
        ("tru", .unexpectedEndOfInput, 3),
        ("trUe", .unexpectedCharacter, 2),
        ("nul", .unexpectedEndOfInput, 3),
        ("1 2", .trailingCharacters, 2),
        ("{} x", .trailingCharacters, 3),
        ("\"a\"\"b\"", .trailingCharacters, 3),
        ("'a'", .unexpectedCharacter, 0),
        ("\u{FEFF}1", .unexpectedCharacter, 0),
        ("[é]", .unexpectedCharacter, 1),
        ("\"a\u{1}b\"", .controlCharacterInString, 2),
        ("\"tab\there\"", .controlCharacterInString, 4),
        ("\"\\x\"", .invalidEscape, 2),
        ("\"\\u12G4\"", .invalidEscape, 5),
        ("\"\\uD83D\"", .invalidEscape, 1),
        ("\"\\uD83Dx\"", .invalidEscape, 1),
        ("\"\\uD83D\\u0041\"", .invalidEscape, 7),
        ("\"\\uDE00\"", .invalidEscape, 1),
        ("{\"a\":1,\"a\":2}", .duplicateKey, 7),
    ])
    func rejectsInvalidDocuments(text: String, code: JSONError.Code, offset: Int) {
        #expect {
            try JSONReader.parse(text)
        } throws: { error in
            guard let error = error as? JSONError else { return false }
            return error.code == code && error.byteOffset == offset
        }
    }

    @Test func errorDescriptionNamesOffsetExpectationAndCharacter() throws {
        let error = try #require(throws: JSONError.self) {
            try JSONReader.parse(#"{"name":"value","other"x}"#)
        }
        #expect(error.description == "invalid JSON at byte 23: expected ':' after object key, found 'x'")
        let member = try #require(throws: JSONError.self) {
            try JSONReader.parse(#"{"a":1 x}"#)
        }
        #expect(member.description == "invalid JSON at byte 7: expected ',' or '}' after object member, found 'x'")
    }

    @Test func errorMessagesNeverQuoteDocumentContent() throws {
        let secret = "hunter2-very-secret-token"
        let inputs = [
            #"{"password":"\#(secret)"#,
            #"{"password":"\#(secret)" x}"#,
            #"{"password":"\#(secret)\q"}"#,
            #"{"password":"\#(secret)","password":1}"#,
        ]
        for (n, input) in inputs.enumerated() {
            let error = try #require(throws: JSONError.self) { try JSONReader.parse(input) }
            #expect(!error.description.contains("hunter2"), "leaked content for input #\(n)")
        }
    }

    @Test func duplicateKeyErrorNamesTheKey() throws {
        let error = try #require(throws: JSONError.self) { try JSONReader.parse(#"{"id":1,"x":[],"id":2}"#) }
        #expect(error.code == .duplicateKey)
        #expect(error.message.contains("\"id\""))
    }

    @Test func duplicateKeysCanBeAllowedLastValueWins() throws {
        let options = JSONReader.Options(allowDuplicateKeys: true)
        let value = try JSONReader.parse(#"{"a":1,"b":2,"a":3}"#, options: options)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test func duplicateKeysAreDetectedInLargeObjects() throws {
        let members = (0..<50).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: JSONError.self) { try JSONReader.parse("{\(members),\"k17\":0}") }
        #expect(try JSONReader.parse("{\(members)}").objectValue?.count == 50)
        let allowed = try JSONReader.parse("{\(members),\"k17\":-1}", options: .init(allowDuplicateKeys: true))
        let object = try #require(allowed.objectValue)
        #expect(object.count == 50)
        #expect(object["k17"] == -1)
        #expect(object.index(forKey: "k17") == 17)
        #expect(object.keys == (0..<50).map { "k\($0)" })
    }

    @Test func nestedContainersKeepTheirOwnMembers() throws {
        let value = try json(#"{"a":[{"x":1,"y":[2,{"z":3}]},4],"b":{"x":{"x":{}}},"c":[[],[[]],{}]}"#)
        #expect(value == [
            "a": [["x": 1, "y": [2, ["z": 3]]], 4],
            "b": ["x": ["x": [:]]],
            "c": [[], [[]], [:]],
        ])
        #expect(value.objectValue?.keys == ["a", "b", "c"])
    }

    // MARK: Depth

    @Test(arguments: [(128, true), (129, false)])
    func defaultDepthLimit(depth: Int, accepted: Bool) {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let result = Result { try JSONReader.parse(text) }
        if accepted {
            #expect((try? result.get()) != nil)
        } else {
            #expect(throws: JSONError.self) { try result.get() }
            #expect((try? result.get()) == nil)
            if case .failure(let error as JSONError) = result {
                #expect(error.code == .nestingTooDeep)
                #expect(error.byteOffset == 128)
            }
        }
    }

    @Test func customDepthLimitCountsObjectsAndArrays() throws {
        let options = JSONReader.Options(maxDepth: 2)
        #expect(try JSONReader.parse(#"{"a":[1]}"#, options: options) == ["a": [1]])
        let error = try #require(throws: JSONError.self) {
            try JSONReader.parse(#"{"a":[{}]}"#, options: options)
        }
        #expect(error.code == .nestingTooDeep)
    }
}

// MARK: - Strings and UTF-8

@Suite struct JSONReaderStringTests {
    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""\u0000""#, "\u{0}"),
        (#""prefix \u00e9 middle \n suffix é""#, "prefix é middle \n suffix é"),
        ("\"raw é € 😀\"", "raw é € 😀"),
        ("\"0123456789abcdefghij\"", "0123456789abcdefghij"),
        ("\"\u{7F}\"", "\u{7F}"),
    ])
    func decodesStrings(text: String, expected: String) throws {
        #expect(try JSONReader.parse(text) == .string(expected))
    }

    @Test(arguments: [
        [0x80],                    // lone continuation byte
        [0xC0, 0x80],              // overlong NUL
        [0xC1, 0xBF],              // overlong
        [0xE0, 0x80, 0x80],        // overlong 3-byte
        [0xED, 0xA0, 0x80],        // encoded surrogate U+D800
        [0xF0, 0x80, 0x80, 0x80],  // overlong 4-byte
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // invalid lead
        [0xFF],                    // invalid byte
        [0xC3],                    // truncated 2-byte, then the closing quote
        [0xE2, 0x82],              // truncated 3-byte
        [0xC3, 0x28],              // bad continuation
    ] as [[UInt8]])
    func rejectsInvalidUTF8InStrings(sequence: [UInt8]) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        #expect {
            try JSONReader.parse(bytes)
        } throws: { ($0 as? JSONError)?.code == .invalidUTF8 }
    }

    @Test func rejectsTruncatedUTF8AtEndOfInput() {
        #expect {
            try JSONReader.parse([UInt8(ascii: "\""), 0xE2, 0x82])
        } throws: { ($0 as? JSONError)?.code == .invalidUTF8 }
    }

    @Test(arguments: [
        [0xC3, 0xA9],              // U+00E9
        [0xE0, 0xA0, 0x80],        // U+0800
        [0xED, 0x9F, 0xBF],        // U+D7FF
        [0xEE, 0x80, 0x80],        // U+E000
        [0xF0, 0x90, 0x80, 0x80],  // U+10000
        [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF
    ] as [[UInt8]])
    func acceptsBoundaryUTF8(sequence: [UInt8]) throws {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        let value = try JSONReader.parse(bytes)
        #expect(value.stringValue.map { Array($0.utf8) } == sequence)
    }

    @Test func rejectsEveryRawControlCharacter() {
        for byte in UInt8(0)..<0x20 {
            let bytes = [UInt8(ascii: "\""), UInt8(ascii: "a"), byte, UInt8(ascii: "\"")]
            #expect(throws: JSONError.self, "control byte \(byte)") { try JSONReader.parse(bytes) }
        }
    }

    @Test func controlCharactersAreDetectedInsideLongRuns() {
        // The scanner skips 8 bytes at a time; place the bad byte at every offset of a word.
        for offset in 0..<16 {
            var bytes = Array("\"abcdefghijklmnopqrstuvwx\"".utf8)
            bytes[1 + offset] = 0x1F
            let result = Result { try JSONReader.parse(bytes) }
            #expect(throws: JSONError.self, "offset \(offset)") { try result.get() }
            if case .failure(let error as JSONError) = result {
                #expect(error.code == .controlCharacterInString)
                #expect(error.byteOffset == 1 + offset)
            }
        }
    }
}

// MARK: - Numbers

@Suite struct JSONReaderNumberTests {
    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("7", 7), ("-7", -7), ("123456789012345", 123_456_789_012_345),
        ("9007199254740993", 9_007_199_254_740_992),  // rounds to even
        ("9007199254740992", 9_007_199_254_740_992),
        ("0.1", 0.1), ("-2.5", -2.5), ("1e3", 1000), ("1E+3", 1000), ("1e-3", 0.001), ("12.5e-1", 1.25),
        ("0.000123", 0.000123), ("1.7976931348623157e308", .greatestFiniteMagnitude),
        ("4.9e-324", .leastNonzeroMagnitude), ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("3.14159265358979323846264338327950288", 3.141592653589793),
        ("123456789012345678901234567890", 1.2345678901234568e29),
        ("1e-400", 0), ("-1e-400", -0.0), ("0e999999999999", 0),
        ("1.00000000000000000000000000001", 1), ("0.30000000000000004", 0.30000000000000004),
    ])
    func parsesNumbers(text: String, expected: Double) throws {
        let value = try #require(try JSONReader.parse(text).numberValue)
        #expect(value == expected)
        #expect(value.sign == expected.sign)
    }

    @Test(arguments: [
        ("01", 1), ("-01", 2), ("+1", 0), (".5", 0), ("1.", 2), ("1.e3", 2), ("-", 1), ("-a", 1),
        ("1e", 2), ("1e+", 3), ("0x10", 1), ("NaN", 0), ("Infinity", 0), ("-Infinity", 1), ("1.5.2", 3),
    ])
    func rejectsMalformedNumbers(text: String, offset: Int) throws {
        let error = try #require(throws: JSONError.self) { try JSONReader.parse(text) }
        #expect(error.byteOffset == offset)
        #expect([.invalidNumber, .unexpectedCharacter, .trailingCharacters].contains(error.code))
    }

    @Test(arguments: ["1e400", "-1e400", "1.8e308", "123456789e999"])
    func rejectsOverflow(text: String) throws {
        let error = try #require(throws: JSONError.self) { try JSONReader.parse(text) }
        #expect(error.code == .numberOutOfRange)
        #expect(error.message.contains("out of range"))
    }

    @Test func integersUpTo2To53RoundTripExactly() throws {
        let seed: UInt64 = 0x5EED_0001
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<5_000 {
            let integer = Int64.random(in: -(1 << 53)...(1 << 53), using: &generator)
            let parsed = try JSONReader.parse(String(integer)).numberValue
            #expect(parsed == Double(integer), "seed \(seed): \(integer)")
        }
    }

    @Test func decimalsMatchSwiftsCorrectlyRoundedParser() throws {
        let seed: UInt64 = 0x5EED_0002
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<5_000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator))
            let exponent = Int.random(in: -330...310, using: &generator)
            let text = "\(digits.prefix(1)).\(digits.dropFirst())e\(exponent)"
            guard let expected = Double(text), expected.isFinite else { continue }
            #expect(try JSONReader.parse(text).numberValue == expected, "seed \(seed): \(text)")
        }
    }
}
