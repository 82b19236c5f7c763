// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Synchronization
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("readers on several threads see consistent snapshots while a writer forces map growth")
    func readersDuringGrowth() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory, mapSize: 1 << 20, durability: .relaxed)
            let main = environment.database("main")
            let valueSize = 64 << 10
            let writerDone = Atomic<Bool>(false)
            let failures = LockedBox<[String]>([])
            let readCounts = LockedBox<[Int]>([])

            let readers = (0..<4).map { reader in
                startThread {
                    var reads = 0
                    repeat {
                        do {
                            let problem = try Self.checkSnapshot(environment, main, valueSize: valueSize, seed: reads)
                            if let problem {
                                failures.withValue { $0.append("reader \(reader): \(problem)") }
                            }
                        } catch {
                            failures.withValue { $0.append("reader \(reader): \(error)") }
                        }
                        reads += 1
                    } while !writerDone.load(ordering: .acquiring)
                    readCounts.withValue { $0.append(reads) }
                }
            }

            var written = 0
            for _ in 0..<80 {
                try environment.write { transaction in
                    for index in written..<(written + 16) {
                        let value = patternValue(index, size: valueSize)
                        try transaction.put(main, key: indexKey(index, prefix: "item"), value: value)
                    }
                    try transaction.put(main, key: bytes("count"), value: indexKey(written + 16, prefix: ""))
                }
                written += 16
            }
            writerDone.store(true, ordering: .releasing)
            readers.forEach { $0() }

            #expect(failures.value.isEmpty, "\(failures.value.prefix(5))")
            #expect(readCounts.value.count == 4)
            #expect(readCounts.value.allSatisfy { $0 > 0 })
            #expect(environment.growthCount >= 2)
            #expect(try Self.checkSnapshot(environment, main, valueSize: valueSize, seed: 0) == nil)
            #expect(try environment.read { try $0.entryCount(main) } == written + 1)
        }
    }

    /// Checks, in one read transaction, that the snapshot is internally consistent; returns a problem, if any.
    static func checkSnapshot(
        _ environment: Environment, _ main: Database, valueSize: Int, seed: Int
    ) throws -> String? {
        try environment.read { transaction in
            guard let countBytes = try transaction.get(main, key: bytes("count")) else {
                return try transaction.entryCount(main) == 0 ? nil : "entries without a count"
            }
            let count = Int(countBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.bigEndian)
            guard try transaction.entryCount(main) == count + 1 else {
                return "count \(count) but \(try transaction.entryCount(main)) entries"
            }
            for index in [count - 1, (seed &* 7919) % count] {
                let intact = try transaction.withValue(main, forKey: indexKey(index, prefix: "item")) { value in
                    equals(value, patternValue(index, size: valueSize))
                }
                if !intact {
                    return "item \(index) of \(count) is missing or damaged"
                }
            }
            var visited = 0
            try transaction.forEach(main, prefix: bytes("item"), reverse: seed % 2 == 0) { key, value in
                visited += value.count == valueSize && key.count == 8 ? 1 : 0
                return true
            }
            return visited == count ? nil : "scan saw \(visited) of \(count) items"
        }
    }

    @Test("the read transaction pool is reused and bounded")
    func readPoolIsBounded() throws {
        try withTemporaryDirectory { directory in
            let environment = try openEnvironment(directory)
            let main = environment.database("main")
            try environment.write { try $0.put(main, key: bytes("k"), value: bytes("v")) }
            for _ in 0..<100 {
                #expect(try environment.read { try $0.get(main, key: bytes("k")) } == bytes("v"))
            }
            #expect(environment.pooledReadTransactionCount == 1)
            let failures = Atomic<Int>(0)
            let joins = (0..<8).map { _ in
                startThread {
                    for _ in 0..<300 {
                        let value = try? environment.read { try $0.get(main, key: bytes("k")) }
                        if value != bytes("v") {
                            failures.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            joins.forEach { $0() }
            #expect(failures.load(ordering: .relaxed) == 0)
            #expect((1...64).contains(environment.pooledReadTransactionCount))
            #expect(try environment.info.readersInUse <= 64)
        }
    }
}
