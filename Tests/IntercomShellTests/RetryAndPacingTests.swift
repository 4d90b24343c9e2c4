import IntercomKit
import IntercomShell
import Testing

/// Retry decisions and pacing as pure functions of time: no test sleeps.
@Suite("Retries and pacing")
struct RetryAndPacingTests {
    static func error(_ kind: IntercomError.Kind, status: Int? = nil, processed: Bool = true, retryAfter: Double? = nil, reset: Int64? = nil)
        -> IntercomError
    {
        IntercomError(
            kind: kind, status: status, message: "x", rateLimit: reset.map { RateLimit(limit: 10, remaining: 0, reset: $0) },
            retryAfter: retryAfter, mayHaveBeenProcessed: processed)
    }

    @Test("safe operations retry transient failures with capped exponential backoff and full jitter")
    func backoff() {
        let policy = RetryPolicy(maximumRetries: 3, baseDelay: .milliseconds(100), maximumDelay: .milliseconds(300))
        let timeout = Self.error(.timeout)
        #expect(policy.decide(after: timeout, effect: .idempotentWrite, attempt: 1, waited: .zero, now: 0, random: 1) == .retry(after: .milliseconds(100)))
        #expect(policy.decide(after: timeout, effect: .idempotentWrite, attempt: 2, waited: .zero, now: 0, random: 1) == .retry(after: .milliseconds(200)))
        #expect(policy.decide(after: timeout, effect: .idempotentWrite, attempt: 3, waited: .zero, now: 0, random: 1) == .retry(after: .milliseconds(300)))
        #expect(policy.decide(after: timeout, effect: .idempotentWrite, attempt: 3, waited: .zero, now: 0, random: 0.5) == .retry(after: .milliseconds(150)))
        #expect(policy.decide(after: timeout, effect: .idempotentWrite, attempt: 4, waited: .zero, now: 0, random: 1) == .fail)
        for kind in [IntercomError.Kind.badGateway, .serviceUnavailable, .connection, .rateLimited] {
            #expect(policy.decide(after: Self.error(kind), effect: .read, attempt: 1, waited: .zero, now: 0, random: 1) != .fail)
        }
        #expect(policy.decide(after: Self.error(.serverError, status: 504), effect: .read, attempt: 1, waited: .zero, now: 0, random: 1) != .fail)
        #expect(policy.decide(after: Self.error(.serverError, status: 500), effect: .read, attempt: 1, waited: .zero, now: 0, random: 1) == .fail)
        #expect(policy.decide(after: Self.error(.notFound, status: 404), effect: .read, attempt: 1, waited: .zero, now: 0, random: 1) == .fail)
    }

    @Test("Retry-After and X-RateLimit-Reset are obeyed; the total wait is capped")
    func serverAskedWaits() {
        let policy = RetryPolicy(maximumTotalWait: .seconds(10))
        #expect(policy.decide(after: Self.error(.rateLimited, processed: false, retryAfter: 7), effect: .write, attempt: 1, waited: .zero, now: 0, random: 0)
            == .retry(after: .seconds(7)))
        #expect(policy.decide(after: Self.error(.rateLimited, processed: false, reset: 1_005), effect: .idempotentWrite, attempt: 1, waited: .zero, now: 1_002.5, random: 0)
            == .retry(after: .milliseconds(2_500)))
        #expect(policy.decide(after: Self.error(.rateLimited, processed: false, retryAfter: 7), effect: .idempotentWrite, attempt: 2, waited: .seconds(5), now: 0, random: 0)
            == .waitCapReached)
        for asked in [10.5, 1e9, 1e300, .infinity] {
            #expect(policy.decide(after: Self.error(.serviceUnavailable, processed: false, retryAfter: asked), effect: .read, attempt: 1, waited: .zero, now: 0, random: 0)
                == .waitCapReached, "Retry-After \(asked): more than the whole cap gives up at once")
        }
        #expect(policy.decide(after: Self.error(.serviceUnavailable, processed: false, retryAfter: 10), effect: .read, attempt: 1, waited: .zero, now: 0, random: 0)
            == .retry(after: .seconds(10)))
    }

    @Test("operations that must not run twice retry only what provably was not processed; a 5xx is an unknown outcome")
    func nonIdempotent() {
        let policy = RetryPolicy()
        for operation in [OperationName.createNote, .createImpression, .createMessageThread, .replyMessageThread, .deleteUser] {
            let effect = operation.definition.effect
            #expect(policy.decide(after: Self.error(.rateLimited, processed: false), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) != .fail)
            #expect(policy.decide(after: Self.error(.connection, processed: false), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) != .unknownOutcome)
            #expect(policy.decide(after: Self.error(.timeout), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) == .unknownOutcome)
            #expect(policy.decide(after: Self.error(.connection), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) == .unknownOutcome)
            #expect(policy.decide(after: Self.error(.badGateway, status: 502), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) == .unknownOutcome)
            for status in [500, 501, 507] {
                #expect(policy.decide(after: Self.error(.serverError, status: status), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) == .unknownOutcome)
            }
            #expect(policy.decide(after: Self.error(.clientError, status: 400, processed: true), effect: effect, attempt: 1, waited: .zero, now: 0, random: 1) == .fail)
        }
        #expect(policy.decide(after: Self.error(.serverError, status: 500), effect: .read, attempt: 1, waited: .zero, now: 0, random: 1) == .fail)
        #expect(OperationName.createEvent.definition.effect.isSafeToRepeat)
        #expect(!OperationName.deleteUser.definition.effect.isSafeToRepeat)
    }

    @Test("--rate spaces request starts evenly")
    func evenSpacing() {
        var pacer = RequestPacer(limit: 4, window: .seconds(1))
        let zero = ContinuousClock.now
        let starts = (0..<5).map { _ in pacer.reserve(now: zero) - zero }
        #expect(starts == [.zero, .milliseconds(250), .milliseconds(500), .milliseconds(750), .milliseconds(1_000)])
        #expect(pacer.reserve(now: zero + .seconds(3)) == zero + .seconds(3))
    }

    @Test("with no requests left in the window, the next ones wait for the reset")
    func headers() {
        var pacer = RequestPacer()
        let zero = ContinuousClock.now
        #expect(pacer.reserve(now: zero) == zero)
        pacer.observe(RateLimit(limit: 10, remaining: 3, reset: 1_000), now: zero, unixNow: 998)
        #expect(pacer.reserve(now: zero) == zero)
        pacer.observe(RateLimit(limit: 10, remaining: 0, reset: 1_000), now: zero, unixNow: 998.5)
        #expect(pacer.reserve(now: zero) == zero + .milliseconds(1_500))
        #expect(pacer.reserve(now: zero + .seconds(2)) == zero + .seconds(2))
    }

    @Test("what is left of a window is shared with the requests still in flight")
    func remainingSharedWithInFlight() {
        var pacer = RequestPacer()
        let zero = ContinuousClock.now
        for _ in 0..<4 { #expect(pacer.reserve(now: zero) == zero) }
        // One answer: 3 left in the window, but 3 requests are still on their way and will use them.
        pacer.observe(RateLimit(limit: 10, remaining: 3, reset: 1_000), now: zero, unixNow: 999)
        #expect(pacer.reserve(now: zero) == zero + .seconds(1), "nothing left for a fifth request before the reset")
        // A late answer of the same window cannot raise what is left; after the reset a new window starts.
        pacer.observe(RateLimit(limit: 10, remaining: 5, reset: 1_000), now: zero, unixNow: 999)
        #expect(pacer.reserve(now: zero) == zero + .seconds(1))
        #expect(pacer.reserve(now: zero + .seconds(1)) == zero + .seconds(1))
        pacer.observe(RateLimit(limit: 10, remaining: 9, reset: 1_001), now: zero + .seconds(1), unixNow: 1_000)
        #expect(pacer.reserve(now: zero + .seconds(1)) == zero + .seconds(1))
    }
}

/// Workers pacing themselves with one ``RequestPacer`` against a fixed-window server, on a simulated clock.
struct PacingSimulation {
    var limit: Int
    var rate: Int?
    var workers = 16
    var requests: Int
    /// Where the first request falls in the server's window, in seconds (0 ..< 1).
    var phase: Double
    /// Time from a request's start to the server, and from the server back.
    var oneWay: Duration = .microseconds(250)
    /// The most a request's start is late, as a busy machine makes it (spread evenly, from a fixed seed).
    var lateness: Duration = .microseconds(400)

    struct Outcome {
        var rejected = 0
        /// 429s in any window after the one the run started in (where nothing is known yet without a rate).
        var rejectedAfterFirstWindow = 0
        var seconds = 0.0
    }

    private enum Event {
        case ready(worker: Int)
        case arrive(worker: Int)
        case answer(worker: Int, RateLimit)
    }

    func run() -> Outcome {
        let zero = ContinuousClock.now
        let base = 1_000_000.0 + phase
        func unix(_ instant: ContinuousClock.Instant) -> Double { base + (instant - zero) / .seconds(1) }
        var pacer = RequestPacer(limit: rate, window: .seconds(1))
        var events: [(time: ContinuousClock.Instant, order: Int, event: Event)] = []
        var order = 0
        func schedule(_ time: ContinuousClock.Instant, _ event: Event) {
            order += 1
            let index = events.firstIndex { ($0.time, $0.order) > (time, order) } ?? events.endIndex
            events.insert((time, order, event), at: index)
        }
        for worker in 0..<workers { schedule(zero, .ready(worker: worker)) }
        var started = 0
        var done = 0
        var windowIndex = Int64.min
        var firstWindow: Int64?
        var windowCount = 0
        var outcome = Outcome()
        var last = zero
        var random: UInt64 = 42
        while !events.isEmpty {
            let (time, _, event) = events.removeFirst()
            last = time
            switch event {
            case .ready(let worker):
                guard started < requests else { continue }
                started += 1
                let start = pacer.reserve(now: time)
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let late = lateness * (Double(random >> 11) / Double(1 << 53))
                schedule(start + late + oneWay, .arrive(worker: worker))
            case .arrive(let worker):
                let now = unix(time)
                let index = Int64(now.rounded(.down))
                if index != windowIndex { (windowIndex, windowCount) = (index, 0) }
                windowCount += 1
                if firstWindow == nil { firstWindow = index }
                if windowCount > limit {
                    outcome.rejected += 1
                    if index != firstWindow { outcome.rejectedAfterFirstWindow += 1 }
                }
                let remaining = max(0, limit - windowCount)
                schedule(time + oneWay, .answer(worker: worker, RateLimit(limit: limit, remaining: remaining, reset: index + 1)))
            case .answer(let worker, let rateLimit):
                pacer.observe(rateLimit, now: time, unixNow: unix(time))
                done += 1
                schedule(time, .ready(worker: worker))
            }
        }
        outcome.seconds = (last - zero) / .seconds(1)
        return outcome
    }
}

extension RetryAndPacingTests {
    @Test("--rate at the server's own limit: no 429 wherever the windows fall, also when a request started just before a boundary arrives after it", arguments: (0..<40).map { Double($0) / 40 + Double($0) * 0.000_05 })
    func rateAtTheLimitAnyPhase(phase: Double) {
        let outcome = PacingSimulation(limit: 500, rate: 500, requests: 5_000, phase: phase).run()
        #expect(outcome.rejected == 0)
        #expect(Double(5_000) / outcome.seconds >= 0.95 * 500)
    }

    @Test("without --rate, the X-RateLimit headers alone keep every window after the first free of 429s", arguments: (0..<20).map { Double($0) / 20 + Double($0) * 0.000_07 })
    func headersOnlyAnyPhase(phase: Double) {
        let outcome = PacingSimulation(limit: 500, rate: nil, requests: 5_000, phase: phase).run()
        // Unpaced, 16 workers would make over 20,000 requests a second here: only the headers hold them to 500.
        #expect(outcome.rejectedAfterFirstWindow == 0)
        #expect(Double(5_000) / outcome.seconds >= 0.95 * 500)
    }
}

extension RetryAndPacingTests {
    @Test("a redirect is never retried; for a write that must not run twice it is an unknown outcome")
    func redirects() {
        let policy = RetryPolicy()
        let redirect = Self.error(.invalidResponse, status: 302)
        #expect(policy.decide(after: redirect, effect: .write, attempt: 1, waited: .zero, now: 0, random: 1) == .unknownOutcome)
        #expect(policy.decide(after: redirect, effect: .idempotentWrite, attempt: 1, waited: .zero, now: 0, random: 1) == .fail)
        let read = Self.error(.invalidResponse, status: 301, processed: false)
        #expect(policy.decide(after: read, effect: .read, attempt: 1, waited: .zero, now: 0, random: 1) == .fail)
    }
}
