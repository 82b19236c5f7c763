// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation
import Testing

@Suite("Transactions")
struct TransactionTests {
    @Test("put, get, overwrite, noOverwrite and delete")
    func putGetOverwriteDelete() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            let written = try environment.write { transaction in
                [
                    try transaction.put(main, key: bytes("a"), value: bytes("1")),
                    try transaction.get(main, key: bytes("a")) == bytes("1"),
                    try transaction.put(main, key: bytes("a"), value: bytes("2")),
                    try transaction.get(main, key: bytes("a")) == bytes("2"),
                    try transaction.put(main, key: bytes("a"), value: bytes("3"), noOverwrite: true) == false,
                    try transaction.get(main, key: bytes("a")) == bytes("2"),
                    try transaction.put(main, key: bytes("b"), value: [], noOverwrite: true),
                    try transaction.put(main, key: bytes("c"), value: bytes("x")),
                    transaction.isReadOnly == false,
                ]
            }
            #expect(written == Array(repeating: true, count: 9))
            let read = try environment.read { transaction in
                [
                    transaction.isReadOnly,
                    try transaction.get(main, key: bytes("a")) == bytes("2"),
                    try transaction.get(main, key: bytes("b")) == [],
                    try transaction.get(main, key: bytes("missing")) == nil,
                    try transaction.contains(main, key: bytes("b")),
                    try transaction.contains(main, key: bytes("missing")) == false,
                    try transaction.entryCount(main) == 3,
                ]
            }
            #expect(read == Array(repeating: true, count: 7))
            let deleted = try environment.write { transaction in
                [
                    try transaction.delete(main, key: bytes("a")),
                    try transaction.delete(main, key: bytes("a")) == false,
                    try transaction.get(main, key: bytes("a")) == nil,
                ]
            }
            #expect(deleted == [true, true, true])
            #expect(try environment.read { try $0.get(main, key: bytes("a")) } == nil)
            #expect(try environment.read { try $0.entryCount(main) } == 2)
        }
    }

    /// An environment whose `main` database holds `value` under the key "big".
    static func openWithBig(_ directory: String, _ value: [UInt8]) throws -> (Environment, Database) {
        let environment = try openEnvironment(directory)
        let main = environment.database("main")
        try environment.write { transaction in
            try value.withUnsafeBytes { value in
                try bytes("big").withUnsafeBytes { key in
                    try transaction.put(main, key: key, value: value)
                }
            }
        }
        return (environment, main)
    }

    @Test("withValue hands out the stored bytes without copying, or nil")
    func withValueZeroCopy() throws {
        try withTemporaryDirectory { directory in
            let big = patternValue(7, size: 50_000)
            let (environment, main) = try Self.openWithBig(directory, big)
            let (length, matches, missing) = try environment.read { transaction in
                let found = try transaction.withValue(main, forKey: bytes("big")) { value in
                    (value?.count ?? -1, equals(value, big))
                }
                let missing = try transaction.withValue(main, forKey: bytes("nope")) { $0 == nil }
                return (found.0, found.1, missing)
            }
            #expect(length == 50_000)
            #expect(matches)
            #expect(missing)
        }
    }

    @Test("value(_:forKey:) returns the stored bytes in place, nil for a missing key, and checks the key size")
    func valueWithoutClosure() throws {
        try withTemporaryDirectory { directory in
            let big = patternValue(9, size: 20_000)
            let (environment, main) = try Self.openWithBig(directory, big)
            let (matches, sameAsClosure, missing, emptyKeyCode) = try environment.read { transaction in
                try bytes("big").withUnsafeBytes { key in
                    let value = try transaction.value(main, forKey: key)
                    let viaClosure = try transaction.withValue(main, forKey: key) { $0?.baseAddress }
                    let missing = try bytes("nope").withUnsafeBytes { try transaction.value(main, forKey: $0) } == nil
                    var code: LMDBError.Code?
                    do throws(LMDBError) {
                        _ = try transaction.value(main, forKey: UnsafeRawBufferPointer(start: nil, count: 0))
                    } catch {
                        code = error.code
                    }
                    return (equals(value, big), value?.baseAddress == viaClosure, missing, code)
                }
            }
            #expect(matches)
            #expect(sameAsClosure)
            #expect(missing)
            #expect(emptyKeyCode == .badValueSize)
        }
    }

    @Test("empty and oversized keys are rejected with badValueSize")
    func keySizeLimits() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            #expect(environment.maxKeySize == 511)
            let tooLong = [UInt8](repeating: 1, count: environment.maxKeySize + 1)
            let longest = [UInt8](repeating: 1, count: environment.maxKeySize)
            try environment.write { transaction in
                #expect(throws: LMDBError.self) { try transaction.put(main, key: [], value: bytes("v")) }
                do throws(LMDBError) {
                    try transaction.put(main, key: tooLong, value: bytes("v"))
                    Issue.record("an oversized key was accepted")
                } catch {
                    #expect(error.code == .badValueSize)
                    #expect(error.function == "mdb_put")
                }
                let stored = try transaction.put(main, key: longest, value: bytes("v"))
                #expect(stored)
            }
            #expect(try environment.read { try $0.get(main, key: longest) } == bytes("v"))
        }
    }

    @Test("a throwing write body is aborted and its error rethrown unchanged")
    func throwingWriteLeavesNoTrace() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            try environment.write { try $0.put(main, key: bytes("kept"), value: bytes("1")) }
            let before = try environment.info.lastTransactionID
            #expect(throws: TestFailure(tag: 42)) {
                try environment.write { transaction in
                    try transaction.put(main, key: bytes("kept"), value: bytes("changed"))
                    try transaction.put(main, key: bytes("new"), value: bytes("2"))
                    try transaction.deleteAll(main)
                    throw TestFailure(tag: 42)
                }
            }
            let state = try environment.read { transaction in
                (
                    try transaction.get(main, key: bytes("kept")), try transaction.get(main, key: bytes("new")),
                    try transaction.entryCount(main)
                )
            }
            #expect(state.0 == bytes("1"))
            #expect(state.1 == nil)
            #expect(state.2 == 1)
            #expect(try environment.info.lastTransactionID == before)
        }
    }

    @Test("a commit is visible to later reads, and write returns the body's result")
    func commitIsVisible() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            let before = try environment.read { $0.id }
            let returned = try environment.write { transaction in
                try transaction.put(main, key: bytes("k"), value: bytes("v"))
                return "done"
            }
            #expect(returned == "done")
            let (value, id) = try environment.read { transaction in
                (try transaction.get(main, key: bytes("k")), transaction.id)
            }
            #expect(value == bytes("v"))
            #expect(id == before + 1)
        }
    }

    @Test("databases are separate key spaces and deleteAll empties only one")
    func databasesAreSeparate() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, databases: ["one", "two"])
            let one = environment.database("one")
            let two = environment.database("two")
            #expect(one != two)
            try environment.write { transaction in
                try transaction.put(one, key: bytes("k"), value: bytes("1"))
                try transaction.put(two, key: bytes("k"), value: bytes("2"))
                try transaction.put(two, key: bytes("l"), value: bytes("2"))
            }
            try environment.write { transaction in
                #expect(try transaction.get(one, key: bytes("k")) == bytes("1"))
                #expect(try transaction.get(two, key: bytes("k")) == bytes("2"))
                try transaction.deleteAll(two)
                #expect(try transaction.entryCount(two) == 0)
            }
            #expect(try environment.statistics(one).entries == 1)
            #expect(try environment.statistics(two).entries == 0)
            try environment.write { try $0.put(two, key: bytes("again"), value: bytes("3")) }
            #expect(try environment.statistics(two).entries == 1)
        }
    }

    @Test("a read started before a commit keeps its snapshot")
    func readSnapshotIsolation() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            try environment.write { try $0.put(main, key: bytes("k"), value: bytes("old")) }

            let readerStarted = DispatchSemaphore(value: 0)
            let writerCommitted = DispatchSemaphore(value: 0)
            let seen = LockedBox<[[UInt8]?]>([])
            let join = startThread {
                do {
                    try environment.read { transaction in
                        seen.withValue { $0.append(try? transaction.get(main, key: bytes("k"))) }
                        readerStarted.signal()
                        writerCommitted.wait()
                        seen.withValue { $0.append(try? transaction.get(main, key: bytes("k"))) }
                        try transaction.withCursor(main) { cursor in
                            _ = try cursor.first()
                            seen.withValue { $0.append(Array(cursor.value)) }
                            let moved = try cursor.next()
                            seen.withValue { $0.append(moved ? Array(cursor.key) : nil) }
                        }
                    }
                } catch {
                    seen.withValue { $0.append(bytes("error: \(error)")) }
                }
            }
            readerStarted.wait()
            try environment.write { transaction in
                try transaction.put(main, key: bytes("k"), value: bytes("new"))
                try transaction.put(main, key: bytes("z"), value: bytes("added"))
            }
            #expect(try environment.read { try $0.get(main, key: bytes("k")) } == bytes("new"))
            writerCommitted.signal()
            join()
            #expect(seen.value == [bytes("old"), bytes("old"), bytes("old"), nil])
            #expect(try environment.read { try $0.get(main, key: bytes("z")) } == bytes("added"))
        }
    }
}

/// A value shared between threads, guarded by a lock.
// @unchecked Sendable: `stored` is only accessed while `lock` is held.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) {
        stored = value
    }

    var value: Value {
        lock.withLock { stored }
    }

    func withValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&stored) }
    }
}
