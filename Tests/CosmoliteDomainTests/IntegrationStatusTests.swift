// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import Testing

struct IntegrationStatusTests {
    typealias S = IntegrationStatus

    @Test func theTransitionTable() {
        let fail1 = S.Event.fail(consecutiveFailures: 1, hasSucceeded: false)
        let fail1ok = S.Event.fail(consecutiveFailures: 1, hasSucceeded: true)
        let fail3 = S.Event.fail(consecutiveFailures: 3, hasSucceeded: true)
        let table: [(S, S.Event, S?)] = [
            (.pending, .start, .syncing), (.active, .start, .syncing), (.error, .start, .syncing),
            (.syncing, .start, nil), (.paused, .start, nil), (.disabled, .start, nil),
            (.syncing, .succeed, .active), (.pending, .succeed, .active), (.error, .succeed, .active),
            (.paused, .succeed, nil), (.disabled, .succeed, nil),
            (.syncing, fail1, .pending), (.syncing, fail1ok, .active), (.active, fail3, .error),
            (.error, fail3, .error), (.paused, fail1, nil), (.disabled, fail1, nil),
            (.active, .pause, .paused), (.error, .pause, .paused), (.paused, .pause, nil), (.disabled, .pause, nil),
            (.paused, .resume, .pending), (.active, .resume, nil),
            (.active, .disable, .disabled), (.paused, .disable, .disabled), (.disabled, .disable, nil),
            (.disabled, .enable, .pending), (.active, .enable, nil),
        ]
        for (from, event, to) in table {
            #expect(from.applying(event) == to, "\(from) --\(event)--> \(String(describing: to))")
        }
    }

    @Test func illegalTransitionsThrowNamingTheState() {
        do {
            _ = try S.disabled.transition(.start)
            Issue.record("started a disabled integration")
        } catch let error as DomainError {
            #expect(error.code == .invalidTransition)
            #expect(error.status == 409)
            #expect(error.message.contains("'disabled' cannot start"))
            #expect(error.message.contains("enable"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
