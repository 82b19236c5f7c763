// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Testing

@Suite("Map growth")
struct GrowthTests {
    @Test("growth steps double the map, by at least 64 MiB and at most 1 GiB")
    func growthSteps() {
        let mebibyte = 1 << 20
        #expect(Environment.grownMapSize(from: mebibyte) == 65 * mebibyte)
        #expect(Environment.grownMapSize(from: 100 * mebibyte) == 200 * mebibyte)
        #expect(Environment.grownMapSize(from: 1 << 30) == 2 << 30)
        #expect(Environment.grownMapSize(from: 5 << 30) == 6 << 30)
        #expect(Environment.grownMapSize(from: Int.max - 5) > 0)
        #expect(Environment.roundedMapSize(1) == 64 << 10)
        #expect(Environment.roundedMapSize(64 << 10) == 64 << 10)
    }

    @Test("a 1 MiB map absorbs 200 MB written in batches of many sizes, without any error")
    func writesFarBeyondTheInitialMap() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, mapSize: 1 << 20, durability: .relaxed)
            let main = environment.database("main")
            let valueSize = 100_000
            // 2,000 values of 100 KB; the first batch alone (5 MB) is far bigger than the initial map.
            let batchSizes = [50, 1, 7, 300, 13, 2, 450, 99, 1, 577, 250, 250]
            #expect(batchSizes.reduce(0, +) == 2_000)
            #expect(try environment.info.mapSize < 2 << 20)

            var next = 0
            var firstBatchRuns = 0
            for (batch, size) in batchSizes.enumerated() {
                let range = next..<(next + size)
                try environment.write { transaction in
                    if batch == 0 {
                        firstBatchRuns += 1
                    }
                    for index in range {
                        _ = try patternValue(index, size: valueSize).withUnsafeBytes { value in
                            try indexKey(index).withUnsafeBytes { key in
                                try transaction.put(main, key: key, value: value)
                            }
                        }
                    }
                }
                next += size
            }

            #expect(firstBatchRuns > 1, "the oversized first transaction should have hit MDB_MAP_FULL and rerun")
            #expect(environment.growthCount > 0)
            let info = try environment.info
            #expect(info.usedBytes > 200_000_000)
            #expect(info.mapSize >= info.usedBytes)

            let mismatches = try environment.read { transaction in
                var mismatches = 0
                for index in 0..<2_000 {
                    let matches = try transaction.withValue(main, forKey: indexKey(index)) { value in
                        equals(value, patternValue(index, size: valueSize))
                    }
                    mismatches += matches ? 0 : 1
                }
                #expect(try transaction.entryCount(main) == 2_000)
                return mismatches
            }
            #expect(mismatches == 0)
        }
    }

    @Test("a body that swallows MDB_MAP_FULL still gets the map grown and runs again")
    func swallowedMapFullIsRetried() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, mapSize: 1 << 20)
            let main = environment.database("main")
            let big = patternValue(1, size: 4 << 20)
            var runs = 0
            var swallowed: [LMDBError.Code] = []
            try environment.write { transaction in
                runs += 1
                do throws(LMDBError) {
                    try transaction.put(main, key: bytes("big"), value: big)
                } catch {
                    swallowed.append(error.code)
                }
            }
            #expect(runs == 2)
            #expect(swallowed == [.mapFull])
            #expect(environment.growthCount == 1)
            #expect(try environment.read { try $0.get(main, key: bytes("big")) } == big)
        }
    }

    @Test("the map grows before a write once more than 85 % of it is used")
    func proactiveGrowth() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, mapSize: 1 << 20)
            let main = environment.database("main")
            func nearlyFull() throws -> Bool {
                let info = try environment.info
                return info.usedBytes > info.mapSize / 100 * 85
            }
            // Fill the 1 MiB map past 85 % with transactions small enough never to hit MDB_MAP_FULL.
            var index = 0
            while try !nearlyFull() {
                try environment.write { transaction in
                    try transaction.put(main, key: indexKey(index), value: patternValue(index, size: 20_000))
                }
                index += 1
            }
            #expect(environment.growthCount == 0)
            var runs = 0
            try environment.write { transaction in
                runs += 1
                try transaction.put(main, key: bytes("tiny"), value: bytes("1"))
            }
            #expect(runs == 1, "growth happened before the transaction, not after MDB_MAP_FULL")
            #expect(environment.growthCount == 1)
            #expect(try environment.info.mapSize == 65 << 20)
            #expect(try nearlyFull() == false)
        }
    }

    /// LMDB reopens a store with a map only as large as its data; the open grows it, so that the first write does
    /// not (a growth waits for every read transaction under way to end).
    @Test("reopening a store grows its map at the open, not at the first write")
    func reopenGrowsAtOpen() throws {
        try withTemporaryDirectory { directory in
            do {
                let environment = try openEnvironment(directory, mapSize: 1 << 20)
                let main = environment.database("main")
                for index in 0..<40 {
                    try environment.write { transaction in
                        try transaction.put(main, key: indexKey(index), value: patternValue(index, size: 100_000))
                    }
                }
                #expect(try environment.info.usedBytes > 3 << 20)
            }
            let environment = try openEnvironment(directory, mapSize: 1 << 20)
            let info = try environment.info
            #expect(info.usedBytes <= info.mapSize / 100 * 85, "the open left the map nearly full")
            try environment.write { transaction in
                try transaction.put(environment.database("main"), key: bytes("tiny"), value: bytes("1"))
            }
            #expect(environment.growthCount == 0)
        }
    }
}
