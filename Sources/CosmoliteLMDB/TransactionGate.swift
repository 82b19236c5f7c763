// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reader-writer lock that keeps the memory map stable while this process uses it.
///
/// Every active transaction (read or write) and every environment call that reads through the map holds the gate
/// shared; resizing the map (`mdb_env_set_mapsize`) holds it exclusive, because lmdb.h allows a resize only while
/// no transaction is active in the process. The lock prefers writers, so a steady stream of overlapping readers
/// cannot starve map growth.
///
/// The gate also remembers, per thread, whether the thread is inside a transaction of this environment: a nested
/// transaction would deadlock as soon as the map has to grow, so it is stopped with a clear message instead.
// @unchecked Sendable: the rwlock lives at a stable heap address and is only used through the pthread API; the
// thread-specific key holds per-thread state by construction.
final class TransactionGate: @unchecked Sendable {
    private let rwlock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    /// Marks the threads inside a transaction; `nil` (no detection) if the process ran out of keys.
    private let insideKey: pthread_key_t?

    init() {
        rwlock.initialize(to: pthread_rwlock_t())
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
        // glibc prefers readers by default, which could starve map growth forever under constant reads.
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        precondition(pthread_rwlock_init(rwlock, &attributes) == 0, "pthread_rwlock_init failed")
        pthread_rwlockattr_destroy(&attributes)
        var key = pthread_key_t()
        insideKey = pthread_key_create(&key, nil) == 0 ? key : nil
    }

    deinit {
        if let insideKey {
            pthread_key_delete(insideKey)
        }
        pthread_rwlock_destroy(rwlock)
        rwlock.deallocate()
    }

    /// Whether the calling thread currently holds the gate shared.
    var isHeldByCurrentThread: Bool {
        insideKey.map { pthread_getspecific($0) != nil } ?? false
    }

    /// Stops the process if the calling thread is inside a transaction of this environment.
    func preconditionOutsideTransaction(_ operation: @autoclosure () -> String) {
        precondition(
            !isHeldByCurrentThread,
            """
            \(operation()) was called inside a read or write transaction body of the same environment. Nested \
            transactions are not supported (they would deadlock when the map grows): use the Transaction you have.
            """
        )
    }

    /// Takes the gate shared (for a transaction or a call that reads through the map).
    func lockShared(for operation: @autoclosure () -> String) {
        preconditionOutsideTransaction(operation())
        let result = pthread_rwlock_rdlock(rwlock)
        precondition(result == 0, "pthread_rwlock_rdlock failed: \(result)")
        if let insideKey {
            pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
        }
    }

    func unlockShared() {
        if let insideKey {
            pthread_setspecific(insideKey, nil)
        }
        let result = pthread_rwlock_unlock(rwlock)
        precondition(result == 0, "pthread_rwlock_unlock failed: \(result)")
    }

    /// Takes the gate exclusive: no transaction of this process is active until `unlockExclusive()`.
    func lockExclusive() {
        preconditionOutsideTransaction("Resizing the map")
        let result = pthread_rwlock_wrlock(rwlock)
        precondition(result == 0, "pthread_rwlock_wrlock failed: \(result)")
    }

    func unlockExclusive() {
        let result = pthread_rwlock_unlock(rwlock)
        precondition(result == 0, "pthread_rwlock_unlock failed: \(result)")
    }
}
