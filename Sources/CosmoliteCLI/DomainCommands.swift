// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteDomain
import CosmoliteJSON
import CosmoliteStorage
import Foundation

// Shared plumbing of the integration commands (providers, integrations, connections, sync, keys): the tenant
// scope options, paging options, opening the platform, printing listings, and reporting domain errors with the
// same `error: STATUS REASON: message` contract as the engine's commands.

/// `--tenant T [--user U]`.
struct ScopeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The tenant the command acts for.", valueName: "tenant"))
    var tenant: String

    @Option(help: ArgumentHelp("The user the command acts for, if any (user-scoped connections belong to their user).",
                               valueName: "user"))
    var user: String?

    /// The scope.
    var scope: Scope { Scope(tenant: TenantID(tenant), user: user.map { UserID($0) }) }

    /// `--tenant T [--user U]` for the next-page hint.
    var arguments: String {
        "--tenant \(Output.shellQuoted(tenant))" + (user.map { " --user \(Output.shellQuoted($0))" } ?? "")
    }
}

/// `--page-size N --continuation TOKEN --all`.
struct PageOptions: ParsableArguments {
    @Option(name: .customLong("page-size"), parsing: .unconditional,
            help: ArgumentHelp("The most items per page (1 to 1000; default 100).", valueName: "n"))
    var pageSize: Int?

    @Option(help: ArgumentHelp("Resume after the page that returned this token.", valueName: "token"))
    var continuation: String?

    @Flag(help: "Follow the continuation tokens and print every page.")
    var all = false

    /// The options to repeat in the next-page hint.
    var arguments: String { pageSize.map { " --page-size \($0)" } ?? "" }

    /// Fetches pages (one, or all with `--all`) and prints them.
    func run<Element: Encodable & Sendable>(_ printer: inout ListingPrinter<Element>,
                                            _ fetch: (String?) async throws -> Page<Element>) async throws {
        var token = continuation
        repeat {
            let page = try await fetch(token)
            try printer.page(page)
            token = page.continuation
        } while all && token != nil
        printer.finish(continuation: token)
    }
}

/// `--key-file PATH`.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: ArgumentHelp(
        "A file of credential-encryption keys, one ID:BASE64 per line, newest first (default: "
            + "$COSMOLITE_ENCRYPTION_KEY_FILE, else the keys in $COSMOLITE_ENCRYPTION_KEY).", valueName: "path"))
    var keyFile: String?

    /// The configured key ring.
    func keyRing() throws -> KeyRing { try KeyRing.fromEnvironment(keyFile: keyFile) }
}

/// Running a domain command: opening the platform and reporting its errors.
enum DomainCommand {
    /// Opens the store and builds the services (no credential key unless given).
    static func platform(_ global: GlobalOptions, readOnly: Bool = false, keyRing: KeyRing? = nil) throws
        -> IntegrationPlatform {
        IntegrationPlatform(store: try global.openStore(readOnly: readOnly), keyRing: keyRing)
    }

    /// Runs `body`, printing a ``DomainError`` as `error: STATUS REASON: message` on standard error and exiting
    /// with status 1 (engine and input errors are reported by ``Cosmolite/run()``).
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as DomainError {
            StandardStreams.writeErrorLine("error: \(error.description)")
            throw ExitCode.failure
        }
    }

    /// Prints one model: its JSON in JSON formats, `field  value` lines in the table format.
    static func printModel<T: Encodable>(_ value: T, output: Output) throws {
        let bytes = try DomainJSON.encode(value, pretty: output.format != .jsonl)
        if output.isJSON {
            StandardStreams.writeOutput(bytes + [UInt8(ascii: "\n")])
            return
        }
        guard case .object(let object) = try JSONReader.parse(bytes) else { return }
        var table = Table(headers: ["field", "value"])
        for (key, value) in object { table.rows.append([key, cell(value)]) }
        output.printTable(table)
    }

    /// A JSON value as a table cell.
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: "-"
        case .string(let s)?: s
        case .bool(let b)?: b ? "yes" : "no"
        case let other?: String(decoding: JSONWriter.serialize(other), as: UTF8.self)
        }
    }

    /// Parses a timestamp option.
    static func date(_ text: String?, option: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = Timestamp.date(from: text) else {
            throw CLIError.badRequest(
                "\(option) must be an ISO 8601 timestamp such as 2026-03-01T12:00:00Z, got '\(text)'")
        }
        return date
    }
}

/// Prints the pages of a domain listing: one JSON line per page (`{"items":[...],"continuation":...}`) in JSON
/// formats, or one table with the next page's command in the table format.
struct ListingPrinter<Element: Encodable & Sendable> {
    let output: Output
    let row: (Element) -> [String]
    private var pager: TablePager

    init(output: Output, headers: [String], nextPageCommand: String, row: @escaping (Element) -> [String]) {
        self.output = output
        self.row = row
        self.pager = TablePager(output: output, headers: headers, nextPageCommand: nextPageCommand)
    }

    mutating func page(_ page: Page<Element>) throws {
        if output.isJSON {
            StandardStreams.writeOutput(Output.pageLine(documents: try page.items.map { try DomainJSON.encode($0) },
                                                        continuation: page.continuation))
        } else {
            pager.page(page.items.map(row))
        }
    }

    func finish(continuation: String?) { pager.finish(continuation: continuation) }
}

extension Date {
    /// The stored timestamp form.
    var timestamp: String { Timestamp.string(from: self) }
}
