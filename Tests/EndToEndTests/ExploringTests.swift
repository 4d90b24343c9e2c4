import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Exploring through the executable: dates in the pretty and table views, `--output table`, the seed library's
/// looser inputs against the sandbox, and what an `unknown_outcome` keeps of the server's answer.
@Suite("Exploring in comfort")
struct ExploringTests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("--output table --time utc: users and a tag as aligned columns, times as dates")
    func tableOnTheCommandLine() async throws {
        let outcome = try await ExecutableRunner.run(
            ["--sandbox", "--output", "table", "--time", "utc"], input: "users\nfind tag \"Free Trial\"\nthreads 123\n")
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("user_id  email") == true, "\(outcome.standardOutput)")
        let somebody = try #require(lines.first { $0.hasPrefix("123 ") })
        #expect(somebody.contains("somebody@example.com"))
        #expect(somebody.contains("2010-03-31T01:46:40Z  2011-03-13T07:06:40Z"))
        #expect(lines.contains { $0.hasPrefix("(page 1 of 1, ") })
        #expect(lines.contains { $0.hasPrefix("id    ") && $0.hasSuffix("  tagged_user_count") })
        #expect(lines.contains { $0.hasPrefix("52322b4150233908a800013c  Free Trial ") && $0.hasSuffix(" 2") })
        #expect(lines.contains { $0.hasPrefix("thread_id  read  messages  created_at") })
        #expect(lines.contains { $0.hasPrefix("5591       true  3         2013-11-22T10:00:00Z") })
    }

    @Test("pretty output shows times in TZ's zone by default, --time epoch as sent; ndjson keeps the numbers")
    func timesByDisplay() async throws {
        let line = "find user email=somebody@example.com\n"
        let tokyo = try await ExecutableRunner.run(["--sandbox", "--output", "pretty"], input: line, environment: ["TZ": "Asia/Tokyo"])
        #expect(tokyo.standardOutput.contains(#""created_at": "2010-03-31T10:46:40+09:00""#), "\(tokyo.standardOutput)")
        let epoch = try await ExecutableRunner.run(["--sandbox", "--output", "pretty", "--time", "epoch"], input: line)
        #expect(epoch.standardOutput.contains(#""created_at": 1270000000"#))
        let ndjson = try await ExecutableRunner.run(["--sandbox", "--time", "utc"], input: line, environment: ["TZ": "Asia/Tokyo"])
        #expect(try Self.records(ndjson.standardOutput).first?["result"]?["created_at"] == 1_270_000_000)
        let wrong = try await ExecutableRunner.run(["--sandbox", "--time", "mars"], input: line)
        #expect(wrong.status == 2)
        #expect(wrong.standardError.contains("--time"))
    }

    @Test("a date for created_at, company, increments and numeric user_ids reach the sandbox as python-intercom meant them")
    func seedInputs() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let input = """
                create user 7902 email=ben@intercom.io created_at=2014-01-01T00:00:00Z company={"id":6,"name":"Intercom"} custom_data.logins=1
                update user 7902 increments={"logins":2}
                {"op":"create_tag","name":"Imported","tag_or_untag":"tag","user_ids":[7902,"123"]}
                find user 7902
                find tag Imported

                """
            let outcome = try await ExecutableRunner.run([], input: input, environment: server.clientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)")
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == 5)
            let user = try #require(records[3]["result"])
            #expect(user["created_at"] == 1_388_534_400)
            #expect(user["company_ids"] == [6])
            #expect(user["custom_data"]?["logins"] == 3)
            #expect(records[4]["result"]?["tagged_user_count"] == 2)
        }
    }

    @Test("thread without a thread id is an invalid_input naming thread_id, and nothing is sent")
    func threadWithoutID() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run([], input: "thread somebody@example.com\n", environment: server.clientEnvironment())
            #expect(outcome.status == 1)
            let record = try #require(try Self.records(outcome.standardOutput).first)
            #expect(record["error"]?["type"] == "invalid_input")
            #expect(record["error"]?["message"]?.stringValue?.contains("thread_id is required") == true)
            #expect(try await NonInteractiveModeTests.requestCount(server) == 1, "only the stats request")
        }
    }

    @Test("a 502 on a note: unknown_outcome keeps the status and the type it would have had; a read says bad_gateway")
    func unknownOutcomeCause() async throws {
        let faults = try FaultPlan(parsing: "502=100%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            let environment = server.clientEnvironment()
            let input = "note 123 \"Called\"\nfind user 123\n"
            let outcome = try await ExecutableRunner.run(["--retries", "0"], input: input, environment: environment)
            let records = try Self.records(outcome.standardOutput)
            #expect(records.first?["error"] == ["type": "unknown_outcome", "status": 502, "cause": "bad_gateway", "message": records.first?["error"]?["message"] ?? nil])
            #expect(outcome.standardOutput.hasPrefix(#"{"line":1,"op":"create_note","ok":false,"error":{"type":"unknown_outcome","status":502,"cause":"bad_gateway","message":"#))
            #expect(records.last?["error"]?["type"] == "bad_gateway")
            #expect(records.last?["error"]?["cause"] == nil)
            let pretty = try await ExecutableRunner.run(["--retries", "0", "--output", "pretty"], input: input, environment: environment)
            #expect(pretty.standardOutput.contains("line 1: create_note: unknown_outcome (502, bad_gateway): "), "\(pretty.standardOutput)")
        }
    }
}
