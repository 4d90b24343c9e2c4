import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Default flags against a rate-limited sandbox with latency: the executable adapts how many operations it keeps in
/// flight (seen on the progress line), stays under the limit, and reports requests and calls per operation.
@Suite("Adaptive concurrency, end to end")
struct AdaptiveImportTests {
    /// The limits shown on the progress lines (`27/28 in flight`).
    static func limits(_ standardError: String) -> [Int] {
        standardError.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: " in flight") else { return nil }
            let before = line[..<range.lowerBound]
            return before.split(separator: "/").last.flatMap { Int($0) }
        }
    }

    static func users(_ count: Int, prefix: String) -> String {
        (1...count).map { #"{"op":"create_user","user_id":"\#(prefix)\#($0)","email":"\#(prefix)\#($0)@example.com"}"# + "\n" }.joined()
    }

    @Test("default flags grow past 8 in flight to fill a limit at 100 ms, with no 429; --concurrency and --max-concurrency bound it")
    func adaptsToLatency() async throws {
        let configuration = SandboxConfiguration(
            seed: .empty, rateLimit: RateLimitRule(limit: 300, windowSeconds: 1), faults: try FaultPlan(parsing: "latency=100ms"))
        try await SandboxHarness.withSandbox(configuration) { server, _ in
            let environment = server.clientEnvironment()
            let adaptive = try await ExecutableRunner.run(["--progress", "--summary"], input: Self.users(900, prefix: "a"), environment: environment)
            #expect(adaptive.status == 0, "\(adaptive.standardError)")
            let records = try adaptive.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            let summary = try #require(records.last?["summary"])
            #expect(summary["ok"] == 900)
            #expect(summary["requests"] == 900)
            #expect(summary["calls_per_operation"] == ["create_user": 1])
            #expect(summary["rate_limited"] == 0)
            let limits = Self.limits(adaptive.standardError)
            #expect((limits.max() ?? 0) > 8, "300/s at 100 ms needs about 30 in flight: \(limits)")
            #expect(adaptive.standardError.contains("% of the rate limit"))

            let fixed = try await ExecutableRunner.run(["--progress", "--concurrency", "4"], input: Self.users(200, prefix: "f"), environment: environment)
            #expect(fixed.status == 0)
            #expect(Set(Self.limits(fixed.standardError)) == [4])
            let capped = try await ExecutableRunner.run(
                ["--progress", "--max-concurrency", "12"], input: Self.users(400, prefix: "c"), environment: environment)
            #expect(capped.status == 0)
            #expect(Self.limits(capped.standardError).allSatisfy { $0 <= 12 })
            #expect(Self.limits(capped.standardError).contains(12))
        }
    }

    @Test("--max-concurrency is checked")
    func validatesMaximum() async throws {
        let outcome = try await ExecutableRunner.run(["--sandbox", "--max-concurrency", "0"], input: "")
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--max-concurrency must be from 1 to 256"))
    }
}
