// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Testing

// MARK: - JSONValue

@Suite struct JSONValueTests {
    @Test(arguments: [
        (JSONValue.null, "null"),
        (.bool(true), "boolean"),
        (.number(1), "number"),
        (.string("x"), "string"),
        (.array([]), "array"),
        (.object([:]), "object"),
    ])
    func typeNames(value: JSONValue, name: String) {
        #expect(value.typeName == name)
    }

    @Test func accessorsReturnPayloadOnlyForMatchingCase() {
        let object: JSONValue = ["s": "text", "n": 2.5, "b": false, "a": [1], "o": ["k": nil], "z": nil]
        #expect(object["s"]?.stringValue == "text")
        #expect(object["n"]?.numberValue == 2.5)
        #expect(object["b"]?.boolValue == false)
        #expect(object["a"]?.arrayValue == [1])
        #expect(object["o"]?.objectValue?["k"] == .null)
        #expect(object["z"]?.isNull == true)
        #expect(object["missing"] == nil)
        #expect(object["s"]?.numberValue == nil)
        #expect(object["n"]?.stringValue == nil)
        #expect(object["s"]?.isNull == false)
        #expect(JSONValue.string("x")["key"] == nil)
        #expect(JSONValue.array([1])["0"] == nil)
    }

    @Test func literalsBuildExpectedCases() {
        let value: JSONValue = [nil, true, 7, 1.5, "s", [], ["b": 1, "a": 2]]
        #expect(value == .array([
            .null, .bool(true), .number(7), .number(1.5), .string("s"), .array([]),
            .object(JSONObject([("b", .number(1)), ("a", .number(2))])),
        ]))
        #expect(value.arrayValue?.last?.objectValue?.keys == ["b", "a"])
    }

    @Test func negativeZeroEqualsZeroAndHashesAlike() {
        #expect(JSONValue.number(-0.0) == .number(0.0))
        #expect(JSONValue.number(-0.0).hashValue == JSONValue.number(0.0).hashValue)
    }

    @Test func stringsCompareByBytesNotCanonicalEquivalence() {
        let composed = JSONValue.string("\u{E9}")
        let decomposed = JSONValue.string("e\u{301}")
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
    }

    @Test func differentCasesAreNotEqual() {
        #expect(JSONValue.number(0) != .bool(false))
        #expect(JSONValue.string("null") != .null)
        #expect(JSONValue.array([]) != .object([:]))
    }
}

// MARK: - JSONObject

@Suite struct JSONObjectTests {
    @Test func initKeepsFirstPositionAndLastValueForDuplicates() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
        #expect(object.count == 2)
    }

    @Test func settingExistingKeyKeepsPositionAndNewKeysAppend() {
        var object: JSONObject = ["x": 1, "y": 2]
        object["x"] = "changed"
        object["z"] = 3
        #expect(object.keys == ["x", "y", "z"])
        #expect(object["x"] == "changed")
        #expect(object.index(forKey: "z") == 2)
        #expect(object.index(forKey: "nope") == nil)
    }

    @Test func settingNilAndRemoveValueDeleteMembers() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.removeValue(forKey: "a") == 1)
        #expect(object.removeValue(forKey: "a") == nil)
        #expect(object.keys == ["c"])
        object["c"] = nil
        #expect(object.isEmpty)
    }

    @Test func iterationAndMembersFollowInsertionOrder() {
        let object: JSONObject = ["b": 1, "a": 2, "c": 3]
        #expect(object.map(\.key) == ["b", "a", "c"])
        #expect(object.members.map(\.value) == [1, 2, 3])
        #expect(object.values == [1, 2, 3])
    }

    @Test func largeObjectsKeepOrderAndLookupsThroughMutations() {
        var object = JSONObject()
        for i in 0..<100 { object["k\(i)"] = .number(Double(i)) }
        for i in stride(from: 0, to: 100, by: 3) { object.removeValue(forKey: "k\(i)") }
        object["k1"] = "updated"
        object["new"] = true
        let expectedKeys = (0..<100).filter { $0 % 3 != 0 }.map { "k\($0)" } + ["new"]
        #expect(object.keys == expectedKeys)
        #expect(object["k1"] == "updated")
        #expect(object["k3"] == nil)
        #expect(object["k98"] == 98)
        #expect(object.index(forKey: "new") == expectedKeys.count - 1)
        for (position, key) in expectedKeys.enumerated() {
            #expect(object.index(forKey: key) == position)
        }
    }

    @Test(arguments: [1, 30])
    func equalityAndHashIgnoreMemberOrder(size: Int) {
        let forward = JSONObject((0..<size).map { ("k\($0)", JSONValue.number(Double($0))) })
        let backward = JSONObject((0..<size).reversed().map { ("k\($0)", JSONValue.number(Double($0))) })
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        var changed = backward
        changed["k0"] = "other"
        #expect(forward != changed)
        var extra = forward
        extra["extra"] = nil
        extra["extra"] = 1
        #expect(forward != extra)
    }

    @Test func keysAreComparedByBytes() {
        var object = JSONObject()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
    }
}
