// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONPointer

/// A JSON pointer (RFC 6901), such as `/settings/region` or `/tags/0`.
///
/// The empty pointer `""` addresses the whole document; otherwise every segment is introduced by
/// `/`. Within a segment `~1` stands for `/` and `~0` for `~`. Segments are stored unescaped.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first; empty for the root pointer.
    public let segments: [String]

    /// The pointer to the whole document (`""`).
    public static let root = JSONPointer(segments: [])

    // MARK: Creating pointers

    /// Parses a pointer from its string form.
    ///
    /// - Parameter string: `""` or a string starting with `/`, e.g. `"/a~1b/0"`.
    /// - Throws: ``JSONError`` with code ``JSONError/Code/invalidPointer`` if the string does not
    ///   start with `/` or contains `~` not followed by `0` or `1`. The byte offset locates the
    ///   problem within `string`.
    public init(_ string: String) throws(JSONError) {
        let utf8 = Array(string.utf8)
        guard !utf8.isEmpty else {
            segments = []
            return
        }
        guard utf8[0] == UInt8(ascii: "/") else {
            throw JSONError(
                code: .invalidPointer,
                byteOffset: 0,
                message: "a JSON pointer must be empty or start with '/'"
            )
        }
        var result: [String] = []
        var current: [UInt8] = []
        var i = 1
        while i < utf8.count {
            let c = utf8[i]
            if c == UInt8(ascii: "/") {
                result.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else if c == UInt8(ascii: "~") {
                guard i + 1 < utf8.count, utf8[i + 1] == UInt8(ascii: "0") || utf8[i + 1] == UInt8(ascii: "1") else {
                    throw JSONError(
                        code: .invalidPointer,
                        byteOffset: i,
                        message: "'~' must be followed by '0' or '1' (write '~0' for '~' and '~1' for '/')"
                    )
                }
                current.append(utf8[i + 1] == UInt8(ascii: "0") ? UInt8(ascii: "~") : UInt8(ascii: "/"))
                i += 1
            } else {
                current.append(c)
            }
            i += 1
        }
        result.append(String(decoding: current, as: UTF8.self))
        segments = result
    }

    /// Creates a pointer from unescaped segments.
    ///
    /// - Parameter segments: The reference tokens, outermost first.
    public init(segments: [String]) {
        self.segments = segments
    }

    // MARK: Inspecting

    /// The escaped string form, e.g. `/a~1b/m~0n`.
    public var description: String {
        var text = ""
        for segment in segments {
            text += "/"
            for character in segment.unicodeScalars {
                switch character {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.unicodeScalars.append(character)
                }
            }
        }
        return text
    }

    /// Whether this is the root pointer `""`.
    public var isRoot: Bool { segments.isEmpty }

    /// The pointer to the containing value, or `nil` for the root.
    public var parent: JSONPointer? {
        isRoot ? nil : JSONPointer(segments: Array(segments.dropLast()))
    }

    /// Returns a pointer with one more segment.
    ///
    /// - Parameter segment: The unescaped segment to append.
    /// - Returns: The extended pointer.
    public func appending(_ segment: String) -> JSONPointer {
        JSONPointer(segments: segments + [segment])
    }

    /// Whether `self` addresses `other` or a value nested inside it.
    ///
    /// - Parameter other: The potential ancestor.
    /// - Returns: `true` if `other`'s segments are a prefix of (or equal to) `self`'s.
    public func isDescendant(ofOrEqualTo other: JSONPointer) -> Bool {
        guard other.segments.count <= segments.count else { return false }
        for (mine, theirs) in zip(segments, other.segments) where !UTF8Text.equal(mine, theirs) {
            return false
        }
        return true
    }

    // MARK: Equatable & Hashable

    /// Returns whether two pointers have the same segments, compared by UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - lhs: A pointer.
    ///   - rhs: Another pointer.
    /// - Returns: `true` if both address the same location.
    public static func == (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.segments.count == rhs.segments.count && lhs.isDescendant(ofOrEqualTo: rhs)
    }

    /// Hashes the segments consistently with ``==(_:_:)``.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(segments.count)
        for segment in segments { UTF8Text.hash(segment, into: &hasher) }
    }

    // MARK: Resolving

    /// Resolves the pointer against a document.
    ///
    /// Array segments must be canonical indices (`0` or digits without a leading zero) within
    /// bounds; `-` never resolves.
    ///
    /// - Parameter document: The document to look into.
    /// - Returns: The addressed value, or `nil` if it does not exist.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for segment in segments {
            switch current {
            case .object(let object):
                guard let member = object[segment] else { return nil }
                current = member
            case .array(let elements):
                guard let index = Self.arrayIndex(segment), index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Parses a canonical array index segment (`0`, `17`; no sign, no leading zero).
    static func arrayIndex(_ segment: String) -> Int? {
        let utf8 = segment.utf8
        guard let first = utf8.first, utf8.count <= 15 else { return nil }
        if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
        var value = 0
        for c in utf8 {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(c - UInt8(ascii: "0"))
        }
        return value
    }
}
