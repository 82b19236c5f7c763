// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation
import Testing

@Suite("Environment")
struct EnvironmentTests {
    @Test("durability maps to MDB_NOSYNC; MDB_NOTLS always, MDB_WRITEMAP never")
    func durabilityFlags() throws {
        try withTemporaryDirectory { directory in
            let durable = try openEnvironment(directory + "/durable", durability: .durable)
            let relaxed = try openEnvironment(directory + "/relaxed", durability: .relaxed)
            let durableFlags = try durable.openFlags
            let relaxedFlags = try relaxed.openFlags
            #expect(durableFlags.noSync == false)
            #expect(relaxedFlags.noSync)
            #expect(durableFlags.noTLS && relaxedFlags.noTLS)
            #expect(durableFlags.writeMap == false && relaxedFlags.writeMap == false)
            #expect(durableFlags.readOnly == false)
            try relaxed.write { try $0.put(relaxed.database("main"), key: bytes("k"), value: bytes("v")) }
            try relaxed.sync(force: true)
            try relaxed.sync(force: false)
            try durable.sync()
        }
    }

    @Test("committed writes survive a crash of the writing process", arguments: [Durability.durable, .relaxed])
    func writesSurviveProcessCrash(durability: Durability) async throws {
        try await withTemporaryDirectory { directory in
            let relaxed = durability == .relaxed
            await #expect(processExitsWith: .failure) { [directory = directory as String, relaxed = relaxed as Bool] in
                let environment = try openEnvironment(directory, durability: relaxed ? .relaxed : .durable)
                let main = environment.database("main")
                try environment.write { try $0.put(main, key: bytes("committed"), value: bytes("yes")) }
                // Crash with the environment still open and an uncommitted write transaction in progress.
                try environment.write { transaction in
                    try transaction.put(main, key: bytes("uncommitted"), value: bytes("no"))
                    abort()
                }
            }
            let environment = try openEnvironment(directory, durability: durability)
            let main = environment.database("main")
            let state = try environment.read { transaction in
                (
                    try transaction.get(main, key: bytes("committed")),
                    try transaction.get(main, key: bytes("uncommitted"))
                )
            }
            #expect(state.0 == bytes("yes"))
            #expect(state.1 == nil)
            // The crashed process's reader slot and writer lock do not block this process.
            try environment.write { try $0.put(main, key: bytes("after"), value: bytes("ok")) }
            #expect(try environment.checkStaleReaders() >= 0)
        }
    }

    @Test("otherProcessUsingIt sees another process that has the environment open, never this one")
    func otherProcessIsSeen() async throws {
        try await withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, durability: .relaxed)
            #expect(environment.otherProcessUsingIt() == nil)
            // A child process opens it while this one holds it: the child sees this process.
            await #expect(processExitsWith: .success) { [directory = directory as String] in
                let child = try openEnvironment(directory, durability: .relaxed)
                exit(child.otherProcessUsingIt() != nil ? EXIT_SUCCESS : EXIT_FAILURE)
            }
            // Once the child has exited, this process is alone again.
            #expect(environment.otherProcessUsingIt() == nil)
        }
    }

    @Test("info and statistics describe the store")
    func infoAndStatistics() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, mapSize: 8 << 20)
            let main = environment.database("main")
            try environment.write { transaction in
                for index in 0..<500 {
                    try transaction.put(main, key: indexKey(index), value: patternValue(index, size: 300))
                }
                try transaction.put(main, key: bytes("large"), value: patternValue(1, size: 20_000))
            }
            let info = try environment.info
            #expect(info.mapSize == 8 << 20)
            #expect(info.pageSize >= 4096)
            #expect(info.lastTransactionID == 2)
            #expect(info.maxReaders == 512)
            #expect(info.usedBytes == (info.lastPageNumber + 1) * info.pageSize)
            #expect(info.usedBytes > 500 * 300)
            let statistics = try environment.statistics(main)
            #expect(statistics.entries == 501)
            #expect(statistics.depth >= 2)
            #expect(statistics.leafPages > 1)
            #expect(statistics.branchPages >= 1)
            #expect(statistics.overflowPages >= 4)
            #expect(statistics.pageSize == info.pageSize)
            #expect(try environment.checkStaleReaders() == 0)
        }
    }

    @Test("copy(to:compact:) writes a backup that opens as an environment", arguments: [false, true])
    func copyMakesABackup(compact: Bool) throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory + "/source")
            let main = environment.database("main")
            try environment.write { transaction in
                for index in 0..<300 {
                    try transaction.put(main, key: indexKey(index), value: patternValue(index, size: 1_000))
                }
            }
            try environment.write { transaction in
                for index in 0..<150 {
                    try transaction.delete(main, key: indexKey(index))
                }
            }
            try environment.copy(to: directory + "/backup", compact: compact)
            do throws(LMDBError) {
                try environment.copy(to: directory + "/backup", compact: compact)
                Issue.record("copied over an existing backup")
            } catch {
                #expect(error.code == .fileExists)
                #expect(error.function == "mdb_env_copy2")
            }
            let backup = try openEnvironment(directory + "/backup")
            #expect(backup !== environment)
            #expect(try allKeys(backup, backup.database("main")) == (150..<300).map { indexKey($0) })
            if compact {
                #expect(try backup.info.lastPageNumber <= environment.info.lastPageNumber)
            }
        }
    }

    @Test("errors describe themselves and match codes in catch clauses")
    func errorDescriptions() throws {
        let error = LMDBError(code: .mapFull, function: "mdb_put")
        #expect(error.description == "mdb_put: MDB_MAP_FULL: Environment mapsize limit reached")
        let withContext = LMDBError(code: .noSpace, function: "mdb_txn_commit", context: "path: /x")
        #expect(withContext.description == "mdb_txn_commit: ENOSPC: No space left on device (path: /x)")
        #expect(LMDBError.Code.busy.description == "EAGAIN")
        #expect(LMDBError.Code(rawValue: 12_345).description == "error 12345")

        func throwing(_ code: LMDBError.Code) throws {
            throw LMDBError(code: code, function: "test")
        }
        var matched: [String] = []
        for code in [LMDBError.Code.notFound, .keyExists, .readersFull] {
            do {
                try throwing(code)
            } catch LMDBError.Code.notFound {
                matched.append("notFound")
            } catch LMDBError.Code.keyExists {
                matched.append("keyExists")
            } catch {
                matched.append("other")
            }
        }
        #expect(matched == ["notFound", "keyExists", "other"])
        var typedMatch = ""
        do throws(LMDBError) {
            throw LMDBError(code: .keyExists, function: "mdb_put")
        } catch LMDBError.Code.notFound {
            typedMatch = "notFound"
        } catch LMDBError.Code.keyExists {
            typedMatch = "keyExists"
        } catch {
            typedMatch = "other"
        }
        #expect(typedMatch == "keyExists")
        let typed: LMDBError = LMDBError(code: .transactionFull, function: "mdb_put")
        #expect(LMDBError.Code.transactionFull ~= typed)
        #expect(!(LMDBError.Code.mapFull ~= typed))
        #expect(!(LMDBError.Code.mapFull ~= (TestFailure(tag: 1) as any Error)))
    }
}
