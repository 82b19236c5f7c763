// SPDX-License-Identifier: Apache-2.0
//
// In-place upgrade of a format-1 store to format 2.
//
// Format 2 differs from format 1 in one thing: an array or an object at an indexed property path has a range entry
// of its own in `pidx` and `gidx` (V = tag ‖ 00 ‖ digest, the form composite indexes already used), so an ORDER BY
// over the path returns those items after the strings, as Cosmos does. Format 1 wrote no such entries. Every other
// row is the same, so the upgrade adds those entries and nothing else.
//
// It is an online index transformation of each container, the machinery a policy change uses. A writable open that
// finds format 1 and no other process using the store (an older Cosmolite still running there would go on writing
// format-1 terms; see Environment.otherProcessUsingIt) does, in one write transaction,
//   1. completes any transformation already under way, with format-1 terms on both sides (the catalog of a format-1
//      store compiles them so), so that every item follows its container's own definition;
//   2. records for each container that maintains indexes and has items a transformation from its own definition to
//      itself marked `formatUpgrade` (IndexTransformation.swift): the items not yet visited have format-1 terms;
//   3. writes `meta/format` = 2 and moves the epoch.
// The background task then visits the items step by step, each step adding the missing entries (invariant 7 of
// KeyLayout.swift holds throughout). Until a container's upgrade completes, its queries behave as format 1 did:
// an ORDER BY over one path leaves out items whose value there is an array or an object
// (`ContainerRuntime.hasCompoundEntries`). Once the format is 2, Cosmolite versions that only know format 1 refuse
// the store, so no older writer can add items without the new entries.
//
// A process that opens a format-1 store and does not upgrade it (read-only, or not alone) works in format 1: its
// catalog compiles format-1 terms (`ContainerRecord.decode`), which it writes and expects, and so do the
// transformations it begins; the format is read again whenever the catalog is, so it follows an upgrade by another
// process.

import CosmoliteLMDB

extension Store {
    /// Upgrades a format-1 store in place, as the header of this file describes. Nothing happens when another
    /// process upgraded it meanwhile, or when another process has it open: an older Cosmolite still running there
    /// would go on writing format-1 terms (this process then works in format 1, which it writes correctly). That is
    /// checked again at the end of the upgrade's own write transaction, which then rolls back, so that only a process
    /// opening the store between that check and the commit goes unseen.
    func upgradeFormat() throws {
        do {
            try upgradeFormatUnlessShared()
        } catch is SharedStore {
            return
        }
    }

    /// Thrown inside the upgrade's transaction to roll it back: another process has the store open.
    private struct SharedStore: Error {}

    private func upgradeFormatUnlessShared() throws {
        try write { txn, catalog, state in
            guard try Self.readFormat(txn, dbs: self.dbs) < KeyLayout.formatVersion,
                  self.environment.otherProcessUsingIt() == nil else { return }
            let runtimes = catalog.byName.values.sorted { $0.cid < $1.cid }
            for runtime in runtimes where runtime.transformation != nil {
                while try !self.stepIndexTransformation(txn, &state, runtime, limit: .max).completed {}
            }
            for runtime in runtimes where runtime.policy.maintainsIndexes {
                var items: UInt64 = 0
                try self.scan(txn, self.dbs.docs, prefix: runtime.keyPrefix, after: nil) { _, _ in
                    items += 1
                    return true
                }
                guard items > 0 else { continue }
                let upgrade = IndexTransformation(
                    from: runtime.definition, to: runtime.definition,
                    startLSN: try state.currentLSN(runtime.cid, txn, dbs: self.dbs), total: items, upgradesFormat: true)
                try txn.put(self.dbs.meta, key: KeyLayout.MetaKey.transformation(runtime.cid), value: upgrade.record)
                state.touch(runtime.cid)
            }
            var version = [UInt8]()
            version.appendBigEndian(KeyLayout.formatVersion)
            try txn.put(self.dbs.meta, key: KeyLayout.MetaKey.format, value: version)
            _ = try self.bumpEpoch(txn)
            if self.environment.otherProcessUsingIt() != nil { throw SharedStore() }
        }
    }
}

extension Store {
    /// Whether the in-place upgrade of a format-1 store is under way: some container's items are still being given
    /// the index entries of their arrays and objects, and until they all have them, an `ORDER BY` over one path of
    /// that container leaves out items whose value there is an array or an object.
    ///
    /// The background task completes it (``StoreConfiguration/indexesInBackground``), as does
    /// ``finishIndexTransformations(stepSize:)``.
    public func isUpgradingFormat() throws -> Bool {
        try read { _, catalog in
            catalog.byName.values.contains { $0.transformation?.upgradesFormat == true }
        }
    }

    /// The store's on-disk format version: 2, or 1 for a store written by an earlier Cosmolite that has not been
    /// upgraded yet (opened read-only, or while another process had it open; see ``Store/open(at:configuration:)``).
    public func formatVersion() throws -> Int {
        try read { txn, _ in Int(try Self.readFormat(txn, dbs: self.dbs)) }
    }
}

extension Store {
    /// Turns this store into the format-1 store an earlier Cosmolite would have written: the same rows without the
    /// range entries of arrays and objects, and `meta/format` 1. For tests of the upgrade and of format-1 work; the
    /// next writable open that has the store alone upgrades it again.
    package func downgradeToFormat1() throws {
        try write { txn, catalog, _ in
            for runtime in catalog.byName.values {
                var keys = [[UInt8]]()
                try self.scan(txn, self.dbs.docs, prefix: runtime.keyPrefix, after: nil) { key, _ in
                    keys.append(Array(key))
                    return true
                }
                for key in keys {
                    guard let stored = try self.loadStored(txn, key: key) else { continue }
                    let locator = try key.withUnsafeBytes {
                        try Locator(bytes: UnsafeRawBufferPointer(rebasing: $0[4...]),
                                    components: runtime.partitionKeyPaths.count)
                    }
                    let rows = try self.storedRows(txn, runtime, locator: locator, record: stored.record,
                                                   document: stored.document).terms
                    var format1 = rows
                    // V's tag follows the 8-byte path hash: 0x08 array, 0x09 object.
                    format1.range.removeAll { $0.count > 8 && ($0[8] == 0x08 || $0[8] == 0x09) }
                    try self.updateIndexRows(txn, runtime.cid, locator: locator, old: rows, new: format1)
                }
            }
            try txn.put(self.dbs.meta, key: KeyLayout.MetaKey.format, value: [0, 0, 0, 1])
            _ = try self.bumpEpoch(txn)
        }
    }
}
