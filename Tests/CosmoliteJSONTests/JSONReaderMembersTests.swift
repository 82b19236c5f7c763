// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteTestSupport
import Testing

/// `JSONReader.parseMembers` must accept exactly what `JSONReader.parse` accepts, fail with the same error, and
/// build the named top-level members exactly as `parse` builds them.
@Suite struct JSONReaderMembersTests {
    static let wanted = ["id", "ttl", "tenantId", "é"]

    /// What `parse` says about `bytes`, reduced to what `parseMembers` must reproduce.
    enum Outcome: Equatable {
        case failed(JSONError)
        case notAnObject
        case members([(String, JSONValue)])

        static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case (.failed(let x), .failed(let y)): x == y
            case (.notAnObject, .notAnObject): true
            case (.members(let x), .members(let y)):
                x.count == y.count && zip(x, y).allSatisfy { $0.0.utf8.elementsEqual($1.0.utf8) && $0.1 == $1.1 }
            default: false
            }
        }
    }

    static func expected(_ bytes: [UInt8], options: JSONReader.Options = .init()) -> Outcome {
        do {
            guard case .object(let object) = try JSONReader.parse(bytes, options: options) else { return .notAnObject }
            return .members(object.members.filter { m in wanted.contains { $0.utf8.elementsEqual(m.key.utf8) } }
                .map { ($0.key, $0.value) })
        } catch {
            return .failed(error)
        }
    }

    static func actual(_ bytes: [UInt8], options: JSONReader.Options = .init()) -> Outcome {
        do {
            let selected = try bytes.withUnsafeBytes { try JSONReader.parseMembers($0, selecting: JSONMemberSelection(wanted), options: options) }
            guard let selected else { return .notAnObject }
            return .members(selected.members.map { ($0.key, $0.value) })
        } catch let error as JSONError {
            return .failed(error)
        } catch {
            Issue.record("parseMembers threw \(error), not a JSONError")
            return .notAnObject
        }
    }

    @Test(arguments: [
        // Valid documents: the named members, in document order.
        #"{"a":{"b":[1,2,{"c":"d"}]},"tenantId":"acme","id":"x","zz":null}"#,
        #"  {"\u0069d" : "escaped key" , "ttl":-1}  "#,
        #"{"é":1,"e\u0301":2}"#,
        #"{}"#, #"[1,{"id":2}]"#, #""id""#, "12.5e3", "null",
        // Errors inside members that are only validated, not built.
        #"{"id":"x","big":1e400}"#,
        #"{"id":"x","nested":{"k":1,"k":2}}"#,
        #"{"id":"x","nested":{"k":1,"\u006b":2}}"#,
        #"{"id":"x","s":"bad \u12"}"#,
        #"{"id":"x","s":"\ud800"}"#,
        #"{"id":"x","n":01}"#,
        #"{"id":"x","n":-}"#,
        #"{"id":"x","a":[1,]}"#,
        #"{"id":"x","a":[1 2]}"#,
        #"{"id":"x","o":{"k" 1}}"#,
        #"{"id":"x","o":{"k":1,}}"#,
        #"{"id":"x","t":tru}"#,
        #"{"id":"x","id":"y"}"#,
        #"{"id":"x","q":"x"} extra"#,
        #"{"id":"x","#,
        #"{"id":"x""#,
        "", "   ", "{", "[", "\"abc",
    ])
    func agreesWithTheFullParser(text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.actual(bytes) == Self.expected(bytes), "\(text)")
    }

    @Test func invalidUTF8AndControlBytesInSkippedStringsAreErrors() {
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x01]] {
            let bytes = Array(#"{"id":"x","s":"ok "#.utf8) + bad + Array(#" tail"}"#.utf8)
            let outcome = Self.actual(bytes)
            guard case .failed = outcome else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(outcome == Self.expected(bytes))
        }
    }

    @Test func nestingDeeperThanTheLimitInASkippedMemberIsAnError() {
        let options = JSONReader.Options(maxDepth: 8)
        let deep = String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
        let allowed = Array(#"{"id":"x","a":"#.utf8) + Array(String(deep.dropFirst().dropLast()).utf8) + [UInt8(ascii: "}")]
        let tooDeep = Array(#"{"id":"x","a":"#.utf8) + Array(deep.utf8) + [UInt8(ascii: "}")]
        #expect(Self.actual(allowed, options: options) == Self.expected(allowed, options: options))
        guard case .members = Self.actual(allowed, options: options) else {
            Issue.record("depth 8 was refused")
            return
        }
        guard case .failed(let error) = Self.actual(tooDeep, options: options) else {
            Issue.record("depth 9 was accepted")
            return
        }
        #expect(error.code == .nestingTooDeep)
        #expect(Self.actual(tooDeep, options: options) == Self.expected(tooDeep, options: options))
    }

    @Test func duplicatesInLargeSkippedObjectsAreFound() {
        // Past JSONObject's index threshold the parser switches to a hash table: both must find the duplicate.
        let members = (0..<60).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let valid = Array(#"{"id":"x","o":{\#(members)}}"#.utf8)
        let duplicated = Array(#"{"id":"x","o":{\#(members),"k37":0}}"#.utf8)
        #expect(Self.actual(valid) == Self.expected(valid))
        #expect(Self.actual(duplicated) == Self.expected(duplicated))
        guard case .failed(let error) = Self.actual(duplicated) else {
            Issue.record("a duplicate key in a 61-member object was accepted")
            return
        }
        #expect(error.code == .duplicateKey)
    }

    @Test func withDuplicatesAllowedTheLastValueWinsAsInTheFullParser() {
        let options = JSONReader.Options(allowDuplicateKeys: true)
        let bytes = Array(#"{"id":"first","x":1,"id":"second","x":2}"#.utf8)
        #expect(Self.actual(bytes, options: options) == Self.expected(bytes, options: options))
        #expect(Self.actual(bytes, options: options) == .members([("id", .string("second"))]))
    }

    /// Random documents, valid and then corrupted one byte at a time: both readers must always agree.
    @Test func randomDocumentsAndCorruptionsAgree() {
        let seed: UInt64 = 0x5EED_00A1
        var random = RandomJSON(seed: seed)
        let alphabet = Array(#"{}[]:,"\ u0123456789eE.-+tfnlrsa"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        for round in 0..<3_000 {
            var object = JSONObject()
            for _ in 0..<random.int(0...5) { object[random.string()] = random.value() }
            for name in Self.wanted where random.int(0...2) == 0 { object[name] = random.value(depth: 2) }
            var bytes = JSONWriter.serialize(.object(object))
            #expect(Self.actual(bytes) == Self.expected(bytes), "seed \(seed) round \(round): valid document")
            for _ in 0..<random.int(1...3) {
                let at = random.int(0...bytes.count - 1)
                switch random.int(0...2) {
                case 0: bytes[at] = alphabet[random.int(0...alphabet.count - 1)]
                case 1: bytes.insert(alphabet[random.int(0...alphabet.count - 1)], at: at)
                default: if bytes.count > 1 { bytes.remove(at: at) }
                }
            }
            #expect(Self.actual(bytes) == Self.expected(bytes),
                    "seed \(seed) round \(round): \(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
