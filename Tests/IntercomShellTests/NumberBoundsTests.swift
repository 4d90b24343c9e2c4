import IntercomKit
import IntercomSandbox
import IntercomShell
import NIOHTTP1
import Testing

/// Numbers from flags and headers are checked before any arithmetic, and no wait a server announces is endless.
@Suite("Numbers from flags and headers")
struct NumberBoundsTests {
    @Test("--faults latency: from zero to a day; a number too large for a time is refused, not a crash")
    func faultLatency() throws {
        #expect(throws: FaultPlanSyntaxError.self) { try FaultPlan(parsing: "latency=1e20ms") }
        #expect(throws: FaultPlanSyntaxError.self) { try FaultPlan(parsing: "latency=1441m") }
        #expect(throws: FaultPlanSyntaxError.self) { try FaultPlan(parsing: "latency=infs") }
        #expect(throws: FaultPlanSyntaxError.self) { try FaultPlan(parsing: "latency=nanms") }
        #expect(try FaultPlan(parsing: "latency=1440m").latency?.delay == .seconds(86_400))
    }

    @Test("--rate and --rate-limit: N up to a billion, the window up to a day, no overflow", arguments: [
        ("1/9223372036854775807s", nil), ("1/2562047788015216h", nil), ("1/86401s", nil), ("1000000001/1s", nil),
        ("9223372036854775807/1s", nil), ("1/1440m", 86_400), ("167/10s", 10), ("500/1", 1),
    ] as [(String, Int?)])
    func rateRule(text: String, window: Int?) {
        #expect(RateLimitRule(parsing: text)?.windowSeconds == window)
    }

    @Test("X-RateLimit-Reset and Retry-After that are no time are ignored, not trapped on")
    func headers() {
        var headers = HTTPHeaders([("X-RateLimit-Limit", "10"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1e300")])
        #expect(RateLimit(headers: headers)?.reset == nil)
        headers.replaceOrAdd(name: "X-RateLimit-Reset", value: "nan")
        #expect(RateLimit(headers: headers)?.reset == nil)
        headers.replaceOrAdd(name: "X-RateLimit-Reset", value: "1700000000.7")
        #expect(RateLimit(headers: headers)?.reset == 1_700_000_000)
    }

    @Test("a retry never waits past the policy's cap, whatever Retry-After or the reset says: a longer wait gives up at once")
    func retryWaitsAreBounded() {
        let policy = RetryPolicy(maximumRetries: 3)
        let huge = IntercomError(kind: .rateLimited, status: 429, message: "slow down", retryAfter: 1e300, mayHaveBeenProcessed: false)
        #expect(policy.decide(after: huge, effect: .idempotentWrite, attempt: 1, waited: .zero, now: 0, random: 0.5) == .waitCapReached)
        let farReset = IntercomError(
            kind: .rateLimited, status: 429, message: "slow down", rateLimit: RateLimit(limit: 1, remaining: 0, reset: .max),
            mayHaveBeenProcessed: false)
        #expect(policy.decide(after: farReset, effect: .idempotentWrite, attempt: 1, waited: .zero, now: 0, random: 0.5) == .waitCapReached)
    }

    @Test("a window reset a day away holds requests at most a minute")
    func pacerHoldIsBounded() {
        let zero = ContinuousClock.now
        var pacer = RequestPacer()
        _ = pacer.reserve(now: zero)
        pacer.observe(RateLimit(limit: 10, remaining: 0, reset: 1_000 + 86_400), now: zero, unixNow: 1_000)
        #expect(pacer.reserve(now: zero) == zero + RequestPacer.maximumHold)
        var endless = RequestPacer()
        _ = endless.reserve(now: zero)
        endless.observe(RateLimit(limit: 10, remaining: 0, reset: .max), now: zero, unixNow: 1_000)
        #expect(endless.reserve(now: zero) == zero + RequestPacer.maximumHold)
    }
}
