// SPDX-License-Identifier: Apache-2.0

/// A mutual-exclusion lock that serves threads in the order they asked (first come, first served).
///
/// The writer lock: a thread that writes in a loop (an index transformation's steps, a bulk import) would
/// otherwise take a plain mutex again before a woken waiter runs, and starve the other writers of the process.
/// With tickets, a writer waits for at most the write transactions queued before it.
// @unchecked Sendable: `next` and `serving` are only read and written with `turns` held.
package final class TicketLock: @unchecked Sendable {
    private let turns = PlatformLock()
    /// The next ticket to hand out, and the ticket being served; guarded by `turns`.
    private var next: UInt64 = 0
    private var serving: UInt64 = 0

    /// Creates an unlocked lock.
    package init() {}

    /// Threads waiting for their turn (not counting the one holding the lock).
    package var waiting: Int {
        turns.withLock { Int(next &- serving) - (next == serving ? 0 : 1) }
    }

    /// Waits for this thread's turn.
    package func lock() {
        turns.lock()
        let ticket = next
        next &+= 1
        while serving != ticket { turns.wait() }
        turns.unlock()
    }

    /// Ends this thread's turn and wakes the next.
    package func unlock() {
        turns.lock()
        serving &+= 1
        if serving != next { turns.broadcast() }
        turns.unlock()
    }
}
