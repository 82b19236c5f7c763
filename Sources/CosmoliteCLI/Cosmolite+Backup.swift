// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite backup PATH`: a hot, consistent, compacted copy of the store.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the live store into a new directory: a consistent hot backup.",
            discussion: """
                The copy reads one snapshot of the store (LMDB's copy under a read transaction), so it holds \
                exactly the writes committed before the backup began, while other processes go on reading and \
                writing. Free pages are left out (compaction), so the backup is often smaller than the store. \
                PATH must not exist (or be an empty directory); the backup is written under a temporary name \
                (.NAME.partial-PID-N beside PATH) and renamed when complete; what a killed backup left there is \
                removed by the next backup to PATH. The result is a store directory holding one data.mdb: open \
                it with --store PATH, or put it back with 'cosmolite restore PATH'.

                Examples:
                  cosmolite backup /backups/cosmolite-$(date +%F)
                  cosmolite --store /srv/cosmolite backup /backups/nightly
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: ArgumentHelp("The new backup directory.", valueName: "path"), completion: .directory)
        var path: String

        @Flag(name: .customLong("no-compact"), help: "Copy every page, free ones included (faster, larger).")
        var noCompact = false

        func run() throws {
            let store = try global.openStore(readOnly: true)
            let result = try store.backup(to: path, compact: !noCompact)
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("path", .string(result.path)), ("bytes", .number(Double(result.bytes))),
                    ("storeBytes", .number(Double(result.sourceBytes))),
                    ("transactionID", .number(Double(result.transactionID))),
                    ("compacted", .bool(!noCompact)),
                    ("seconds", .number(Double(Units.decimal(result.seconds, places: 3)) ?? result.seconds)),
                ])))
            } else {
                output.printLine("backed up '\(global.storePath)' to '\(result.path)': \(Units.bytes(result.bytes)) "
                    + "(the store uses \(Units.bytes(result.sourceBytes))) in \(Units.duration(result.seconds)); "
                    + "it holds every write committed up to transaction \(result.transactionID)")
            }
        }
    }
}
