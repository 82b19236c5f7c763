// SPDX-License-Identifier: Apache-2.0

/// The Snowball English stemmer ("Porter2"), written from the published description of the algorithm
/// (snowballstem.org/algorithms/english/stemmer.html, as revised for Snowball 3).
///
/// In outline: words listed as exceptional forms map straight to their stems, words of fewer than three
/// characters stay as they are, and every other word goes through the prelude (a leading apostrophe is removed,
/// and a `y` that begins the word or follows a vowel is marked `Y` so that it counts as a consonant), the regions
/// *R1* and *R2* are marked, steps 1a, 1b, 1c, 2, 3, 4 and 5 strip suffixes from the end, and the marked `Y`s
/// turn back into `y`.
///
/// The input is one token that is already lower-cased. The vowels are `a e i o u y`; every other character —
/// digits, apostrophes, the marker `Y` and any letter outside `a`–`z` — is a non-vowel, as the algorithm's letter
/// classes define. Characters outside ASCII are never removed or changed, since no suffix contains one, and
/// lengths are counted in Unicode scalars. An ASCII token (the common case) is stemmed on its UTF-8 bytes; any
/// other token on its scalars.
package enum EnglishStemmer {
    /// Returns the stem of `word`, one lower-cased token.
    package static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        if (3...6).contains(bytes.count), let exceptional = exceptionalForm(word) { return exceptional }
        if !bytes.contains(where: { $0 >= 0x80 }) {
            guard bytes.count >= 3 else { return word }
            var buffer = Buffer(bytes)
            buffer.stem()
            return String(decoding: buffer.units, as: UTF8.self)
        }
        let scalars = word.unicodeScalars.map(\.value)
        guard scalars.count >= 3 else { return word }
        var buffer = Buffer(scalars)
        buffer.stem()
        var view = String.UnicodeScalarView()
        view.append(contentsOf: buffer.units.lazy.compactMap(Unicode.Scalar.init))
        return String(view)
    }

    /// The stem of a word on the algorithm's list of exceptional forms (checked before anything else, apostrophes
    /// included), or `nil` for any other word.
    private static func exceptionalForm(_ word: String) -> String? {
        switch word {
        case "skis": return "ski"
        case "skies": return "sky"
        case "idly": return "idl"
        case "gently": return "gentl"
        case "ugly": return "ugli"
        case "early": return "earli"
        case "only": return "onli"
        case "singly": return "singl"
        case "sky", "news", "howe", "atlas", "cosmos", "bias", "andes": return word
        default: return nil
        }
    }

    // MARK: - Tables

    /// The extra test a suffix rule makes, beyond the suffix lying in the step's region, before it applies.
    private enum Condition {
        /// No further test.
        case none
        /// The suffix follows an `l` (step 2's `ogi`).
        case afterL
        /// The suffix follows a valid *li*-ending: one of `c d e g h k m n r t` (step 2's `li`).
        case afterValidLiEnding
        /// The suffix lies in *R2* as well as in *R1* (step 3's `ative`).
        case inR2
        /// The suffix follows an `s` or a `t` (step 4's `ion`).
        case afterSOrT
    }

    /// One line of steps 2, 3 and 4: a suffix, what replaces it, and any extra test.
    private struct Rule {
        /// The suffix, as ASCII bytes.
        let suffix: [UInt8]
        /// What replaces the suffix (empty to delete it), as ASCII bytes.
        let replacement: [UInt8]
        /// The test the rule makes beyond its step's region.
        let condition: Condition

        /// A rule replacing `suffix` by `replacement` when `condition` holds.
        init(_ suffix: StaticString, _ replacement: StaticString, _ condition: Condition = .none) {
            self.suffix = suffix.withUTF8Buffer { Array($0) }
            self.replacement = replacement.withUTF8Buffer { Array($0) }
            self.condition = condition
        }
    }

    /// A step's rules grouped by the last letter of their suffix, so that a word is only tried against the suffixes
    /// it could end with.
    private struct RuleTable {
        /// For each ASCII code, the rules whose suffix ends with that character, longest suffix first.
        let rulesByLastLetter: [[Rule]]

        /// The table of `rules`, which are listed longest suffix first.
        init(_ rules: [Rule]) {
            var table = [[Rule]](repeating: [], count: 128)
            for rule in rules { table[Int(rule.suffix[rule.suffix.count - 1])].append(rule) }
            rulesByLastLetter = table
        }
    }

    /// Step 2's rules, longest suffix first (applied in *R1*).
    private static let step2Rules = RuleTable([
        Rule("ational", "ate"), Rule("fulness", "ful"), Rule("ousness", "ous"), Rule("iveness", "ive"),
        Rule("ization", "ize"),
        Rule("tional", "tion"), Rule("biliti", "ble"), Rule("lessli", "less"),
        Rule("entli", "ent"), Rule("ation", "ate"), Rule("alism", "al"), Rule("aliti", "al"), Rule("ousli", "ous"),
        Rule("iviti", "ive"), Rule("fulli", "ful"), Rule("ogist", "og"),
        Rule("enci", "ence"), Rule("anci", "ance"), Rule("abli", "able"), Rule("izer", "ize"), Rule("ator", "ate"),
        Rule("alli", "al"),
        Rule("bli", "ble"), Rule("ogi", "og", .afterL),
        Rule("li", "", .afterValidLiEnding),
    ])

    /// Step 3's rules, longest suffix first (applied in *R1*).
    private static let step3Rules = RuleTable([
        Rule("ational", "ate"),
        Rule("tional", "tion"),
        Rule("alize", "al"), Rule("icate", "ic"), Rule("iciti", "ic"), Rule("ative", "", .inR2),
        Rule("ical", "ic"), Rule("ness", ""),
        Rule("ful", ""),
    ])

    /// Step 4's rules, longest suffix first (applied in *R2*); each deletes its suffix.
    private static let step4Rules = RuleTable([
        Rule("ement", ""),
        Rule("ance", ""), Rule("ence", ""), Rule("able", ""), Rule("ible", ""), Rule("ment", ""),
        Rule("ant", ""), Rule("ent", ""), Rule("ism", ""), Rule("ate", ""), Rule("iti", ""), Rule("ous", ""),
        Rule("ive", ""), Rule("ize", ""), Rule("ion", "", .afterSOrT),
        Rule("al", ""), Rule("er", ""), Rule("ic", ""),
    ])

    /// Beginnings after which *R1* starts, whatever the usual definition would give.
    private static let regionPrefixes: [StaticString] = [
        "gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ",
    ]

    /// Stems that step 1b leaves alone before `eed` or `eedly` (*proceed*, *exceed*, *succeed*).
    private static let keptBeforeEed: [StaticString] = ["proc", "exc", "succ"]

    /// Whole stems that step 1b leaves alone before `ing` (*inning*, *outing*, *canning*, *herring*, *earring*,
    /// *evening*).
    private static let keptBeforeIng: [StaticString] = ["inn", "out", "cann", "herr", "earr", "even"]

    /// The letters whose doubles step 1b undoubles (`bb dd ff gg mm nn pp rr tt`).
    private static let doubledLetters: StaticString = "bdfgmnprt"

    /// The letters that may precede a removable `li`.
    private static let validLiEndings: StaticString = "cdeghkmnrt"

    // MARK: - The word being stemmed

    /// A word being stemmed, as code units: UTF-8 bytes for an ASCII word, Unicode scalar values otherwise. All the
    /// algorithm's letters are ASCII, so it compares and edits the same way in both.
    private struct Buffer<Unit: FixedWidthInteger & UnsignedInteger> {
        /// The word as it stands.
        var units: [Unit]
        /// Where *R1* starts (the length of the word when *R1* is empty).
        var r1 = 0
        /// Where *R2* starts (the length of the word when *R2* is empty).
        var r2 = 0
        /// Whether the prelude marked any `y` as `Y`, so that the postlude must turn it back.
        var markedY = false

        /// A buffer holding `units`.
        init(_ units: [Unit]) { self.units = units }

        /// Runs the prelude, marks the regions and applies every step, then the postlude.
        mutating func stem() {
            prelude()
            markRegions()
            step1a()
            step1b()
            step1c()
            applyLongestRule(EnglishStemmer.step2Rules, regionStart: r1)
            applyLongestRule(EnglishStemmer.step3Rules, regionStart: r1)
            applyLongestRule(EnglishStemmer.step4Rules, regionStart: r2)
            step5()
            if markedY { postlude() }
        }

        // MARK: Letters

        /// `character` (ASCII) as a code unit.
        static func unit(_ character: Unicode.Scalar) -> Unit { Unit(character.value) }

        /// Whether `unit` is one of `a e i o u y`.
        static func isVowel(_ unit: Unit) -> Bool {
            switch unit {
            case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: return true  // a e i o u y
            default: return false
            }
        }

        /// Whether `unit` is one of the (ASCII) characters of `set`.
        static func isOne(of set: StaticString, _ unit: Unit) -> Bool {
            guard unit < 0x80 else { return false }
            return set.withUTF8Buffer { $0.contains(UInt8(unit)) }
        }

        /// Whether the word ends with `suffix`.
        func hasSuffix(_ suffix: StaticString) -> Bool { hasSuffix(suffix, endingAt: units.count) }

        /// Whether the characters just before position `end` spell `suffix`.
        func hasSuffix(_ suffix: StaticString, endingAt end: Int) -> Bool {
            suffix.withUTF8Buffer { bytes in
                guard bytes.count <= end else { return false }
                var i = end
                for byte in bytes.reversed() {
                    i -= 1
                    if units[i] != Unit(byte) { return false }
                }
                return true
            }
        }

        /// Whether the word ends with the ASCII bytes `suffix`.
        func hasSuffix(_ suffix: [UInt8]) -> Bool {
            guard suffix.count <= units.count else { return false }
            var i = units.count
            for byte in suffix.reversed() {
                i -= 1
                if units[i] != Unit(byte) { return false }
            }
            return true
        }

        /// Whether the word begins with `prefix`.
        func hasPrefix(_ prefix: StaticString) -> Bool {
            prefix.utf8CodeUnitCount <= units.count && hasSuffix(prefix, endingAt: prefix.utf8CodeUnitCount)
        }

        /// Whether the word's first `count` characters spell exactly one of `stems`.
        func startIsExactly(oneOf stems: [StaticString], length count: Int) -> Bool {
            stems.contains { $0.utf8CodeUnitCount == count && hasSuffix($0, endingAt: count) }
        }

        /// Whether a vowel occurs before position `end`.
        func hasVowel(before end: Int) -> Bool {
            for unit in units[..<end] where Self.isVowel(unit) { return true }
            return false
        }

        /// Replaces the last `count` characters by `replacement` (ASCII).
        mutating func replaceSuffix(length count: Int, with replacement: StaticString) {
            replacement.withUTF8Buffer { replaceSuffix(length: count, with: $0) }
        }

        /// Replaces the last `count` characters by the ASCII bytes `replacement`.
        mutating func replaceSuffix(length count: Int, with replacement: some Collection<UInt8>) {
            units.removeLast(count)
            for byte in replacement { units.append(Unit(byte)) }
        }

        /// Whether the characters before position `end` end with a short syllable: a non-vowel, a vowel, then a
        /// non-vowel other than `w`, `x` or `Y`; or a vowel then a non-vowel that make up all of them; or `past`.
        func endsWithShortSyllable(at end: Int) -> Bool {
            if end >= 3 && Self.isVowel(units[end - 2]) && !Self.isVowel(units[end - 3]) {
                let last = units[end - 1]
                if !Self.isVowel(last) && !Self.isOne(of: "wxY", last) { return true }
            }
            if end == 2 && Self.isVowel(units[0]) && !Self.isVowel(units[1]) { return true }
            return hasSuffix("past", endingAt: end)
        }

        // MARK: Prelude and regions

        /// Removes a leading apostrophe, then marks as `Y` a `y` at the start of the word or after a vowel.
        mutating func prelude() {
            if units.first == Self.unit("'") { units.removeFirst() }
            guard !units.isEmpty else { return }
            if units[0] == Self.unit("y") {
                units[0] = Self.unit("Y")
                markedY = true
            }
            for i in units.indices.dropFirst() where units[i] == Self.unit("y") && Self.isVowel(units[i - 1]) {
                units[i] = Self.unit("Y")
                markedY = true
            }
        }

        /// Sets *R1* (after the first non-vowel that follows a vowel, or after one of the special prefixes) and
        /// *R2* (the same again, from the start of *R1*).
        mutating func markRegions() {
            r1 = units.count
            r2 = units.count
            if let prefix = EnglishStemmer.regionPrefixes.first(where: hasPrefix) {
                r1 = prefix.utf8CodeUnitCount
            } else if let start = regionStart(from: 0) {
                r1 = start
            } else {
                return
            }
            r2 = regionStart(from: r1) ?? units.count
        }

        /// The position just after the first non-vowel that follows a vowel, searching from `start`; `nil` if there
        /// is none.
        func regionStart(from start: Int) -> Int? {
            var i = start
            while i < units.count && !Self.isVowel(units[i]) { i += 1 }
            while i < units.count && Self.isVowel(units[i]) { i += 1 }
            return i < units.count ? i + 1 : nil
        }

        // MARK: Steps

        /// Step 0 and step 1a: removes the longest of `'s'`, `'s` and `'`; then handles the longest of `sses`,
        /// `ied`/`ies`, `us`/`ss` and `s`.
        mutating func step1a() {
            if units.last == Self.unit("'") {
                units.removeLast(hasSuffix("'s'") ? 3 : 1)
            } else if hasSuffix("'s") {
                units.removeLast(2)
            }
            let count = units.count
            if hasSuffix("ied") || hasSuffix("ies") {
                // `i` if more than one letter precedes the suffix, else `ie` (ties → tie, cries → cri).
                replaceSuffix(length: 3, with: count - 3 >= 2 ? "i" : "ie")
            } else if units.last == Self.unit("s") {
                if hasSuffix("sses") {
                    units.removeLast(2)
                } else if !hasSuffix("us") && !hasSuffix("ss") && count >= 2 && hasVowel(before: count - 2) {
                    // Deleted if a vowel comes before the letter just before the `s` (gaps → gap, but gas stays).
                    units.removeLast()
                }
            }
        }

        /// Step 1b: handles the longest of `eedly`, `ingly`, `edly`, `eed`, `ing` and `ed`.
        mutating func step1b() {
            switch units.last {
            case Self.unit("y"):
                if hasSuffix("eedly") {
                    replaceEed(length: 5)
                } else if hasSuffix("ingly") {
                    removeVerbalSuffix(length: 5)
                } else if hasSuffix("edly") {
                    removeVerbalSuffix(length: 4)
                }
            case Self.unit("d"):
                if hasSuffix("eed") {
                    replaceEed(length: 3)
                } else if hasSuffix("ed") {
                    removeVerbalSuffix(length: 2)
                }
            case Self.unit("g"):
                if hasSuffix("ing") && !keepsExceptionalIng() { removeVerbalSuffix(length: 3) }
            default:
                break
            }
        }

        /// Replaces a final `eed` or `eedly` (`length` characters) by `ee` if it lies in *R1*, unless exactly
        /// `proc`, `exc` or `succ` precedes it.
        mutating func replaceEed(length: Int) {
            let stemEnd = units.count - length
            if startIsExactly(oneOf: EnglishStemmer.keptBeforeEed, length: stemEnd) { return }
            if stemEnd >= r1 { replaceSuffix(length: length, with: "ee") }
        }

        /// The exceptions step 1b makes for a final `ing`: after exactly a non-vowel and `y`, `ying` becomes `ie`
        /// (dying → die); after exactly `inn`, `out`, `cann`, `herr`, `earr` or `even` nothing changes. Returns
        /// whether one of them applied.
        mutating func keepsExceptionalIng() -> Bool {
            let stemEnd = units.count - 3
            if stemEnd == 2 && units[1] == Self.unit("y") && !Self.isVowel(units[0]) {
                replaceSuffix(length: 4, with: "ie")
                return true
            }
            return startIsExactly(oneOf: EnglishStemmer.keptBeforeIng, length: stemEnd)
        }

        /// Deletes a final `ed`, `edly`, `ing` or `ingly` (`length` characters) if a vowel precedes it; then adds
        /// `e` after `at`, `bl` or `iz`, or undoubles a final double (unless the word is then exactly `a`, `e` or
        /// `o` and the double), or adds `e` if the word is short.
        mutating func removeVerbalSuffix(length: Int) {
            guard hasVowel(before: units.count - length) else { return }
            units.removeLast(length)
            let count = units.count
            if hasSuffix("at") || hasSuffix("bl") || hasSuffix("iz") {
                units.append(Self.unit("e"))
            } else if count >= 2 && units[count - 1] == units[count - 2]
                && Self.isOne(of: EnglishStemmer.doubledLetters, units[count - 1])
            {
                if count != 3 || !Self.isOne(of: "aeo", units[0]) { units.removeLast() }
            } else if r1 == count && endsWithShortSyllable(at: count) {
                units.append(Self.unit("e"))
            }
        }

        /// Step 1c: replaces a final `y` or `Y` by `i` when a non-vowel other than the first letter precedes it.
        mutating func step1c() {
            let count = units.count
            guard count >= 3, units[count - 1] == Self.unit("y") || units[count - 1] == Self.unit("Y") else { return }
            if !Self.isVowel(units[count - 2]) { units[count - 1] = Self.unit("i") }
        }

        /// Steps 2, 3 and 4: finds the longest suffix of `rules` that ends the word and, if it starts at or after
        /// `regionStart` and its condition holds, replaces it.
        mutating func applyLongestRule(_ rules: RuleTable, regionStart: Int) {
            guard let last = units.last, last < 0x80,
                let rule = rules.rulesByLastLetter[Int(last)].first(where: { hasSuffix($0.suffix) })
            else { return }
            let start = units.count - rule.suffix.count
            guard start >= regionStart, conditionHolds(rule.condition, suffixStart: start) else { return }
            replaceSuffix(length: rule.suffix.count, with: rule.replacement)
        }

        /// Whether `condition` holds for a suffix starting at `start`.
        func conditionHolds(_ condition: Condition, suffixStart start: Int) -> Bool {
            let before = start > 0 ? units[start - 1] : 0
            switch condition {
            case .none: return true
            case .afterL: return before == Self.unit("l")
            case .afterValidLiEnding: return Self.isOne(of: EnglishStemmer.validLiEndings, before)
            case .inR2: return start >= r2
            case .afterSOrT: return Self.isOne(of: "st", before)
            }
        }

        /// Step 5: deletes a final `e` in *R2*, or in *R1* when no short syllable precedes it; deletes a final `l`
        /// in *R2* that follows another `l`.
        mutating func step5() {
            guard let last = units.last else { return }
            let end = units.count - 1
            if last == Self.unit("e") {
                if end >= r2 || (end >= r1 && !endsWithShortSyllable(at: end)) { units.removeLast() }
            } else if last == Self.unit("l") {
                if end >= r2 && end >= 1 && units[end - 1] == Self.unit("l") { units.removeLast() }
            }
        }

        /// Turns every marked `Y` back into `y`.
        mutating func postlude() {
            for i in units.indices where units[i] == Self.unit("Y") { units[i] = Self.unit("y") }
        }
    }
}
