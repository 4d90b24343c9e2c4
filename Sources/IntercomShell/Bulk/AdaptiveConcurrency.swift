public import IntercomKit

/// How many operations a run keeps in flight when `--concurrency` is not given: enough to use the API's rate limit
/// at the latency its answers show, and fewer as soon as the server refuses, fails for load, or queues.
///
/// A pure decision, like ``RequestPacer``: the caller reports every answer with ``record(_:inFlight:now:)`` and
/// reads ``limit``.
/// - When answers carry `X-RateLimit-Limit` and `X-RateLimit-Reset`, the limit is what sustains 1.5 times the
///   allowed rate at the smoothed latency (Little's law), so each window's allowance can be used up whatever the
///   latency; the pacer holds what is over it until the window resets.
/// - Without them, the limit grows while every slot is busy and the latency stays within twice its recent floor (plus
///   a slack for local servers): by one per answer until the first sign of queueing, by one per round trip after it.
///   It shrinks by a tenth, at most once per round trip, when the latency rises above that.
/// - A 429, a 503, a timeout or a lost connection cuts it by a quarter (at most once per round trip) and keeps it
///   from growing for one window.
public struct AdaptiveConcurrency: Sendable, Hashable {
    /// What one request attempt came back with.
    public enum Answer: Sendable, Hashable {
        /// An answer, successful or not, that says nothing about load: its latency and rate-limit headers.
        case answered(latency: Duration, rateLimit: RateLimit?)
        /// 429: over the rate limit.
        case rateLimited(rateLimit: RateLimit?)
        /// 503, a timeout or a lost connection: the server may be overloaded.
        case overloaded

        /// The rate-limit headers the answer carried.
        var rateLimit: RateLimit? {
            switch self {
            case .answered(_, let rateLimit), .rateLimited(let rateLimit): return rateLimit
            case .overloaded: return nil
            }
        }
    }

    /// The most operations in flight it ever allows.
    public let maximum: Int
    /// The operations that may be in flight now.
    public private(set) var limit: Int
    /// Requests per second the server allows, from its headers (nil: it sent none).
    public private(set) var allowedRate: Double?
    /// The smoothed latency of answers.
    public private(set) var latency: Duration?

    private var floor = LatencyFloor()
    private var window = RateWindow()
    private var growth = 0.0
    private var queueingSeen = false
    private var lastCut: ContinuousClock.Instant?
    private var holdUntil: ContinuousClock.Instant?

    /// The latency a local server may add under load before it counts as queueing.
    static let slack = Duration.milliseconds(20)
    /// How long growth stops after a refusal when the window length is unknown.
    static let defaultHold = Duration.seconds(10)

    /// Starts at `initial` operations in flight, never more than `maximum`.
    public init(initial: Int = 8, maximum: Int = 128) {
        self.maximum = max(1, maximum)
        limit = min(max(1, initial), self.maximum)
    }

    /// Takes one attempt's answer into account; `inFlight` is the number of requests on their way when it came
    /// (including this one), `now` the time it came, `unixNow` the same moment in Unix seconds.
    public mutating func record(_ answer: Answer, inFlight: Int, now: ContinuousClock.Instant, unixNow: Double) {
        switch answer {
        case .answered(let latency, let rateLimit):
            observe(latency: latency, now: now)
            allowedRate = window.observe(rateLimit, unixNow: unixNow) ?? allowedRate
            if let allowedRate {
                followRate(allowedRate, now: now)
            } else {
                followLatency(inFlight: inFlight, now: now)
            }
        case .rateLimited(let rateLimit):
            allowedRate = window.observe(rateLimit, unixNow: unixNow) ?? allowedRate
            cut(now: now)
        case .overloaded:
            cut(now: now)
        }
    }

    private mutating func observe(latency sample: Duration, now: ContinuousClock.Instant) {
        latency = latency.map { $0 * 0.8 + sample * 0.2 } ?? sample
        floor.observe(sample, now: now)
    }

    /// With a known allowed rate: the concurrency that sustains 1.5 times it at the current latency.
    private mutating func followRate(_ rate: Double, now: ContinuousClock.Instant) {
        guard let latency else { return }
        let needed = rate * (latency / .seconds(1)) * 1.5 + 2
        var target = Int(min(Double(maximum), needed.rounded(.up)))
        if let holdUntil, now < holdUntil { target = min(target, limit) }
        limit = min(maximum, max(1, target))
    }

    /// Without a rate limit: grow while busy and not queueing, shrink when the latency shows a queue.
    private mutating func followLatency(inFlight: Int, now: ContinuousClock.Instant) {
        guard let latency, let floor = floor.value else { return }
        if latency > floor * 2 + Self.slack {
            queueingSeen = true
            guard roundTripPassed(since: lastCut, now: now) else { return }
            lastCut = now
            limit = max(1, limit - max(1, limit / 10))
            growth = 0
            return
        }
        if let holdUntil, now < holdUntil { return }
        guard inFlight >= limit - 1 else { return }
        growth += queueingSeen ? 1 / Double(limit) : 1
        if growth >= 1 {
            limit = min(maximum, limit + Int(growth))
            growth -= growth.rounded(.down)
        }
    }

    /// A refusal or overload: a quarter fewer, and no growth for a window.
    private mutating func cut(now: ContinuousClock.Instant) {
        holdUntil = now + (window.length.map { .seconds($0) } ?? Self.defaultHold)
        queueingSeen = true
        guard roundTripPassed(since: lastCut, now: now) else { return }
        lastCut = now
        limit = max(1, limit - max(1, limit / 4))
        growth = 0
    }

    private func roundTripPassed(since instant: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> Bool {
        guard let instant else { return true }
        return now - instant >= (latency ?? .zero)
    }
}

/// The lowest latency of the last two intervals of 10 seconds, so that a lasting change of latency becomes the
/// new floor.
struct LatencyFloor: Sendable, Hashable {
    private var previous: Duration?
    private var current: Duration?
    private var intervalStart: ContinuousClock.Instant?

    static let interval = Duration.seconds(10)

    var value: Duration? {
        switch (previous, current) {
        case (let previous?, let current?): return min(previous, current)
        case (let previous?, nil): return previous
        case (nil, let current): return current
        }
    }

    mutating func observe(_ sample: Duration, now: ContinuousClock.Instant) {
        if let intervalStart, now - intervalStart >= Self.interval {
            previous = current
            current = nil
            self.intervalStart = now
        } else if intervalStart == nil {
            intervalStart = now
        }
        current = min(current ?? sample, sample)
    }
}

/// The server's rate-limit window as its headers show it: its allowance and its length.
struct RateWindow: Sendable, Hashable {
    private var reset: Int64?
    /// Whether ``length`` comes from a step between two resets (the shortest seen), not a guess.
    private var lengthFromStep = false
    /// The window's length in seconds: the shortest step between two resets, or until one is seen, the longest time
    /// to a reset an answer gave (a window is at least that long).
    private(set) var length: Double?

    /// The allowed requests per second that `rateLimit` shows, or nil when it has no limit and reset.
    mutating func observe(_ rateLimit: RateLimit?, unixNow: Double) -> Double? {
        guard let allowance = rateLimit?.limit, allowance > 0, let newReset = rateLimit?.reset else { return nil }
        if let reset, newReset > reset, newReset - reset <= 3600 {
            let step = Double(newReset - reset)
            length = lengthFromStep ? min(length ?? step, step) : step
            lengthFromStep = true
        } else if !lengthFromStep {
            let untilReset = (Double(newReset) - unixNow).rounded(.up)
            if (1...3600).contains(untilReset) { length = max(length ?? 0, untilReset) }
        }
        reset = max(reset ?? newReset, newReset)
        guard let length else { return nil }
        return Double(allowance) / length
    }
}
