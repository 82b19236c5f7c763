// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Testing

@Suite("Cursors")
struct CursorTests {
    /// Keys whose bytewise order differs from insertion order and from naive string expectations.
    static let keys: [[UInt8]] = [
        [0x62], [0x61, 0x62], [0xFF], [0x01, 0x00], [0x00], [0x61], [0x01], [0x61, 0x00], [0x80], [0x7F, 0xFF],
    ]

    @Test("iteration follows memcmp order, shorter prefixes first")
    func memcmpOrder() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            try environment.write { transaction in
                for key in Self.keys {
                    try transaction.put(main, key: key, value: key.reversed())
                }
            }
            let expected: [[UInt8]] = [
                [0x00], [0x01], [0x01, 0x00], [0x61], [0x61, 0x00], [0x61, 0x62], [0x62], [0x7F, 0xFF], [0x80],
                [0xFF],
            ]
            #expect(Self.keys.sorted { $0.lexicographicallyPrecedes($1) } == expected)
            #expect(try allKeys(environment, main) == expected)
            let backwards = try environment.read { transaction in
                try transaction.withCursor(main) { cursor in
                    var keys: [[UInt8]] = []
                    var found = try cursor.last()
                    while found {
                        keys.append(Array(cursor.key))
                        #expect(Array(cursor.value) == Array(cursor.key).reversed())
                        found = try cursor.previous()
                    }
                    return keys
                }
            }
            #expect(backwards == expected.reversed())
        }
    }

    @Test("entry-returning moves land where the Bool moves do and return the same key and value")
    func entryMoves() throws {
        try withTemporaryDirectory { directory in
            let (environment, main) = try Self.openLetters(directory)
            func text(_ entry: Cursor.Entry?) -> String {
                guard let entry else { return "-" }
                return String(decoding: entry.key, as: UTF8.self) + "=" + String(decoding: entry.value, as: UTF8.self)
            }
            let log = try environment.read { transaction in
                try transaction.withCursor(main) { cursor in
                    var log = [String]()
                    for target in ["a", "c", "d", "de", "g"] {
                        log.append(text(try bytes(target).withUnsafeBytes { try cursor.seekEntry(atLeast: $0) }))
                    }
                    log.append(text(try cursor.lastEntry()))
                    log.append(text(try cursor.previousEntry()))
                    log.append(Self.landing(true, cursor))
                    log.append(text(try cursor.nextEntry()))
                    log.append(text(try cursor.nextEntry()))
                    var forward = [String]()
                    var entry = try bytes("a").withUnsafeBytes { try cursor.seekEntry(atLeast: $0) }
                    while let current = entry {
                        forward.append(text(current))
                        entry = try cursor.nextEntry()
                    }
                    log.append(forward.joined(separator: ","))
                    return log
                }
            }
            #expect(log == ["b=B", "d=D", "d=D", "f=F", "-", "f=F", "dd=DD", "dd=DD", "f=F", "-", "b=B,d=D,dd=DD,f=F"])
        }
    }

    /// An environment whose `main` database holds b=B, d=D, dd=DD and f=F.
    static func openLetters(_ directory: String) throws -> (Environment, Database) {
        let environment = try openEnvironment(directory)
        let main = environment.database("main")
        try environment.write { transaction in
            for key in ["b", "d", "dd", "f"] {
                try transaction.put(main, key: bytes(key), value: bytes(key.uppercased()))
            }
        }
        return (environment, main)
    }

    /// The cursor's key as text after a move, or "-" when the move found nothing.
    static func landing(_ found: Bool, _ cursor: borrowing Cursor) -> String {
        found ? String(decoding: cursor.key, as: UTF8.self) + "=" + String(decoding: cursor.value, as: UTF8.self) : "-"
    }

    @Test("seek(atLeast:) and seek(exactly:) semantics")
    func seekSemantics() throws {
        try withTemporaryDirectory { directory in
            let (environment, main) = try Self.openLetters(directory)
            let log = try environment.read { transaction in
                var log: [String] = []
                try transaction.withCursor(main) { cursor in
                    log.append(Self.landing(try cursor.seek(atLeast: bytes("a")), cursor))
                    log.append(Self.landing(try cursor.seek(atLeast: bytes("d")), cursor))
                    log.append(Self.landing(try cursor.seek(atLeast: bytes("d\u{0}")), cursor))
                    log.append(Self.landing(try cursor.seek(atLeast: bytes("e")), cursor))
                    log.append(Self.landing(try cursor.seek(atLeast: bytes("g")), cursor))
                    log.append(Self.landing(try cursor.seek(exactly: bytes("dd")), cursor))
                    log.append(Self.landing(try cursor.next(), cursor))
                    log.append(Self.landing(try cursor.next(), cursor))
                    log.append(Self.landing(try cursor.seek(exactly: bytes("c")), cursor))
                    log.append(Self.landing(try cursor.seek(exactly: bytes("ddd")), cursor))
                    log.append(Self.landing(try cursor.first(), cursor))
                    log.append(Self.landing(try cursor.previous(), cursor))
                    log.append(Self.landing(try cursor.last(), cursor))
                    log.append(Self.landing(try cursor.previous(), cursor))
                }
                // A fresh cursor's next() starts at the first entry, previous() at the last.
                try transaction.withCursor(main) { cursor in
                    log.append(Self.landing(try cursor.next(), cursor))
                }
                try transaction.withCursor(main) { cursor in
                    log.append(Self.landing(try cursor.previous(), cursor))
                }
                return log
            }
            #expect(log == [
                "b=B", "d=D", "dd=DD", "f=F", "-", "dd=DD", "f=F", "-", "-", "-", "b=B", "-", "f=F", "dd=DD",
                "b=B", "f=F",
            ])
            let emptyKeyError = #expect(throws: LMDBError.self) {
                try environment.read { transaction in
                    try transaction.withCursor(main) { cursor in
                        try cursor.seek(atLeast: [UInt8]())
                    }
                }
            }
            #expect(emptyKeyError?.code == .badValueSize)
        }
    }

    @Test("an empty database has no first, last or next entry")
    func emptyDatabase() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            let found = try environment.read { transaction in
                try transaction.withCursor(main) { cursor in
                    [try cursor.first(), try cursor.last(), try cursor.next(), try cursor.seek(atLeast: bytes("a"))]
                }
            }
            #expect(found == [false, false, false, false])
        }
    }

    @Test("deleteCurrent while iterating forward visits and deletes the right entries", arguments: [3, 1])
    func deleteWhileIteratingForward(every: Int) throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            let count = 2_000
            try environment.write { transaction in
                for index in 0..<count {
                    try transaction.put(main, key: indexKey(index), value: patternValue(index, size: 100))
                }
            }
            let visited = try environment.write { transaction in
                try transaction.withCursor(main) { cursor in
                    var visited: [Int] = []
                    var found = try cursor.first()
                    while found {
                        let index = Int(cursor.key.loadUnaligned(fromByteOffset: 1, as: UInt32.self).bigEndian)
                        #expect(equals(cursor.value, patternValue(index, size: 100)))
                        visited.append(index)
                        if index % every == 0 {
                            try cursor.deleteCurrent()
                        }
                        found = try cursor.next()
                    }
                    return visited
                }
            }
            #expect(visited == Array(0..<count))
            let remaining = try allKeys(environment, main)
            #expect(remaining == (0..<count).filter { $0 % every != 0 }.map { indexKey($0) })
        }
    }

    @Test("deleteCurrent while iterating backward visits and deletes the right entries")
    func deleteWhileIteratingBackward() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            let count = 2_000
            try environment.write { transaction in
                for index in 0..<count {
                    try transaction.put(main, key: indexKey(index), value: patternValue(index, size: 100))
                }
            }
            let visited = try environment.write { transaction in
                try transaction.withCursor(main) { cursor in
                    var visited: [Int] = []
                    var found = try cursor.last()
                    while found {
                        let index = Int(cursor.key.loadUnaligned(fromByteOffset: 1, as: UInt32.self).bigEndian)
                        visited.append(index)
                        if index % 2 == 1 {
                            try cursor.deleteCurrent()
                        }
                        found = try cursor.previous()
                    }
                    return visited
                }
            }
            #expect(visited == Array((0..<count).reversed()))
            #expect(try allKeys(environment, main) == (0..<count).filter { $0 % 2 == 0 }.map { indexKey($0) })
        }
    }

    @Test("Cursor.put stores and positions on the entry")
    func cursorPut() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            try environment.write { transaction in
                try transaction.put(main, key: bytes("a"), value: bytes("1"))
                try transaction.withCursor(main) { cursor in
                    try cursor.put(key: bytes("m"), value: bytes("2"))
                    #expect(Array(cursor.key) == bytes("m"))
                    #expect(Array(cursor.value) == bytes("2"))
                    #expect(try cursor.previous())
                    #expect(Array(cursor.key) == bytes("a"))
                }
            }
            #expect(try allKeys(environment, main) == [bytes("a"), bytes("m")])
        }
    }
}
