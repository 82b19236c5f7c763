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
    /// `lock.mdb` (see ``LockFileLock``); locks of this process never stand in its own way. The answer can change at
    /// once: another process may open the environment right after this returns.
    ///
    /// It asks through a descriptor of `lock.mdb` the environment keeps open for its whole life (closing a
    /// descriptor of the file would drop LMDB's own locks of this process).
    public func otherProcessUsingIt() -> Int32? {
        guard lockProbe >= 0 else { return nil }
        return LockFileLock.holder(of: lockProbe)?.processID
    }

    /// Opens the descriptor ``otherProcessUsingIt()`` asks through (-1 when `lock.mdb` cannot be opened: then the
    /// answer is always `nil`).
    static func openLockProbe(directory: String) -> Int32 {
        openReadOnly(directory + "/lock.mdb")
    }
}

/// LMDB's record lock on the first byte of an environment's `lock.mdb`: every process that has the environment open
/// holds it shared; the first one to open it holds it exclusively for a moment while it initializes the file.
package enum LockFileLock {
    /// Takes the lock exclusively without waiting (`fcntl(F_SETLK)`): `nil` on success, else the `errno` (`EAGAIN`
    /// or `EACCES` when another process holds it). Closing any descriptor of the file releases it.
    package static func lockExclusively(_ descriptor: Int32) -> Int32? {
        var lock = request(F_WRLCK)
        return fcntl(descriptor, F_SETLK, &lock) == 0 ? nil : errno
    }

    /// A request of `type` (`F_RDLCK`, `F_WRLCK`, `F_UNLCK`) for that byte.
    private static func request(_ type: Int32) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 1
        return lock
    }

    /// The process whose lock stands in the way of an exclusive lock by this process, and whether its lock is
    /// exclusive; `nil` when none does (or the query fails). `fcntl(F_GETLK)` on a descriptor of `lock.mdb`.
    package static func holder(of descriptor: Int32) -> (processID: Int32, exclusive: Bool)? {
        var query = request(F_WRLCK)
        guard fcntl(descriptor, F_GETLK, &query) == 0, Int32(query.l_type) != Int32(F_UNLCK) else { return nil }
        return (query.l_pid, Int32(query.l_type) == Int32(F_WRLCK))
    }
}

/// `open(2)` read-only (a free function: inside `Environment`, `open` names the type's own static method).
private func openReadOnly(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
