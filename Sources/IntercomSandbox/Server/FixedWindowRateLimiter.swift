import Foundation
import Synchronization

/// Counts requests in fixed windows of a ``RateLimitRule`` and decides which get a 429.
final class FixedWindowRateLimiter: Sendable {
    /// The outcome for one request, with the values of the `X-RateLimit-*` headers.
    struct Decision {
        let admitted: Bool
        let limit: Int
        let remaining: Int
        /// The end of the current window, Unix seconds.
        let reset: Int64
        /// Whole seconds until the window ends (at least 1).
        let retryAfter: Int
    }

    /// How many past windows ``recentWindows`` keeps.
    static let history = 720

    let rule: RateLimitRule
    private let window = Mutex<(index: Int64, count: Int, past: [(start: Int64, admitted: Int)])>((0, 0, []))

    init(rule: RateLimitRule) {
        self.rule = rule
    }

    /// The state of the current window, without counting a request (for answers that do not count, such as 401).
    func peek(now: Double = Date().timeIntervalSince1970) -> Decision {
        decide(now: now, counting: false)
    }

    /// Counts a request made at `now` (Unix seconds) against its window.
    func admit(now: Double = Date().timeIntervalSince1970) -> Decision {
        decide(now: now, counting: true)
    }

    /// The requests admitted in each recent window that admitted any, oldest first, the current one last: what a
    /// benchmark reads to see how much of the limit a client used.
    func recentWindows() -> [(start: Int64, admitted: Int)] {
        window.withLock { window in
            window.past + (window.count > 0 ? [(window.index * Int64(rule.windowSeconds), window.count)] : [])
        }
    }

    private func decide(now: Double, counting: Bool) -> Decision {
        let length = Double(rule.windowSeconds)
        let index = Int64((now / length).rounded(.down))
        let count = window.withLock { window -> Int in
            if window.index != index {
                if window.count > 0 { window.past.append((window.index * Int64(rule.windowSeconds), window.count)) }
                if window.past.count > Self.history { window.past.removeFirst(window.past.count - Self.history) }
                window.index = index
                window.count = 0
            }
            guard counting else { return window.count }
            guard window.count < rule.limit else { return rule.limit + 1 }
            window.count += 1
            return window.count
        }
        let reset = (index + 1) * Int64(rule.windowSeconds)
        return Decision(
            admitted: count <= rule.limit,
            limit: rule.limit,
            remaining: max(0, rule.limit - count),
            reset: reset,
            retryAfter: max(1, Int((Double(reset) - now).rounded(.up))))
    }
}
