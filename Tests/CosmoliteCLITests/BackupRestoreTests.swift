// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cosmolite backup` under a write load, and `cosmolite restore`.
struct BackupRestoreTests {
    /// A `cosmolite items upsert C --lines` process fed through a pipe, whose acknowledgements are read back.
    final class Writer {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private var pending = [UInt8]()
        private var written = 0
        /// id -> etag of every acknowledged (committed) write, in order of acknowledgement.
        private(set) var acknowledged = [(id: String, etag: String)]()

        init(store: String, container: String) throws {
            signal(SIGPIPE, SIG_IGN)
            process.executableURL = URL(fileURLWithPath: CosmoliteBinary.path)
            process.arguments = ["--store", store, "--durability", "durable", "items", "upsert", container, "--lines"]
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Sends `count` new documents and waits until all are acknowledged.
        func write(_ count: Int) throws {
            var batch = ""
            for _ in 0..<count {
                batch += #"{"id": "w\#(written)", "tenantId": "t\#(written % 5)", "n": \#(written)}"# + "\n"
                written += 1
            }
            let bytes = Array(batch.utf8)
            let sent = bytes.withUnsafeBytes { Glibc.write(input.fileHandleForWriting.fileDescriptor, $0.baseAddress!, $0.count) }
            #expect(sent == bytes.count)
            while acknowledged.count < written {
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let n = chunk.withUnsafeMutableBytes { read(output.fileHandleForReading.fileDescriptor, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw CocoaError(.fileReadUnknown) }
                pending += chunk[..<n]
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let ack = try JSONReader.parse(Array(pending[..<newline]))
                    pending.removeFirst(newline + 1)
                    acknowledged.append((try #require(ack["id"]?.stringValue), try #require(ack["etag"]?.stringValue)))
                }
            }
        }

        /// Closes the writer's standard input and waits for it to exit.
        func finish() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    @Test func aBackupTakenDuringWritesRestoresVerifiesAndHoldsEveryEarlierWrite() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let writer = try Writer(store: box.store, container: "c")
        defer { writer.finish() }
        try writer.write(300)

        // Everything acknowledged before the backup starts is committed (and durable) before it begins.
        let before = writer.acknowledged
        let backupPath = box.directory + "/backup"
        let backup = Process()
        backup.executableURL = URL(fileURLWithPath: CosmoliteBinary.path)
        backup.arguments = ["--store", box.store, "backup", backupPath, "--format", "json"]
        let backupOutput = Pipe()
        backup.standardOutput = backupOutput
        backup.standardError = FileHandle.nullDevice
        try backup.run()
        // The writer keeps writing while the backup runs.
        var rounds = 0
        while backup.isRunning || rounds < 3 {
            try writer.write(20)
            rounds += 1
        }
        backup.waitUntilExit()
        #expect(backup.terminationStatus == 0)
        let report = try JSONReader.parse(Array(backupOutput.fileHandleForReading.readDataToEndOfFile()))
        #expect((report["bytes"]?.numberValue ?? 0) > 0)

        // A store in use is never replaced, even with --force.
        let inUse = try box.run(["restore", backupPath, "--force"])
        #expect(inUse.status == 1)
        #expect(inUse.firstErrorLine.hasPrefix("error: 503 Service Unavailable: the store at "), "\(inUse.summary)")
        #expect(inUse.firstErrorLine.contains("is in use by process \(writer.process.processIdentifier)"))

        let restored = box.directory + "/restored"
        let restore = try box.ok(["restore", backupPath, "--store", restored])
        #expect(try restore.json()["verified"] == true, "\(restore.summary)")
        #expect(try box.ok(["verify", "--store", restored]).json()["ok"] == true)
        let items = try Ops.items(box, "c", store: restored)
        let etags = Dictionary(items.values.map { ($0["id"]?.stringValue ?? "", $0["_etag"]?.stringValue ?? "") },
                               uniquingKeysWith: { a, _ in a })
        for ack in before {
            #expect(etags[ack.id] == ack.etag, "write \(ack.id) acknowledged before the backup is missing or differs")
        }
        #expect(items.count <= writer.acknowledged.count)
        writer.finish()

        // The live store exists: restoring over it needs --force, then it holds the backup's items only.
        let refused = try box.run(["restore", backupPath])
        #expect(refused.status == 1)
        #expect(refused.firstErrorLine.hasPrefix("error: 409 Conflict: a store already exists at "), "\(refused.summary)")
        _ = try box.ok(["restore", backupPath, "--force"])
        #expect(try Ops.items(box, "c").count == items.count)
        #expect(try box.ok(["verify"]).json()["ok"] == true)
        _ = try box.ok(["items", "upsert", "c"], stdin: #"{"id": "after-restore", "tenantId": "t"}"#)
    }

    @Test func backupRefusesAnExistingDirectoryAndRestoreRefusesWhatIsNotABackup() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let occupied = try box.write("occupied/file.txt", "x")
        let refused = try box.run(["backup", (occupied as NSString).deletingLastPathComponent])
        #expect(refused.status == 1)
        #expect(refused.firstErrorLine.hasPrefix("error: 409 Conflict: the backup directory "), "\(refused.summary)")

        let missing = try box.run(["restore", box.directory + "/nothing", "--store", box.directory + "/r"])
        #expect(missing.firstErrorLine.hasPrefix("error: 404 Not Found: no backup at "), "\(missing.summary)")

        let garbage = try box.write("garbage/data.mdb", String(repeating: "not a store ", count: 2000))
        let bad = try box.run(["restore", (garbage as NSString).deletingLastPathComponent, "--store", box.store, "--force"])
        #expect(bad.status == 1)
        #expect(bad.firstErrorLine.contains("cannot be opened"), "\(bad.summary)")
        #expect(bad.firstErrorLine.contains("nothing was restored"))
        #expect(try Ops.items(box, "c").isEmpty, "the store is left as it was")
        #expect(try box.ok(["containers", "get", "c"]).status == 0)
    }

    /// What a killed backup or restore left (its hidden staging directory, named with its process id) is removed by
    /// the next backup or restore to the same path; a stage whose process is alive is left alone.
    @Test func theNextBackupRemovesWhatAKilledOneLeft() throws {
        let box = Sandbox()
        try box.createContainer("c")
        // Above Linux's largest process id: no process has it.
        let dead = "4194305"
        let leftovers = [".nightly.partial-\(dead)-17", ".nightly.restore-\(dead)-18"]
        for name in leftovers { _ = try box.write("\(name)/data.mdb", String(repeating: "x", count: 4096)) }
        let alive = try box.write(".nightly.partial-\(getpid())-19/data.mdb", "x")
        let other = try box.write(".weekly.partial-\(dead)-20/data.mdb", "x")
        _ = try box.ok(["backup", box.directory + "/nightly"])
        #expect(!FileManager.default.fileExists(atPath: box.directory + "/" + leftovers[0]))
        #expect(FileManager.default.fileExists(atPath: box.directory + "/" + leftovers[1]), "a restore's stage")
        #expect(FileManager.default.fileExists(atPath: alive) && FileManager.default.fileExists(atPath: other))
        _ = try box.ok(["restore", box.directory + "/nightly", "--store", box.directory + "/nightly-restored"])
        _ = try box.write(".nightly-restored.restore-\(dead)-21/data.mdb", "x")
        _ = try box.ok(["restore", box.directory + "/nightly", "--store", box.directory + "/nightly-restored", "--force"])
        #expect(!FileManager.default.fileExists(atPath: box.directory + "/.nightly-restored.restore-\(dead)-21"))
        #expect(FileManager.default.fileExists(atPath: box.directory + "/" + leftovers[1]), "another path's stage")
    }
}
