// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteStorage

/// Where `cosmolite changes` starts when no continuation is given.
enum ChangeFeedStartOption: String, ExpressibleByArgument, CaseIterable {
    /// Every live item, in commit order.
    case beginning
    /// Only changes committed from now on.
    case now
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
                continuation to resume from). Deletions are not reported.
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
            "Where to start without a continuation (default: beginning).", valueName: "start"))
        var from: ChangeFeedStartOption?

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
            let store = try global.openStore(readOnly: true)
            var start: ChangeFeedStart = switch from {
            case .now?: .now
            case .beginning?, nil: .beginning
            }
            if let continuation { start = .continuation(continuation) }
            var command = "cosmolite changes \(Output.shellQuoted(container))"
            if let maxItemCount { command += " --max-item-count \(maxItemCount)" }
            var printer = PagePrinter(output: global.output, nextPageCommand: command)
            var token: String
            repeat {
                let page = try store.readChanges(in: container, from: start, maxItemCount: maxItemCount)
                printer.page(page.items, continuation: page.continuation)
                token = page.continuation
                start = .continuation(token)
                if page.items.isEmpty { break }
            } while all
            printer.finish(continuation: token)
        }
    }
}
