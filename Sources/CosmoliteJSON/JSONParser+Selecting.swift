// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Selected members

/// The keys of the top-level members ``JSONReader/parseMembers(_:selecting:options:)`` builds.
///
/// Made once and reused: it keeps each name's fingerprint, so that most keys of a document are
/// ruled out without comparing bytes.
public struct JSONMemberSelection: Sendable {
    /// The member names, compared by UTF-8 bytes.
    public let names: [String]
    let fingerprints: [UInt64]

    /// Selects the members named `names`.
    public init(_ names: [String]) {
        self.names = names
        fingerprints = names.map { name in
            var name = name
            return name.withUTF8 { JSONParser.keyFingerprint($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count) }
        }
    }

    /// Whether the key of `count` bytes at `bytes`, with fingerprint `fingerprint`, is selected.
    @inline(__always)
    func contains(_ bytes: UnsafePointer<UInt8>, count: Int, fingerprint: UInt64) -> Bool {
        for i in fingerprints.indices where fingerprints[i] == fingerprint {
            if UTF8Text.withBytes(names[i], { $0.count == count && (count == 0 || memcmp($0.baseAddress!, bytes, count) == 0) }) {
                return true
            }
        }
        return false
    }
}

/// Where a key of an object being validated (not built) is: a run of the input, or, for a key
/// written with escapes, its decoded form kept aside.
struct JSONKeySpan {
    /// The input offset of a plain key, or the index of an escaped key in `escapedKeys`.
    var start: Int
    /// The byte count; `-1` for an escaped key.
    var count: Int
    var fingerprint: UInt64
}

extension JSONParser {
    /// Parses a document like ``parseDocument()`` but builds only the top-level members that
    /// `selection` names; every other value is validated exactly as ``parseValue()`` would, without
    /// being built.
    ///
    /// Returns `nil` when the document is valid but its top-level value is not an object.
    mutating func parseDocument(selecting selection: JSONMemberSelection) throws(JSONError) -> JSONObject? {
        try expectStartOfDocument()
        var spans = [JSONKeySpan]()
        spans.reserveCapacity(32)
        var escapedKeys = [String]()
        var object: JSONObject?
        if base[pos] == UInt8(ascii: "{") {
            object = try parseObject(selecting: selection, spans: &spans, escapedKeys: &escapedKeys)
        } else {
            try skipValue(spans: &spans, escapedKeys: &escapedKeys)
        }
        try expectEndOfDocument()
        return object
    }

    /// Parses the object at `pos` (the top level), keeping only the members `selection` names, in
    /// document order; the others are validated like ``skipObject(spans:escapedKeys:)`` does.
    mutating func parseObject(selecting selection: JSONMemberSelection, spans: inout [JSONKeySpan],
                              escapedKeys: inout [String]) throws(JSONError) -> JSONObject {
        var keptKeys = [String]()
        var keptValues = [JSONValue]()
        keptKeys.reserveCapacity(selection.names.count)
        keptValues.reserveCapacity(selection.names.count)
        try forEachMember(spans: &spans, escapedKeys: &escapedKeys) { (parser, key, spans, escapedKeys, duplicate) throws(JSONError) in
            let selected = key.count >= 0
                ? selection.contains(parser.base + key.start, count: key.count, fingerprint: key.fingerprint)
                : selection.names.contains { UTF8Text.equal($0, escapedKeys[key.start]) }
            guard selected else {
                try parser.skipValue(spans: &spans, escapedKeys: &escapedKeys)
                return
            }
            let name = key.count >= 0 ? Self.makeString(parser.base + key.start, count: key.count) : escapedKeys[key.start]
            let value = try parser.parseValue()
            // With duplicate keys allowed, the last value wins and keeps the first position.
            if duplicate, let index = keptKeys.firstIndex(where: { UTF8Text.equal($0, name) }) {
                keptValues[index] = value
            } else {
                keptKeys.append(name)
                keptValues.append(value)
            }
        }
        return JSONObject(uniqueKeys: keptKeys, values: keptValues, lookup: nil)
    }

    /// Validates the value at `pos` (whitespace already skipped) exactly as ``parseValue()`` would,
    /// without building it, and moves `pos` past it.
    mutating func skipValue(spans: inout [JSONKeySpan], escapedKeys: inout [String]) throws(JSONError) {
        guard pos < count else { throw endOfInput("expected a value") }
        switch base[pos] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"):
            try forEachMember(spans: &spans, escapedKeys: &escapedKeys) { (parser, _, spans, escapedKeys, _) throws(JSONError) in
                try parser.skipValue(spans: &spans, escapedKeys: &escapedKeys)
            }
        case UInt8(ascii: "["):
            try skipArray(spans: &spans, escapedKeys: &escapedKeys)
        case UInt8(ascii: "t"):
            try parseLiteral("true")
        case UInt8(ascii: "f"):
            try parseLiteral("false")
        case UInt8(ascii: "n"):
            try parseLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // Parsed, not just scanned: a number that overflows a double is an error.
            _ = try parseNumber()
        default:
            throw unexpected("expected a value")
        }
    }

    /// Validates the string token at `pos` like ``parseString()``, without making a `String`.
    mutating func skipString() throws(JSONError) {
        let start = pos &+ 1
        let end = try scanPlainRun(from: start)
        if base[end] == UInt8(ascii: "\"") {
            pos = end &+ 1
            return
        }
        try decodeEscapedString(start: start, firstEscape: end)
    }

    /// Validates the array at `pos` like ``parseArray()``.
    mutating func skipArray(spans: inout [JSONKeySpan], escapedKeys: inout [String]) throws(JSONError) {
        guard try openContainer(closing: UInt8(ascii: "]")) else { return }
        while true {
            try skipValue(spans: &spans, escapedKeys: &escapedKeys)
            guard try continueAfterElement(closing: UInt8(ascii: "]"), "expected ',' or ']' after array element") else {
                break
            }
        }
        depth -= 1
    }

    /// Walks the object at `pos` like ``parseObject()`` (same grammar, depth limit, duplicate-key
    /// rule, messages and offsets) without building its keys: `member` gets each key's span, with
    /// `pos` at its value, and must consume the value; `duplicate` tells whether the key appeared
    /// before, which is only possible when duplicates are allowed.
    ///
    /// Keys live on `spans` while their object is open (escaped ones in `escapedKeys`). As in
    /// ``parseObject()``, a duplicate is detected after the member's value, so an error inside the
    /// value wins over it.
    private mutating func forEachMember(
        spans: inout [JSONKeySpan],
        escapedKeys: inout [String],
        _ member: (inout JSONParser, JSONKeySpan, inout [JSONKeySpan], inout [String], Bool) throws(JSONError) -> Void
    ) throws(JSONError) {
        guard try openContainer(closing: UInt8(ascii: "}")) else { return }
        let first = spans.count
        let firstEscaped = escapedKeys.count
        // Large objects look keys up in a table, as ``parseObject()`` does.
        var seen: Set<UTF8Key>?
        var fingerprintBits: UInt64 = 0
        while true {
            try expectKeyQuote()
            let keyOffset = pos
            let key = try scanKey(escapedKeys: &escapedKeys)
            try consumeColon()
            let fingerprintBit: UInt64 = 1 &<< (key.fingerprint &>> 58)
            let duplicate: Bool
            if let seen {
                duplicate = seen.contains(UTF8Key(string: keyString(key, escapedKeys)))
            } else if fingerprintBits & fingerprintBit == 0 {
                duplicate = false
            } else {
                duplicate = spans[first...].contains { sameKey($0, key, escapedKeys) }
            }
            try member(&self, key, &spans, &escapedKeys, duplicate)
            if duplicate {
                guard allowDuplicateKeys else { throw duplicateKey(keyString(key, escapedKeys), at: keyOffset) }
            } else {
                spans.append(key)
                fingerprintBits |= fingerprintBit
                if seen != nil {
                    seen!.insert(UTF8Key(string: keyString(key, escapedKeys)))
                } else if spans.count - first > JSONObject.indexThreshold {
                    var table = Set<UTF8Key>(minimumCapacity: (spans.count - first) * 2)
                    for span in spans[first...] { table.insert(UTF8Key(string: keyString(span, escapedKeys))) }
                    seen = table
                }
            }
            guard try continueAfterElement(closing: UInt8(ascii: "}"), "expected ',' or '}' after object member") else {
                break
            }
        }
        depth -= 1
        spans.removeSubrange(first...)
        escapedKeys.removeSubrange(firstEscaped...)
    }

    /// Scans the key at `pos` (its opening quote) like ``parseKey()``, without making a `String`
    /// unless it contains escapes, and moves `pos` past its closing quote.
    private mutating func scanKey(escapedKeys: inout [String]) throws(JSONError) -> JSONKeySpan {
        let start = pos &+ 1
        let end = try scanPlainRun(from: start)
        if base[end] == UInt8(ascii: "\"") {
            pos = end &+ 1
            let length = end &- start
            return JSONKeySpan(start: start, count: length, fingerprint: Self.keyFingerprint(base + start, count: length))
        }
        try decodeEscapedString(start: start, firstEscape: end)
        let decoded = scratch.elements(from: 0)
        escapedKeys.append(Self.makeString(decoded.baseAddress!, count: decoded.count))
        return JSONKeySpan(start: escapedKeys.count - 1, count: -1,
                           fingerprint: Self.keyFingerprint(decoded.baseAddress!, count: decoded.count))
    }

    /// The key a span stands for.
    private func keyString(_ key: JSONKeySpan, _ escapedKeys: [String]) -> String {
        key.count >= 0 ? Self.makeString(base + key.start, count: key.count) : escapedKeys[key.start]
    }

    /// Whether two spans stand for the same key (fingerprints first, bytes only when they match).
    private func sameKey(_ a: JSONKeySpan, _ b: JSONKeySpan, _ escapedKeys: [String]) -> Bool {
        guard a.fingerprint == b.fingerprint else { return false }
        if a.count >= 0, b.count >= 0 {
            return a.count == b.count && (a.count == 0 || memcmp(base + a.start, base + b.start, a.count) == 0)
        }
        return UTF8Text.equal(keyString(a, escapedKeys), keyString(b, escapedKeys))
    }
}
