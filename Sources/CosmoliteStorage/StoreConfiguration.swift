// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a ``Store`` is opened.
///
/// ```swift
/// var configuration = StoreConfiguration()
/// configuration.durability = .durable       // the default: a returned write survives a crash
/// let store = try Store.open(at: "./cosmolite-store", configuration: configuration)
/// ```
public struct StoreConfiguration: Sendable {
    /// How commits reach the disk.
    public enum Durability: Sendable, Hashable {
        /// The default: every commit is on stable storage (fdatasync) before the write returns, so it survives
        /// `kill -9`, an OS crash and power loss.
        case durable
        /// Relaxed: commits are not synced (LMDB `MDB_NOSYNC`). A write that returned survives the process being
        /// killed, but an OS crash or power loss may lose recent commits. Use for bulk loads and tests.
        case relaxed
    }

    /// Durability of commits; ``Durability/durable`` by default.
    public var durability: Durability = .durable
    /// The initial LMDB map size in bytes. The map grows by itself as data is written.
    public var initialMapSize: Int = 256 << 20
    /// Run the consistency checker after every commit, over the containers the commit touched, and fail the
    /// write if it finds a problem. For tests; expensive on large containers.
    public var strictMode: Bool = false
    /// Open read-only (the store must exist).
    public var readOnly: Bool = false
    /// Seconds between background sweeps that remove expired items physically (`nil`: no background sweep;
    /// expired items are still invisible at once and are removed lazily when their keys are written).
    public var ttlSweepInterval: Double? = 60
    /// Drive index transformations (started by a replace that changes the indexing policy, the computed properties
    /// or the `defaultTtl`) and the removal of deleted containers' rows with a background task, one step of
    /// ``indexTransformationStepSize`` items (or 20 times as many rows) per transaction. When `false`, they advance
    /// only through ``Store/advanceIndexTransformations(limit:)``, ``Store/finishIndexTransformations(stepSize:)``,
    /// ``Store/advanceContainerDeletions(limit:)`` and ``Store/finishContainerDeletions(stepSize:)``; queries
    /// answer correctly meanwhile either way, but new indexes do not serve queries, items that expire under a new
    /// `defaultTtl` are not purged, and a deleted container's space is not freed, until then.
    public var indexesInBackground: Bool = true
    /// Items the background task re-indexes per transaction: a writer waits at most about one step.
    public var indexTransformationStepSize: Int = 250
    /// The clock, in seconds since the Unix epoch. Tests inject a manual clock to exercise TTL without sleeping.
    public var clock: @Sendable () -> Double = StoreConfiguration.systemClock

    /// Creates the default configuration.
    public init() {}

    /// The system's real-time clock.
    public static let systemClock: @Sendable () -> Double = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
