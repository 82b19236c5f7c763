// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wrong, locked, damaged or newer store each get their own clear message; `verify` finds a damaged record.
struct StoreFileErrorTests {
    @Test func aWrongStorePathSaysThereIsNoStore() throws {
        let box = Sandbox()
        let missing = box.directory + "/no-such-store"
        for arguments in [["verify"], ["items", "list", "c"], ["export"], ["stats"], ["backup", box.directory + "/b"]] {
            let result = try box.run(arguments + ["--store", missing])
            #expect(result.status == 1, "\(arguments)")
            #expect(result.firstErrorLine == "error: 503 Service Unavailable: no store at '\(missing)' (the directory "
                + "does not exist); create one with 'cosmolite init', or point --store (or $COSMOLITE_STORE) at an "
                + "existing store", "\(arguments): \(result.summary)")
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "read commands never create a store")
        let empty = try box.write("empty/.keep", "")
        let result = try box.run(["verify", "--store", (empty as NSString).deletingLastPathComponent])
        #expect(result.firstErrorLine.contains("(the directory holds no data.mdb)"), "\(result.summary)")
    }

    @Test func aLockedStoreNamesTheProcessInsteadOfHanging() throws {
        let box = Sandbox()
        try box.createContainer("c")
        // Hold LMDB's lock on lock.mdb exclusively, as a restore does while it swaps the data file.
        let fd = open(box.store + "/lock.mdb", O_RDWR)
        #expect(fd >= 0)
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 1
        #expect(fcntl(fd, F_SETLK, &lock) == 0)
        let result = try box.run(["items", "list", "c"], environment: ["COSMOLITE_LOCK_WAIT": "0.2"])
        #expect(result.status == 1)
        #expect(result.firstErrorLine.hasPrefix(
            "error: 503 Service Unavailable: the store at '\(box.store)' is locked by process \(getpid()) "),
            "\(result.summary)")
        let restore = try box.run(["restore", box.directory + "/elsewhere", "--force"])
        #expect(restore.status == 1)
    }

    @Test func aDamagedStoreFileIsReportedAsSuch() throws {
        let box = Sandbox()
        try FileManager.default.createDirectory(atPath: box.store, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 64 * 1024).write(to: URL(fileURLWithPath: box.store + "/data.mdb"))
        for arguments in [["verify"], ["items", "list", "c"], ["items", "create", "c"]] {
            let result = try box.run(arguments, stdin: "{}")
            #expect(result.status == 1)
            #expect(result.firstErrorLine.hasPrefix(
                "error: 500 Internal Server Error: '\(box.store)' is not a Cosmolite store or its file is damaged"),
                "\(arguments): \(result.summary)")
        }
    }

    @Test func aStoreOfANewerFormatIsRefused() throws {
        let box = Sandbox()
        try box.createContainer("c")
        // The meta row "format" -> 00 00 00 02 as an LMDB leaf node: data size 4, flags 0, key size 6, key, data.
        let node: [UInt8] = [4, 0, 0, 0, 0, 0, 6, 0] + Array("format".utf8) + [0, 0, 0, 2]
        let newer: [UInt8] = Array(node.dropLast()) + [99]
        #expect(try Ops.patch(box.store + "/data.mdb", node, with: newer) >= 1)
        for arguments in [["verify"], ["items", "upsert", "c"]] {
            let result = try box.run(arguments, stdin: #"{"id": "a", "tenantId": "t"}"#)
            #expect(result.status == 1)
            #expect(result.firstErrorLine == "error: 503 Service Unavailable: the store at '\(box.store)': this store "
                + "has format version 99, newer than this Cosmolite supports (2); upgrade Cosmolite to open it",
                "\(arguments): \(result.summary)")
        }
    }

    @Test func verifyFindsADamagedDocumentRecord() throws {
        let box = Sandbox()
        try box.createContainer("c")
        var lines = (0..<40).map { #"{"id": "d\#($0)", "tenantId": "t\#($0 % 3)", "note": "plain \#($0)"}"# }
        lines.append(#"{"id": "victim", "tenantId": "t1", "note": "ZZZ-DAMAGE-ME-ZZZ"}"#)
        try Ops.load(box, "c", lines)
        // A compacted backup holds each live page once, so the string is found exactly where the item is stored.
        let copy = box.directory + "/copy"
        _ = try box.ok(["backup", copy])
        #expect(try box.ok(["verify", "--store", copy]).json()["ok"] == true)
        let replaced = try Ops.patch(copy + "/data.mdb", Array(#"ZZZ-DAMAGE-ME-ZZZ""#.utf8),
                                     with: Array("ZZZ-DAMAGE-ME-ZZZ".utf8) + [0x01])
        #expect(replaced == 1)
        let table = try box.run(["verify", "--store", copy, "--format", "table"])
        #expect(table.status == 1)
        #expect(table.stdout.contains("container 'c' [docs]: item 'victim' in partition [\"t1\"] has a body that is not "
            + "a JSON object"), "\(table.summary)")
        #expect(table.lines.last?.hasSuffix("in 1 container checked") == true)
        #expect(table.firstErrorLine.hasPrefix("error: 500 Internal Server Error: the store has "))
        let json = try box.run(["verify", "--store", copy])
        #expect(json.status == 1)
        #expect(try json.json()["ok"] == false)
        #expect(try json.json()["details"]?.arrayValue?.first?["database"] == "docs")
        // Reading the damaged item fails clearly; the others still read.
        let read = try box.run(["items", "read", "c", "victim", "--pk", #""t1""#, "--store", copy])
        #expect(read.firstErrorLine.hasPrefix("error: 500 Internal Server Error: "), "\(read.summary)")
        _ = try box.ok(["items", "read", "c", "d1", "--pk", #""t1""#, "--store", copy])
    }
}
