// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation
import Synchronization
import Testing

/// The writer lock serves threads in arrival order, so a thread that writes in a loop cannot starve the others.
struct TicketLockTests {
    @Test func aWaitingThreadGoesBeforeTheHolderLocksAgain() throws {
        let lock = TicketLock()
        let order = Mutex<[String]>([])
        lock.lock()
        let waiter = Thread {
            lock.lock()
            order.withLock { $0.append("waiter") }
            lock.unlock()
        }
        waiter.start()
        // Wait (without a timer) until the other thread holds a ticket.
        while lock.waiting == 0 { sched_yield() }
        #expect(lock.waiting == 1)
        lock.unlock()
        lock.lock()  // a plain mutex would usually hand it straight back to this thread
        order.withLock { $0.append("holder") }
        lock.unlock()
        #expect(order.withLock { $0 } == ["waiter", "holder"])
        #expect(lock.waiting == 0)
    }

    @Test func manyThreadsExcludeEachOther() async throws {
        let lock = TicketLock()
        let box = UnguardedCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<2_000 {
                        lock.lock()
                        box.value += 1  // a lost update if two threads got in together
                        lock.unlock()
                    }
                }
            }
        }
        #expect(box.value == 8_000)
    }
}

/// A counter with no synchronization of its own: the lock under test is what protects it.
private final class UnguardedCounter: @unchecked Sendable {
    var value = 0
}
