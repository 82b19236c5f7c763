// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer harness for the CosmoliteSQL parser, kept out of the main build (see README.md).
//
// SwiftPM rejects target paths outside the package root, so Sources/CosmoliteJSON and
// Sources/CosmoliteSQL are symlinks to the main package's targets (../../Sources/...): the fuzzer
// always builds the repository's current parser.

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
        .executableTarget(name: "QueryParserFuzzer", dependencies: ["CosmoliteSQL"], swiftSettings: upcoming),
    ]
)
