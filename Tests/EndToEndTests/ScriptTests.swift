import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Scripts with references, `source`, recording and replay with --check, through the built executable.
@Suite("Scripts, recording and replay")
struct ScriptTests {
    static let scripts = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/scripts")

    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString)-\(name)")
    }

    @Test("the demo-app script builds a small app from nothing, with references and a sourced file")
    func demoApp() async throws {
        let outcome = try await ExecutableRunner.run(
            ["run", "--sandbox", "--set", "owner_id=7902", Self.scripts.appendingPathComponent("demo-app.ish").path])
        #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
        let records = try Self.records(outcome.standardOutput)
        #expect(records.count == 11)
        #expect(records.allSatisfy { $0["ok"] == true })
        #expect(records[2]["source"]?.stringValue?.hasSuffix("users-more.ish") == true)
        let note = records.first { $0["op"] == "create_note" }
        #expect(note?["result"]?["html"] == "<p>Signed the annual plan (pro)</p>")
        let thread = records.last { $0["op"] == "get_message_threads" }
        #expect(thread?["result"]?["messages"]?.arrayValue?.count == 2)
        #expect(records.last?["result"]?["tagged_user_count"] == 4)
    }

    @Test("a recorded session replays with --check against a fresh sandbox; a tampered one fails naming the field")
    func recordAndReplay() async throws {
        let recording = Self.temporaryFile("session.ndjson")
        let run = try await ExecutableRunner.run(
            ["run", "--sandbox", "--set", "owner_id=7902", "--record", recording.path, Self.scripts.appendingPathComponent("demo-app.ish").path])
        #expect(run.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: recording.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOf: recording, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 11)
        #expect(!text.contains("dummy-api-key"))
        #expect(text.contains(#""thread_id":5592"#))

        let replay = try await ExecutableRunner.run(["replay", "--sandbox", "--check", recording.path])
        #expect(replay.status == 0, "\(replay.standardError)")
        #expect(replay.standardError.contains("every result matches the recording"))
        #expect(try Self.records(replay.standardOutput).count == 11)

        let tampered = Self.temporaryFile("tampered.ndjson")
        try text.replacingOccurrences(of: #""html":"<p>Signed the annual plan (pro)</p>""#, with: #""html":"<p>Signed the monthly plan</p>""#).write(to: tampered, atomically: true, encoding: .utf8)
        let failing = try await ExecutableRunner.run(["replay", "--sandbox", "--check", tampered.path])
        #expect(failing.status == 1)
        #expect(failing.standardError.contains("(create_note) differs"))
        #expect(failing.standardError.contains(#"result.html: recorded "<p>Signed the monthly plan</p>", now "<p>Signed the annual plan (pro)</p>""#))
        let ignoring = try await ExecutableRunner.run(["replay", "--sandbox", "--check", "--ignore", "html", tampered.path])
        #expect(ignoring.status == 0, "\(ignoring.standardError)")
    }

    @Test("replayed ids are mapped: a thread created in a busier sandbox still gets its reply")
    func idMapping() async throws {
        let recording = Self.temporaryFile("ids.ndjson")
        let script = "message 123 \"first\" as t\nreply 123 ${t.thread_id} \"second\"\n"
        let run = try await ExecutableRunner.run(["run", "--sandbox", "--record", recording.path, "-"], input: script)
        #expect(run.status == 0)
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            _ = try await client.createMessageThread(for: .userID("123"), body: "makes the next thread id differ")
            let environment = server.clientEnvironment()
            let replay = try await ExecutableRunner.run(["replay", "--check", recording.path], environment: environment)
            #expect(replay.status == 0, "\(replay.standardError)")
            let records = try Self.records(replay.standardOutput)
            #expect(records.last?["result"]?["thread_id"] == 5593)
            #expect(records.last?["result"]?["messages"]?.arrayValue?.count == 2)
        }
    }

    @Test("a missing reference is invalid_input naming it, and no request is sent")
    func missingReference() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let environment = server.clientEnvironment()
            let outcome = try await ExecutableRunner.run(
                ["run", "--on-error", "continue", "-"], input: "note ${nobody.email} \"x\"\n{\"op\":\"get_user\",\"user_id\":\"${_.user_id}\"}\n",
                environment: environment)
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == 2)
            #expect(records[0]["error"]?["type"] == "invalid_input")
            #expect(records[0]["error"]?["message"]?.stringValue?.contains("no result or variable named 'nobody'") == true)
            #expect(records[1]["error"]?["message"]?.stringValue?.contains("there is no previous result yet") == true)
            #expect(try server.store.statistics().notes == 0)
            let stats = try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats"))
            #expect(try JSONValue(parsing: stats.body)["requests"] == 1)
        }
    }

    @Test("a source loop is an error, not a hang")
    func sourceLoop() async throws {
        let outcome = try await ExecutableRunner.run(
            ["run", "--sandbox", "--on-error", "continue", Self.scripts.appendingPathComponent("loop-a.ish").path], timeout: .seconds(30))
        let records = try Self.records(outcome.standardOutput)
        let loop = records.first { $0["error"]?["message"]?.stringValue?.contains("source loop") == true }
        #expect(loop?["error"]?["message"] == "source loop: loop-a.ish → loop-b.ish → loop-a.ish")
        #expect(outcome.status == 1)
    }

    @Test("run stops at the first failure unless --on-error continue; --echo shows each command")
    func onErrorAndEcho() async throws {
        let script = "find user nobody\nfind user 123\n"
        let stopped = try await ExecutableRunner.run(["run", "--sandbox", "-"], input: script)
        #expect(try Self.records(stopped.standardOutput).count == 1)
        #expect(stopped.status == 1)
        let continued = try await ExecutableRunner.run(["run", "--sandbox", "--on-error", "continue", "--echo", "-"], input: script)
        #expect(try Self.records(continued.standardOutput).count == 2)
        #expect(continued.standardError.contains("> find user nobody\n> find user 123\n"))
        let pretty = try await ExecutableRunner.run(["run", "--sandbox", "--echo", "--output", "pretty", "-"], input: "find tag \"Free Trial\"\n")
        #expect(pretty.standardOutput.hasPrefix("> find tag \"Free Trial\"\n{"))
        let environment = try await ExecutableRunner.run(["--sandbox", "-c", "create user ${env:INTERCOM_SH_TEST_USER} name=${who}", "--set", "who=Env"], environment: ["INTERCOM_SH_TEST_USER": "env-user"])
        #expect(try Self.records(environment.standardOutput).first?["result"]?["user_id"] == "env-user")
    }
}

extension ScriptTests {
    @Test("the README's script, record and replay run as shown")
    func readmeExample() async throws {
        let script = Self.scripts.appendingPathComponent("onboarding.ish")
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(try String(contentsOf: script, encoding: .utf8)))
        #expect(readme.contains("intercom-sh run --sandbox --set code=ADDAFRIEND --record session.ndjson Tests/Fixtures/scripts/onboarding.ish"))
        #expect(readme.contains("intercom-sh replay --sandbox --check session.ndjson"))
        #expect(readme.contains("intercom-sh run --sandbox --api-version 2.16 --create-attributes --set code=ADDAFRIEND --record session2.ndjson"))
        #expect(readme.contains("intercom-sh replay --sandbox --api-version 2.16 --create-attributes --check session2.ndjson"))
        let recording = Self.temporaryFile("session.ndjson")
        let run = try await ExecutableRunner.run(["run", "--sandbox", "--set", "code=ADDAFRIEND", "--record", recording.path, script.path])
        #expect(run.status == 0, "\(run.standardOutput)")
        let records = try Self.records(run.standardOutput)
        #expect(records.count == 5)
        #expect(records[3]["result"]?["html"] == "<p>On the pro plan</p>")
        let replay = try await ExecutableRunner.run(["replay", "--sandbox", "--check", recording.path])
        #expect(replay.status == 0)
        #expect(replay.standardError.contains("replay: every result matches the recording"))
    }
}

/// `run FILE` goes through the same engine as standard input: streamed, concurrent with `--on-error continue`,
/// and with the same logical-line rule as the prompt.
extension ScriptTests {
    /// The operations in flight on each progress line (`7/8 in flight`).
    static func inFlight(_ standardError: String) -> [Int] {
        standardError.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: " in flight") else { return nil }
            return line[..<range.lowerBound].split(separator: " ").last?.split(separator: "/").first.flatMap { Int($0) }
        }
    }

    static func file(_ name: String, _ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("run FILE with --on-error continue runs --concurrency operations at once; by default one at a time")
    func runFileConcurrently() async throws {
        let lines = (1...320).map { "create user fc\($0) email=fc\($0)@example.com" }.joined(separator: "\n") + "\n"
        let script = try Self.file("users.ish", lines)
        defer { try? FileManager.default.removeItem(at: script) }
        let configuration = SandboxConfiguration(seed: .empty, faults: try FaultPlan(parsing: "latency=50ms"))
        try await SandboxHarness.withSandbox(configuration) { server, _ in
            let environment = server.clientEnvironment()
            let concurrent = try await ExecutableRunner.run(
                ["run", "--on-error", "continue", "--concurrency", "8", "--progress", script.path], environment: environment)
            #expect(concurrent.status == 0, "\(concurrent.standardError)")
            let records = try Self.records(concurrent.standardOutput)
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...320), "in input order")
            #expect(records.allSatisfy { $0["source"]?.stringValue == script.standardizedFileURL.path })
            #expect((Self.inFlight(concurrent.standardError).max() ?? 0) > 4, "\(concurrent.standardError)")

            let head = try Self.file("head.ish", lines.split(separator: "\n").prefix(40).joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(at: head) }
            let stopping = try await ExecutableRunner.run(["run", "--progress", head.path], environment: environment)
            #expect(stopping.status == 0, "\(stopping.standardError)")
            #expect(!Self.inFlight(stopping.standardError).isEmpty && Self.inFlight(stopping.standardError).allSatisfy { $0 <= 1 })
        }
    }

    @Test("a 300,000-line file through run --dry-run streams: peak memory within 1.5x of the same lines on standard input")
    func runFileStreams() async throws {
        var text = ""
        text.reserveCapacity(300_000 * 60)
        for index in 1...300_000 { text += #"{"op":"create_user","user_id":"m\#(index)","email":"m\#(index)@example.com"}"# + "\n" }
        let input = try Self.file("large.ndjson", text)
        defer { try? FileManager.default.removeItem(at: input) }
        let file = try await ExecutableRunner.run(
            ["run", "--sandbox", "--dry-run", "--on-error", "continue", input.path], timeout: .seconds(300))
        let standardInput = try await ExecutableRunner.run(["--sandbox", "--dry-run"], inputFile: input, timeout: .seconds(300))
        #expect(file.status == 0 && standardInput.status == 0, "\(file.standardError) \(standardInput.standardError)")
        #expect(file.standardOutput.split(separator: "\n").count == 300_000)
        #expect(file.peakResidentBytes < 64 << 20, "peak \(file.peakResidentBytes >> 20) MiB")
        #expect(Double(file.peakResidentBytes) <= 1.5 * Double(standardInput.peakResidentBytes),
            "run FILE \(file.peakResidentBytes >> 20) MiB, standard input \(standardInput.peakResidentBytes >> 20) MiB")
    }

    @Test("in a script file, on standard input and with -c, a multi-line value is written with \\n or a trailing backslash")
    func multiLineValues() async throws {
        let text = #"create user ml1 name="First\nSecond" email=ml1@example.com \"# + "\n" + #"  custom_data.plan=pro"# + "\nfind user ml1\n"
        let script = try Self.file("multi-line.ish", text)
        defer { try? FileManager.default.removeItem(at: script) }
        let commands = ["--sandbox", "-c", #"create user ml1 name="First\nSecond" email=ml1@example.com \"#, "-c", "custom_data.plan=pro"]
        for arguments in [["run", "--sandbox", script.path], ["--sandbox"], commands] {
            let outcome = try await ExecutableRunner.run(arguments, input: arguments.count == 1 ? text : "")
            let records = try Self.records(outcome.standardOutput)
            #expect(records.first?["line"] == 1, "\(arguments): \(outcome.standardOutput)")
            #expect(records.first?["result"]?["name"] == "First\nSecond", "\(arguments): \(outcome.standardOutput)")
            #expect(records.first?["result"]?["custom_data"]?["plan"] == "pro", "\(arguments): \(outcome.standardOutput)")
            #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
        }
        let open = try await ExecutableRunner.run(["--sandbox"], input: "create user ml2 name=\"First\nSecond\" email=ml2@example.com\n")
        let records = try Self.records(open.standardOutput)
        #expect(records.count == 2 && records[0]["error"]?["type"] == "invalid_input", "an open quote is not continued: \(records)")
        #expect(records[1]["line"] == 2 && open.status == 1)
    }
}

/// Scripts written for v1 run unchanged on the REST API 2.x.
extension ScriptTests {
    static let bothAPIs: [[String]] = [["--sandbox"], ["--sandbox", "--api-version", "2.16", "--create-attributes"]]

    @Test("every fixture script runs to its end on v1 and on 2.x, and a 2.x recording replays with --check", arguments: bothAPIs)
    func fixtureScriptsOnBothAPIs(api: [String]) async throws {
        for (name, variables) in [("onboarding.ish", ["--set", "code=ADDAFRIEND"]), ("demo-app.ish", ["--set", "owner_id=7902"])] {
            let recording = Self.temporaryFile("both-\(name).ndjson")
            defer { try? FileManager.default.removeItem(at: recording) }
            let outcome = try await ExecutableRunner.run(
                ["run"] + api + variables + ["--record", recording.path, Self.scripts.appendingPathComponent(name).path])
            let records = try Self.records(outcome.standardOutput)
            #expect(outcome.status == 0 && records.allSatisfy { $0["ok"] == true }, "\(api) \(name): \(outcome.standardOutput)")
            #expect(records.count == (name == "onboarding.ish" ? 5 : 11), "\(api) \(name)")
            let note = records.first { $0["op"] == "create_note" }?["result"]
            #expect((note?["html"] ?? note?["body"])?.stringValue?.contains("pro") == true, "${ben.custom_data.plan} resolved: \(String(describing: note))")
            let replay = try await ExecutableRunner.run(["replay"] + api + ["--check", recording.path])
            #expect(replay.status == 0 && replay.standardError.contains("every result matches"), "\(api) \(name): \(replay.standardError)")
        }
    }

    @Test("on 2.x a line refused only for an undefined custom attribute names --create-attributes")
    func attributeHint() async throws {
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "-c", "create user 1 email=a@example.com custom_data.plan=pro"])
        #expect(outcome.standardOutput.contains("--create-attributes"), "\(outcome.standardOutput)")
        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "reply 123 abc \"x\""])
        #expect(v1.standardOutput.contains("thread_id on v1 is a whole number"), "\(v1.standardOutput)")
    }
}
