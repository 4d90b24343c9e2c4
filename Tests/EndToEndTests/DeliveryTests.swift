import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Retries against a sandbox that fails on purpose: nothing is lost, nothing is applied twice.
@Suite("Delivery under faults")
struct DeliveryTests {
    @Test("safe operations are retried to success; notes are never applied twice and end ok or unknown_outcome")
    func retriesUnderFaults() async throws {
        let faults = try FaultPlan(parsing: "503=10%,429=2%,drop-before=4%,drop-after=4%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            var lines: [String] = []
            for index in 0..<150 {
                lines.append(#"{"op":"create_user","user_id":"r\#(index)"}"#)
                lines.append(#"{"op":"create_note","user_id":"123","body":"note \#(index)"}"#)
            }
            let environment = server.clientEnvironment()
            let outcome = try await ExecutableRunner.run(["--retries", "10"], input: lines.joined(separator: "\n") + "\n", environment: environment)
            let records = try outcome.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.count == lines.count)
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...Int64(lines.count)))
            let users = records.filter { $0["op"] == "create_user" }
            #expect(users.allSatisfy { $0["ok"] == true }, "\(users.filter { $0["ok"] == false })")
            let notes = records.filter { $0["op"] == "create_note" }
            let okNotes = notes.filter { $0["ok"] == true }.count
            let unknown = notes.filter { $0["error"]?["type"] == "unknown_outcome" }.count
            #expect(okNotes + unknown == notes.count, "\(notes.filter { $0["ok"] == false && $0["error"]?["type"] != "unknown_outcome" })")
            let stored = try server.store.statistics().notes
            #expect(stored >= okNotes)
            #expect(stored <= okNotes + unknown)
            #expect(try server.store.statistics().users == 3 + 150)
        }
    }
}

extension DeliveryTests {
    @Test("at --concurrency 16 records still come out in input order; --unordered writes every one as it finishes")
    func orderedAtConcurrency() async throws {
        let faults = try FaultPlan(parsing: "latency=40ms@40%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            var lines: [String] = []
            for index in 0..<400 {
                lines.append(index % 3 == 0 ? "find tag \"Free Trial\"" : #"{"op":"create_user","user_id":"c\#(index)","ref":\#(index)}"#)
                if index % 50 == 0 { lines.append("not a command") }
            }
            let input = lines.joined(separator: "\n") + "\n"
            let environment = server.clientEnvironment()
            let ordered = try await ExecutableRunner.run(["--concurrency", "16"], input: input, environment: environment)
            let records = try ordered.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...Int64(lines.count)))
            #expect(records.filter { $0["ok"] == false }.count == 8)
            let unordered = try await ExecutableRunner.run(["--concurrency", "16", "--unordered"], input: input, environment: environment)
            let unorderedLines = try unordered.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0))["line"]?.integerValue ?? 0 }
            #expect(unorderedLines.sorted() == Array(1...Int64(lines.count)))
        }
    }
}

extension DeliveryTests {
    @Test("--failures writes every failed line verbatim; submitting that file again completes the rest")
    func failuresFile() async throws {
        let faults = try FaultPlan(parsing: "503=30%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, _ in
            var lines = (0..<60).map { #"{"op":"create_user","user_id":"f\#($0)"}"# }
            lines.insert("create user f-continued \\\n  name=\"Continued\"", at: 10)
            lines.insert("this line is not a command", at: 20)
            lines.insert("find user \\\n  nobody-here", at: 30)
            let environment = server.clientEnvironment()
            let first = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString)-f1")
            let second = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString)-f2")
            let run = try await ExecutableRunner.run(
                ["--retries", "0", "--failures", first.path], input: lines.joined(separator: "\n") + "\n", environment: environment)
            let failedRecords = run.standardOutput.split(separator: "\n").filter { $0.contains(#""ok":false"#) }.count
            let failedLines = try String(contentsOf: first, encoding: .utf8)
            #expect(failedRecords > 1)
            #expect(failedLines.contains("this line is not a command\n"))
            #expect(failedLines.contains("find user \\\n  nobody-here\n"))
            #expect(try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? NSNumber == 0o600)
            let rerun = try await ExecutableRunner.run(["--retries", "10", "--failures", second.path], input: failedLines, environment: environment)
            #expect(rerun.standardOutput.split(separator: "\n").filter { $0.contains(#""ok":false"#) }.count == 2)
            #expect(try String(contentsOf: second, encoding: .utf8) == "this line is not a command\nfind user \\\n  nobody-here\n")
            #expect(try server.store.statistics().users == 61)
        }
    }
}

extension DeliveryTests {
    @Test("--dry-run checks every line, references included, shows the requests and sends nothing")
    func dryRun() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let environment = server.clientEnvironment()
            let input = """
                create user 7902 email=ben@intercom.io custom_data.plan=pro as ben
                message ${ben.user_id} "Hi" as thread
                reply ${ben.email} ${thread.thread_id} "Again"
                {"op":"create_user","user_id":"1","custom_data":{"deep":{"x":1}}}
                note ${nobody.email} "x"
                users all tag_name="Free Trial"
                """
            let outcome = try await ExecutableRunner.run(["--dry-run", "--quiet"], input: input + "\n", environment: environment)
            let records = try outcome.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.count == 6)
            #expect(records[0]["result"]?["dry_run"] == ["method": "POST", "path": "users", "body": ["user_id": "7902", "email": "ben@intercom.io", "custom_data": ["plan": "pro"]]])
            #expect(records[1]["result"]?["dry_run"]?["body"]?["user_id"] == "7902")
            #expect(records[2]["ok"] == true)
            #expect(records[2]["result"]?["dry_run"]?["body"]?["email"] == "ben@intercom.io")
            #expect(records[3]["error"]?["message"]?.stringValue?.contains("custom_data.deep") == true)
            #expect(records[4]["error"]?["message"]?.stringValue?.contains("no result or variable named 'nobody'") == true)
            #expect(records[5]["result"]?["dry_run"]?["query"] == "page=1&per_page=500&tag_name=Free+Trial")
            #expect(outcome.status == 1)
            let stats = try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats"))
            #expect(try JSONValue(parsing: stats.body)["requests"] == 1)
        }
    }
}

extension DeliveryTests {
    @Test("an event that failed after its request went out is written to the failures file with the created it was sent with, so sending it again cannot record it twice")
    func failedEventKeepsItsCreated() async throws {
        let faults = try FaultPlan(parsing: "drop-after=100%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            let environment = server.clientEnvironment()
            let failures = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString)-events")
            defer { try? FileManager.default.removeItem(at: failures) }
            let given = #"{"op":"create_event","event_name":"paid","user_id":"123","created":1400000000}"#
            let input = """
                event signed-up user_id=123 # a comment
                {"op":"create_event","event_name":"invited","user_id":"123","ref":7}
                \(given)
                {"op":"create_event","event_name":"broken","user_id":"123","metadata":{"deep":{"x":1}}}

                """
            let run = try await ExecutableRunner.run(["--retries", "0", "--failures", failures.path], input: input, environment: environment)
            #expect(run.status == 1)
            let lines = try String(contentsOf: failures, encoding: .utf8).split(separator: "\n").map(String.init)
            // The server applied each event it got before dropping the connection.
            let stored = try server.store.recentEvents()
            func created(_ name: String) -> Int64? { stored.first { $0["event_name"]?.stringValue == name }?["created"]?.integerValue }
            let signedUp = try #require(created("signed-up"))
            let invited = try #require(created("invited"))
            #expect(stored.count == 3)
            #expect(lines == [
                #"{"op":"create_event","created":\#(signedUp),"event_name":"signed-up","user_id":"123"}"#,
                #"{"op":"create_event","created":\#(invited),"event_name":"invited","ref":7,"user_id":"123"}"#,
                given,
                #"{"op":"create_event","event_name":"broken","user_id":"123","metadata":{"deep":{"x":1}}}"#,
            ])

            // Sent again (and applied again before the next drop), the three events are still three.
            let again = try await ExecutableRunner.run(["--retries", "0"], input: lines.joined(separator: "\n") + "\n", environment: environment)
            #expect(again.status == 1)
            #expect(try server.store.statistics().events == 3)
        }
    }
}

extension DeliveryTests {
    @Test("a refused connection fails its attempt at once and is retried by the retry policy, not waited out to --timeout")
    func refusedConnectionFailsFast() async throws {
        // Nothing listens on the discard port. Waiting out --timeout 30 for each of 3 attempts would take 90 s,
        // and the runner stops the process after 20.
        let outcome = try await ExecutableRunner.run(
            ["--endpoint", "http://127.0.0.1:9/v1/", "--timeout", "30", "--retries", "2", "--summary"],
            input: "find user 1\n", environment: ["HOME": "/nonexistent", "INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": "b"],
            timeout: .seconds(20))
        #expect(outcome.status == 1)
        let records = try outcome.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(records.first?["error"]?["type"] == "connection")
        #expect(records.first?["error"]?["message"] == "could not connect: connection refused")
        #expect(records.last?["summary"]?["retried"] == 2)
    }
}
