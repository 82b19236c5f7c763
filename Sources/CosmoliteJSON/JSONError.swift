// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONError

/// An error raised while reading JSON text, decoding an ordered encoding, or parsing a JSON pointer.
///
/// Messages never quote more than a single offending character of the input, because documents may
/// hold secrets. Use ``code`` to branch on the kind of failure and ``byteOffset`` to locate it.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    ///
    /// A growable set of well-known codes; compare against the static members, e.g.
    /// `error.code == .invalidNumber`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The stable string identifier of the code, e.g. `"invalidNumber"`.
        public let rawValue: String

        /// Creates a code from its string identifier.
        ///
        /// - Parameter rawValue: The identifier, e.g. `"invalidNumber"`.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The identifier of the code.
        public var description: String { rawValue }

        // MARK: Reader codes

        /// A character that cannot start or continue the expected token.
        public static let unexpectedCharacter = Code(rawValue: "unexpectedCharacter")
        /// The input ended in the middle of a value.
        public static let unexpectedEndOfInput = Code(rawValue: "unexpectedEndOfInput")
        /// A string contains bytes that are not strictly valid UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalidUTF8")
        /// A backslash escape in a string is malformed, or a `\u` escape is an unpaired surrogate.
        public static let invalidEscape = Code(rawValue: "invalidEscape")
        /// A number does not follow the RFC 8259 grammar.
        public static let invalidNumber = Code(rawValue: "invalidNumber")
        /// A number is too large in magnitude to be represented as a finite double.
        public static let numberOutOfRange = Code(rawValue: "numberOutOfRange")
        /// Arrays and objects are nested deeper than ``JSONReader/Options/maxDepth``.
        public static let nestingTooDeep = Code(rawValue: "nestingTooDeep")
        /// An object contains the same key twice and duplicates are not allowed.
        public static let duplicateKey = Code(rawValue: "duplicateKey")
        /// Non-whitespace characters follow the top-level value.
        public static let trailingCharacters = Code(rawValue: "trailingCharacters")
        /// A string contains a raw control character (below U+0020).
        public static let controlCharacterInString = Code(rawValue: "controlCharacterInString")
        /// The input is empty or contains only whitespace.
        public static let emptyInput = Code(rawValue: "emptyInput")

        // MARK: Other codes

        /// A JSON pointer (RFC 6901) is malformed.
        public static let invalidPointer = Code(rawValue: "invalidPointer")
        /// Bytes handed to ``OrderedEncoding/decode(_:from:descending:)`` are not a valid encoding.
        public static let invalidEncoding = Code(rawValue: "invalidEncoding")
    }

    /// The kind of failure.
    public let code: Code
    /// The zero-based byte offset in the input at which the failure was detected.
    public let byteOffset: Int
    /// A human-readable explanation, quoting at most one character of the input.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - byteOffset: The zero-based byte offset at which the failure was detected.
    ///   - message: A human-readable explanation that must not quote large parts of the input.
    public init(code: Code, byteOffset: Int, message: String) {
        self.code = code
        self.byteOffset = byteOffset
        self.message = message
    }

    /// A one-line description such as
    /// `invalid JSON at byte 17: expected ',' or '}' after object member, found 'x'`.
    public var description: String {
        let subject: String
        switch code {
        case .invalidPointer: subject = "invalid JSON pointer"
        case .invalidEncoding: subject = "invalid ordered encoding"
        default: subject = "invalid JSON"
        }
        return "\(subject) at byte \(byteOffset): \(message)"
    }
}

// MARK: - Character descriptions

extension JSONError {
    /// Describes a single input byte for an error message without revealing more than that byte.
    static func describe(byte: UInt8) -> String {
        switch byte {
        case 0x22: return "'\"'"
        case 0x27: return "\"'\""
        case 0x5C: return "'\\'"
        case 0x09: return "tab"
        case 0x0A: return "newline"
        case 0x0D: return "carriage return"
        case 0x20: return "space"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
}
