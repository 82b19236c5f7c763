// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteStorage

/// Walks the key interval of a plan's scan in order, from a resume position, and maps each entry to the document
/// it indexes.
struct EntryIterator {
    let scan: QueryPlan.Scan
    let dbs: Store.Databases
    let containerPrefix: [UInt8]

    /// Visits entries; `body` gets the entry key and the `docs` key (for `.documents`, the record too) and returns
    /// `false` to stop. `resume`: start at this key (inclusive) or strictly after it (`inclusive == false`).
    func forEach(_ txn: borrowing Transaction, resume: (key: [UInt8], inclusive: Bool)?,
                 _ body: (UnsafeRawBufferPointer, [UInt8], UnsafeRawBufferPointer?) throws -> Bool) throws {
        let db: Database
        switch scan.source {
        case .documents: db = dbs.docs
        case .partitionIndex: db = dbs.partitionIndex
        case .globalIndex: db = dbs.globalIndex
        case .compositeIndex: db = dbs.compositeIndex
        }
        try txn.withCursor(db) { cursor in
            if !scan.reverse {
                var from = scan.start
                var skipExact: [UInt8]?
                if let resume, Self.compare(resume.key, scan.start) >= 0 {
                    from = resume.key
                    if !resume.inclusive { skipExact = resume.key }
                }
                var found = try cursor.seek(atLeast: from)
                while found {
                    let key = cursor.key
                    guard Self.compare(key, scan.end) < 0 else { return }
                    if let skip = skipExact, Self.compare(key, skip) == 0 {
                        skipExact = nil
                        found = try cursor.next()
                        continue
                    }
                    guard try body(key, try documentKey(key), scan.source == .documents ? cursor.value : nil) else { return }
                    found = try cursor.next()
                }
            } else {
                var upper = scan.end
                var includeUpper = false
                if let resume, Self.compare(resume.key, scan.end) < 0 {
                    upper = resume.key
                    includeUpper = resume.inclusive
                }
                var found = try cursor.seek(atLeast: upper)
                if found {
                    if !(includeUpper && Self.compare(cursor.key, upper) == 0) { found = try cursor.previous() }
                } else {
                    found = try cursor.last()
                }
                while found {
                    let key = cursor.key
                    guard Self.compare(key, scan.start) >= 0 else { return }
                    guard try body(key, try documentKey(key), scan.source == .documents ? cursor.value : nil) else { return }
                    found = try cursor.previous()
                }
            }
        }
    }

    /// The `docs` key of the document an entry points at.
    func documentKey(_ key: UnsafeRawBufferPointer) throws -> [UInt8] {
        func malformed() -> StoreError { StoreError(.corrupted, "an index entry is malformed; run cosmolite verify") }
        switch scan.source {
        case .documents:
            return Array(key)
        case .partitionIndex(let pk):
            let valueStart = 12 + pk.count
            guard let valueEnd = OrderedEncoding.componentEnd(in: key, from: valueStart) else { throw malformed() }
            var out = [UInt8]()
            out.reserveCapacity(4 + pk.count + key.count - valueEnd)
            out.append(contentsOf: containerPrefix)
            out.append(contentsOf: pk)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[valueEnd...]))
            return out
        case .globalIndex:
            guard let valueEnd = OrderedEncoding.componentEnd(in: key, from: 12) else { throw malformed() }
            var out = [UInt8]()
            out.reserveCapacity(4 + key.count - valueEnd)
            out.append(contentsOf: containerPrefix)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[valueEnd...]))
            return out
        case .compositeIndex(let descending):
            var offset = 12
            for d in descending {
                guard let end = OrderedEncoding.componentEnd(in: key, from: offset, descending: d) else { throw malformed() }
                offset = end
            }
            return containerPrefix + Array(key[offset...])
        }
    }

    /// memcmp order of two keys.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { compare($0, b) }
    }
}
