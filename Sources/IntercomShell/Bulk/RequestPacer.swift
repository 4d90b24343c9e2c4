public import IntercomKit

/// Spaces requests evenly to stay under a rate (`--rate 167/10s`), and keeps within what the server says is left
/// of its window (`X-RateLimit-Remaining`, `X-RateLimit-Reset`), so that a run does not walk into 429s.
///
/// With requests in flight, an answer's "remaining" is shared with those still on their way: the pacer starts at
/// most `remaining - in flight` more before the reset, then holds the rest until the window resets. When other
/// clients use the same limit (the remaining count falls faster than this client's own answers explain), their
/// requests in flight are estimated from that rate and the latency, and kept out of the budget as well.
/// A pure schedule: each call says when the next request may start; the caller does the waiting.
public struct RequestPacer: Sendable, Hashable {
    /// The spacing between request starts, when a rate is set.
    public let interval: Duration?
    private var nextStart: ContinuousClock.Instant?
    /// Requests that may still start in the current window, as last told by the server (nil: unknown).
    private var budget: Int?
    /// When the current window resets, and its Unix time as the server gave it.
    private var window: Window?
    /// Requests reserved and not yet answered.
    private var inFlight = 0
    /// The first answer seen in the current window and the answers counted since: what others used is measured
    /// against it.
    private var windowStart: WindowStart?
    private var answersInWindow = 0
    /// The window reset the latest held request waits for: requests are held until then because the window's
    /// budget is spent.
    public private(set) var holdingUntil: ContinuousClock.Instant?

    /// The first answer of a window: when it came and what remained.
    private struct WindowStart: Sendable, Hashable {
        var time: ContinuousClock.Instant
        var remaining: Int
    }

    /// A rate-limit window as the server announced it.
    private struct Window: Sendable, Hashable {
        var reset: ContinuousClock.Instant
        var unixReset: Int64
    }

    /// The longest the pacer holds requests for a window to reset, whatever reset the server announces: a reset
    /// further away is taken to be this far, and the retry policy's cap deals with a server that means it.
    public static let maximumHold = Duration.seconds(60)

    /// Paces at `limit` requests per `window`, or only by server headers when `limit` is nil.
    public init(limit: Int? = nil, window: Duration = .seconds(1)) {
        interval = limit.map { window / $0 }
    }

    /// Reserves a start time at or after `now` for one request, and returns it. Each reservation must be followed
    /// by one ``observe(_:now:unixNow:)`` when its answer (or failure) comes.
    public mutating func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        var start = now
        if let window, now >= window.reset {
            self.window = nil
            budget = nil
        }
        if let budget, budget <= 0, let window {
            start = max(start, window.reset)
            holdingUntil = window.reset
        } else if let budget {
            self.budget = budget - 1
        }
        if let interval {
            if let nextStart, nextStart > start { start = nextStart }
            nextStart = start + interval
        }
        inFlight += 1
        return start
    }

    /// Reads an answer's rate-limit headers (nil when it had none, e.g. a failed connection) at `now`
    /// (`unixNow` in Unix seconds); `latency` is how long the request took, when it was answered.
    public mutating func observe(_ rateLimit: RateLimit?, now: ContinuousClock.Instant, unixNow: Double, latency: Duration? = nil) {
        inFlight = max(0, inFlight - 1)
        guard let remaining = rateLimit?.remaining, let reset = rateLimit?.reset else { return }
        // The latest answer maps the server's reset time onto this clock most closely; kept to the nanosecond, so
        // that a request held for the reset never reaches the server before it.
        let resetInstant = now + .seconds(min(max(0, Double(reset) - unixNow), Self.maximumHold / .seconds(1)))
        if let window, window.unixReset == reset {
            answersInWindow += 1
            let left = remaining - inFlight - othersInFlight(remaining: remaining, now: now, latency: latency)
            budget = min(budget ?? left, left)
            self.window = Window(reset: resetInstant, unixReset: reset)
        } else if window.map({ reset > $0.unixReset }) ?? true {
            window = Window(reset: resetInstant, unixReset: reset)
            windowStart = WindowStart(time: now, remaining: remaining)
            answersInWindow = 0
            budget = remaining - inFlight
        }
    }

    /// The requests other clients have in flight on the same limit: the rate at which they used it since this
    /// window's first answer (what the remaining count fell by, less this client's own answers), times the latency.
    private func othersInFlight(remaining: Int, now: ContinuousClock.Instant, latency: Duration?) -> Int {
        guard let windowStart, let latency else { return 0 }
        let elapsed = (now - windowStart.time) / .seconds(1)
        let othersUsed = windowStart.remaining - remaining - answersInWindow
        guard elapsed > 0.05, othersUsed > 0 else { return 0 }
        return Int((Double(othersUsed) / elapsed * (latency / .seconds(1))).rounded(.up))
    }
}
