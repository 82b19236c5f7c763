// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation
import Testing

@Suite("Environment registry")
struct RegistryTests {
    @Test("opening a path twice, through any spelling, returns the identical instance")
    func sameInstance() throws {
        try withTemporaryDirectory { directory in
            let store = directory + "/store"
            let first = try openEnvironment(store)
            let second = try openEnvironment(store)
            #expect(first === second)
            let dotted = try openEnvironment(directory + "/./store/")
            #expect(first === dotted)
            try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: store)
            let linked = try openEnvironment(directory + "/link")
            #expect(first === linked)
            #expect(first.path == linked.path)
            #expect(first.path.hasSuffix("/store"))
            let subset = try Environment.open(path: store, configuration: .init(databases: [], mapSize: 1 << 20))
            #expect(first === subset)
        }
    }

    @Test("concurrent opens of one path share one instance")
    func concurrentOpens() throws {
        try withTemporaryDirectory { directory in
            let opened = LockedBox<[Environment]>([])
            let joins = (0..<6).map { _ in
                startThread {
                    if let environment = try? openEnvironment(directory + "/shared") {
                        opened.withValue { $0.append(environment) }
                    }
                }
            }
            joins.forEach { $0() }
            let environments = opened.value
            #expect(environments.count == 6)
            #expect(environments.allSatisfy { $0 === environments[0] })
        }
    }

    @Test("after the last reference is released the environment closes and can be reopened")
    func reopenAfterRelease() throws {
        try withTemporaryDirectory { directory in
            weak var released: Environment?
            var firstID: UInt64 = 0
            do {
                let environment = try openEnvironment(directory)
                firstID = environment.instanceID
                released = environment
                try environment.write { try $0.put(environment.database("main"), key: bytes("k"), value: bytes("v")) }
            }
            #expect(released == nil)
            let reopened = try openEnvironment(directory, databases: ["main", "other"], durability: .relaxed)
            #expect(reopened.instanceID != firstID)
            #expect(try reopened.openFlags.noSync)
            #expect(try reopened.read { try $0.get(reopened.database("main"), key: bytes("k")) } == bytes("v"))
        }
    }

    @Test("reopening with a conflicting configuration while open throws incompatible")
    func conflictingConfiguration() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, databases: ["main"])
            let conflicts: [Environment.Configuration] = [
                .init(databases: ["main"], readOnly: true),
                .init(databases: ["main"], durability: .relaxed),
                .init(databases: ["main"], maxReaders: 7),
                .init(databases: ["main", "extra"]),
            ]
            for configuration in conflicts {
                do throws(LMDBError) {
                    _ = try Environment.open(path: directory, configuration: configuration)
                    Issue.record("a conflicting configuration was accepted: \(configuration)")
                } catch {
                    #expect(error.code == .incompatible)
                    #expect(error.description.contains("already open in this process"))
                    #expect(error.description.contains(environment.path))
                }
            }
            do throws(LMDBError) {
                _ = try Environment.open(path: directory, configuration: .init(databases: ["main"], readOnly: true))
                Issue.record("a read-only open of a writable open environment was accepted")
            } catch {
                #expect(error.description.contains("readOnly is false, requested true"))
            }
        }
    }
}
