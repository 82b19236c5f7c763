// SPDX-License-Identifier: Apache-2.0

/// Test helpers for writing known-answer vectors in hexadecimal.
enum Hex {
    /// Decodes a hex string (whitespace ignored); traps on malformed input since vectors are literals.
    static func decode(_ text: String) -> [UInt8] {
        let digits = text.compactMap { $0.isWhitespace ? nil : $0.hexDigitValue }
        precondition(digits.count % 2 == 0 && digits.count == text.filter { !$0.isWhitespace }.count)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
    }

    /// Encodes bytes as lowercase hex.
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("0123456789abcdef")
        return String(bytes.flatMap { [alphabet[Int($0 >> 4)], alphabet[Int($0 & 0x0f)]] })
    }
}
