// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Environment {
    /// The process id of another process that has this environment open, or `nil` when this process is the only one.
    ///
    /// Every process with an LMDB environment open holds a shared POSIX record lock on the first byte of its
    /// `lock.mdb` (LMDB's own "am I the first opener" protocol). The kernel reports, for an exclusive lock this
    /// process might take there, the lock of another process that stands in its way; locks of this process never do.
    /// The answer can change at once: another process may open the environment right after this returns.
    ///
    /// The corresponding call is `fcntl(F_GETLK)` on a descriptor of `lock.mdb` the environment keeps open for its
    /// whole life (closing a descriptor of the file would drop LMDB's own locks of this process).
    public func otherProcessUsingIt() -> Int32? {
        guard lockProbe >= 0 else { return nil }
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        query.l_start = 0
        query.l_len = 1
        guard fcntl(lockProbe, F_GETLK, &query) == 0, Int32(query.l_type) != Int32(F_UNLCK) else { return nil }
        return query.l_pid
    }

    /// Opens the descriptor ``otherProcessUsingIt()`` asks through (-1 when `lock.mdb` cannot be opened: then the
    /// answer is always `nil`).
    static func openLockProbe(directory: String) -> Int32 {
        openReadOnly(directory + "/lock.mdb")
    }
}

/// `open(2)` read-only (a free function: inside `Environment`, `open` names the type's own static method).
private func openReadOnly(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
