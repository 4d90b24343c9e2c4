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

    /// Waits until the next request may start; throws when the task is cancelled or `control` asks to stop first.
    func waitForTurn(unless control: RunControl? = nil) async throws {
        let now = ContinuousClock.now
        let start = pacer.withLock { $0.reserve(now: now) }
        if start > now { try await RunControl.sleep(until: start, unless: control) }
    }

    /// Until when requests are held for the rate-limit window to reset, when they are now.
    public var waitingUntil: ContinuousClock.Instant? {
        let now = ContinuousClock.now
        return pacer.withLock { $0.holdingUntil }.flatMap { $0 > now ? $0 : nil }
    }

    /// Reads an answer's rate-limit headers (nil for an attempt that got none) and how long it took, when it was
    /// answered; called once per attempt.
    func observe(_ rateLimit: RateLimit?, latency: Duration? = nil) {
        let now = ContinuousClock.now
        let unixNow = Date().timeIntervalSince1970
        pacer.withLock { $0.observe(rateLimit, now: now, unixNow: unixNow, latency: latency) }
    }
}

/// Counts what a run sent, and what retries and rate limits did, for the summary.
public final class DeliveryStatistics: Sendable {
    private struct Counts {
        var retries = 0
        var rateLimited = 0
        var requests: [OperationName: Int] = [:]
        var operations: [OperationName: Int] = [:]
        var shortWalks: [String] = []
        var warnings: [String] = []
        var notes: [String] = []
        var walkedOperations: Set<OperationName> = []
        var walked = WalkProgress()
    }

    /// How far the walk under way has come: items written, pages read, and the total the API reported.
    public struct WalkProgress: Sendable, Hashable {
        /// Whether a walk is under way.
        public var active = false
        /// Items written.
        public var items = 0
        /// Pages read.
        public var pages = 0
        /// The items the walk under way will give, as its first page reported (nil: not reported).
        public var total: Int?

        /// Progress as given.
        public init(active: Bool = false, items: Int = 0, pages: Int = 0, total: Int? = nil) {
            self.active = active
            self.items = items
            self.pages = pages
            self.total = total
        }
    }

    private let counts = Mutex(Counts())

    /// Creates zeroed counters.
    public init() {}

    /// Retries made.
    public var retries: Int { counts.withLock { $0.retries } }
    /// 429 answers seen.
    public var rateLimited: Int { counts.withLock { $0.rateLimited } }
    /// Requests sent, retries included.
    public var requests: Int { counts.withLock { $0.requests.values.reduce(0, +) } }
    /// Requests sent for each operation, retries included.
    public var requestsByOperation: [OperationName: Int] { counts.withLock { $0.requests } }
    /// Operations that went to the API (checked and sent), by name.
    public var operationsByName: [OperationName: Int] { counts.withLock { $0.operations } }

    /// Walks over pages that ended with fewer items than the API's `total_count` said, one line each.
    public var shortWalks: [String] { counts.withLock { $0.shortWalks } }

    /// Where requests differed from the API's description (sent all the same), one line each.
    public var warnings: [String] { counts.withLock { $0.warnings } }

    /// What a walk did that its records do not show (a scroll started again, an item left out, a resume), one
    /// line each.
    public var notes: [String] { counts.withLock { $0.notes } }

    /// How far the walks have come.
    public var walked: WalkProgress { counts.withLock { $0.walked } }

    /// The operations that walked a list's pages (their requests are pages, not calls per operation).
    public var walkedOperations: Set<OperationName> { counts.withLock { $0.walkedOperations } }

    /// A walk of `operation` starts (its progress from zero) or ends.
    func noteWalk(active: Bool, of operation: OperationName) {
        counts.withLock { counts in
            counts.walked = active ? WalkProgress(active: true) : WalkProgress()
            counts.walkedOperations.insert(operation)
        }
    }

    /// A walk read a page and wrote `items` of it; `total` is what its first page reported.
    func notePage(items: Int, total: Int?) {
        counts.withLock { counts in
            counts.walked.items += items
            counts.walked.pages += 1
            if let total { counts.walked.total = total }
        }
    }

    func noteShortWalk(_ note: String) { counts.withLock { $0.shortWalks.append(note) } }
    func noteWarning(_ note: String) { counts.withLock { $0.warnings.append(note) } }
    func note(_ note: String) { counts.withLock { $0.notes.append(note) } }
    func countRetry() { counts.withLock { $0.retries += 1 } }
    func countRateLimited() { counts.withLock { $0.rateLimited += 1 } }
    func countRequest(_ operation: OperationName) { counts.withLock { $0.requests[operation, default: 0] += 1 } }
    func countOperation(_ operation: OperationName) { counts.withLock { $0.operations[operation, default: 0] += 1 } }
}
