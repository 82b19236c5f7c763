// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks the key intervals of a plan's scan in order, from a resume position, and maps each entry to the document
/// it indexes.
struct EntryIterator {
    let scan: QueryPlan.Scan
    let dbs: Store.Databases
    let containerPrefix: [UInt8]

    /// Visits entries; `body` gets the entry key and the `docs` key (for `.documents`, the record too) and returns
    /// `false` to stop. `resume`: start at this key (inclusive) or strictly after it (`inclusive == false`).
    ///
    /// Both key buffers are valid only during that call of `body`: the `docs` key of an index entry is rebuilt in
    /// one scratch buffer reused for every entry, so a page allocates nothing per entry.
    func forEach(_ txn: borrowing Transaction, resume: (key: [UInt8], inclusive: Bool)?,
                 _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Bool) throws {
        let db: Database
        switch scan.source {
        case .documents: db = dbs.docs
        case .partitionIndex: db = dbs.partitionIndex
        case .globalIndex: db = dbs.globalIndex
        case .compositeIndex: db = dbs.compositeIndex
        }
        let isDocuments = scan.source == .documents
        let head = documentKeyHead
        try withUnsafeTemporaryAllocation(byteCount: Self.scratchCapacity, alignment: 1) { scratch in
            // Written once: only the tail of each entry's `docs` key changes from entry to entry.
            guard head.count <= scratch.count else { throw Self.malformed() }
            head.withUnsafeBytes { scratch.copyMemory(from: $0) }
            try txn.withCursor(db) { cursor in
                // Intervals are disjoint and in key order, and a resume key lies in the one the last page stopped in:
                // an interval wholly on the far side of it yields nothing after one seek.
                let walk = Walk(resume: resume, headCount: head.count, scratch: scratch, isDocuments: isDocuments,
                                elements: !scan.elementValues.isEmpty, db: db)
                for interval in scan.reverse ? scan.intervals.reversed() : scan.intervals {
                    let keepGoing = try scan.reverse
                        ? walkBackward(interval, cursor, txn, walk, body)
                        : walkForward(interval, cursor, txn, walk, body)
                    guard keepGoing else { return }
                }
            }
        }
    }

    /// What the walks of one scan share.
    private struct Walk {
        let resume: (key: [UInt8], inclusive: Bool)?
        let headCount: Int
        let scratch: UnsafeMutableRawBufferPointer
        let isDocuments: Bool
        /// Whether entries of the index of an array's elements are checked with ``skipsElementEntry(_:_:_:)``.
        let elements: Bool
        let db: Database
    }

    /// Visits the entries of `interval` in key order, from `walk.resume` when it lies inside; `false` when `body`
    /// stopped.
    private func walkForward(
        _ interval: QueryPlan.Interval, _ cursor: borrowing Cursor, _ txn: borrowing Transaction, _ walk: Walk,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Bool
    ) throws -> Bool {
        var from = interval.start
        var skipExact: [UInt8]?
        if let resume = walk.resume, Self.compare(resume.key, interval.start) >= 0 {
            from = resume.key
            if !resume.inclusive { skipExact = resume.key }
        }
        var entry = try from.withUnsafeBytes { try cursor.seekEntry(atLeast: $0) }
        while let (key, value) = entry {
            guard Self.compare(key, interval.end) < 0 else { return true }
            if let skip = skipExact, Self.compare(key, skip) == 0 {
                skipExact = nil
                entry = try cursor.nextEntry()
                continue
            }
            if walk.elements, try skipsElementEntry(key, txn, walk.db) {
                entry = try cursor.nextEntry()
                continue
            }
            guard try body(key, try documentKey(key, into: walk.scratch, after: walk.headCount),
                           walk.isDocuments ? value : nil) else {
                return false
            }
            entry = try cursor.nextEntry()
        }
        return true
    }

    /// Visits the entries of `interval` in reverse key order, from `walk.resume` when it lies inside; `false` when
    /// `body` stopped.
    private func walkBackward(
        _ interval: QueryPlan.Interval, _ cursor: borrowing Cursor, _ txn: borrowing Transaction, _ walk: Walk,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Bool
    ) throws -> Bool {
        var upper = interval.end
        var includeUpper = false
        if let resume = walk.resume, Self.compare(resume.key, interval.end) < 0 {
            upper = resume.key
            includeUpper = resume.inclusive
        }
        var entry = try upper.withUnsafeBytes { try cursor.seekEntry(atLeast: $0) }
        if let (key, _) = entry {
            if !(includeUpper && Self.compare(key, upper) == 0) { entry = try cursor.previousEntry() }
        } else {
            entry = try cursor.lastEntry()
        }
        while let (key, value) = entry {
            guard Self.compare(key, interval.start) >= 0 else { return true }
            if walk.elements, try skipsElementEntry(key, txn, walk.db) {
                entry = try cursor.previousEntry()
                continue
            }
            guard try body(key, try documentKey(key, into: walk.scratch, after: walk.headCount),
                           walk.isDocuments ? value : nil) else {
                return false
            }
            entry = try cursor.previousEntry()
        }
        return true
    }

    /// Whether to skip an entry of the index of an array's elements: it is for another string that shares a long
    /// value's key prefix (its digest differs), or its item also has an entry at one of
    /// ``QueryPlan/Scan/elementValues`` that comes earlier in scan order (and is visited there).
    private func skipsElementEntry(_ key: UnsafeRawBufferPointer, _ txn: borrowing Transaction,
                                   _ db: Database) throws -> Bool {
        let valueStart = scan.prefix.count
        guard let valueEnd = OrderedEncoding.componentEnd(in: key, from: valueStart) else { throw Self.malformed() }
        let own = UnsafeRawBufferPointer(rebasing: key[valueStart..<valueEnd])
        let tail = UnsafeRawBufferPointer(rebasing: key[valueEnd...])
        guard scan.elementValues.contains(where: { $0.elementsEqual(own) }) else { return true }
        for value in scan.elementValues {
            let order = value.withUnsafeBytes { Self.compare($0, own) }
            guard scan.reverse ? order > 0 : order < 0 else { continue }
            var probe = scan.prefix
            probe.append(contentsOf: value)
            probe.append(contentsOf: tail)
            if try probe.withUnsafeBytes({ try txn.value(db, forKey: $0) }) != nil { return true }
        }
        return false
    }

    /// Bytes of the scratch buffer `documentKey(_:into:after:)` writes to: a `docs` key is at most as long as the index
    /// key it comes from, and LMDB keys are at most 511 bytes with the default build; twice that leaves room.
    static let scratchCapacity = 1_024

    /// What every `docs` key of this scan starts with: the container prefix and, in a partition index, the
    /// partition key.
    var documentKeyHead: [UInt8] {
        if case .partitionIndex(let pk) = scan.source { return containerPrefix + pk }
        return containerPrefix
    }

    static func malformed() -> StoreError { StoreError(.corrupted, "an index entry is malformed; run cosmolite verify") }

    /// The `docs` key of the document an entry points at (for `.documents`, the key itself): the entry's
    /// trailing `PK ‖ ID` or `ID` is copied into `scratch` after the `headCount` bytes of ``documentKeyHead``
    /// already there.
    func documentKey(_ key: UnsafeRawBufferPointer, into scratch: UnsafeMutableRawBufferPointer,
                     after headCount: Int) throws -> UnsafeRawBufferPointer {
        let tail: Int
        switch scan.source {
        case .documents:
            return key
        case .partitionIndex(let pk):
            guard let valueEnd = OrderedEncoding.componentEnd(in: key, from: 12 + pk.count) else { throw Self.malformed() }
            tail = valueEnd
        case .globalIndex:
            guard let valueEnd = OrderedEncoding.componentEnd(in: key, from: 12) else { throw Self.malformed() }
            tail = valueEnd
        case .compositeIndex(let descending):
            // The components of the equality prefix need no decoding: every scanned key starts with `scan.prefix`.
            var offset = scan.prefix.count
            for d in descending[scan.prefixComponents...] {
                guard let end = OrderedEncoding.componentEnd(in: key, from: offset, descending: d) else {
                    throw Self.malformed()
                }
                offset = end
            }
            tail = offset
        }
        let count = headCount + key.count - tail
        guard tail <= key.count, count <= scratch.count else { throw Self.malformed() }
        if tail < key.count {
            (scratch.baseAddress! + headCount).copyMemory(from: key.baseAddress! + tail, byteCount: key.count - tail)
        }
        return UnsafeRawBufferPointer(rebasing: scratch[..<count])
    }

    /// memcmp order of two keys.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let r = memcmp(a.baseAddress!, b.baseAddress!, n)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    static func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        b.withUnsafeBytes { compare(a, $0) }
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { compare($0, b) }
    }
}
