import Foundation
import IntercomKit
import Synchronization

/// How many operations a run keeps in flight: a fixed number (`--concurrency N`), or one that adapts to the
/// answers (``AdaptiveConcurrency``) up to a maximum (`--max-concurrency N`). Shared by every operation of a run;
/// the executor reports each attempt, the runner reads ``limit``.
public final class ConcurrencyControl: Sendable {
    private struct State {
        var adaptive: AdaptiveConcurrency?
        var fixed: Int
        var requestsInFlight = 0
        /// The server's window, read here only for a fixed limit (an adaptive one reads it itself).
        var window = RateWindow()
        var allowedRate: Double?
    }

    private let state: Mutex<State>
    /// The most operations in flight there can ever be.
    public let maximum: Int

    /// Exactly `count` operations in flight.
    public init(fixed count: Int) {
        maximum = max(1, count)
        state = Mutex(State(adaptive: nil, fixed: max(1, count)))
    }

    /// Operations in flight that adapt to the answers, from `initial` up to `maximum`.
    public init(adaptiveFrom initial: Int = 8, upTo maximum: Int = 128) {
        let adaptive = AdaptiveConcurrency(initial: initial, maximum: maximum)
        self.maximum = adaptive.maximum
        state = Mutex(State(adaptive: adaptive, fixed: adaptive.limit))
    }

    /// Whether the limit adapts.
    public var adapts: Bool { state.withLock { $0.adaptive != nil } }
    /// The operations that may be in flight now.
    public var limit: Int { state.withLock { $0.adaptive?.limit ?? $0.fixed } }
    /// Requests on their way to the server now.
    public var requestsInFlight: Int { state.withLock { $0.requestsInFlight } }
    /// Requests per second the server allows, as its rate-limit headers say (nil: none seen).
    public var allowedRate: Double? { state.withLock { $0.adaptive?.allowedRate ?? $0.allowedRate } }

    /// A request is about to go out.
    func willSend() {
        state.withLock { $0.requestsInFlight += 1 }
    }

    /// The request that went out last came back with `answer`.
    func didAnswer(_ answer: AdaptiveConcurrency.Answer) {
        let now = ContinuousClock.now
        let unixNow = Date().timeIntervalSince1970
        state.withLock { state in
            if state.adaptive != nil {
                state.adaptive?.record(answer, inFlight: state.requestsInFlight, now: now, unixNow: unixNow)
            } else if let rate = state.window.observe(answer.rateLimit, unixNow: unixNow) {
                state.allowedRate = rate
            }
            state.requestsInFlight = max(0, state.requestsInFlight - 1)
        }
    }
}
