// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Testing

// MARK: - Parsing operation lists

@Suite struct PatchParseTests {
    @Test func parsesEveryOperationKind() throws {
        let list = try json("""
            [{"op":"add","path":"/a","value":1},
             {"op":"set","path":"/b~1c","value":{"x":[]}},
             {"op":"replace","path":"/d/0","value":null},
             {"op":"remove","path":"/e","value":"ignored"},
             {"op":"incr","path":"/f","value":-2.5},
             {"op":"move","from":"/g","path":"/h"}]
            """)
        let operations = try PatchOperation.parseList(list)
        #expect(operations == [
            PatchOperation(.add, path: try JSONPointer("/a"), value: 1),
            PatchOperation(.set, path: try JSONPointer("/b~1c"), value: ["x": []]),
            PatchOperation(.replace, path: try JSONPointer("/d/0"), value: .null),
            PatchOperation(.remove, path: try JSONPointer("/e")),
            PatchOperation(.incr, path: try JSONPointer("/f"), value: -2.5),
            PatchOperation(.move, path: try JSONPointer("/h"), from: try JSONPointer("/g")),
        ])
        #expect(try PatchOperation.parseList(.array(operations.map(\.jsonValue))) == operations)
    }

    @Test(arguments: [
        (#"{"op":"add"}"#, PatchError.Code.invalidOperation, nil as Int?),
        ("[]", .noOperations, nil),
        ("[" + Array(repeating: #"{"op":"remove","path":"/a"}"#, count: 11).joined(separator: ",") + "]",
         .tooManyOperations, nil),
        (#"[{"op":"remove","path":"/a"},5]"#, .invalidOperation, 1),
        (#"[{"path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"Add","path":"/a","value":1}]"#, .invalidOperation, 0),
        (#"[{"op":"test","path":"/a","value":1}]"#, .invalidOperation, 0),
        (#"[{"op":1,"path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"add","value":1}]"#, .invalidOperation, 0),
        (#"[{"op":"add","path":5,"value":1}]"#, .invalidOperation, 0),
        (#"[{"op":"add","path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"set","path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"replace","path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"incr","path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"incr","path":"/a","value":"1"}]"#, .invalidOperation, 0),
        (#"[{"op":"move","path":"/a"}]"#, .invalidOperation, 0),
        (#"[{"op":"add","path":"a","value":1}]"#, .invalidPath, 0),
        (#"[{"op":"add","path":"/a~2","value":1}]"#, .invalidPath, 0),
        (#"[{"op":"add","path":"","value":1}]"#, .invalidPath, 0),
        (#"[{"op":"move","from":"","path":"/a"}]"#, .invalidPath, 0),
    ])
    func rejectsInvalidLists(text: String, code: PatchError.Code, index: Int?) throws {
        let error = try #require(throws: PatchError.self) { try PatchOperation.parseList(try json(text)) }
        #expect(error.code == code)
        #expect(error.operationIndex == index)
    }

    @Test func acceptsExactlyTenOperations() throws {
        let text = "[" + Array(repeating: #"{"op":"remove","path":"/a"}"#, count: 10).joined(separator: ",") + "]"
        #expect(try PatchOperation.parseList(try json(text)).count == 10)
    }

    @Test func unknownOpErrorNamesOpAndIndex() throws {
        let list = try json(#"[{"op":"set","path":"/a","value":1},{"op":"Copy","path":"/b"}]"#)
        let error = try #require(throws: PatchError.self) { try PatchOperation.parseList(list) }
        #expect(error.operationIndex == 1)
        #expect(error.message.hasPrefix("patch operation 1: "))
        #expect(error.message.contains("\"Copy\""))
        #expect(error.message.contains("add, set, replace, remove, incr, move"))
    }
}

// MARK: - Applying operations

@Suite struct PatchApplyTests {
    static let base = #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":5}"#

    /// Applies a JSON operation list to `document` and returns the result.
    func patched(_ operations: String, document: String = Self.base) throws -> JSONValue {
        var value = try json(document)
        try PatchOperation.apply(try PatchOperation.parseList(try json(operations)), to: &value)
        return value
    }

    @Test(arguments: [
        // add
        (#"{"op":"add","path":"/new","value":[1]}"#,
         #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":5,"new":[1]}"#),
        (#"{"op":"add","path":"/n","value":6}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":6}"#),
        (#"{"op":"add","path":"/a/c","value":true}"#,
         #"{"a":{"b":1,"l":[10,20,30],"c":true},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"add","path":"/a/l/0","value":5}"#, #"{"a":{"b":1,"l":[5,10,20,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"add","path":"/a/l/1","value":15}"#, #"{"a":{"b":1,"l":[10,15,20,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"add","path":"/a/l/3","value":40}"#, #"{"a":{"b":1,"l":[10,20,30,40]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"add","path":"/a/l/-","value":40}"#, #"{"a":{"b":1,"l":[10,20,30,40]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"add","path":"/a~1b","value":"x"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"x","m~n":"t","n":5}"#),
        (#"{"op":"add","path":"/m~0n","value":"x"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"x","n":5}"#),
        // set
        (#"{"op":"set","path":"/n","value":"x"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":"x"}"#),
        (#"{"op":"set","path":"/a/l/1","value":0}"#, #"{"a":{"b":1,"l":[10,0,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"set","path":"/a/l/3","value":0}"#, #"{"a":{"b":1,"l":[10,20,30,0]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"set","path":"/a/l/-","value":0}"#, #"{"a":{"b":1,"l":[10,20,30,0]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"set","path":"/x","value":{"y":1}}"#,
         #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":5,"x":{"y":1}}"#),
        // replace
        (#"{"op":"replace","path":"/a/b","value":[2]}"#, #"{"a":{"b":[2],"l":[10,20,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"replace","path":"/a/l/2","value":3}"#, #"{"a":{"b":1,"l":[10,20,3]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"replace","path":"/a~1b","value":null}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":null,"m~n":"t","n":5}"#),
        // remove
        (#"{"op":"remove","path":"/n"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t"}"#),
        (#"{"op":"remove","path":"/a/l/0"}"#, #"{"a":{"b":1,"l":[20,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"remove","path":"/m~0n"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","n":5}"#),
        (#"{"op":"remove","path":"/a~1b"}"#, #"{"a":{"b":1,"l":[10,20,30]},"m~n":"t","n":5}"#),
        // incr
        (#"{"op":"incr","path":"/n","value":2}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":7}"#),
        (#"{"op":"incr","path":"/n","value":-7.5}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":-2.5}"#),
        (#"{"op":"incr","path":"/c","value":3}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":5,"c":3}"#),
        (#"{"op":"incr","path":"/a/l/1","value":1}"#, #"{"a":{"b":1,"l":[10,21,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"incr","path":"/a/l/-","value":1}"#, #"{"a":{"b":1,"l":[10,20,30,1]},"a/b":"s","m~n":"t","n":5}"#),
        // move
        (#"{"op":"move","from":"/n","path":"/t"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","t":5}"#),
        (#"{"op":"move","from":"/a/b","path":"/a/l/0"}"#, #"{"a":{"l":[1,10,20,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"move","from":"/a/l/0","path":"/f"}"#, #"{"a":{"b":1,"l":[20,30]},"a/b":"s","m~n":"t","n":5,"f":10}"#),
        (#"{"op":"move","from":"/a/l/0","path":"/a/l/-"}"#, #"{"a":{"b":1,"l":[20,30,10]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"move","from":"/n","path":"/n"}"#, #"{"a":{"b":1,"l":[10,20,30]},"a/b":"s","m~n":"t","n":5}"#),
        (#"{"op":"move","from":"/a/b","path":"/ab"}"#, #"{"a":{"l":[10,20,30]},"a/b":"s","m~n":"t","n":5,"ab":1}"#),
        (#"{"op":"move","from":"/a~1b","path":"/a/a~1b"}"#, #"{"a":{"b":1,"l":[10,20,30],"a/b":"s"},"m~n":"t","n":5}"#),
    ])
    func appliesOperations(operation: String, expected: String) throws {
        let result = try patched("[\(operation)]")
        #expect(result == (try json(expected)))
        #expect(result.objectValue?.keys == (try json(expected)).objectValue?.keys)
    }

    @Test func laterOperationsSeeEarlierResults() throws {
        let result = try patched("""
            [{"op":"add","path":"/z","value":{}},{"op":"add","path":"/z/y","value":1},
             {"op":"incr","path":"/z/y","value":1},{"op":"move","from":"/z","path":"/a/z"}]
            """)
        #expect(result["a"]?["z"] == ["y": 2])
        #expect(result["z"] == nil)
    }

    @Test func addAndSetKeepMemberPositionWhenOverwriting() throws {
        let result = try patched(#"[{"op":"set","path":"/a","value":0},{"op":"add","path":"/n","value":0}]"#)
        #expect(result.objectValue?.keys == ["a", "a/b", "m~n", "n"])
    }

    @Test(arguments: [
        (#"[{"op":"add","path":"/missing/x","value":1}]"#, PatchError.Code.pathNotFound, 0),
        (#"[{"op":"add","path":"/a/l/4","value":1}]"#, .indexOutOfRange, 0),
        (#"[{"op":"add","path":"/a/l/01","value":1}]"#, .invalidPath, 0),
        (#"[{"op":"add","path":"/a/l/x","value":1}]"#, .invalidPath, 0),
        (#"[{"op":"add","path":"/n/x","value":1}]"#, .typeMismatch, 0),
        (#"[{"op":"add","path":"/a~1b/0/x","value":1}]"#, .typeMismatch, 0),
        (#"[{"op":"set","path":"/a/l/9","value":1}]"#, .indexOutOfRange, 0),
        (#"[{"op":"replace","path":"/missing","value":1}]"#, .pathNotFound, 0),
        (#"[{"op":"replace","path":"/a/l/3","value":1}]"#, .indexOutOfRange, 0),
        (#"[{"op":"replace","path":"/a/l/-","value":1}]"#, .pathNotFound, 0),
        (#"[{"op":"remove","path":"/missing"}]"#, .pathNotFound, 0),
        (#"[{"op":"remove","path":"/a/missing/deeper"}]"#, .pathNotFound, 0),
        (#"[{"op":"remove","path":"/a/l/3"}]"#, .indexOutOfRange, 0),
        (#"[{"op":"incr","path":"/a~1b","value":1}]"#, .typeMismatch, 0),
        (#"[{"op":"incr","path":"/missing/x","value":1}]"#, .pathNotFound, 0),
        (#"[{"op":"incr","path":"/n","value":1.7976931348623157e308},"#
            + #"{"op":"incr","path":"/n","value":1.7976931348623157e308}]"#,
         .numberOutOfRange, 1),
        (#"[{"op":"move","from":"/missing","path":"/x"}]"#, .pathNotFound, 0),
        (#"[{"op":"move","from":"/a","path":"/a/b"}]"#, .invalidPath, 0),
        (#"[{"op":"move","from":"/a","path":"/a/l/0"}]"#, .invalidPath, 0),
        (#"[{"op":"move","from":"/n","path":"/missing/x"}]"#, .pathNotFound, 0),
        (#"[{"op":"set","path":"/ok","value":1},{"op":"remove","path":"/gone"}]"#, .pathNotFound, 1),
    ])
    func rejectsInvalidTargets(operations: String, code: PatchError.Code, index: Int) throws {
        let original = try json(Self.base)
        var document = original
        let list = try PatchOperation.parseList(try json(operations))
        let error = try #require(throws: PatchError.self) { try PatchOperation.apply(list, to: &document) }
        #expect(error.code == code)
        #expect(error.operationIndex == index)
        #expect(document == original)
    }

    @Test func failedPatchLeavesDocumentUnchanged() throws {
        let original = try json(Self.base)
        var document = original
        let operations = try PatchOperation.parseList(try json("""
            [{"op":"set","path":"/a/b","value":99},{"op":"remove","path":"/a/l/0"},
             {"op":"incr","path":"/n","value":1},{"op":"replace","path":"/nope","value":1}]
            """))
        #expect(throws: PatchError.self) { try PatchOperation.apply(operations, to: &document) }
        #expect(document == original)
        #expect(document.objectValue?.keys == original.objectValue?.keys)
        #expect(document["a"]?["l"] == [10, 20, 30])
    }

    @Test func messagesAreActionableAndNeverEchoValues() throws {
        var document = try json(#"{"a":{"secret":"hunter2"}}"#)
        let replace = [
            PatchOperation(.set, path: try JSONPointer("/x"), value: "top-secret-1"),
            PatchOperation(.set, path: try JSONPointer("/y"), value: "top-secret-2"),
            PatchOperation(.replace, path: try JSONPointer("/a/b"), value: "top-secret-3"),
        ]
        let error = try #require(throws: PatchError.self) { try PatchOperation.apply(replace, to: &document) }
        let expected = #"For Operation(2): Node(/a/b) to be replaced is absent. Use "add" or "set" to create it."#
        #expect(error.message == expected)
        #expect(error.description == error.message)

        let incr = [PatchOperation(.incr, path: try JSONPointer("/a/secret"), value: 1)]
        let typeError = try #require(throws: PatchError.self) { try PatchOperation.apply(incr, to: &document) }
        #expect(typeError.code == .typeMismatch)
        #expect(typeError.message.contains("/a/secret"))
        #expect(!typeError.message.contains("hunter2"))
    }

    /// The failures clients branch on start with the service's words, from the troubleshooting table of Cosmos DB's
    /// partial document update (partial-document-update-getting-started.md); a hint follows.
    @Test func failuresUseTheServicesWords() throws {
        let document = try json(#"{"n":1,"s":"x","a":[1,2,3],"o":{}}"#)
        let cases: [(String, String)] = [
            (#"[{"op":"add","path":"/missing/child","value":1}]"#,
             "For Operation(0): Add Operation can only create a child object of an existing node (array or object) "
                + "and can't create path recursively, no path found beyond: /missing."),
            (#"[{"op":"set","path":"/n","value":2},{"op":"set","path":"/missing/child","value":1}]"#,
             "For Operation(1): Given Operation can only create a child object of an existing node"),
            (#"[{"op":"remove","path":"/nope"}]"#, "For Operation(0): Node(/nope) to be removed is absent."),
            (#"[{"op":"remove","path":"/nope/deeper"}]"#, "For Operation(0): Node(/nope/deeper) to be removed is absent."),
            (#"[{"op":"replace","path":"/o/x","value":1}]"#, "For Operation(0): Node(/o/x) to be replaced is absent."),
            (#"[{"op":"incr","path":"/s","value":1}]"#, "For Operation(0): Node(/s) isn't a number."),
            (#"[{"op":"replace","path":"/a/3","value":1}]"#,
             "For Operation(0): Index(3) to operate on is out of array bounds."),
            (#"[{"op":"add","path":"/a/5","value":1}]"#, "For Operation(0): Index(5) to operate on is out of array bounds."),
            ("[" + Array(repeating: #"{"op":"set","path":"/n","value":1}"#, count: 11).joined(separator: ",") + "]",
             "The number of patch operations can't exceed 10."),
        ]
        for (text, words) in cases {
            var working = document
            do {
                try PatchOperation.apply(try PatchOperation.parseList(json(text)), to: &working)
                Issue.record("applied \(text)")
            } catch let error as PatchError {
                #expect(error.message.hasPrefix(words), "\(error.message)")
                #expect(error.message.count > words.count, "a hint follows: \(error.message)")
            }
            #expect(working == document)
        }
    }

    @Test func applyValidatesProgrammaticOperations() throws {
        var document = try json(#"{"n":1}"#)
        let cases: [(PatchOperation, PatchError.Code)] = [
            (PatchOperation(.add, path: try JSONPointer("/x")), .invalidOperation),
            (PatchOperation(.incr, path: try JSONPointer("/n"), value: "1"), .invalidOperation),
            (PatchOperation(.move, path: try JSONPointer("/x")), .invalidOperation),
            (PatchOperation(.set, path: .root, value: 1), .invalidPath),
        ]
        for (operation, code) in cases {
            let error = try #require(throws: PatchError.self) { try operation.apply(to: &document) }
            #expect(error.code == code, "\(operation.kind)")
        }
        #expect(document == ["n": 1])
    }
}
