// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
//
// Cosmolite: an embedded document store with Azure Cosmos DB semantics on LMDB.
//
// Layers (no cycles, no skipping):
//   CLMDB -> CosmoliteLMDB -----------------------------\
//   COpenSSL -> CosmoliteCrypto --------------------------> CosmoliteStorage -> CosmoliteQuery -> CosmoliteDomain
//   CosmoliteJSON -> CosmoliteSQL -> CosmoliteEvaluation -/                     -> CosmoliteCLI -> cosmolite
// CosmoliteEvaluation (the expression evaluator and built-in functions) sits below the storage layer because writes
// evaluate computed properties to index them.
// Only CosmoliteLMDB imports CLMDB; only CosmoliteCrypto imports COpenSSL.

import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Cosmolite",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CosmoliteStorage", targets: ["CosmoliteStorage"]),
        .library(name: "CosmoliteJSON", targets: ["CosmoliteJSON"]),
        .library(name: "CosmoliteQuery", targets: ["CosmoliteQuery"]),
        .library(name: "CosmoliteDomain", targets: ["CosmoliteDomain"]),
        .executable(name: "cosmolite", targets: ["cosmolite"]),
        .executable(name: "cosmolite-w1", targets: ["CosmoliteW1"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - C libraries (system packages)
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // MARK: - Libraries
        .target(name: "CosmoliteJSON", swiftSettings: upcoming),
        .target(name: "CosmoliteLMDB", dependencies: ["CLMDB"], swiftSettings: upcoming),
        .target(name: "CosmoliteCrypto", dependencies: ["COpenSSL"], swiftSettings: upcoming),
        .target(name: "CosmoliteSQL", dependencies: ["CosmoliteJSON"], swiftSettings: upcoming),
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
        .target(
            name: "CosmoliteDomain",
            dependencies: ["CosmoliteStorage", "CosmoliteQuery", "CosmoliteEvaluation", "CosmoliteCrypto", "CosmoliteJSON"],
            swiftSettings: upcoming
        ),
        .target(
            name: "CosmoliteCLI",
            dependencies: [
                "CosmoliteStorage", "CosmoliteQuery", "CosmoliteDomain", "CosmoliteJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "CosmoliteTestSupport",
            dependencies: ["CosmoliteStorage", "CosmoliteJSON"],
            swiftSettings: upcoming
        ),

        // MARK: - Executables
        .executableTarget(name: "cosmolite", dependencies: ["CosmoliteCLI"], swiftSettings: upcoming),
        .executableTarget(
            name: "CosmoliteW1",
            dependencies: ["CosmoliteStorage", "CosmoliteQuery", "CosmoliteJSON"],
            swiftSettings: upcoming
        ),

        // MARK: - Tests
        .testTarget(name: "CosmoliteJSONTests", dependencies: ["CosmoliteJSON", "CosmoliteTestSupport"],
                    swiftSettings: upcoming),
        .testTarget(name: "CosmoliteLMDBTests", dependencies: ["CosmoliteLMDB"], swiftSettings: upcoming),
        .testTarget(name: "CosmoliteCryptoTests", dependencies: ["CosmoliteCrypto"], swiftSettings: upcoming),
        .testTarget(name: "CosmoliteSQLTests", dependencies: ["CosmoliteSQL", "CosmoliteJSON", "CosmoliteTestSupport"],
                    swiftSettings: upcoming),
        .testTarget(
            name: "CosmoliteQueryTests",
            dependencies: ["CosmoliteQuery", "CosmoliteEvaluation", "CosmoliteStorage", "CosmoliteJSON",
                           "CosmoliteTestSupport"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "CosmoliteStorageTests",
            dependencies: ["CosmoliteStorage", "CosmoliteJSON", "CosmoliteLMDB", "CosmoliteTestSupport"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "CosmoliteDomainTests",
            dependencies: ["CosmoliteDomain", "CosmoliteStorage", "CosmoliteQuery", "CosmoliteCrypto", "CosmoliteJSON",
                           "CosmoliteTestSupport"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "CosmoliteCLITests",
            dependencies: ["CosmoliteCLI", "CosmoliteStorage", "CosmoliteJSON", "CosmoliteTestSupport"],
            swiftSettings: upcoming
        ),
    ]
)
