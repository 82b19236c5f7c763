// SPDX-License-Identifier: Apache-2.0

/// A bounded stack of reset read-only transactions (`mdb_txn_reset`), ready for `mdb_txn_renew`.
///
/// With `MDB_NOTLS` each pooled transaction keeps its reader lock table slot, so reusing them saves both the
/// allocation and the slot setup. Pushing onto a full pool aborts the transaction instead, freeing its slot.
// @unchecked Sendable: `handles` is only read or written while `lock` is held; the handles themselves are reset
// transactions that nobody uses until they are popped.
final class ReadTransactionPool: @unchecked Sendable {
    /// The most reset transactions kept; extras are aborted.
    static let capacity = 64

    private let lock = PlatformLock()
    private var handles: [OpaquePointer] = []

    init() {
        handles.reserveCapacity(Self.capacity)
    }

    deinit {
        drain()
    }

    /// The number of pooled transactions.
    var count: Int {
        lock.withLock { handles.count }
    }

    /// Takes a reset transaction out of the pool, if there is one.
    func pop() -> OpaquePointer? {
        lock.withLock { handles.popLast() }
    }

    /// Returns a reset transaction to the pool, or aborts it when the pool is full.
    func push(_ handle: OpaquePointer) {
        let kept = lock.withLock {
            guard handles.count < Self.capacity else {
                return false
            }
            handles.append(handle)
            return true
        }
        if !kept {
            LMDBCalls.abort(handle)
        }
    }

    /// Aborts every pooled transaction, releasing their reader slots.
    func drain() {
        let drained = lock.withLock {
            let all = handles
            handles.removeAll(keepingCapacity: true)
            return all
        }
        for handle in drained {
            LMDBCalls.abort(handle)
        }
    }
}
