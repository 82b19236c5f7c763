// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteStorage
import Foundation

/// How a command prints its results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// One JSON document (pretty-printed); paged listings print one compact JSON object per page and line.
    case json
    /// Compact JSON, one document per line.
    case jsonl
    /// Aligned, human-readable tables.
    case table
}

/// The durability of the commits a command makes.
enum DurabilityOption: String, ExpressibleByArgument, CaseIterable {
    /// Every commit is on stable storage before it is acknowledged.
    case durable
    /// Commits are not synced: they survive the process being killed, not a power loss.
    case relaxed

    /// The engine's setting.
    var storeDurability: StoreConfiguration.Durability {
        switch self {
        case .durable: .durable
        case .relaxed: .relaxed
        }
    }
}

/// Options every command takes: where the store is, how to print, how durable writes are.
struct GlobalOptions: ParsableArguments {
    /// The environment variable that names the store when `--store` is not given.
    static let storeEnvironmentVariable = "COSMOLITE_STORE"
    /// The store used when neither `--store` nor `COSMOLITE_STORE` is given.
    static let defaultStorePath = "./cosmolite-store"

    @Option(help: ArgumentHelp(
        "The store directory (default: $COSMOLITE_STORE, else ./cosmolite-store).", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp(
        "Output format (default: table on a terminal, json otherwise).", valueName: "format"))
    var format: OutputFormat?

    @Option(help: ArgumentHelp(
        "Commit durability (default: durable, every write synced to disk before it is acknowledged; relaxed: "
            + "not synced, survives a killed process but not a power loss).", valueName: "mode"))
    var durability: DurabilityOption?

    /// These options, with those given before the subcommand name (to the root command) filling the gaps.
    func inheriting(_ parent: GlobalOptions) -> GlobalOptions {
        var merged = self
        merged.store = store ?? parent.store
        merged.format = format ?? parent.format
        merged.durability = durability ?? parent.durability
        return merged
    }

    /// The store directory: `--store`, else `$COSMOLITE_STORE`, else `./cosmolite-store`.
    var storePath: String {
        if let store { return store }
        if let fromEnvironment = ProcessInfo.processInfo.environment[Self.storeEnvironmentVariable],
           !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Self.defaultStorePath
    }

    /// The output format: `--format`, else `table` when standard output is a terminal and `json` otherwise.
    var outputFormat: OutputFormat {
        format ?? (StandardStreams.outputIsTerminal ? .table : .json)
    }

    /// Where results go, in the chosen format.
    var output: Output { Output(format: outputFormat) }

    /// Opens the store.
    ///
    /// Before the first open of the process, waits (up to `$COSMOLITE_LOCK_WAIT` seconds, default 5) while
    /// another process holds the store's lock exclusively (a restore in progress), instead of blocking forever.
    /// A writable open of a store of on-disk format 1 completes its upgrade before it returns (a note on standard
    /// error says so). Errors name the store's path.
    ///
    /// - Parameter readOnly: Open without write access; the store must already exist.
    /// - Throws: ``StoreError`` 503 when the store cannot be opened (missing, locked, newer format), 500 when its
    ///   file is damaged.
    func openStore(readOnly: Bool = false) throws -> Store {
        let path = storePath
        if readOnly {
            try Self.requireStore(at: path)
        }
        try StoreLockWait.waitForExclusiveLock(at: path)
        var configuration = StoreConfiguration()
        configuration.durability = (durability ?? .durable).storeDurability
        configuration.readOnly = readOnly
        // A command is short-lived: expired items are already invisible, and a background purge would only
        // add a writer to read-only commands.
        configuration.ttlSweepInterval = nil
        do {
            let store = try Store.open(at: path, configuration: configuration)
            // A command is short-lived: the upgrade of a format-1 store, which a writable open begins, is done here
            // once, rather than left to the background task of processes that exit before it ends.
            if !readOnly, try store.isUpgradingFormat() {
                StandardStreams.writeErrorLine("note: upgrading the store's indexes to on-disk format 2 "
                    + "(entries for arrays and objects, which ORDER BY returns after strings); this happens once")
                try store.finishIndexTransformations()
            } else if !readOnly, try store.formatVersion() < 2 {
                StandardStreams.writeErrorLine("note: the store is in on-disk format 1 and another process has it "
                    + "open, so it was not upgraded (ORDER BY leaves out arrays and objects until it is); the first "
                    + "writable command that has it alone upgrades it")
            }
            return store
        } catch let error as StoreError where !error.message.contains(path) {
            throw StoreError(error.code, "the store at '\(path)': \(error.message)", subStatus: error.subStatus,
                             cause: error.cause)
        }
    }

    /// Throws a clear 503 when there is no store at `path`.
    static func requireStore(at path: String) throws {
        var isDirectory: ObjCBool = false
        let reason: String
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            reason = "the directory does not exist"
        } else if !isDirectory.boolValue {
            reason = "it is a file, not a store directory"
        } else if !FileManager.default.fileExists(atPath: path + "/data.mdb") {
            reason = "the directory holds no data.mdb"
        } else {
            return
        }
        throw StoreError(.unavailable, "no store at '\(path)' (\(reason)); create one with 'cosmolite init', or "
            + "point --store (or $\(storeEnvironmentVariable)) at an existing store")
    }
}
