// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

extension Cosmolite {
    /// `cosmolite restore PATH [--force]`: put a backup in place as the store.
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup in place as the store (--store), refusing a store in use.",
            discussion: """
                The backup is copied next to the store, opened (which checks its format version) and checked \
                with 'verify' (unless --skip-verify); only then is it renamed over the store's data file, so a \
                failed restore leaves the store as it was.

                A store that is open in any process (a server, a writer, another command) is never replaced: \
                every process that has an LMDB store open holds a shared lock on its lock.mdb, and restore \
                swaps the file only while holding that lock exclusively (a process that opens the store during \
                the swap waits for it). An existing store is replaced only with --force.

                Examples:
                  cosmolite --store ./restored restore /backups/nightly
                  cosmolite --store /srv/cosmolite restore /backups/nightly --force
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: ArgumentHelp("The backup directory (or its data.mdb).", valueName: "path"),
                  completion: .directory)
        var path: String

        @Flag(help: "Replace the store at --store if there is one (it must not be in use).")
        var force = false

        @Flag(name: .customLong("skip-verify"), help: "Do not run the consistency checker on the backup first.")
        var skipVerify = false

        func run() throws {
            let result = try Store.restore(from: path, to: global.storePath, replacing: force, verify: !skipVerify)
            let output = global.output
            if output.isJSON {
                output.printJSON(.object(JSONObject([
                    ("path", .string(result.path)), ("backup", .string(path)),
                    ("bytes", .number(Double(result.bytes))), ("replaced", .bool(result.replacedExisting)),
                    ("verified", .bool(result.verified)), ("containers", .number(Double(result.containers))),
                ])))
            } else {
                output.printLine("restored '\(path)' into '\(result.path)' (\(result.containers) container"
                    + "\(result.containers == 1 ? "" : "s"), \(Units.bytes(result.bytes))"
                    + "\(result.verified ? ", verified" : ", not verified")"
                    + "\(result.replacedExisting ? ", replacing the store that was there" : ""))")
            }
        }
    }
}
