import IntercomSandbox
import Testing

@Suite("Sandbox options")
struct SandboxOptionsTests {
    @Test("--faults syntax")
    func faults() throws {
        let plan = try FaultPlan(parsing: "503=5%,429=0.02,drop-before=1%,drop-after=1%,latency=300ms@5%")
        #expect(plan.failures[.status503] == 0.05)
        #expect(plan.failures[.status429] == 0.02)
        #expect(plan.failures[.dropBefore] == 0.01)
        #expect(plan.failures[.dropAfter] == 0.01)
        #expect(plan.latency?.delay == .milliseconds(300))
        #expect(plan.latency?.probability == 0.05)
        #expect(try FaultPlan(parsing: "latency=2s").latency?.probability == 1)
        #expect(try FaultPlan(parsing: plan.description) == plan)
        for bad in ["503", "404=5%", "503=150%", "latency=fast", "500=60%,502=60%", "drop-after=x"] {
            #expect(throws: FaultPlanSyntaxError.self, "\(bad)") { try FaultPlan(parsing: bad) }
        }
    }

    @Test("--rate-limit syntax")
    func rateLimit() {
        #expect(RateLimitRule(parsing: "167/10s") == RateLimitRule(limit: 167, windowSeconds: 10))
        #expect(RateLimitRule(parsing: "500/1s") == RateLimitRule(limit: 500, windowSeconds: 1))
        #expect(RateLimitRule(parsing: "1000/1m") == RateLimitRule(limit: 1_000, windowSeconds: 60))
        #expect(RateLimitRule(parsing: "10/s") == RateLimitRule(limit: 10, windowSeconds: 1))
        for bad in ["", "167", "0/10s", "-1/1s", "5/0s", "x/1s", "5/1d"] {
            #expect(RateLimitRule(parsing: bad) == nil, "\(bad)")
        }
    }
}
