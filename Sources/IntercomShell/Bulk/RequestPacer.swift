public import IntercomKit

/// Spaces requests evenly to stay under a rate (`--rate 167/10s`), and holds them back until a window resets when
/// the server says none are left (`X-RateLimit-Remaining: 0`), so that a run does not walk into 429s.
///
/// A pure schedule: each call says when the next request may start; the caller does the waiting.
public struct RequestPacer: Sendable, Hashable {
    /// The spacing between request starts, when a rate is set.
    public let interval: Duration?
    private var nextStart: ContinuousClock.Instant?
    private var blockedUntil: ContinuousClock.Instant?

    /// Paces at `limit` requests per `window`, or only by server headers when `limit` is nil.
    public init(limit: Int? = nil, window: Duration = .seconds(1)) {
        interval = limit.map { window / $0 }
    }

    /// Reserves a start time at or after `now` for one request, and returns it.
    public mutating func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        var start = now
        if let blockedUntil, blockedUntil > start { start = blockedUntil }
        if let interval {
            if let nextStart, nextStart > start { start = nextStart }
            nextStart = start + interval
        }
        return start
    }

    /// Reads an answer's rate-limit headers at `now` (`unixNow` in Unix seconds): with nothing left in the window,
    /// later requests wait for its reset.
    public mutating func observe(_ rateLimit: RateLimit, now: ContinuousClock.Instant, unixNow: Double) {
        guard let remaining = rateLimit.remaining, remaining <= 0, let reset = rateLimit.reset else { return }
        let wait = max(0, Double(reset) - unixNow)
        let until = now + .milliseconds(Int64(wait * 1000))
        if blockedUntil.map({ until > $0 }) ?? true { blockedUntil = until }
    }
}

