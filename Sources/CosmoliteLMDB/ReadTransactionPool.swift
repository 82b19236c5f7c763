// SPDX-License-Identifier: Apache-2.0

/// A bounded stack of reset read-only transactions (`mdb_txn_reset`), ready for `mdb_txn_renew`.
///
/// With `MDB_NOTLS` each pooled transaction keeps its reader lock table slot, so reusing them saves both the
/// allocation and the slot setup. Pushing onto a full pool aborts the transaction instead, freeing its slot.
// @unchecked Sendable: `slots` and `stored` are only read or written while `lock` is held; the handles themselves are
// reset transactions that nobody uses until they are popped. A fixed buffer rather than an array: every read
// pushes and pops once, and an array would add a uniqueness check and an exclusivity check to each.
final class ReadTransactionPool: @unchecked Sendable {
    /// The most reset transactions kept; extras are aborted.
    static let capacity = 64

    private let lock = PlatformLock()
    private let slots = UnsafeMutablePointer<OpaquePointer>.allocate(capacity: ReadTransactionPool.capacity)
    private let stored = UnsafeMutablePointer<Int>.allocate(capacity: 1)

    init() {
        stored.initialize(to: 0)
    }

    deinit {
        drain()
        slots.deallocate()
        stored.deallocate()
    }

    /// The number of pooled transactions.
    var count: Int {
        lock.withLock { stored.pointee }
    }

    /// Takes a reset transaction out of the pool, if there is one.
    func pop() -> OpaquePointer? {
        lock.withLock {
            guard stored.pointee > 0 else { return nil }
            stored.pointee -= 1
            return slots[stored.pointee]
        }
    }

    /// Returns a reset transaction to the pool, or aborts it when the pool is full.
    func push(_ handle: OpaquePointer) {
        let kept = lock.withLock {
            guard stored.pointee < Self.capacity else { return false }
            slots[stored.pointee] = handle
            stored.pointee += 1
            return true
        }
        if !kept {
            LMDBCalls.abort(handle)
        }
    }

    /// Aborts every pooled transaction, releasing their reader slots.
    func drain() {
        let drained = lock.withLock {
            let all = Array(UnsafeBufferPointer(start: slots, count: stored.pointee))
            stored.pointee = 0
            return all
        }
        for handle in drained {
            LMDBCalls.abort(handle)
        }
    }
}
