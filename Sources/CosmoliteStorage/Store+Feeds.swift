// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
public import Foundation

/// One page of items.
public struct ItemPage: Sendable {
    /// The items of this page (possibly fewer than asked for, even none).
    public let items: [Item]
    /// The token for the next page, or `nil` when this is the last page.
    public let continuation: String?
}

/// Where a change-feed read starts.
public enum ChangeFeedStart: Sendable, Hashable {
    /// From the oldest change still in the feed (every live item, in commit order).
    case beginning
    /// From changes committed after this call.
    case now
    /// From the changes made at or after this time: the items whose `_ts` (whole seconds) is at or after it, each in
    /// its latest version, then everything committed later (the SDKs' `ChangeFeedStartFrom.Time`).
    case time(Date)
    /// From a continuation returned by a previous page.
    case continuation(String)
}

/// One page of the change feed.
public struct ChangeFeedPage: Sendable {
    /// Changed items, each once (its latest version), in commit order. Each carries `_lsn`, its write's sequence
    /// number in the container, as the service's change feed does (the SDKs' change-feed estimators read it).
    public let items: [Item]
    /// Where to resume; always present, since the feed never ends. Unchanged when nothing new was committed.
    public let continuation: String
}

extension Store {
    /// Default page size when the caller gives none (Cosmos's default `MaxItemCount`).
    public static let defaultMaxItemCount = 100
    /// The size of a dynamic page (`maxItemCount` -1): at most this many items...
    static let dynamicPageItems = 1_000
    /// ... and about this many bytes (Cosmos's 4 MB response limit).
    static let dynamicPageBytes = 4 << 20

    /// Validates `maxItemCount` and returns (item limit, byte limit).
    package static func pageLimits(_ maxItemCount: Int?) throws -> (Int, Int) {
        switch maxItemCount {
        case nil: return (defaultMaxItemCount, dynamicPageBytes)
        case .some(-1): return (dynamicPageItems, dynamicPageBytes)
        case let n? where n >= 1: return (n, dynamicPageBytes)
        case let n?:
            throw StoreError.badRequest("maxItemCount must be a positive number or -1 (dynamic page size), got \(n)")
        }
    }

    /// Lists the items of a container (Cosmos's read feed), optionally of one logical partition (or, for a
    /// hierarchical key, of the partitions under its leading levels), in key order, page by page.
    ///
    /// ```swift
    /// var token: String? = nil
    /// repeat {
    ///     let page = try store.readItems(in: "integrations", maxItemCount: 50, continuation: token)
    ///     for item in page.items { print(item.id) }
    ///     token = page.continuation
    /// } while token != nil
    /// ```
    ///
    /// Each page is a short read transaction resumed from the last key of the previous page (never an offset):
    /// an item that exists and is unchanged during the whole listing appears exactly once.
    ///
    /// - Parameters:
    ///   - maxItemCount: The most items per page (default 100; -1 for a dynamic page size).
    ///   - continuation: A token from the previous page of the same listing.
    /// - Throws: ``StoreError`` 400 for a token from another listing or an altered token; 404 no such container.
    public func readItems(in container: String, partitionKey: PartitionKey? = nil, maxItemCount: Int? = nil,
                          continuation: String? = nil) throws -> ItemPage {
        let (limit, byteLimit) = try Self.pageLimits(maxItemCount)
        let now = nowSeconds()
        return try read { txn, catalog in
            let runtime = try self.runtime(container, in: catalog)
            var prefix = runtime.keyPrefix
            if let partitionKey { prefix += try Self.partitionScope(partitionKey, runtime) }
            let binding = ContinuationToken.binding(
                [runtime.keyPrefix, Array(runtime.rid.utf8), partitionKey?.fullEncoding ?? [0xFF]])
            var after: [UInt8]?
            if let continuation {
                let position = try ContinuationToken.open(continuation, kind: .readFeed, binding: binding,
                                                          key: self.tokenKey)
                after = runtime.keyPrefix + position
            }
            var items = [Item]()
            var bytes = 0
            var lastKey: [UInt8]?
            var more = false
            try self.scan(txn, self.dbs.docs, prefix: prefix, after: after) { key, value in
                if items.count >= limit || bytes >= byteLimit {
                    more = true
                    return false
                }
                let record = try DocumentRecord.decode(value)
                lastKey = Array(key)
                if self.isExpired(runtime, timestamp: record.timestamp, itemTTL: record.itemTTL, now: now) {
                    return true
                }
                let body = Array(UnsafeRawBufferPointer(rebasing: value[record.bodyOffset...]))
                bytes += body.count
                items.append(Item(json: body, id: record.id,
                                  partitionKey: try PartitionKey.decode(fullEncoding: record.partitionKeyEncoding),
                                  timestamp: Int(record.timestamp), cid: runtime.cid, lsn: record.lsn))
                return true
            }
            let token = more ? lastKey.map {
                ContinuationToken.make(kind: .readFeed, binding: binding, position: Array($0[4...]), key: self.tokenKey)
            } : nil
            return ItemPage(items: items, continuation: token)
        }
    }

    /// Reads the change feed of a container, or of one logical partition: each item changed since `start` once, in
    /// its latest version, in commit order, with its `_lsn`. Deletions are not reported (Cosmos's latest-version
    /// mode); expired items are skipped.
    ///
    /// The feed is stateless and survives restarts: keep the returned continuation and pass it next time, with the
    /// same partition key.
    ///
    /// ```swift
    /// var start = ChangeFeedStart.time(Date(timeIntervalSinceNow: -3600))  // what changed in the last hour
    /// while true {
    ///     let page = try store.readChanges(in: "integrations", partitionKey: PartitionKey("acme"), from: start)
    ///     if page.items.isEmpty { break }  // caught up; keep page.continuation for later
    ///     for item in page.items { print(item.id) }
    ///     start = .continuation(page.continuation)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - partitionKey: Only the changes of this logical partition (the SDKs' feed for one partition key), or, given
    ///     the leading levels of a hierarchical key, of the partitions under them. Its pages step over the other
    ///     partitions' changes without loading them.
    ///   - start: Where to begin; ``ChangeFeedStart/time(_:)`` finds its place from the newest change backwards by
    ///     `_ts`, so its cost follows the number of changes since that time. Were the clock set back, it starts
    ///     after the newest change dated before the time.
    ///   - maxItemCount: The most items per page (default 100; -1 for a dynamic page size).
    /// - Throws: ``StoreError`` 400 for a token from another container or partition key, or an altered token; 400
    ///   for a partition key that does not fit the container's; 404 no such container.
    public func readChanges(in container: String, partitionKey: PartitionKey? = nil,
                            from start: ChangeFeedStart = .beginning,
                            maxItemCount: Int? = nil) throws -> ChangeFeedPage {
        let (limit, byteLimit) = try Self.pageLimits(maxItemCount)
        let now = nowSeconds()
        return try read { txn, catalog in
            let runtime = try self.runtime(container, in: catalog)
            let prefix = runtime.keyPrefix
            let scope = try partitionKey.map { try Self.partitionScope($0, runtime) }
            // A partition's feed binds its key too; the container's keeps its binding from before partition feeds.
            var bound = [prefix, Array(runtime.rid.utf8), Array("changes".utf8)]
            if let partitionKey { bound.append(partitionKey.fullEncoding) }
            let binding = ContinuationToken.binding(bound)
            var position: UInt64
            switch start {
            case .beginning:
                position = 0
            case .now:
                position = try txn.get(self.dbs.meta, key: KeyLayout.MetaKey.lsn(runtime.cid))
                    .map { $0.readBigEndian(UInt64.self, at: 0) } ?? 0
            case .time(let date):
                position = try self.feedPosition(txn, runtime, before: date, scope: scope)
            case .continuation(let token):
                let bytes = try ContinuationToken.open(token, kind: .changeFeed, binding: binding, key: self.tokenKey)
                guard bytes.count == 8 else {
                    throw StoreError.badRequest("the change-feed continuation is malformed")
                }
                position = bytes.readBigEndian(UInt64.self, at: 0)
            }
            var items = [Item]()
            var bytes = 0
            let components = runtime.definition.partitionKey.paths.count
            var transactions = TransactionRanges(cid: runtime.cid)
            try self.scan(txn, self.dbs.feed, prefix: prefix, after: KeyLayout.feedKey(runtime.cid, position)) { key, value in
                let lsn = key.readBigEndian(UInt64.self, at: 4)
                let transaction = try transactions.range(containing: lsn, txn, self.dbs.meta)
                // A transaction's changes come together, even past the page size (the SDKs' "transaction scope is
                // preserved"): a full page goes on only to finish the transaction of the row it ended with.
                if items.count >= limit || bytes >= byteLimit, transaction?.contains(position) != true { return false }
                position = lsn
                let locator = try Locator(bytes: value, components: components)
                if let scope, !locator.pk.starts(with: scope) { return true }
                try self.withChangedItem(txn, runtime, locator) { doc in
                    let record = try DocumentRecord.decode(doc)
                    if !self.isExpired(runtime, timestamp: record.timestamp, itemTTL: record.itemTTL, now: now) {
                        // The changes of one transaction share its `_lsn`, as in the service: its last.
                        let body = Self.withLSN(UnsafeRawBufferPointer(rebasing: doc[record.bodyOffset...]),
                                                transaction?.upperBound ?? lsn)
                        bytes += body.count
                        items.append(Item(
                            json: body, id: record.id,
                            partitionKey: try PartitionKey.decode(fullEncoding: record.partitionKeyEncoding),
                            timestamp: Int(record.timestamp), cid: runtime.cid, lsn: record.lsn))
                    }
                }
                return true
            }
            var encoded = [UInt8]()
            encoded.appendBigEndian(position)
            return ChangeFeedPage(items: items, continuation: ContinuationToken.make(
                kind: .changeFeed, binding: binding, position: encoded, key: self.tokenKey))
        }
    }

    /// The key bytes a partition key, or the leading levels of a hierarchical one, scopes a feed to: a prefix of its
    /// partitions' `PK` encodings.
    private static func partitionScope(_ key: PartitionKey, _ runtime: ContainerRuntime) throws -> [UInt8] {
        try runtime.definition.partitionKey.validate(key, prefix: true)
        var encoded = [UInt8]()
        key.appendKeyComponent(to: &encoded, pathCount: runtime.partitionKeyPaths.count)
        return encoded
    }

    /// Calls `body` with the stored record of the item a change-feed row names (valid during the call).
    private func withChangedItem<R>(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, _ locator: Locator,
                                    _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try KeyLayout.documentKey(runtime.cid, locator.bytes).withUnsafeBytes { k in
            try txn.withValue(dbs.docs, forKey: k) { doc in
                guard let doc else {
                    throw StoreError.corrupted("a change-feed row points at a missing item; run verify")
                }
                return try body(doc)
            }
        }
    }

    /// Where a feed starting at `date` begins: the lsn of the newest change (of the partition `scope`, when given)
    /// whose `_ts` is before `date`'s whole second, found from the newest change backwards; 0 when there is none.
    private func feedPosition(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, before date: Date,
                              scope: [UInt8]?) throws -> UInt64 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds > 0 else { return 0 }
        let threshold = seconds >= Double(UInt64.max) ? UInt64.max : UInt64(seconds)
        let prefix = runtime.keyPrefix
        let components = runtime.definition.partitionKey.paths.count
        return try txn.withCursor(dbs.feed) { cursor in
            // The first row past this container's rows, then back.
            var end = prefix
            end.appendBigEndian(UInt64.max)
            var found = try cursor.seek(atLeast: end) ? try cursor.previous() : try cursor.last()
            while found, cursor.key.hasPrefix(prefix) {
                let locator = try Locator(bytes: cursor.value, components: components)
                if scope.map({ locator.pk.starts(with: $0) }) ?? true {
                    let timestamp = try self.withChangedItem(txn, runtime, locator) {
                        try DocumentRecord.decodeFixed($0).timestamp
                    }
                    if timestamp < threshold { return cursor.key.readBigEndian(UInt64.self, at: 4) }
                }
                found = try cursor.previous()
            }
            return 0
        }
    }

    /// The lsn ranges of a container's transactional batches (`meta/"txn" ‖ cid ‖ last` → first), looked up for
    /// rising lsns with one seek per range met.
    private struct TransactionRanges {
        let cid: UInt32
        /// The first range whose last lsn is at least the lsn looked up last.
        var next: ClosedRange<UInt64>?
        /// No range ends at or after the lsn looked up last.
        var exhausted = false

        /// The range holding `lsn`, if any; `lsn` is never below the one asked for before.
        mutating func range(containing lsn: UInt64, _ txn: borrowing Transaction, _ meta: Database) throws
            -> ClosedRange<UInt64>? {
            if let next, lsn <= next.upperBound { return next.contains(lsn) ? next : nil }
            if exhausted { return nil }
            let prefix = KeyLayout.MetaKey.transactionPrefix(cid)
            let found: ClosedRange<UInt64>? = try txn.withCursor(meta) { cursor in
                guard try cursor.seek(atLeast: KeyLayout.MetaKey.transaction(cid, last: lsn)),
                      cursor.key.hasPrefix(prefix), cursor.key.count == prefix.count + 8, cursor.value.count == 8
                else { return nil }
                let last = cursor.key.readBigEndian(UInt64.self, at: prefix.count)
                let first = cursor.value.readBigEndian(UInt64.self, at: 0)
                guard first <= last else {
                    throw StoreError.corrupted("a transaction range of the change feed is reversed; run verify")
                }
                return first...last
            }
            guard let found else {
                exhausted = true
                return nil
            }
            next = found
            return found.contains(lsn) ? found : nil
        }
    }

    /// The document JSON `body` with `"_lsn": lsn` as its last member.
    static func withLSN(_ body: UnsafeRawBufferPointer, _ lsn: UInt64) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(body.count + 28)
        out.append(contentsOf: body.dropLast())  // the closing brace
        out.append(contentsOf: #","_lsn":"#.utf8)
        out.append(contentsOf: String(lsn).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
