// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Testing

@Suite("Prefix iteration")
struct PrefixIterationTests {
    static let keys: [[UInt8]] = [
        [0x01], [0x01, 0xFF], [0x01, 0xFF, 0x00], [0x01, 0xFF, 0xFF], [0x01, 0xFF, 0xFF, 0x07], [0x02],
        bytes("a"), bytes("b"), bytes("b\u{0}"), bytes("ba"), bytes("bz"), [0x62, 0xFF], [0x62, 0xFF, 0xFF], bytes("c"),
        [0xFE], [0xFF], [0xFF, 0x05], [0xFF, 0xFF],
    ]

    /// Opens an environment holding `keys` (each value is its key reversed) and runs `body`.
    func withPopulatedEnvironment(_ body: (Environment, Database) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            try environment.write { transaction in
                for key in Self.keys.shuffled() {
                    try transaction.put(main, key: key, value: key.reversed())
                }
            }
            try body(environment, main)
        }
    }

    /// What a prefix scan must return, computed without LMDB.
    func expected(prefix: [UInt8], reverse: Bool) -> [[UInt8]] {
        let matching = Self.keys.filter { $0.starts(with: prefix) }.sorted { $0.lexicographicallyPrecedes($1) }
        return reverse ? matching.reversed() : matching
    }

    @Test(
        "forward and reverse scans return exactly the keys with the prefix",
        arguments: [
            bytes("b"), [0x01, 0xFF], [0x01, 0xFF, 0xFF], [0x01], [0xFF], [0xFF, 0xFF], [0x62, 0xFF], bytes("ba"),
        ]
    )
    func scans(prefix: [UInt8]) throws {
        try withPopulatedEnvironment { environment, main in
            let forward = try scan(environment, main, prefix: prefix, reverse: false)
            let backward = try scan(environment, main, prefix: prefix, reverse: true)
            #expect(!forward.isEmpty)
            #expect(forward == expected(prefix: prefix, reverse: false))
            #expect(backward == expected(prefix: prefix, reverse: true))
        }
    }

    @Test("a prefix ending in 0xFF scans backwards from its last key")
    func reverseWithTrailingFF() throws {
        try withPopulatedEnvironment { environment, main in
            let belowFF = try scan(environment, main, prefix: [0x01, 0xFF], reverse: true)
            #expect(belowFF == [[0x01, 0xFF, 0xFF, 0x07], [0x01, 0xFF, 0xFF], [0x01, 0xFF, 0x00], [0x01, 0xFF]])
            let allFF = try scan(environment, main, prefix: [0xFF], reverse: true)
            #expect(allFF == [[0xFF, 0xFF], [0xFF, 0x05], [0xFF]])
        }
    }

    @Test("empty ranges call the body zero times", arguments: [bytes("bb"), [0x00], [0x03], bytes("zz"), [0xFE, 0x00]])
    func emptyRanges(prefix: [UInt8]) throws {
        try withPopulatedEnvironment { environment, main in
            let forward = try scan(environment, main, prefix: prefix, reverse: false)
            let backward = try scan(environment, main, prefix: prefix, reverse: true)
            #expect(forward.isEmpty)
            #expect(backward.isEmpty)
        }
    }

    @Test("an empty prefix visits everything, and returning false stops early")
    func emptyPrefixAndEarlyStop() throws {
        try withPopulatedEnvironment { environment, main in
            #expect(try scan(environment, main, prefix: [], reverse: false) == expected(prefix: [], reverse: false))
            #expect(try scan(environment, main, prefix: [], reverse: true) == expected(prefix: [], reverse: true))
            let firstTwo = try environment.read { transaction in
                var keys: [[UInt8]] = []
                try transaction.forEach(main, prefix: bytes("b"), reverse: true) { key, _ in
                    keys.append(Array(key))
                    return keys.count < 2
                }
                return keys
            }
            #expect(firstTwo == Array(expected(prefix: bytes("b"), reverse: true).prefix(2)))
        }
    }

    @Test("scans on an empty database find nothing")
    func emptyDatabase() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            for reverse in [false, true] {
                #expect(try scan(environment, main, prefix: [], reverse: reverse).isEmpty)
                #expect(try scan(environment, main, prefix: bytes("a"), reverse: reverse).isEmpty)
            }
        }
    }

    @Test("the key after a prefix strips trailing 0xFF bytes and increments the last byte")
    func keyAfterPrefix() {
        #expect(Transaction.keyAfterPrefix(bytes("ab")) == bytes("ac"))
        #expect(Transaction.keyAfterPrefix([0x01, 0xFF, 0xFF]) == [0x02])
        #expect(Transaction.keyAfterPrefix([0x01, 0xFE]) == [0x01, 0xFF])
        #expect(Transaction.keyAfterPrefix([0xFF, 0xFF]) == nil)
        #expect(Transaction.keyAfterPrefix([]) == nil)
    }

    @Test("a body may delete what it visits in a write transaction")
    func deleteDuringScan() throws {
        try withPopulatedEnvironment { environment, main in
            let visited = try environment.write { transaction in
                var visited: [[UInt8]] = []
                try transaction.forEach(main, prefix: bytes("b")) { key, _ in
                    let copy = Array(key)
                    visited.append(copy)
                    try transaction.delete(main, key: copy)
                    return true
                }
                return visited
            }
            #expect(visited == expected(prefix: bytes("b"), reverse: false))
            #expect(try scan(environment, main, prefix: bytes("b"), reverse: false).isEmpty)
            #expect(try allKeys(environment, main).count == Self.keys.count - visited.count)
        }
    }
}
