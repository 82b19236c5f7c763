// SPDX-License-Identifier: Apache-2.0

/// How full-text search reads a text: the words it finds there, each as a term (lower case, stemmed) at its position.
/// The same analysis applies to documents and to searches, so `FullTextContains(c.text, 'Bicycles')` finds
/// "bicycle" in `c.text`.
///
/// English (`en-US`, the one language Cosmolite supports):
/// - **Words** are runs of letters, digits, combining marks and `_` (Unicode's word characters). An apostrophe (`'`
///   or `’`) or a full stop between two letters stays in the word (`don't`, `U.S.A`), as do a full stop, comma or
///   semicolon between two digits (`3.14`, `1,000`). Every ideograph is a word of its own. Anything else separates
///   words. A word of more than ``maxWordLength`` characters is cut into pieces of that length.
/// - **Case**: each character is lowered by Unicode's simple case mapping.
/// - **Stop words** (``EnglishStopWords``, the service's list) are left out, but keep their positions: the phrase
///   "state of the art" matches only text with two words between "state" and "art".
/// - **Stems**: each other word is reduced to its stem by the Snowball English ("Porter2") algorithm, so "connected",
///   "connecting" and "connection" are one term.
///
/// The service documents tokenizing, stemming and stop-word removal for English without naming the algorithms;
/// Cosmolite's choices are these (`Docs/research/full-text-search-semantics.md`).
package struct FullTextAnalyzer: Sendable {
    /// A word as search sees it.
    package struct Token: Sendable, Hashable {
        /// The stemmed, lower-case word.
        package var term: String
        /// Its position among the text's words, stop words included (the first word is 0).
        package var position: Int

        /// A term at a position.
        package init(term: String, position: Int) {
            self.term = term
            self.position = position
        }
    }

    /// The most characters a word may have; longer runs are cut into words of this length (as Lucene's standard
    /// tokenizer does), so that every term fits an index key.
    package static let maxWordLength = 128

    /// English: stop words left out, words stemmed.
    package static let english = FullTextAnalyzer()

    /// The tokens of `text`, in order (stop words left out).
    package func tokens(_ text: String) -> [Token] {
        var tokens = [Token]()
        var position = 0
        Self.forEachWord(text) { word in
            if !EnglishStopWords.words.contains(word) {
                tokens.append(Token(term: EnglishStemmer.stem(word), position: position))
            }
            position += 1
        }
        return tokens
    }

    // MARK: - Words

    /// What a character is to the word rules.
    private enum Kind {
        case letter, digit, other
    }

    /// Calls `body` with each word of `text`, lower case, in order.
    static func forEachWord(_ text: String, _ body: (String) -> Void) {
        var text = text
        let ascii = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
            forEachASCIIWord(bytes, body)
            return true
        }
        if !ascii { forEachUnicodeWord(text, body) }
    }

    /// ``forEachWord(_:_:)`` over an ASCII text's bytes: the same rules, without decoding characters.
    private static func forEachASCIIWord(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (String) -> Void) {
        var splitter = WordSplitter()
        for byte in bytes {
            guard let kind = Self.kind(ofASCII: byte) else {
                splitter.separator(Unicode.Scalar(byte), body)
                continue
            }
            splitter.begin(kind, body)
            splitter.word.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            splitter.end(kind)
        }
        splitter.finish(body)
    }

    /// ``forEachWord(_:_:)`` over any text, character by character.
    private static func forEachUnicodeWord(_ text: String, _ body: (String) -> Void) {
        var splitter = WordSplitter()
        for scalar in text.unicodeScalars {
            guard let kind = Self.kind(of: scalar) else {
                splitter.separator(scalar, body)
                continue
            }
            let ideograph = !scalar.isASCII && scalar.properties.isIdeographic
            if ideograph { splitter.finish(body) }
            splitter.begin(kind, body)
            Self.appendLowercased(scalar, to: &splitter.word)
            splitter.end(kind)
            if ideograph { splitter.finish(body) }
        }
        splitter.finish(body)
    }

    /// The word rules' state while a text is read character by character: the word so far (UTF-8 bytes, lower
    /// case), and a joiner waiting to see whether the next character continues the word.
    private struct WordSplitter {
        var word: [UInt8] = {
            var word = [UInt8]()
            word.reserveCapacity(32)
            return word
        }()
        /// The characters in ``word``.
        var length = 0
        var hasLetterOrDigit = false
        var lastKind = Kind.other
        /// A joiner (apostrophe, full stop, comma, semicolon) seen right after a word character: it stays in the
        /// word only if the next character continues it in a way the rules allow.
        var joiner: Unicode.Scalar?

        /// A character that is not a word character: held when it may join, else the word ends.
        mutating func separator(_ scalar: Unicode.Scalar, _ body: (String) -> Void) {
            if joiner != nil {
                finish(body)
            } else if length > 0, FullTextAnalyzer.isJoiner(scalar) {
                joiner = scalar
            } else if length > 0 {
                finish(body)
            }
        }

        /// Before a word character of `kind` is appended: a held joiner stays or ends the word, and a word of
        /// ``FullTextAnalyzer/maxWordLength`` characters is cut.
        mutating func begin(_ kind: Kind, _ body: (String) -> Void) {
            if let pending = joiner {
                joiner = nil
                if FullTextAnalyzer.joins(pending, between: lastKind, and: kind) {
                    // Every joiner is ASCII but the typographic apostrophe, which is kept as `'`.
                    word.append(pending == "\u{2019}" ? 0x27 : UInt8(pending.value))
                    length += 1
                } else {
                    finish(body)
                }
            }
            if length >= maxWordLength {
                let kept = lastKind
                finish(body)
                lastKind = kept
            }
        }

        /// After a word character of `kind` was appended.
        mutating func end(_ kind: Kind) {
            length += 1
            if kind != .other {
                hasLetterOrDigit = true
                lastKind = kind
            }
        }

        /// Ends the word: `body` gets it if it has a letter or a digit.
        mutating func finish(_ body: (String) -> Void) {
            if hasLetterOrDigit { body(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
            length = 0
            hasLetterOrDigit = false
            lastKind = .other
            joiner = nil
        }
    }

    /// The kind of an ASCII word character (`_` is `.other`), or `nil` for a separator.
    private static func kind(ofASCII byte: UInt8) -> Kind? {
        switch byte {
        case 0x61...0x7A, 0x41...0x5A: .letter
        case 0x30...0x39: .digit
        case 0x5F: .other
        default: nil
        }
    }

    /// The kind of a word character (a combining mark or `_` is `.other`), or `nil` for a separator.
    private static func kind(of scalar: Unicode.Scalar) -> Kind? {
        if scalar.isASCII { return kind(ofASCII: UInt8(scalar.value)) }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
            return .letter
        case .decimalNumber, .otherNumber:
            return .digit
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation:
            return .other
        default:
            return nil
        }
    }

    /// Whether `scalar` may join two parts of a word.
    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "." || scalar == "," || scalar == ";"
    }

    /// Whether `joiner` joins a part ending in a `before` character to one starting with an `after` character:
    /// apostrophes and full stops between letters; full stops, commas and semicolons between digits.
    private static func joins(_ joiner: Unicode.Scalar, between before: Kind, and after: Kind) -> Bool {
        switch joiner {
        case "'", "\u{2019}": before == .letter && after == .letter
        case ".": before == after && before != .other
        default: before == .digit && after == .digit
        }
    }

    /// Appends the UTF-8 bytes of `scalar` lowered by Unicode's simple case mapping (one character for one).
    private static func appendLowercased(_ scalar: Unicode.Scalar, to word: inout [UInt8]) {
        var lowered = scalar
        if scalar.isASCII {
            if (0x41...0x5A).contains(scalar.value) { lowered = Unicode.Scalar(UInt8(scalar.value + 0x20)) }
        } else {
            let mapped = scalar.properties.lowercaseMapping.unicodeScalars
            if mapped.count == 1, let only = mapped.first {
                lowered = only
            } else if scalar == "\u{130}" {
                lowered = "i"   // the simple mapping of U+0130; the full one adds a combining dot
            }
        }
        UTF8.encode(lowered) { word.append($0) }
    }
}
