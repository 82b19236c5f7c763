// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteTestSupport
import Testing

@Suite struct JSONWriterTests {
    // MARK: Compact output

    @Test(arguments: [
        (JSONValue.null, "null"),
        (true, "true"),
        (false, "false"),
        ([], "[]"),
        ([:], "{}"),
        ([1, "a", nil, [true]], #"[1,"a",null,[true]]"#),
        (["b": 1, "a": ["c": []]], #"{"b":1,"a":{"c":[]}}"#),
    ] as [(JSONValue, String)])
    func writesCompactJSON(value: JSONValue, expected: String) {
        #expect(JSONWriter.string(value) == expected)
        #expect(JSONWriter.serialize(value) == Array(expected.utf8))
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote\" backslash\\ slash/", #""quote\" backslash\\ slash/""#),
        ("\u{8}\u{C}\n\r\t", #""\b\f\n\r\t""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", #""\u0000\u0001\u001f\#u{7F}""#),
        ("é€😀", #""é€😀""#),
    ])
    func escapesStringsLikeJavaScript(text: String, expected: String) {
        #expect(JSONWriter.string(.string(text)) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (42, "42"), (-7, "-7"), (9_007_199_254_740_992, "9007199254740992"),
        (-9_007_199_254_740_992, "-9007199254740992"), (18_014_398_509_481_984, "18014398509481984"),
        (0.1, "0.1"), (-2.5, "-2.5"), (1e-5, "0.00001"), (1e16, "10000000000000000"), (.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (1e21, "1e+21"), (123.456, "123.456"),
        (.infinity, "null"), (-.infinity, "null"), (.nan, "null"),
        // ECMAScript's Number::toString: positional from 1e-6 up to 1e21, exponent form outside.
        (14_320_368_000_000_000, "14320368000000000"), (9_007_199_254_740_994, "9007199254740994"),
        (1.2345678901234568e20, "123456789012345680000"), (-1e21, "-1e+21"), (1.5e300, "1.5e+300"),
        (0.000001, "0.000001"), (1e-7, "1e-7"), (-1.5e-7, "-1.5e-7"), (0.1 + 0.2, "0.30000000000000004"),
        (1234.5e-10, "1.2345e-7"), (5e-7, "5e-7"), (0.0000123, "0.0000123"), (2.5e20, "250000000000000000000"),
    ])
    func writesNumbers(number: Double, expected: String) {
        #expect(JSONWriter.string(.number(number)) == expected)
    }

    /// Every finite double reads back as itself, whatever form it is written in.
    @Test func numbersRoundTrip() throws {
        var random = SeededGenerator(seed: 0x4E55)
        for _ in 0..<20_000 {
            let number = Double(bitPattern: UInt64.random(in: .min ... .max, using: &random))
            guard number.isFinite else { continue }
            let text = JSONWriter.string(.number(number))
            #expect(Double(text) == number, "\(number.description) written as \(text)")
            let exponentForm = number != 0 && (number.magnitude < 1e-6 || number.magnitude >= 1e21)
            #expect(text.contains("e") == exponentForm, "\(text)")
        }
    }

    @Test(arguments: [
        ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{1}", #"\u0001"#), ("\u{1F}", #"\u001f"#),
        ("é", "é"), ("\u{7F}", "\u{7F}"), ("😀", "😀"),
    ])
    func escapesAtEveryWordOffset(character: String, escaped: String) {
        // The writer looks for bytes to escape 8 at a time; put one at every offset of a word.
        for prefix in 0..<17 {
            for suffix in [0, 1, 7, 8, 9] {
                let a = String(repeating: "a", count: prefix)
                let b = String(repeating: "b", count: suffix)
                let text = a + character + b + character
                #expect(
                    JSONWriter.string(.string(text)) == "\"" + a + escaped + b + escaped + "\"",
                    "prefix \(prefix), suffix \(suffix)"
                )
            }
        }
    }

    @Test func largeOutputsAreWrittenCompletely() throws {
        let items = (0..<3_000).map { JSONValue.string("item-\($0)-\"quoted\"") }
        let value: JSONValue = ["items": .array(items), "count": 3_000]
        let expected = #"{"items":["# + (0..<3_000).map { #""item-\#($0)-\"quoted\"""# }.joined(separator: ",")
            + #"],"count":3000}"#
        #expect(JSONWriter.string(value) == expected)
        var buffer = Array("prefix:".utf8)
        JSONWriter.append(value, to: &buffer)
        #expect(buffer == Array(("prefix:" + expected).utf8))
        let pretty = JSONWriter.serialize(value, options: .init(pretty: true))
        #expect(try JSONReader.parse(pretty) == value)
    }

    @Test func deepPrettyOutputIndentsEveryLevel() throws {
        var value: JSONValue = "leaf"
        for _ in 0..<100 { value = ["k": value] }
        let text = JSONWriter.string(value, options: .init(pretty: true))
        #expect(text.contains("\n" + String(repeating: " ", count: 200) + #""k": "leaf""#))
        #expect(!text.contains(String(repeating: " ", count: 201)))
        #expect(try JSONReader.parse(text) == value)
    }

    @Test func appendAddsToExistingBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONWriter.append(["a": 1], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"a":1}"#)
    }

    // MARK: Options

    @Test func prettyPrintsWithTwoSpaceIndent() {
        let value: JSONValue = ["name": "x", "tags": ["a", 1], "empty": [], "nested": ["k": nil], "none": [:]]
        let expected = """
            {
              "name": "x",
              "tags": [
                "a",
                1
              ],
              "empty": [],
              "nested": {
                "k": null
              },
              "none": {}
            }
            """
        #expect(JSONWriter.string(value, options: .init(pretty: true)) == expected)
    }

    @Test func sortsKeysByUTF8Bytes() {
        let value: JSONValue = ["b": 1, "é": 2, "a": ["z": 1, "Z": 2], "B": 3]
        let sorted = JSONWriter.string(value, options: .init(sortKeys: true))
        #expect(sorted == #"{"B":3,"a":{"Z":2,"z":1},"b":1,"é":2}"#)
    }

    // MARK: Round trips

    @Test func everyFiniteDoubleRoundTrips() throws {
        let seed: UInt64 = 0x5EED_0003
        var random = RandomJSON(seed: seed)
        for _ in 0..<20_000 {
            let number = random.finiteDouble()
            let text = JSONWriter.string(.number(number))
            let parsed = try JSONReader.parse(text).numberValue
            #expect(parsed == number, "seed \(seed): \(number.bitPattern) written as \(text)")
        }
    }

    @Test func randomValuesRoundTripInBothModes() throws {
        let seed: UInt64 = 0x5EED_0004
        var random = RandomJSON(seed: seed)
        for _ in 0..<2_000 {
            let value = random.value(depth: 4)
            for options in [JSONWriter.Options(), .init(pretty: true)] {
                let parsed = try JSONReader.parse(JSONWriter.serialize(value, options: options))
                #expect(parsed == value, "seed \(seed)")
                #expect(parsed.objectValue?.keys == value.objectValue?.keys, "seed \(seed): member order")
            }
        }
    }

    @Test func descriptionIsCompactJSON() {
        let value: JSONValue = ["a": [1, "x"]]
        #expect(value.description == #"{"a":[1,"x"]}"#)
    }
}
