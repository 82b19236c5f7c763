// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteTestSupport

// MARK: - Random JSON

/// Generates random JSON values that stress ordering edge cases (NUL bytes, shared prefixes,
/// non-ASCII text, negative zero, subnormals, nested containers).
struct RandomJSON {
    var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    static let fragments = [
        "", "a", "b", "ab", "\u{0}", "é", "e\u{301}", "€", "😀", "~", "/", "\"", "\\", "\n", "zz",
    ]

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }

    mutating func string() -> String {
        var text = ""
        for _ in 0..<int(0...4) {
            text += Self.fragments[int(0...Self.fragments.count - 1)]
        }
        return text
    }

    mutating func number() -> Double {
        switch int(0...6) {
        case 0: return Double(int(-3...3))
        case 1: return [
            0.0, -0.0, 0.5, -0.5, .leastNonzeroMagnitude, -.leastNormalMagnitude / 64, .greatestFiniteMagnitude,
        ][int(0...6)]
        case 2: return Double(int(-1_000_000...1_000_000)) / 8
        case 3: return Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &generator))
        default: return finiteDouble()
        }
    }

    mutating func finiteDouble() -> Double {
        while true {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { return value }
        }
    }

    mutating func value(depth: Int = 3) -> JSONValue {
        let choice = int(0...(depth > 0 ? 7 : 4))
        switch choice {
        case 0: return .null
        case 1: return .bool(int(0...1) == 1)
        case 2: return .number(number())
        case 3, 4: return .string(string())
        case 5: return .array((0..<int(0...3)).map { _ in value(depth: depth - 1) })
        default:
            var object = JSONObject()
            for _ in 0..<int(0...3) { object[string()] = value(depth: depth - 1) }
            return .object(object)
        }
    }

    /// A value or undefined (`nil`).
    mutating func optionalValue() -> JSONValue? {
        if int(0...9) == 0 { return Optional.none }
        return value()
    }
}

// MARK: - Helpers

/// Three-way byte-wise comparison (memcmp order, shorter first on a common prefix).
func byteCompare(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a == b { return 0 }
    return a.lexicographicallyPrecedes(b) ? -1 : 1
}

/// The sign of an integer as -1, 0 or 1.
func sign(_ value: Int) -> Int {
    value == 0 ? 0 : (value < 0 ? -1 : 1)
}

/// A deterministic 32-byte test digest (two FNV-1a variants), standing in for SHA-256.
func testDigest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    var output: [UInt8] = []
    for seed: UInt64 in [0xCBF2_9CE4_8422_2325, 0x1234_5678_9ABC_DEF1, 0x0F0F_0F0F_F0F0_F0F0, 0x5555_AAAA_5555_AAAA] {
        var hash = seed
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        withUnsafeBytes(of: hash.bigEndian) { output.append(contentsOf: $0) }
    }
    return output
}

/// Parses JSON text in tests, failing the test (via `try`) on error.
func json(_ text: String) throws -> JSONValue {
    try JSONReader.parse(text)
}
