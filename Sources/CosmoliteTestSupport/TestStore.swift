// SPDX-License-Identifier: Apache-2.0

public import CosmoliteStorage
import Foundation
import Synchronization

/// A clock tests move by hand, so TTL behaviour is tested without sleeping.
public final class ManualClock: Sendable {
    private let seconds: Mutex<Double>

    /// Starts at `start` seconds since the Unix epoch.
    public init(start: Double = 1_700_000_000) { seconds = Mutex(start) }

    /// The current time.
    public var now: Double { seconds.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by delta: Double) { seconds.withLock { $0 += delta } }

    /// The clock as a ``StoreConfiguration/clock``.
    public var function: @Sendable () -> Double { { self.now } }
}

/// A fresh store in its own temporary directory, in strict mode (the consistency checker runs after every
/// commit), removed when released.
public final class TestStore: Sendable {
    /// The store.
    public let store: Store
    /// Its directory.
    public let directory: String
    /// Its clock.
    public let clock: ManualClock

    /// Creates a store in a new temporary directory. Index transformations advance only when the test drives them,
    /// unless `indexesInBackground`.
    public init(strict: Bool = true, durability: StoreConfiguration.Durability = .relaxed,
                initialMapSize: Int? = nil, indexesInBackground: Bool = false) throws {
        directory = Self.makeTemporaryDirectory()
        clock = ManualClock()
        var configuration = Self.configuration(strict: strict, durability: durability,
                                               indexesInBackground: indexesInBackground)
        configuration.clock = clock.function
        if let initialMapSize { configuration.initialMapSize = initialMapSize }
        store = try Store.open(at: directory, configuration: configuration)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The configuration of test stores: strict as asked, no TTL sweeper, and (unless `indexesInBackground`) no
    /// background task: tests drive index transformations and container deletions themselves, so that what a query
    /// sees after a replace does not depend on a background task's timing.
    public static func configuration(strict: Bool = true, durability: StoreConfiguration.Durability = .relaxed,
                                     indexesInBackground: Bool = false) -> StoreConfiguration {
        var configuration = StoreConfiguration()
        configuration.strictMode = strict
        configuration.durability = durability
        configuration.ttlSweepInterval = nil
        configuration.indexesInBackground = indexesInBackground
        return configuration
    }

    /// A new empty temporary directory.
    public static func makeTemporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "cosmolite-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
