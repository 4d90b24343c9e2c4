public import IntercomKit

/// When and how long to wait before retrying a failed request, without ever applying an operation twice.
///
/// Retried: 429, 502, 503, 504, timeouts and connection failures, with capped exponential backoff and full jitter,
/// obeying `Retry-After` and `X-RateLimit-Reset` when present, within a cap on the total wait. Requests that are
/// safe to repeat (``OperationEffect/isSafeToRepeat``: reads and idempotent writes) are retried on any of those; the
/// others (notes, impressions, threads, replies, deletes, a `POST` through `api`) only when the
/// request provably was not processed, and end as `unknown_outcome` after an ambiguous failure: a transient one, a
/// server error (500 and the other 5xx), or a redirect (3xx), any of which a server may send after applying a write.
public struct RetryPolicy: Sendable, Hashable {
    /// What to do after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Wait this long, then try again.
        case retry(after: Duration)
        /// Report the error as it is.
        case fail
        /// The request may or may not have been applied: report `unknown_outcome`, never re-send.
        case unknownOutcome
        /// Retrying would exceed the total wait cap.
        case waitCapReached
    }

    /// Retries after the first attempt.
    public var maximumRetries: Int
    /// The first backoff step.
    public var baseDelay: Duration
    /// The largest single wait.
    public var maximumDelay: Duration
    /// The most one operation may wait in total across its retries.
    public var maximumTotalWait: Duration

    /// Creates a policy (3 retries, 250 ms doubling up to 30 s, at most 120 s in all, by default).
    public init(
        maximumRetries: Int = 3, baseDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(30),
        maximumTotalWait: Duration = .seconds(120)
    ) {
        self.maximumRetries = maximumRetries
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumTotalWait = maximumTotalWait
    }

    /// Whether an error is worth retrying at all.
    public static func isTransient(_ error: IntercomError) -> Bool {
        switch error.kind {
        case .rateLimited, .badGateway, .serviceUnavailable, .timeout, .connection: return true
        case .serverError: return error.status == 504
        default: return false
        }
    }

    /// The decision after attempt number `attempt` (1 for the first) of a request with `effect` failed with `error`,
    /// having waited `waited` so far; `now` is the Unix time (for `X-RateLimit-Reset`) and `random` a number in 0..<1
    /// (for jitter).
    public func decide(
        after error: IntercomError, effect: OperationEffect, attempt: Int, waited: Duration, now: Double, random: Double
    ) -> Decision {
        let transient = Self.isTransient(error)
        if !effect.isSafeToRepeat && error.mayHaveBeenProcessed {
            let redirected = error.status.map { (300..<400).contains($0) } ?? false
            return transient || redirected || error.kind == .serverError ? .unknownOutcome : .fail
        }
        guard transient, attempt <= maximumRetries else { return .fail }
        let delay = delay(for: error, attempt: attempt, now: now, random: random)
        guard waited + delay <= maximumTotalWait else { return .waitCapReached }
        return .retry(after: delay)
    }

    /// The wait before the next attempt: what the server asked for, or backoff with full jitter. A server's wait
    /// longer than the whole cap is counted as just over it, so that ``decide(after:effect:attempt:waited:now:random:)``
    /// gives up at once instead of waiting out the cap for an attempt the server said it would refuse.
    func delay(for error: IntercomError, attempt: Int, now: Double, random: Double) -> Duration {
        let cap = maximumTotalWait / .seconds(1) + 0.001
        if let retryAfter = error.retryAfter, retryAfter >= 0 {
            return .milliseconds(Int64(min(retryAfter, cap) * 1000))
        }
        if error.kind == .rateLimited, let reset = error.rateLimit?.reset, Double(reset) > now {
            return .milliseconds(Int64(min(Double(reset) - now, cap) * 1000))
        }
        var ceiling = baseDelay
        for _ in 1..<max(1, attempt) { ceiling = min(ceiling * 2, maximumDelay) }
        return ceiling * max(0, min(random, 1))
    }
}
