// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteStorage
import Foundation

/// Where `cosmolite changes` starts when no continuation is given: `beginning`, `now`, or an ISO 8601 time.
struct ChangeFeedStartOption: ExpressibleByArgument {
    /// The start it stands for.
    let start: ChangeFeedStart

    init?(argument: String) {
        switch argument {
        case "beginning": start = .beginning
        case "now": start = .now
        default:
            guard let date = Self.date(argument) else { return nil }
            start = .time(date)
        }
    }

    /// `2026-11-23T10:00:00Z`, with fractional seconds or an offset (`+01:00`) if wanted.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: text)
    }
}

extension Cosmolite {
    /// `cosmolite changes CONTAINER`: the change feed.
    struct Changes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a container's change feed (latest version of each changed item), page by page.",
            discussion: """
                In JSON formats each page is one line: {"items":[...],"continuation":TOKEN}. The feed never \
                ends: keep the last continuation and pass it to --continuation to read what changed since. With \
                --all pages are read until one comes back empty (that last, empty page is printed too, with the \
                continuation to resume from). Deletions are not reported. Each item carries "_lsn", its write's \
                sequence number in the container. --pk reads one logical partition's changes; --from takes \
                "beginning", "now" or an ISO 8601 time (2026-11-23T10:00:00Z: the items changed at or after it).
                """
        )

        @OptionGroup var options: GlobalOptions
        @ParentCommand var root: Cosmolite
        var global: GlobalOptions { options.inheriting(root.global) }

        @Argument(help: "The container id.")
        var container: String

        @Option(help: ArgumentHelp("Resume after the page that returned this token.", valueName: "token"))
        var continuation: String?

        @Option(help: ArgumentHelp(
            "Where to start without a continuation: beginning (the default), now, or an ISO 8601 time such as "
                + "2026-11-23T10:00:00Z.", valueName: "start"))
        var from: ChangeFeedStartOption?

        @Option(help: ArgumentHelp("Only this logical partition's changes (its partition-key value as JSON), or those "
                                   + "of the partitions under the leading levels of a hierarchical key.",
                                   valueName: "json"))
        var pk: String?

        @Option(name: .customLong("max-item-count"), parsing: .unconditional, help: ArgumentHelp(
            "The most items per page (default 100; -1 for a dynamic page size).", valueName: "n"))
        var maxItemCount: Int?

        @Flag(help: "Read pages until one comes back empty.")
        var all = false

        func validate() throws {
            if continuation != nil && from != nil {
                throw ValidationError("give either --continuation or --from, not both")
            }
        }

        func run() throws {
            let partitionKey = try pk.map { try Input.partitionKey($0) }
            let store = try global.openStore(readOnly: true)
            var start = from?.start ?? .beginning
            if let continuation { start = .continuation(continuation) }
            var command = "cosmolite changes \(Output.shellQuoted(container))"
            if let pk { command += " --pk \(Output.shellQuoted(pk))" }
            if let maxItemCount { command += " --max-item-count \(maxItemCount)" }
            var printer = PagePrinter(output: global.output, nextPageCommand: command)
            var token: String
            repeat {
                let page = try store.readChanges(in: container, partitionKey: partitionKey, from: start,
                                                 maxItemCount: maxItemCount)
                printer.page(page.items, continuation: page.continuation)
                token = page.continuation
                start = .continuation(token)
                if page.items.isEmpty { break }
            } while all
            printer.finish(continuation: token)
        }
    }
}
