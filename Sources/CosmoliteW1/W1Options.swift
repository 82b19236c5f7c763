// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage

/// A failure of the runner itself (bad arguments, bad inputs, an unexpected engine answer).
struct W1Error: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Command line of `cosmolite-w1` (W1.md §8), parsed by hand:
///
///     cosmolite-w1 --data w1.jsonl --ops w1-ops.jsonl --dir STORE_DIR --label LABEL
///                  [--durability durable|relaxed] [--only op,op,...] [--reuse-store [--repeat N]]
struct W1Options {
    static let usage = """
        usage: cosmolite-w1 --data w1.jsonl --ops w1-ops.jsonl --dir STORE_DIR [--label LABEL]
                            [--durability durable|relaxed] [--only op,op,...] [--reuse-store [--repeat N]]
                            [--reindex-step N] [--reindex-ttl]
        ops: parse, load-single, load, read, tenant-page, paginate, filtered-page, cross-partition, update,
             unique-violation, delete
        --reuse-store: run the read and query ops (op2-op6) and unique-violation (op8, which writes nothing)
             on the store an earlier run with `load` left in STORE_DIR, without loading again; for quick A/B
             comparisons, not a W1 run; --repeat N runs them N times in one process (the first round warms the
             mapping of the store's pages)
        --only reindex (with --reuse-store; not a W1 op): toggles an indexing-policy change on the loaded store
             and completes the index transformation in steps of --reindex-step items (default 250; 0 = one
             step) while a second thread replaces op7's documents one per transaction; it changes the store, so
             run it on a copy; with --reindex-ttl it toggles a defaultTtl of 30 days instead (every item gains or
             loses its ttl row; no index changes)
        """

    var data = ""
    var ops = ""
    var dir = ""
    var label = "cosmolite"
    var durability = StoreConfiguration.Durability.durable
    /// `nil`: every op.
    var only: Set<String>?
    /// Run op2-op6 on the store already in `dir` instead of loading a fresh one.
    var reuseStore = false
    /// With `reuseStore`: how many times to run the chosen ops.
    var repeatCount = 1
    /// Items per index-transformation step for `reindex` (0: one step).
    var reindexStep = 250
    /// Whether `reindex` toggles the container's `defaultTtl` rather than its indexing policy.
    var reindexTTL = false

    /// Parses the arguments (without the program name).
    init(arguments: [String]) throws {
        var i = 0
        func value(_ flag: String) throws -> String {
            guard i + 1 < arguments.count else { throw W1Error("\(flag) needs a value\n\(Self.usage)") }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let flag = arguments[i]
            switch flag {
            case "--data": data = try value(flag)
            case "--ops": ops = try value(flag)
            case "--dir": dir = try value(flag)
            case "--label": label = try value(flag)
            case "--durability":
                switch try value(flag) {
                case "durable": durability = .durable
                case "relaxed": durability = .relaxed
                case let other: throw W1Error("--durability must be durable or relaxed, not '\(other)'")
                }
            case "--only":
                only = Set(try value(flag).split(separator: ",").map(String.init))
            case "--reuse-store":
                reuseStore = true
            case "--repeat":
                guard let n = Int(try value(flag)), n >= 1 else { throw W1Error("--repeat takes a count of at least 1") }
                repeatCount = n
            case "--reindex-step":
                guard let n = Int(try value(flag)), n >= 0 else { throw W1Error("--reindex-step takes a count (0: one step)") }
                reindexStep = n
            case "--reindex-ttl":
                reindexTTL = true
            case "-h", "--help":
                throw W1Error(Self.usage)
            default:
                throw W1Error("unknown argument '\(flag)'\n\(Self.usage)")
            }
            i += 1
        }
        guard !data.isEmpty, !ops.isEmpty, !dir.isEmpty else {
            throw W1Error("--data, --ops and --dir are required\n\(Self.usage)")
        }
        guard repeatCount == 1 || reuseStore else { throw W1Error("--repeat works only with --reuse-store") }
    }

    /// Whether `op` is to be run (`--only`, as the reference peers read it).
    func wants(_ op: String) -> Bool { only?.contains(op) ?? true }

    var durabilityName: String { durability == .durable ? "durable" : "relaxed" }
}
