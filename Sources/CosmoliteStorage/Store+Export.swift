// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB

/// What an export reads, given to the header callback of ``Store/exportSnapshot(containers:header:item:)`` before
/// the first item.
public struct ExportSnapshot: Sendable {
    /// The exported containers, in export order (the order asked for, else by id), with their stored properties.
    public let containers: [ContainerProperties]
    /// About how many items will follow: the number of stored rows of those containers, which may include a few
    /// expired items that the export skips. For progress reports.
    public let estimatedItemCount: Int
    /// The LMDB transaction whose snapshot the export reads: every write committed before the export began, and
    /// nothing committed after it.
    public let transactionID: Int
}

extension Store {
    /// The largest item, in UTF-8 bytes of its stored JSON (Cosmos DB's 2 MB limit); larger writes fail with 413.
    public static let maxItemBytes = PreparedDocument.maxItemBytes

    /// Streams every live item of some containers from **one** read snapshot, in bounded memory.
    ///
    /// ```swift
    /// try store.exportSnapshot(containers: nil, header: { snapshot in
    ///     print(snapshot.containers.map(\.id))
    /// }, item: { container, json in
    ///     output.write(json)      // the stored document, system properties included
    /// })
    /// ```
    ///
    /// The whole export runs in a single read transaction, so it is consistent across items and containers even
    /// while other threads or processes write: it holds exactly the writes committed before it began. Items
    /// come container by container, each in key order (partition key, then id); expired items are left out.
    ///
    /// Holding a snapshot has costs, as with any long LMDB read: pages freed by writers meanwhile cannot be reused
    /// until it ends (the file may grow during a long export under a heavy write load), and in this process a map
    /// resize waits for it. The callbacks therefore must be quick to return and must not use this store (no reads
    /// or writes from inside them: that would nest transactions).
    ///
    /// - Parameters:
    ///   - containers: The containers to export (every container when `nil`).
    ///   - header: Called once, before any item, with the containers and an item count estimate.
    ///   - item: Called for each item with its container id and the stored JSON bytes (one line: stored
    ///     documents never contain a raw newline). The buffer is valid only during the call.
    /// - Returns: The number of items exported.
    /// - Throws: ``StoreError`` 404 when a named container does not exist; whatever a callback throws.
    @discardableResult
    public func exportSnapshot(containers: [String]? = nil, header: (ExportSnapshot) throws -> Void,
                               item: (_ container: String, _ json: UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let now = nowSeconds()
        return try read { txn, catalog in
            let runtimes: [ContainerRuntime]
            if let containers {
                var seen = Set<String>()
                runtimes = try containers.filter { seen.insert($0).inserted }.map { try self.runtime($0, in: catalog) }
            } else {
                runtimes = catalog.byName.values.sorted { $0.id < $1.id }
            }
            var estimate = 0
            if containers == nil {
                estimate = try txn.entryCount(self.dbs.docs)
            } else {
                for runtime in runtimes {
                    try self.scan(txn, self.dbs.docs, prefix: runtime.keyPrefix, after: nil) { _, _ in
                        estimate += 1
                        return true
                    }
                }
            }
            try header(ExportSnapshot(containers: runtimes.map(\.properties), estimatedItemCount: estimate,
                                      transactionID: txn.id))
            var exported = 0
            for runtime in runtimes {
                try self.scan(txn, self.dbs.docs, prefix: runtime.keyPrefix, after: nil) { _, value in
                    let record = try DocumentRecord.decodeFixed(value)
                    if self.isExpired(runtime, timestamp: record.timestamp, itemTTL: record.itemTTL, now: now) {
                        return true
                    }
                    try item(runtime.id, UnsafeRawBufferPointer(rebasing: value[record.bodyOffset...]))
                    exported += 1
                    return true
                }
            }
            return exported
        }
    }
}
