// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Testing

// MARK: - String scanner

/// The string scanner jumps to the first quote, backslash, control or non-ASCII byte of each 8-byte
/// word; these tests put such bytes at every offset of a word and around the end of the input.
@Suite struct JSONReaderStringScannerTests {
    /// `"` + `prefix` + `middle` + `suffix` + `"` as bytes.
    static func quoted(_ prefix: Int, _ middle: [UInt8], _ suffix: Int) -> [UInt8] {
        [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "a"), count: prefix) + middle
            + Array(repeating: UInt8(ascii: "b"), count: suffix) + [UInt8(ascii: "\"")]
    }

    static func plain(_ prefix: Int, _ middle: String, _ suffix: Int) -> String {
        String(repeating: "a", count: prefix) + middle + String(repeating: "b", count: suffix)
    }

    @Test(arguments: [
        ("é", "é"), ("€", "€"), ("😀", "😀"), ("\\\"", "\""), ("\\\\", "\\"), ("\\n", "\n"),
        ("\\u00e9", "é"), ("\\uD83D\\uDE00", "😀"), ("\\u0000", "\u{0}"), ("é\\tè", "é\tè"),
    ])
    func decodesSpecialBytesAtEveryWordOffset(middle: String, decoded: String) throws {
        for prefix in 0..<17 {
            for suffix in [0, 1, 7, 8, 9] {
                let bytes = Self.quoted(prefix, Array(middle.utf8), suffix)
                let expected = Self.plain(prefix, decoded, suffix)
                #expect(try JSONReader.parse(bytes) == .string(expected), "prefix \(prefix), suffix \(suffix)")
                // The same string as a key and inside containers (keys take a separate path).
                let document = "{" + String(decoding: bytes, as: UTF8.self) + ":[" + String(decoding: bytes, as: UTF8.self)
                    + "]}"
                let value = try JSONReader.parse(document)
                #expect(value.objectValue?.keys == [expected])
                #expect(value[expected] == [.string(expected)])
            }
        }
    }

    @Test func invalidUTF8IsReportedAtItsExactOffset() {
        // A lone continuation byte, then an invalid continuation after a valid lead byte.
        for prefix in 0..<17 {
            for (sequence, badByte) in [([UInt8(0x80)], 0), ([0xE2, 0x28, 0xA1], 1), ([0xF0, 0x9F, 0x98, 0x41], 3)] {
                let bytes = Self.quoted(prefix, sequence, 9)
                let result = Result { try JSONReader.parse(bytes) }
                #expect(throws: JSONError.self) { try result.get() }
                if case .failure(let error as JSONError) = result {
                    #expect(error.code == .invalidUTF8)
                    #expect(error.byteOffset == 1 + prefix + badByte, "prefix \(prefix), sequence \(sequence)")
                }
            }
        }
    }

    @Test func problemsAfterAnEscapeAreStillDetected() throws {
        let cases: [([UInt8], JSONError.Code, Int)] = [
            (Array(#""ab\ncd"#.utf8) + [0x01, 0x22], .controlCharacterInString, 7),
            (Array(#""ab\ncd"#.utf8) + [0xFF, 0x22], .invalidUTF8, 7),
            (Array(#""ab\n\u00e9xyz"#.utf8) + [0xC3, 0x22], .invalidUTF8, 15),
            (Array(#""ab\nabcdefghijklmnop"#.utf8), .unexpectedEndOfInput, 21),
            (Array(#""ab\nc\q""#.utf8), .invalidEscape, 7),
            (Array(#""ab\"#.utf8), .unexpectedEndOfInput, 4),
        ]
        for (bytes, code, offset) in cases {
            let error = try #require(throws: JSONError.self) { try JSONReader.parse(bytes) }
            #expect(error.code == code, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(error.byteOffset == offset, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func unterminatedStringsEndAtTheEndOfInput() throws {
        for length in 0..<20 {
            for text in ["\"" + String(repeating: "x", count: length), "{\"" + String(repeating: "x", count: length)] {
                let error = try #require(throws: JSONError.self) { try JSONReader.parse(text) }
                #expect(error.code == .unexpectedEndOfInput)
                #expect(error.byteOffset == text.utf8.count)
                #expect(error.message == "unexpected end of input; unterminated string")
            }
        }
    }

    @Test func longEscapedStringsDecodeCompletely() throws {
        // Longer than the parser's initial scratch space, with escapes at both ends.
        let body = String(repeating: "0123456789é€", count: 60)
        let text = #""\"\#(body)\u00e9\#(body)\n""#
        #expect(try JSONReader.parse(text) == .string("\"" + body + "é" + body + "\n"))
        let object = try JSONReader.parse(#"{"\t\#(body)":1,"\#(body)":2}"#)
        #expect(object.objectValue?.keys == ["\t" + body, body])
    }
}

// MARK: - Object keys

/// Duplicate detection compares 64-bit fingerprints of keys before their bytes.
@Suite struct JSONReaderKeyTests {
    @Test func keysDifferingInAnySingleByteAreDistinct() throws {
        for length in 1...24 {
            let key = String(repeating: "k", count: length)
            for position in 0..<length {
                var other = Array(key.utf8)
                other[position] = UInt8(ascii: "x")
                let otherKey = String(decoding: other, as: UTF8.self)
                let value = try JSONReader.parse(#"{"\#(key)":1,"\#(otherKey)":2}"#)
                #expect(value.objectValue?.keys == [key, otherKey], "length \(length), position \(position)")
                #expect(value[otherKey] == 2)
            }
            let error = try #require(throws: JSONError.self) {
                try JSONReader.parse(#"{"\#(key)":1,"x":2,"\#(key)":3}"#)
            }
            #expect(error.code == .duplicateKey)
            #expect(error.byteOffset == length + 12)
        }
    }

    @Test func keysSharingTheirEndsAndLengthAreDistinct() throws {
        // Same length, same first and last 8 bytes: only the middle differs.
        let keys = (0..<20).map { "prefix01-\($0 + 10)-suffix01" }
        let members = keys.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",")
        let value = try JSONReader.parse("{\(members)}")
        #expect(value.objectValue?.keys == keys)
        let error = try #require(throws: JSONError.self) { try JSONReader.parse("{\(members),\"\(keys[7])\":0}") }
        #expect(error.code == .duplicateKey)
    }

    @Test func keysOfEveryLengthWithACommonPrefixAreDistinct() throws {
        let keys = (0...20).map { String(repeating: "a", count: $0) }
        let members = keys.map { "\"\($0)\":\($0.count)" }.joined(separator: ",")
        #expect(try JSONReader.parse("{\(members)}").objectValue?.keys == keys)
    }

    @Test(arguments: [
        (#"{"a":1,"\u0061":2}"#, "a", 7),
        (#"{"\u0061":1,"a":2}"#, "a", 12),
        (#"{"é":1,"\u00e9":2}"#, "é", 8),
        (#"{"😀":1,"\uD83D\uDE00":2}"#, "😀", 10),
        (#"{"a\"b":1,"a\u0022b":2}"#, "a\"b", 10),
        (#"{"":1,"":2}"#, "", 6),
    ])
    func escapedAndRawSpellingsOfAKeyAreDuplicates(text: String, key: String, offset: Int) throws {
        let error = try #require(throws: JSONError.self) { try JSONReader.parse(text) }
        #expect(error.code == .duplicateKey)
        #expect(error.byteOffset == offset)
        let allowed = try JSONReader.parse(text, options: .init(allowDuplicateKeys: true))
        #expect(allowed.objectValue?.keys == [key])
        #expect(allowed[key] == 2)
    }

    @Test func canonicallyEquivalentKeysAreDistinct() throws {
        let value = try JSONReader.parse(#"{"é":1,"e\u0301":2}"#)
        #expect(value.objectValue?.count == 2)
    }
}

// MARK: - Container stacks

/// Members are collected on stacks that start in a fixed workspace and grow on demand.
@Suite struct JSONReaderContainerTests {
    @Test func largeObjectsAndArraysKeepEveryMember() throws {
        let count = 300
        let members = (0..<count).map { #""key\#($0)":[\#($0),{"n":"v\#($0)"}]"# }.joined(separator: ",")
        let value = try JSONReader.parse("{\(members)}")
        let object = try #require(value.objectValue)
        #expect(object.keys == (0..<count).map { "key\($0)" })
        for i in [0, 31, 32, 33, 299] {
            #expect(object["key\(i)"] == [.number(Double(i)), ["n": .string("v\(i)")]])
        }
        let elements = (0..<1000).map(String.init).joined(separator: ",")
        #expect(try JSONReader.parse("[\(elements)]").arrayValue == (0..<1000).map { JSONValue.number(Double($0)) })
    }

    @Test func deepNestingWithMembersAtEveryLevel() throws {
        // 64 objects nested inside each other, each with members before and after the nested one.
        let levels = 64
        var text = ""
        for level in 0..<levels { text += #"{"before":\#(level),"items":[\#(level),"# }
        text += "null"
        for level in (0..<levels).reversed() { text += #"],"after":"x\#(level)"}"# }
        var value = try JSONReader.parse(text)
        for level in 0..<levels {
            let object = try #require(value.objectValue)
            #expect(object.keys == ["before", "items", "after"])
            #expect(object["before"] == .number(Double(level)))
            #expect(object["after"] == .string("x\(level)"))
            let items = try #require(object["items"]?.arrayValue)
            #expect(items.count == 2)
            value = items[1]
        }
        #expect(value == .null)
    }

    @Test func errorsAfterTheStacksGrewAreReported() throws {
        let members = (0..<100).map { #""k\#($0)":["v\#($0)",{"a":[1,2]}]"# }.joined(separator: ",")
        let cases: [(String, JSONError.Code)] = [
            ("{\(members),\"k\":[1,{\"a\":tru}]}", .unexpectedCharacter),
            ("{\(members),\"k\":[1,{\"a\":[1,2", .unexpectedEndOfInput),
            ("{\(members),\"k50\":1}", .duplicateKey),
            ("[\(String(repeating: "[\"x\",", count: 130))0\(String(repeating: "]", count: 131))", .nestingTooDeep),
        ]
        for (text, code) in cases {
            let error = try #require(throws: JSONError.self) { try JSONReader.parse(text) }
            #expect(error.code == code)
        }
    }

    @Test func parsedValuesOutliveTheParser() throws {
        // Values are moved out of the parser's workspace; they must stay intact after it is freed.
        let values = try (0..<50).map { i in
            try JSONReader.parse(#"{"id":"document-number-\#(i)","tags":["long-tag-value-\#(i)"],"n":\#(i)}"#)
        }
        for (i, value) in values.enumerated() {
            #expect(value["id"] == .string("document-number-\(i)"))
            #expect(value["tags"] == [.string("long-tag-value-\(i)")])
            #expect(value["n"] == .number(Double(i)))
        }
    }
}
