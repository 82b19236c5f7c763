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
                if scan.merged {
                    try walkMerged(cursor, walk, body)
                    return
                }
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

    /// Visits the entries of all intervals of a merged scan (``QueryPlan/Scan/merged``) in the order of their tails
    /// (what follows each interval's start), forward or in reverse, from `walk.resume`: every interval resumes after
    /// the resume key's tail. One cursor serves all intervals; it seeks back into an interval for each entry taken
    /// from it.
    private func walkMerged(
        _ cursor: borrowing Cursor, _ walk: Walk,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Bool
    ) throws {
        let intervals = scan.intervals
        let reverse = scan.reverse
        // The tail of the resume key: it lies in the interval whose start it begins with.
        var resumeTail: ArraySlice<UInt8>?
        if let resume = walk.resume {
            guard let owner = intervals.first(where: { resume.key.starts(with: $0.start) }) else {
                throw QueryError.badRequest("the continuation token is malformed")
            }
            resumeTail = resume.key[owner.start.count...]
        }
        /// The first entry of `interval` in scan order, or the next one after `after`.
        func head(_ interval: QueryPlan.Interval, after: [UInt8]?) throws -> [UInt8]? {
            if let after {
                guard try after.withUnsafeBytes({ try cursor.seekEntry(atLeast: $0) }) != nil else { return nil }
                let entry = reverse ? try cursor.previousEntry() : try cursor.nextEntry()
                return entry.flatMap { inside($0.key, interval) ? Array($0.key) : nil }
            }
            var from: [UInt8]
            var inclusive = true
            if let resumeTail, let resume = walk.resume {
                from = interval.start + resumeTail
                inclusive = resume.inclusive
            } else {
                from = reverse ? interval.end : interval.start
                inclusive = !reverse
            }
            var entry = try from.withUnsafeBytes { try cursor.seekEntry(atLeast: $0) }
            if reverse {
                if let (key, _) = entry {
                    if !(inclusive && Self.compare(key, from) == 0) { entry = try cursor.previousEntry() }
                } else {
                    entry = try cursor.lastEntry()
                }
            } else if !inclusive, let (key, _) = entry, Self.compare(key, from) == 0 {
                entry = try cursor.nextEntry()
            }
            return entry.flatMap { inside($0.key, interval) ? Array($0.key) : nil }
        }
        func inside(_ key: UnsafeRawBufferPointer, _ interval: QueryPlan.Interval) -> Bool {
            Self.compare(key, interval.start) >= 0 && Self.compare(key, interval.end) < 0
        }
        var heads = try intervals.map { try head($0, after: nil) }
        while true {
            // The interval whose next entry has the least tail (the greatest in reverse).
            var best: Int?
            for k in heads.indices {
                guard let key = heads[k] else { continue }
                guard let b = best, let other = heads[b] else {
                    best = k
                    continue
                }
                let order = Self.compare(key[intervals[k].start.count...], other[intervals[b].start.count...])
                if reverse ? order > 0 : order < 0 { best = k }
            }
            guard let b = best, let key = heads[b] else { return }
            let keepGoing = try key.withUnsafeBytes { k in
                try body(k, try documentKey(k, into: walk.scratch, after: walk.headCount), nil)
            }
            guard keepGoing else { return }
            heads[b] = try head(intervals[b], after: key)
        }
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

    static func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in compare(x, y) } }
    }
}
