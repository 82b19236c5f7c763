// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation
import Testing

/// Programming errors stop the process with a message; each case runs in a child process.
///
/// The parent makes and removes each temporary directory: the child stops before any `defer` of its own could run.
@Suite("Misuse")
struct MisuseTests {
    /// Checks the precondition message; optimized builds do not print messages, so only the failure exit counts.
    static func expectCrash(_ message: String, _ result: ExitTest.Result?) {
        #if DEBUG
        let standardError = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(standardError.contains(message), "stderr: \(standardError)")
        #endif
    }

    @Test("a write through a read-only transaction stops the process")
    func writeInReadTransaction() async throws {
        let result = try await withTemporaryDirectory { directory in
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [directory = directory as String] in
                let environment = try openEnvironment(directory)
                let main = environment.database("main")
                _ = try environment.read { try $0.put(main, key: bytes("k"), value: bytes("v")) }
            }
        }
        Self.expectCrash("put called on a read-only transaction", result)
    }

    @Test("a database of another environment stops the process")
    func foreignDatabase() async throws {
        let result = try await withTemporaryDirectory { directory in
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [directory = directory as String] in
                let one = try openEnvironment(directory + "/one")
                let two = try openEnvironment(directory + "/two")
                _ = try one.read { try $0.get(two.database("main"), key: bytes("k")) }
            }
        }
        Self.expectCrash("belongs to another Environment", result)
    }

    @Test("a transaction inside a transaction body stops the process instead of deadlocking")
    func nestedTransaction() async throws {
        let result = try await withTemporaryDirectory { directory in
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [directory = directory as String] in
                let environment = try openEnvironment(directory)
                try environment.write { _ in
                    _ = try environment.read { $0.id }
                }
            }
        }
        Self.expectCrash("read(_:) was called inside a read or write transaction body", result)
    }

    @Test("reading a cursor that is not on an entry stops the process")
    func unpositionedCursor() async throws {
        let result = try await withTemporaryDirectory { directory in
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [directory = directory as String] in
                let environment = try openEnvironment(directory)
                try environment.read { transaction in
                    try transaction.withCursor(environment.database("main")) { cursor in
                        _ = try cursor.first()
                        _ = cursor.key
                    }
                }
            }
        }
        Self.expectCrash("Cursor is not positioned on an entry", result)
    }

    @Test("asking for a database that is not configured stops the process")
    func unknownDatabase() async throws {
        let result = try await withTemporaryDirectory { directory in
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [directory = directory as String] in
                _ = try openEnvironment(directory).database("unknown")
            }
        }
        Self.expectCrash("Database 'unknown' is not in the configuration", result)
    }
}
