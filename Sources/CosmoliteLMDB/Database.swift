// SPDX-License-Identifier: Apache-2.0

/// A named database (an LMDB DBI) of one `Environment`, obtained with `Environment.database(_:)`.
///
/// Database handles are opened once, when the environment is opened, and never closed. A handle may be passed
/// freely between threads, but only to transactions of the environment that created it: using it with another
/// environment (even one reopened at the same path) is a programming error and stops the process.
public struct Database: Sendable, Hashable {
    /// The database's name, as listed in `Environment.Configuration.databases`.
    public let name: String
    /// The LMDB handle (`MDB_dbi`).
    let dbi: UInt32
    /// The `Environment.id` of the environment that opened the handle.
    let environmentID: UInt64
}
