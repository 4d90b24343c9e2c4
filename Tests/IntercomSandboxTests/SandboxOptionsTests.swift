import IntercomKit
import IntercomSandbox
import IntercomTesting
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

extension SandboxOptionsTests {
    @Test("--seed syntax: empty, demo, generated:N with N from 1 to ten million")
    func seedSyntax() {
        #expect(SandboxSeed("empty") == .empty && SandboxSeed("demo") == .demo && SandboxSeed("generated:25") == .generated(25))
        for bad in ["", "generated", "generated:", "generated:0", "generated:-3", "generated:x", "generated:10000001", "Demo"] {
            #expect(SandboxSeed(bad) == nil, "\(bad)")
        }
        #expect(SandboxSeed.generated(7).text == "generated:7")
    }
}

@Suite("The generated seed")
struct GeneratedSeedTests {
    @Test("generated:50 holds 50 contacts, 5 companies with 10 contacts each, 25 conversations of 4 parts; the same every time")
    func generated() async throws {
        var answers: [[JSONValue]] = []
        for _ in 0..<2 {
            try await SandboxHarness.withRestSandbox(SandboxConfiguration(seed: .generated(50))) { _, client in
                let contacts = try #require(try await client.send(.get("contacts", query: [("per_page", "150")])).body)
                #expect(contacts["total_count"] == 50 && contacts["data"]?.arrayValue?.count == 50)
                let companies = try #require(try await client.send(.get("companies", query: [("per_page", "50")])).body)
                #expect(companies["total_count"] == 5)
                let company = try #require(companies["data"]?.arrayValue?.first?["id"]?.stringValue)
                let members = try #require(try await client.send(.get("companies/\(company)/contacts")).body)
                #expect(members["data"]?.arrayValue?.count == 10, "\(members)")
                let conversations = try #require(try await client.send(.get("conversations", query: [("per_page", "150")])).body)
                #expect(conversations["total_count"] == 25)
                let third = try #require(try await client.send(.get("conversations/3")).body)
                #expect(third["conversation_parts"]?["total_count"] == 3 && third["state"] == "closed", "\(third)")
                let user = try #require(try await client.send(.get("contacts/find_by_external_id/u7")).body)
                #expect(user["email"] == "u7@example.com" && user["custom_attributes"]?["plan"] == "pro")
                answers.append([contacts, companies, third, user])
            }
        }
        #expect(answers[0] == answers[1], "the same data on every run")
    }
}
