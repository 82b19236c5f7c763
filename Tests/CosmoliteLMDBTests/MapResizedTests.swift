// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Testing

@Suite("Map resized by another process")
struct MapResizedTests {
    @Test("reads and writes adopt a map another process grew (MDB_MAP_RESIZED)")
    func adoptsExternalGrowth() async throws {
        try await withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, mapSize: 1 << 20)
            let main = environment.database("main")
            try environment.write { try $0.put(main, key: bytes("parent"), value: bytes("1")) }
            #expect(try environment.read { try $0.get(main, key: bytes("parent")) } == bytes("1"))
            #expect(environment.pooledReadTransactionCount == 1)
            let mapBefore = try environment.info.mapSize

            // Another process writes 20 MB, growing the map far beyond this process's 1 MiB.
            await #expect(processExitsWith: .success) { [directory = directory as String] in
                let child = try openEnvironment(directory, mapSize: 1 << 20)
                let database = child.database("main")
                try child.write { transaction in
                    for index in 0..<200 {
                        try transaction.put(database, key: indexKey(index), value: patternValue(index, size: 100_000))
                    }
                }
                guard child.growthCount > 0 else {
                    fatalError("the child did not grow the map")
                }
            }

            let seen = try environment.read { transaction in
                try (0..<200).allSatisfy { index in
                    try transaction.withValue(main, forKey: indexKey(index)) { value in
                        equals(value, patternValue(index, size: 100_000))
                    }
                }
            }
            #expect(seen)
            #expect(try environment.info.mapSize > mapBefore)
            #expect(environment.growthCount == 0)
            try environment.write { try $0.put(main, key: bytes("after"), value: bytes("2")) }
            #expect(try environment.read { try $0.entryCount(main) } == 202)
        }
    }
}
