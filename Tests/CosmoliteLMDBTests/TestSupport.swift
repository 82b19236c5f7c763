// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation

/// Runs `body` with the path of a fresh, empty temporary directory, removed afterwards.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(path) }
    return try body(path)
}

/// Runs `body` with the path of a fresh, empty temporary directory, removed afterwards.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(path) }
    return try await body(path)
}

private func makeTemporaryDirectory() throws -> String {
    var template = Array((NSTemporaryDirectory() + "/cosmolite-lmdb-XXXXXX").utf8CString)
    guard let created = mkdtemp(&template) else {
        throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    return String(cString: created)
}

private func removeTemporaryDirectory(_ path: String) {
    // Restore permissions a test may have removed, then delete everything.
    chmod(path, 0o755)
    if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
        for name in names {
            chmod(path + "/" + name, 0o755)
        }
    }
    try? FileManager.default.removeItem(atPath: path)
}

/// Opens an environment in `directory` with test-friendly defaults.
func openEnvironment(
    _ directory: String,
    databases: [String] = ["main"],
    mapSize: Int = 64 << 20,
    durability: Durability = .durable,
    readOnly: Bool = false
) throws(LMDBError) -> Environment {
    try Environment.open(
        path: directory,
        configuration: .init(databases: databases, mapSize: mapSize, durability: durability, readOnly: readOnly)
    )
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// A deterministic value of `size` bytes for `index`: the index (8 bytes, little endian), then a fill byte.
func patternValue(_ index: Int, size: Int) -> [UInt8] {
    var value = [UInt8](repeating: UInt8(truncatingIfNeeded: index &* 37 &+ 11), count: size)
    value.withUnsafeMutableBytes { buffer in
        buffer.storeBytes(of: UInt64(index).littleEndian, toByteOffset: 0, as: UInt64.self)
    }
    return value
}

/// A big-endian key for `index`, so numeric order equals key order.
func indexKey(_ index: Int, prefix: String = "k") -> [UInt8] {
    bytes(prefix) + withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) }
}

/// Whether `buffer` holds exactly `expected`.
func equals(_ buffer: UnsafeRawBufferPointer?, _ expected: [UInt8]) -> Bool {
    guard let buffer, buffer.count == expected.count else {
        return false
    }
    return expected.withUnsafeBytes { expected in
        expected.count == 0 || memcmp(buffer.baseAddress!, expected.baseAddress!, expected.count) == 0
    }
}

/// Every key of `database`, in cursor order.
func allKeys(_ environment: Environment, _ database: Database) throws -> [[UInt8]] {
    try environment.read { transaction in
        var keys: [[UInt8]] = []
        try transaction.forEach(database, prefix: []) { key, _ in
            keys.append(Array(key))
            return true
        }
        return keys
    }
}

/// Keys visited by a prefix scan.
func scan(_ environment: Environment, _ database: Database, prefix: [UInt8], reverse: Bool) throws -> [[UInt8]] {
    try environment.read { transaction in
        var keys: [[UInt8]] = []
        try transaction.forEach(database, prefix: prefix, reverse: reverse) { key, value in
            keys.append(Array(key))
            precondition(Array(value) == Array(key).reversed(), "value does not belong to key")
            return true
        }
        return keys
    }
}

/// Runs `body` on a new thread and returns a function that waits for it to finish.
func startThread(_ body: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.start()
    return { done.wait() }
}

/// An error thrown by test bodies.
struct TestFailure: Error, Equatable {
    let tag: Int
}
