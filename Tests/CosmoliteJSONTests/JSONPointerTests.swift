// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Testing

@Suite struct JSONPointerTests {
    @Test(arguments: [
        ("", [String]()),
        ("/", [""]),
        ("/a", ["a"]),
        ("/a/b/0", ["a", "b", "0"]),
        ("/a~1b", ["a/b"]),
        ("/m~0n", ["m~n"]),
        ("/~01", ["~1"]),
        ("/~10", ["/0"]),
        ("//x/", ["", "x", ""]),
        ("/é/😀", ["é", "😀"]),
    ])
    func parsesAndRoundTrips(text: String, segments: [String]) throws {
        let pointer = try JSONPointer(text)
        #expect(pointer.segments == segments)
        #expect(pointer.description == text)
        #expect(JSONPointer(segments: segments) == pointer)
    }

    @Test(arguments: [("a", 0), ("a/b", 0), ("/a~", 2), ("/a~2", 2), ("/~x/b", 1), ("/ok/~", 4)])
    func rejectsMalformedPointers(text: String, offset: Int) throws {
        let error = try #require(throws: JSONError.self) { try JSONPointer(text) }
        #expect(error.code == .invalidPointer)
        #expect(error.byteOffset == offset)
        #expect(error.description.hasPrefix("invalid JSON pointer at byte \(offset): "))
    }

    @Test(arguments: [
        ("", #"{"a/b":1,"m~n":2,"arr":[10,[20]],"":3}"#),
        ("/a~1b", "1"),
        ("/m~0n", "2"),
        ("/arr/0", "10"),
        ("/arr/1/0", "20"),
        ("/", "3"),
    ])
    func resolvesValues(text: String, expectedJSON: String) throws {
        let document = try json(#"{"a/b":1,"m~n":2,"arr":[10,[20]],"":3}"#)
        let pointer = try JSONPointer(text)
        #expect(pointer.value(in: document) == (try json(expectedJSON)))
    }

    @Test(arguments: ["/missing", "/arr/2", "/arr/-", "/arr/01", "/arr/-1", "/arr/x", "/a~1b/deeper", "/arr/1/0/0"])
    func returnsNilForMissingValues(text: String) throws {
        let document = try json(#"{"a/b":1,"arr":[10,[20]]}"#)
        #expect(try JSONPointer(text).value(in: document) == nil)
    }

    @Test func navigationHelpers() throws {
        let pointer = try JSONPointer("/a/b")
        #expect(pointer.parent == (try JSONPointer("/a")))
        #expect(JSONPointer.root.parent == nil)
        #expect(JSONPointer.root.isRoot)
        #expect(pointer.appending("c/d").description == "/a/b/c~1d")
        #expect(pointer.isDescendant(ofOrEqualTo: try JSONPointer("/a")))
        #expect(pointer.isDescendant(ofOrEqualTo: pointer))
        #expect(!(try JSONPointer("/ab")).isDescendant(ofOrEqualTo: try JSONPointer("/a")))
        #expect(!(try JSONPointer("/a")).isDescendant(ofOrEqualTo: pointer))
    }
}
