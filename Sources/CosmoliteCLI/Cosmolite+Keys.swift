// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain
import CosmoliteJSON
import Foundation

extension Cosmolite {
    /// `cosmolite keys rotate|generate`: credential-encryption keys.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate credential-encryption keys and re-encrypt credentials with the newest one.",
            discussion: """
                Keys come from --key-file, else $COSMOLITE_ENCRYPTION_KEY_FILE, else $COSMOLITE_ENCRYPTION_KEY: \
                one ID:BASE64 (32 bytes) per line or comma, newest first. The newest encrypts; every key listed \
                decrypts. To rotate: generate a key, put its line first, run 'cosmolite keys rotate', then remove \
                the old key once nothing reports it.
                """,
            subcommands: [Rotate.self, Generate.self]
        )
    }
}

extension Cosmolite.Keys {
    /// `cosmolite keys rotate`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every connection's credentials that is not under the newest key.",
            discussion: """
                Each connection is re-encrypted in its own write, so the command can run while the store is in \
                use and can be run again after an interruption. Connections that cannot be decrypted (their key \
                is not configured) are listed on standard error and make the exit status 1.
                """)

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }
        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("page-size"), parsing: .unconditional,
                help: ArgumentHelp("Connections read per page (default 200).", valueName: "n"))
        var pageSize = 200

        func run() async throws {
            try await DomainCommand.run {
                let ring = try keys.keyRing()
                let report = try await DomainCommand.platform(global, keyRing: ring).connections
                    .rotateKeys(pageSize: pageSize)
                if global.output.isJSON {
                    global.output.printJSON(.object(JSONObject([
                        ("key", .string(ring.current.id)), ("examined", .number(Double(report.examined))),
                        ("rotated", .number(Double(report.rotated))), ("current", .number(Double(report.current))),
                        ("failed", .number(Double(report.failures.count))),
                    ])))
                } else {
                    global.output.printLine("key \(ring.current.id): \(report.rotated) connection(s) re-encrypted, "
                                                + "\(report.current) already current, \(report.failures.count) failed "
                                                + "(\(report.examined) examined)")
                }
                if !report.failures.isEmpty {
                    // One error line in the tool's form first, then a line per connection.
                    StandardStreams.writeErrorLine(
                        "error: 400 Bad Request: \(report.failures.count) connection(s) could not be re-encrypted "
                            + "with the configured keys (listed below); put the keys they name in the key ring and "
                            + "run 'cosmolite keys rotate' again")
                }
                for failure in report.failures {
                    StandardStreams.writeErrorLine("  connection \(failure.connectionId) of integration "
                                                       + "\(failure.integrationId) (tenant \(failure.tenantId)): "
                                                       + failure.reason)
                }
                if !report.failures.isEmpty { throw ExitCode.failure }
            }
        }
    }

    /// `cosmolite keys generate [--id ID]`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random key line ID:BASE64 for the key file or $COSMOLITE_ENCRYPTION_KEY.")

        @Option(help: ArgumentHelp("The key id (default: k + the current UTC date and time).", valueName: "id"))
        var id: String?

        func run() throws {
            let stamp = Timestamp.string(from: Date()).filter(\.isNumber).prefix(14)
            do {
                StandardStreams.writeOutput(try KeyRing.generateLine(id: id ?? "k\(stamp)") + "\n")
            } catch let error as DomainError {
                StandardStreams.writeErrorLine("error: \(error.description)")
                throw ExitCode.failure
            }
        }
    }
}
