// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation
import Testing

@Suite("Opening errors")
struct OpenErrorTests {
    @Test("a regular file is not an environment directory")
    func regularFile() throws {
        try withTemporaryDirectory { directory in
            let file = directory + "/plain.txt"
            #expect(FileManager.default.createFile(atPath: file, contents: Data("hello".utf8)))
            for readOnly in [false, true] {
                do throws(LMDBError) {
                    _ = try openEnvironment(file, readOnly: readOnly)
                    Issue.record("a regular file was opened as an environment")
                } catch {
                    #expect(error.code == .notADirectory)
                    #expect(error.description.contains("plain.txt"))
                    #expect(error.description.contains("is not a directory"))
                }
            }
        }
    }

    @Test("a directory without permission gives accessDenied", .enabled(if: geteuid() != 0, "root ignores permissions"))
    func noPermission() throws {
        try withTemporaryDirectory { directory in
            let locked = directory + "/locked"
            #expect(mkdir(locked, 0o500) == 0)
            do throws(LMDBError) {
                _ = try openEnvironment(locked)
                Issue.record("an unwritable directory was opened")
            } catch {
                #expect(error.code == .accessDenied)
                #expect(error.function == "mdb_env_open")
                #expect(error.description.contains("EACCES"))
            }
        }
    }

    @Test("a read-only open of a missing store gives noSuchFile")
    func readOnlyMissing() throws {
        try withTemporaryDirectory { directory in
            for path in [directory + "/missing", directory] {
                do throws(LMDBError) {
                    _ = try openEnvironment(path, readOnly: true)
                    Issue.record("a missing store was opened read-only")
                } catch {
                    #expect(error.code == .noSuchFile)
                    #expect(error.description.contains("ENOENT"))
                    #expect(error.description.contains(path.split(separator: "/").last.map(String.init) ?? path))
                }
            }
            #expect(FileManager.default.fileExists(atPath: directory + "/missing") == false)
        }
    }

    @Test("a read-only open needs every database to exist, and reads work")
    func readOnlyDatabases() throws {
        try withTemporaryDirectory { directory in
            do {
                let writable = try openEnvironment(directory, databases: ["main"])
                try writable.write { try $0.put(writable.database("main"), key: bytes("k"), value: bytes("v")) }
            }
            do throws(LMDBError) {
                _ = try openEnvironment(directory, databases: ["main", "absent"], readOnly: true)
                Issue.record("a missing database was opened read-only")
            } catch {
                #expect(error.code == .notFound)
                #expect(error.description.contains("'absent'"))
            }
            let readOnly = try openEnvironment(directory, databases: ["main"], readOnly: true)
            #expect(try readOnly.openFlags.readOnly)
            #expect(try readOnly.read { try $0.get(readOnly.database("main"), key: bytes("k")) } == bytes("v"))
            do throws(LMDBError) {
                try readOnly.sync()
                Issue.record("sync succeeded on a read-only environment")
            } catch {
                #expect(error.code == .accessDenied)
            }
        }
    }

    @Test("a data file that is not LMDB gives invalid")
    func notAnLMDBFile() throws {
        try withTemporaryDirectory { directory in
            let garbage = Data((0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            #expect(FileManager.default.createFile(atPath: directory + "/data.mdb", contents: garbage))
            do throws(LMDBError) {
                _ = try openEnvironment(directory)
                Issue.record("a garbage data file was opened")
            } catch {
                #expect(error.code == .invalid)
                #expect(error.description.hasPrefix("mdb_env_open: MDB_INVALID: File is not an LMDB file"))
            }
            // The failed open closed its handle and left the registry clean: a valid store opens afterwards.
            try FileManager.default.removeItem(atPath: directory + "/data.mdb")
            let environment = try openEnvironment(directory)
            try environment.write { try $0.put(environment.database("main"), key: bytes("k"), value: bytes("v")) }
        }
    }

    @Test("invalid configurations are rejected before touching the disk")
    func invalidConfigurations() throws {
        try withTemporaryDirectory { directory in
            let target = directory + "/never"
            let invalid: [Environment.Configuration] = [
                .init(databases: [""]),
                .init(databases: ["a", "b"], maxDatabases: 1),
                .init(databases: ["a"], mapSize: 0),
                .init(databases: ["a"], maxReaders: 0),
            ]
            for configuration in invalid {
                #expect(throws: LMDBError.self) { try Environment.open(path: target, configuration: configuration) }
                do throws(LMDBError) {
                    _ = try Environment.open(path: target, configuration: configuration)
                } catch {
                    #expect(error.code == .invalidArgument)
                }
            }
            #expect(FileManager.default.fileExists(atPath: target) == false)
        }
    }
}
