// SPDX-License-Identifier: Apache-2.0

/// An integration's sync state, changed only along legal transitions.
///
/// ```text
/// pending ──start──▶ syncing ──succeed──▶ active ──start──▶ syncing …
///                    syncing ──fail (3rd in a row)──▶ error ──start──▶ syncing
///                    syncing ──fail (fewer)──▶ active if it ever succeeded, else pending
/// pending | syncing | active | error ──pause──▶ paused ──resume──▶ pending
/// any state but disabled ──disable──▶ disabled ──enable──▶ pending
/// ```
///
/// A failure below the threshold returns to `active` when the integration has synced successfully before, else
/// to `pending`. ``IntegrationStatus/applying(_:)`` is the whole table; it has no side effects.
public enum IntegrationStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Created, never synced (or resumed): waiting for a sync.
    case pending
    /// A sync is running.
    case syncing
    /// Synced and up to date.
    case active
    /// Syncs keep failing (3 in a row): someone must look.
    case error
    /// Sync paused by a user.
    case paused
    /// Switched off (its connections are kept).
    case disabled

    /// Consecutive failures that put an integration in ``error``.
    public static let failureThreshold = 3

    /// An event that changes the sync state.
    public enum Event: Hashable, Sendable, CustomStringConvertible {
        /// A sync starts.
        case start
        /// A sync finished successfully.
        case succeed
        /// A sync failed; `consecutiveFailures` counts this one; `hasSucceeded` says whether any sync ever did.
        case fail(consecutiveFailures: Int, hasSucceeded: Bool)
        /// A user pauses syncing.
        case pause
        /// A user resumes syncing.
        case resume
        /// The integration is disabled.
        case disable
        /// The integration is enabled again.
        case enable

        /// The event's name (`start`, `fail`, ...).
        public var description: String {
            switch self {
            case .start: "start"
            case .succeed: "succeed"
            case .fail: "fail"
            case .pause: "pause"
            case .resume: "resume"
            case .disable: "disable"
            case .enable: "enable"
            }
        }
    }

    /// The state after `event`, or `nil` when the event is not allowed in this state.
    ///
    /// A result may be recorded without a separate start (a sync run elsewhere reports its outcome), so
    /// ``Event/succeed`` and ``Event/fail(consecutiveFailures:hasSucceeded:)`` are accepted from `pending`,
    /// `active` and `error` as well as `syncing`; never from `paused` or `disabled`.
    public func applying(_ event: Event) -> IntegrationStatus? {
        switch (self, event) {
        case (.pending, .start), (.active, .start), (.error, .start): .syncing
        case (.pending, .succeed), (.syncing, .succeed), (.active, .succeed), (.error, .succeed): .active
        case (.pending, .fail(let n, let ok)), (.syncing, .fail(let n, let ok)), (.active, .fail(let n, let ok)),
             (.error, .fail(let n, let ok)):
            n >= Self.failureThreshold ? .error : (ok ? .active : .pending)
        case (.pending, .pause), (.syncing, .pause), (.active, .pause), (.error, .pause): .paused
        case (.paused, .resume): .pending
        case (.disabled, .enable): .pending
        case (let state, .disable) where state != .disabled: .disabled
        default: nil
        }
    }

    /// The state after `event`.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/invalidTransition`` naming the state and the event.
    public func transition(_ event: Event) throws -> IntegrationStatus {
        guard let next = applying(event) else {
            throw DomainError(.invalidTransition,
                              "an integration in status '\(rawValue)' cannot \(event) (allowed from here: "
                                  + "\(allowedEvents.joined(separator: ", ")))")
        }
        return next
    }

    /// The names of the events allowed in this state.
    var allowedEvents: [String] {
        let events: [Event] = [.start, .succeed, .fail(consecutiveFailures: 1, hasSucceeded: false), .pause, .resume,
                               .disable, .enable]
        let names = events.filter { applying($0) != nil }.map(\.description)
        return names.isEmpty ? ["none"] : names
    }
}
