// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits, before a command opens the store, while another process holds the store's LMDB lock exclusively.
///
/// LMDB itself would wait forever in that case (its open blocks on the lock). The holder is normally a
/// `cosmolite restore` swapping the data file (milliseconds) or a process initializing the lock file as it
/// opens the store; anything longer is reported as a locked store, naming the process.
enum StoreLockWait {
    /// The environment variable that sets how long to wait, in seconds (default 5).
    static let environmentVariable = "COSMOLITE_LOCK_WAIT"
    private static let probed = Atomic<Bool>(false)

    /// Waits while the store at `path` is locked exclusively; only the first call of the process probes.
    ///
    /// The probe must happen before this process opens the store: closing the probe's descriptor of
    /// `lock.mdb` would release this process's own LMDB lock (a POSIX rule).
    ///
    /// - Throws: ``StoreError`` 503 when the lock is still held after the wait.
    static func waitForExclusiveLock(at path: String) throws {
        guard !probed.exchange(true, ordering: .relaxed) else { return }
        let wait = ProcessInfo.processInfo.environment[environmentVariable].flatMap(Double.init) ?? 5
        let deadline = Units.now() + max(0, wait)
        while case .lockedExclusively(let pid) = Store.lockState(at: path) {
            if Units.now() >= deadline {
                throw StoreError(.unavailable,
                    "the store at '\(path)' is locked by process \(pid) (a restore in progress, or another program "
                        + "holding it exclusively); retry when it is done (waited \(Units.decimal(wait, places: 1)) "
                        + "s; $\(environmentVariable) sets how long)")
            }
            usleep(20_000)
        }
    }
}
