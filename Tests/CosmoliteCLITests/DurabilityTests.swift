// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kill -9` of a writer loses nothing it acknowledged.
struct DurabilityTests {
    /// How many acknowledgements to wait for before killing the writer.
    static let acknowledgementsBeforeKill = 250
    /// Lines written but not yet acknowledged, at most (so the writer is mid-stream when killed).
    static let linesInFlight = 16

    @Test func killedWriterLosesNoAcknowledgedItem() throws {
        // The writer's stdin closes under our feet when it dies; take EPIPE as an error, not a signal.
        signal(SIGPIPE, SIG_IGN)
        let box = Sandbox()
        try box.createContainer("c")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CosmoliteBinary.path)
        process.arguments = ["--store", box.store, "--durability", "durable", "items", "upsert", "c", "--lines"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let stdin = input.fileHandleForWriting.fileDescriptor
        let stdout = output.fileHandleForReading.fileDescriptor

        var acknowledged = [String: String]()  // id -> etag
        var pending = [UInt8]()
        var written = 0
        var killed = false
        let payload = String(repeating: "x", count: 64)
        /// Reads what the writer printed so far (blocking until something comes); false at the end.
        func readAcknowledgements() throws -> Bool {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(stdout, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { return true }
            guard count > 0 else { return false }
            pending += chunk[..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                let ack = try JSONReader.parse(line)
                let id = try #require(ack["id"]?.stringValue)
                acknowledged[id] = try #require(ack["etag"]?.stringValue)
                #expect(ack["status"] == 201)
            }
            return true
        }

        while !killed {
            // Keep a few lines in flight, then wait for acknowledgements.
            var batch = ""
            while written - acknowledged.count < Self.linesInFlight {
                batch += #"{"id": "doc-\#(written)", "tenantId": "t\#(written % 7)", "payload": "\#(payload)"}"#
                    + "\n"
                written += 1
            }
            let bytes = Array(batch.utf8)
            let sent = bytes.withUnsafeBytes { write(stdin, $0.baseAddress!, $0.count) }
            #expect(sent == bytes.count)
            guard try readAcknowledgements() else { break }
            if acknowledged.count >= Self.acknowledgementsBeforeKill {
                #expect(kill(process.processIdentifier, SIGKILL) == 0)
                killed = true
            }
        }
        // Whatever was printed before the kill was acknowledged too.
        while try readAcknowledgements() {}
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        #expect(acknowledged.count >= Self.acknowledgementsBeforeKill)
        #expect(written > acknowledged.count, "the writer was killed with lines in flight")

        let stored = Dictionary(try listAll(box, ["items", "list", "c", "--all", "--max-item-count", "-1"]),
                                uniquingKeysWith: { first, _ in first })
        for (id, etag) in acknowledged {
            #expect(stored[id] == etag, "acknowledged item \(id) with \(etag) is missing or differs")
        }
        let verify = try box.ok(["verify"])
        #expect(try verify.json()["ok"] == true, "\(verify.summary)")
    }
}
