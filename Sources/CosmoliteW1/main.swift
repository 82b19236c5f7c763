// SPDX-License-Identifier: Apache-2.0
//
// cosmolite-w1: the W1 benchmark runner (/work/shared/bench/W1.md) for Cosmolite.
//
//   cosmolite-w1 --data w1.jsonl --ops w1-ops.jsonl --dir STORE_DIR --label LABEL
//                [--durability durable|relaxed] [--only op,op,...]
//
// Prints the JSON result lines of W1.md §5 on stdout; exits non-zero with a message on stderr on any unexpected
// error. See W1Workload.swift for what is timed and how.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

do {
    let options = try W1Options(arguments: Array(CommandLine.arguments.dropFirst()))
    let inputs = try W1Inputs(dataPath: options.data, opsPath: options.ops)
    try W1Workload(options: options, inputs: inputs).run()
} catch {
    fputsStderr("cosmolite-w1: \(error)\n")
    exit(1)
}
