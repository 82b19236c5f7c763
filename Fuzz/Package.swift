// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer harnesses for the CosmoliteSQL parser and for query execution, kept out of the main
// build (see README.md).
//
// SwiftPM rejects target paths outside the package root, so Sources/Cosmolite* and Sources/C* are
// symlinks to the main package's targets (../../Sources/...): the fuzzers always build the
// repository's current code.

import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "CosmoliteFuzz",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "CosmoliteJSON", swiftSettings: upcoming),
        .target(name: "CosmoliteSQL", dependencies: ["CosmoliteJSON"], swiftSettings: upcoming),
        .target(name: "FuzzDriver", swiftSettings: upcoming),
        .executableTarget(
            name: "QueryParserFuzzer", dependencies: ["CosmoliteSQL", "FuzzDriver"], swiftSettings: upcoming
        ),

        // The query-execution fuzzer needs the engine: LMDB and OpenSSL from the system, as in the main package.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "CosmoliteLMDB", dependencies: ["CLMDB"], swiftSettings: upcoming),
        .target(name: "CosmoliteCrypto", dependencies: ["COpenSSL"], swiftSettings: upcoming),
        .target(name: "CosmoliteEvaluation", dependencies: ["CosmoliteSQL", "CosmoliteJSON"], swiftSettings: upcoming),
        .target(
            name: "CosmoliteStorage",
            dependencies: ["CosmoliteJSON", "CosmoliteLMDB", "CosmoliteCrypto", "CosmoliteSQL", "CosmoliteEvaluation"],
            swiftSettings: upcoming
        ),
        .target(
            name: "CosmoliteQuery",
            dependencies: ["CosmoliteSQL", "CosmoliteEvaluation", "CosmoliteStorage", "CosmoliteJSON", "CosmoliteLMDB"],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "QueryExecutionFuzzer",
            dependencies: ["CosmoliteQuery", "CosmoliteStorage", "CosmoliteJSON", "CosmoliteSQL", "FuzzDriver"],
            swiftSettings: upcoming
        ),
    ]
)
