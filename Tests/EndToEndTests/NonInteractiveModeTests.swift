import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The non-interactive mode of the built executable: lines in, NDJSON records out.
@Suite("Non-interactive mode")
struct NonInteractiveModeTests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    static func requestCount(_ server: SandboxServer) async throws -> Int64 {
        let stats = try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats"))
        return try JSONValue(parsing: stats.body)["requests"]?.integerValue ?? -1
    }

    @Test("the issue's example: a command and an NDJSON line give two ok records")
    func twoSyntaxes() async throws {
        let outcome = try await ExecutableRunner.run(
            ["--sandbox"], input: "find user email=somebody@example.com\n{\"op\":\"get_tag\",\"name\":\"Free Trial\"}\n")
        #expect(outcome.status == 0)
        let records = try Self.records(outcome.standardOutput)
        #expect(records.count == 2)
        #expect(records.map { $0["ok"] } == [true, true])
        #expect(records[0]["op"] == "get_user")
        #expect(records[0]["result"]?["name"] == "Somebody")
        #expect(records[1]["line"] == 2)
        #expect(records[1]["result"]?["tagged_user_count"] == 2)
        #expect(outcome.standardOutput.hasPrefix("{\"line\":1,\"op\":\"get_user\",\"ok\":true,\"result\":"))
    }

    @Test("the three examples of the design brief work verbatim")
    func briefExamples() async throws {
        let outcome = try await ExecutableRunner.run(
            ["--sandbox"], input: "find user email=somebody@example.com\ntag \"Free Trial\" abc123 def456\nevent sent-invite user_id=314159\n")
        #expect(outcome.status == 0, "\(outcome.standardOutput)")
        let records = try Self.records(outcome.standardOutput)
        #expect(records.map { $0["op"] } == ["get_user", "create_tag", "create_event"])
        #expect(records.allSatisfy { $0["ok"] == true })
    }

    /// Every operation, in both syntaxes.
    static let script: [(command: String, ndjson: String)] = [
        ("find user email=somebody@example.com", #"{"op":"get_user","email":"somebody@example.com"}"#),
        ("users per_page=2 page=2", #"{"op":"get_users","per_page":2,"page":2}"#),
        ("users all tag_name=\"Free Trial\"", #"{"op":"all_users","tag_name":"Free Trial"}"#),
        ("create user 7902 email=ben@intercom.io name=Ben custom_data.plan=pro created_at=1257553080", #"{"op":"create_user","user_id":"7902","email":"ben@intercom.io","name":"Ben","custom_data":{"plan":"pro"},"created_at":1257553080}"#),
        ("update user 7902 name=Guido", #"{"op":"update_user","user_id":"7902","name":"Guido"}"#),
        ("impression 7902 user_ip=2.3.4.5 user_agent=MyApp/1.0", #"{"op":"create_impression","user_id":"7902","user_ip":"2.3.4.5","user_agent":"MyApp/1.0"}"#),
        ("note 7902 \"This is a note\"", #"{"op":"create_note","user_id":"7902","body":"This is a note"}"#),
        ("message 7902 \"Hey Intercom, What is up?\"", #"{"op":"create_message_thread","user_id":"7902","body":"Hey Intercom, What is up?"}"#),
        ("threads ben@intercom.io", #"{"op":"get_message_threads","email":"ben@intercom.io"}"#),
        ("reply 7902 5592 \"Not much\" read=true", #"{"op":"reply_message_thread","user_id":"7902","thread_id":5592,"body":"Not much","read":true}"#),
        ("thread 7902 5592", #"{"op":"get_message_threads","user_id":"7902","thread_id":5592}"#),
        ("find tag \"Free Trial\"", #"{"op":"get_tag","name":"Free Trial"}"#),
        ("tag \"Free Trial\" 7902 somebody@example.com", #"{"op":"create_tag","name":"Free Trial","tag_or_untag":"tag","user_ids":["7902"],"emails":["somebody@example.com"]}"#),
        ("untag \"Free Trial\" abc123", #"{"op":"update_tag","name":"Free Trial","tag_or_untag":"untag","user_ids":["abc123"]}"#),
        ("event sent-invite user_id=7902 metadata.invite_code=ADDAFRIEND", #"{"op":"create_event","event_name":"sent-invite","user_id":"7902","metadata":{"invite_code":"ADDAFRIEND"}}"#),
        ("delete user 7902", #"{"op":"delete_user","user_id":"7902"}"#),
        ("find user 7902", #"{"op":"get_user","user_id":"7902"}"#),
    ]

    /// A record without the fields that depend on the clock (timestamps, ids made from the time).
    static func normalised(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var copy: JSONObject = [:]
            for (key, member) in object where !["created_at", "updated_at", "last_impression_at", "intercom_id"].contains(key) {
                copy[key] = normalised(member)
            }
            return .object(copy)
        case .array(let items): return .array(items.map(normalised))
        default: return value
        }
    }

    @Test("every operation gives the same records in both syntaxes")
    func sameRecordsInBothSyntaxes() async throws {
        let commands = try await ExecutableRunner.run(["--sandbox"], input: Self.script.map(\.command).joined(separator: "\n") + "\n")
        let ndjson = try await ExecutableRunner.run(["--sandbox"], input: Self.script.map(\.ndjson).joined(separator: "\n") + "\n")
        let fromCommands = try Self.records(commands.standardOutput)
        let fromNDJSON = try Self.records(ndjson.standardOutput)
        #expect(fromCommands.count == Self.script.count + 1)
        #expect(fromCommands.map(Self.normalised) == fromNDJSON.map(Self.normalised))
        let failures = fromCommands.filter { $0["ok"] == false }
        #expect(failures.count == 1)
        #expect(failures.first?["error"]?["type"] == "not_found")
        #expect(failures.first?["op"] == "get_user")
        #expect(commands.status == 1)
        let allUsers = fromCommands.filter { $0["op"] == "all_users" }
        #expect(allUsers.count == 2)
        #expect(allUsers.allSatisfy { $0["line"] == 3 })
    }

    @Test("a mixed stream: blank lines and comments are skipped, line numbers are the input's, refs echo back")
    func mixedStream() async throws {
        let input = """
            # set up

            create user 1 email=one@example.com \\
                name="Number One"
            {"op":"get_user","user_id":"1","ref":{"row":4}}
              # indented comment
            find user one@example.com
            """
        let outcome = try await ExecutableRunner.run(["--sandbox"], input: input)
        let records = try Self.records(outcome.standardOutput)
        #expect(records.map { $0["line"] } == [3, 5, 7])
        #expect(records[0]["result"]?["name"] == "Number One")
        #expect(records[1]["ref"] == ["row": 4])
        #expect(records[2]["result"]?["user_id"] == "1")
        #expect(outcome.status == 0)
    }

    static let malformed: [String] = [
        #"{"op":"create_user","email":"#,
        #"{"op":"create_user","emial":"a@b.io"}"#,
        #"{"op":"no_such_op"}"#,
        #"{"op":"create_user","user_id":"1","custom_data":{"plan":{"nested":1}}}"#,
        #"{"op":"create_user","user_id":["x"]}"#,
        "[1,2,3]",
        "frobnicate everything",
        "create user user_id=1 name=x name.first=y",
        "find user",
        "\u{FEFF}\u{0}",
    ]

    @Test("every malformed line gets an invalid_input record with its line number, and no request is sent")
    func malformedLines() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            var input = Self.malformed.joined(separator: "\n") + "\n"
            input += "find user 123\n"
            var bytes = Array(input.utf8)
            bytes += [0x6E, 0x6F, 0x74, 0x65, 0x20, 0xFF, 0xFE, 0x0A]
            bytes += Array(("x" + String(repeating: "y", count: 300) + "\n").utf8)
            let before = try await Self.requestCount(server)
            let outcome = try await ExecutableRunner.run(
                ["--max-line-bytes", "256"], input: String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}\u{FFFD}", with: "\u{FFFD}"),
                environment: server.clientEnvironment())
            let after = try await Self.requestCount(server)
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == Self.malformed.count + 3)
            let invalid = records.filter { $0["error"]?["type"] == "invalid_input" }
            #expect(invalid.count == Self.malformed.count + 2)
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...Int64(Self.malformed.count + 3)))
            #expect(records[Self.malformed.count]["ok"] == true)
            #expect(after - before == 2, "only find user 123 was sent (plus this stats request)")
            #expect(outcome.status == 1)
        }
    }

    @Test("a quote or JSON value left open fails its own line only; the lines after it run", arguments: [
        "note 123 \"unterminated", "create user user_id=1 custom_data={\"a\":", "create user 1 name=\"a\nfind user 123\nfind user abc123",
    ])
    func unclosedValueFailsItsLine(text: String) async throws {
        let outcome = try await ExecutableRunner.run(["--sandbox", "--output", "ndjson"], input: "find user 123\n" + text + "\n")
        let records = try Self.records(outcome.standardOutput)
        let lines = text.split(separator: "\n").count
        #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...Int64(lines + 1)), "\(records)")
        #expect(records[1]["error"]?["type"] == "invalid_input", "\(records)")
        #expect(records[1]["error"]?["message"]?.stringValue?.hasPrefix("2:") == true, "the failure names its own line: \(records)")
        #expect(records.dropFirst(2).allSatisfy { $0["ok"] == true }, "\(records)")
        #expect(outcome.status == 1)
    }

    @Test("exit statuses: 0 success, 1 a failure, 2 usage, 3 no credentials or 401")
    func exitStatuses() async throws {
        #expect(try await ExecutableRunner.run(["--sandbox", "-c", "find user 123"]).status == 0)
        #expect(try await ExecutableRunner.run(["--sandbox", "-c", "find user nobody"]).status == 1)
        let usage = try await ExecutableRunner.run(["--no-such-flag"])
        #expect(usage.status == 2)
        #expect(usage.standardError.contains("--no-such-flag"))
        #expect(try await ExecutableRunner.run(["--output", "yaml", "-c", "help"]).status == 2)
        let noCredentials = try await ExecutableRunner.run(["-c", "find user 123"], environment: ["HOME": "/nonexistent", "INTERCOM_APP_ID": "", "INTERCOM_API_KEY": ""])
        #expect(noCredentials.status == 3)
        #expect(noCredentials.standardError.contains("--sandbox"))
        try await SandboxHarness.withSandbox { server, _ in
            let refused = try await ExecutableRunner.run(["-c", "find user 1", "-c", "find user 2"], environment: server.clientEnvironment(apiKey: "wrong-secret-key"))
            #expect(refused.status == 3)
            let records = try Self.records(refused.standardOutput)
            #expect(records.count == 1)
            #expect(records.first?["error"]?["type"] == "authentication")
            #expect(!refused.standardOutput.contains("wrong-secret-key"))
            #expect(!refused.standardError.contains("wrong-secret-key"))
            #expect(refused.standardError.contains("the app id or api key was refused (401): check INTERCOM_APP_ID"), "\(refused.standardError)")
            var restEnvironment = server.restClientEnvironment()
            restEnvironment["INTERCOM_ACCESS_TOKEN"] = "wrong-access-token-0123456789"
            let restRefused = try await ExecutableRunner.run(["-c", "find user 1"], environment: restEnvironment)
            #expect(restRefused.status == 3 && restRefused.standardError.contains("the access token was refused (401): check INTERCOM_ACCESS_TOKEN"),
                "\(restRefused.standardError)")
        }
        let missing = try await ExecutableRunner.run(["run", "no-such-script.ish", "--sandbox"])
        #expect(missing.status == 2 && missing.standardError.contains("there is no script no-such-script.ish"), "\(missing.standardError)")
        #expect(missing.standardOutput.isEmpty, "a usage error, not a record")
    }

    @Test("--on-error stop ends after the first failure; --op names the operation of plain objects")
    func errorPolicyAndDefaultOperation() async throws {
        let stopped = try await ExecutableRunner.run(["--sandbox", "--on-error", "stop"], input: "find user nobody\nfind user 123\n")
        #expect(try Self.records(stopped.standardOutput).count == 1)
        #expect(stopped.status == 1)
        #expect(stopped.standardError.contains("stopped at the failure on line 1 (--on-error stop)") && stopped.standardError.contains("--on-error continue"),
            "\(stopped.standardError)")
        let imported = try await ExecutableRunner.run(
            ["--sandbox", "--op", "create_user"], input: "{\"email\":\"a@example.com\",\"name\":\"A\"}\n{\"email\":\"b@example.com\",\"ref\":\"row-2\"}\n")
        let records = try Self.records(imported.standardOutput)
        #expect(records.map { $0["op"] } == ["create_user", "create_user"])
        #expect(records[1]["ref"] == "row-2")
        #expect(imported.status == 0)
    }

    @Test("output formats: json is one array; pretty is indented and uncoloured off a terminal")
    func outputFormats() async throws {
        let json = try await ExecutableRunner.run(["--sandbox", "--output", "json", "-c", "find tag \"Free Trial\"", "-c", "find user nobody"])
        let array = try JSONValue(parsing: json.standardOutput)
        #expect(array.arrayValue?.count == 2)
        let empty = try await ExecutableRunner.run(["--sandbox", "--output", "json"], input: "")
        #expect(try JSONValue(parsing: empty.standardOutput) == [])
        let pretty = try await ExecutableRunner.run(["--sandbox", "--output", "pretty", "-c", "find tag \"Free Trial\"", "-c", "find user nobody"])
        #expect(pretty.standardOutput.contains("\n  \"name\": \"Free Trial\""))
        #expect(pretty.standardOutput.contains("line 2: get_user: not_found (404): The User was not found"))
        #expect(!pretty.standardOutput.contains("\u{1B}["))
    }

    @Test("records stream, and a closed pipe (| head -1) ends the run quietly")
    func closedPipe() async throws {
        let binary = RepositoryPaths.executable.path
        // Without --quiet too: the reader asked for no more, so no closing line.
        let script = "for i in $(seq 2000); do echo 'find user 123'; done | '\(binary)' --sandbox | head -n 1; echo \"status=${PIPESTATUS[1]}\" >&2"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        async let outputData = onThread { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let errorData = onThread { stderr.fileHandleForReading.readDataToEndOfFile() }
        let output = String(decoding: await outputData, as: UTF8.self)
        let errors = String(decoding: await errorData, as: UTF8.self)
        await onThread { process.waitUntilExit() }
        #expect(output.split(separator: "\n").count == 1)
        #expect(errors.trimmingCharacters(in: .whitespacesAndNewlines) == "status=0", "\(errors)")
    }

    /// `count` lines: every 100th a real request, the others refused before sending (an unknown key).
    static func largeInput(_ count: Int) -> String {
        var lines: [String] = []
        lines.reserveCapacity(count)
        for index in 1...count {
            lines.append(index % 100 == 0 ? #"{"op":"get_tag","name":"Free Trial"}"# : #"{"op":"get_user","user_idd":"\#(index)"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("a 100,000-line input streams: one record per line in order, and memory does not grow with the input")
    func largeInputStreams() async throws {
        let small = try await ExecutableRunner.run(["--sandbox"], input: Self.largeInput(10_000))
        let large = try await ExecutableRunner.run(["--sandbox"], input: Self.largeInput(100_000))
        let lines = large.standardOutput.split(separator: "\n")
        #expect(lines.count == 100_000)
        #expect(lines[99].hasPrefix(#"{"line":100,"op":"get_tag","ok":true"#))
        #expect(lines[99_999].hasPrefix(#"{"line":100000,"op":"get_tag","ok":true"#))
        #expect(lines[12_344].hasPrefix(#"{"line":12345,"ok":false,"error":{"type":"invalid_input""#))
        #expect(small.peakResidentBytes > 0)
        #expect(large.peakResidentBytes < small.peakResidentBytes + 16 << 20, "peak \(large.peakResidentBytes) vs \(small.peakResidentBytes)")
    }

    @Test("a closing summary on standard error (unless --quiet), and as a last record with --summary")
    func summaryLine() async throws {
        let outcome = try await ExecutableRunner.run(["--sandbox", "--summary", "-c", "find user 123", "-c", "find user nobody"])
        #expect(outcome.standardError.contains("intercom-sh: 1 ok, 1 failed, 0 skipped, 2 requests, 0 retried, 0 rate-limited (429), "))
        let records = try Self.records(outcome.standardOutput)
        #expect(records.count == 3)
        #expect(records.last?["summary"]?["requests"] == 2)
        #expect(records.last?["summary"]?["calls_per_operation"] == ["get_user": 1])
        #expect(records.last?["summary"]?["ok"] == 1)
        #expect(records.last?["summary"]?["failed"] == 1)
        let quiet = try await ExecutableRunner.run(["--sandbox", "--quiet", "-c", "find user 123"])
        #expect(quiet.standardError.isEmpty)
    }

    @Test("SIGINT stops the run with status 130")
    func interrupted() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: try FaultPlan(parsing: "latency=300ms"))) { server, _ in
            let (process, input, output) = try ExecutableRunner.start([], environment: server.clientEnvironment())
            input.write(Data(String(repeating: "find user 123\n", count: 100).utf8))
            // Interrupted once it is running (the first record is out), however slowly this machine started it.
            _ = await ExecutableRunner.readThroughFirstLine(output)
            process.interrupt()
            await onThread { process.waitUntilExit() }
            #expect(process.terminationStatus == 130)
        }
    }
}
