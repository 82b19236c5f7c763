// SPDX-License-Identifier: Apache-2.0

public import ArgumentParser

/// The `cosmolite` command line.
public struct Cosmolite: AsyncParsableCommand {
    /// Creates the command.
    public init() {}

    /// Parses the process arguments and runs the command (the executable's entry point).
    public static func run() async {
        await main()
    }
}
