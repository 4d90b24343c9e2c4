import Foundation
import IntercomKit
import Synchronization

/// Shares one ``RequestPacer`` between concurrent operations and does the waiting it schedules.
public final class RequestPacing: Sendable {
    private let pacer: Mutex<RequestPacer>

    /// Paces at `limit` requests per `window` (and by the server's headers); headers only when `limit` is nil.
    public init(limit: Int? = nil, window: Duration = .seconds(1)) {
        pacer = Mutex(RequestPacer(limit: limit, window: window))
    }

    /// Waits until the next request may start.
    func waitForTurn() async throws {
        let now = ContinuousClock.now
        let start = pacer.withLock { $0.reserve(now: now) }
        if start > now { try await Task.sleep(until: start, clock: .continuous) }
    }

    /// Reads an answer's rate-limit headers (nil for an attempt that got none); called once per attempt.
    func observe(_ rateLimit: RateLimit?) {
        let now = ContinuousClock.now
        let unixNow = Date().timeIntervalSince1970
        pacer.withLock { $0.observe(rateLimit, now: now, unixNow: unixNow) }
    }
}

/// Counts what retries and rate limits did during a run, for the summary.
public final class DeliveryStatistics: Sendable {
    private let counts = Mutex<(retries: Int, rateLimited: Int)>((0, 0))

    /// Creates zeroed counters.
    public init() {}

    /// Retries made.
    public var retries: Int { counts.withLock { $0.retries } }
    /// 429 answers seen.
    public var rateLimited: Int { counts.withLock { $0.rateLimited } }

    func countRetry() { counts.withLock { $0.retries += 1 } }
    func countRateLimited() { counts.withLock { $0.rateLimited += 1 } }
}
