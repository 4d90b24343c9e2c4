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
