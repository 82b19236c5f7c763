// SPDX-License-Identifier: Apache-2.0

/// The flags an environment was opened with, as reported by `mdb_env_get_flags`, for tests and diagnostics.
package struct EnvironmentFlags: Sendable, Hashable {
    /// `MDB_NOSYNC`: commits do not fsync (`Durability.relaxed`).
    package var noSync: Bool
    /// `MDB_NOTLS`: reader slots are tied to transaction objects rather than threads (always set).
    package var noTLS: Bool
    /// `MDB_WRITEMAP`: a writable memory map (never set).
    package var writeMap: Bool
    /// `MDB_RDONLY`: the environment is read-only.
    package var readOnly: Bool
}
