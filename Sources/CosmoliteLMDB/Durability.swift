// SPDX-License-Identifier: Apache-2.0

/// How much a committed write transaction survives.
public enum Durability: Sendable, Hashable {
    /// LMDB's default: every commit is flushed to disk (fsync) before `Environment.write(_:)` returns, so a write
    /// that returned survives `kill -9`, an operating-system crash and power loss.
    case durable

    /// `MDB_NOSYNC`: commits are not flushed. A write that returned survives a crash of this process (the data is in
    /// the operating system's page cache), but an operating-system crash or power loss may lose the most recent
    /// commits (the database stays consistent; it just goes back in time). Call `Environment.sync(force:)` to flush.
    case relaxed
}
