import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Secrets and trust: the api key never lands in any output or file, files that may hold customer data are
/// private, credentials do not cross a network in plain text, and certificates are checked.
@Suite("Secrets and trust", .serialized)
struct SecretsTests {
    static let secret = "sk-live-5ecr3t-7f3a9c41d2"
    static let credentials = Credentials(appID: "secret-app", apiKey: APIKey(secret))

    /// The forms in which the key could leak: as is, and inside the Basic Authorization value.
    static var secretForms: [String] {
        [secret, Data("\(credentials.appID):\(secret)".utf8).base64EncodedString()]
    }

    static func expectNoSecret(_ text: String, in place: String) {
        for form in secretForms { #expect(!text.contains(form), "the api key appears in \(place)") }
    }

    @Test("every artefact of pipe, prompt, journal, failures, recording, history and --verbose logs is free of the api key; files are 0600")
    func keyNeverWritten() async throws {
        let directory = try InteractivePromptTests.stateDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("journal.ndjson")
        let failures = directory.appendingPathComponent("failures.ndjson")
        let recording = directory.appendingPathComponent("session.ndjson")
        var outputs: [(String, String)] = []

        try await SandboxHarness.withSandbox(SandboxConfiguration(credentials: Self.credentials, seed: .demo)) { server, _ in
            var environment = server.clientEnvironment()
            environment["HOME"] = directory.path
            environment["XDG_STATE_HOME"] = directory.path
            let lines = [
                #"{"op":"create_user","user_id":"s1","email":"s1@example.com"}"#,
                #"{"op":"get_user","user_id":"nobody"}"#,
                #"{"op":"create_note","user_id":"s1","body":"api_key=\#(Self.secret)? never echoed by us"}"#,
                #"{"op":"frobnicate"}"#,
                "find user user_id=${env.INTERCOM_API_KEY}",
                #"{"op":"create_user","user_id":"s2","custom_data":{"k":{"nested":1}}}"#,
            ]
            let input = lines.joined(separator: "\n") + "\n"
            // The note's body quotes the key on purpose: a user's own data is echoed back as data, so that line is
            // left out of the scan below; everything else intercom-sh writes must not hold the key.
            let run = try await ExecutableRunner.run(
                ["--verbose", "--journal", journal.path, "--failures", failures.path, "--summary", "--echo"], input: input,
                environment: environment)
            #expect(run.status == 1)
            #expect(run.standardError.contains("Authorization: [redacted]"), "--verbose logs the requests: \(run.standardError)")
            #expect(run.standardError.contains("POST /v1/users -> 201"))
            outputs.append(("pipe stdout", run.standardOutput.split(separator: "\n").filter { !$0.contains("never echoed") }.joined(separator: "\n")))
            outputs.append(("pipe stderr", run.standardError.split(separator: "\n").filter { !$0.contains("never echoed") }.joined(separator: "\n")))

            let dryRun = try await ExecutableRunner.run(["--dry-run", "--output", "ndjson"], input: lines[0] + "\n", environment: environment)
            outputs.append(("dry run", dryRun.standardOutput + dryRun.standardError))
            let flag = try await ExecutableRunner.run(
                ["--api-key", Self.secret, "--endpoint", server.endpoint.absoluteString, "--verbose"], input: "find user nobody\n",
                environment: ["HOME": directory.path, "INTERCOM_APP_ID": "secret-app"])
            #expect(flag.standardOutput.contains("not_found"))
            outputs.append(("--api-key run", flag.standardOutput + flag.standardError))
            let wrongApp = try await ExecutableRunner.run(
                ["--verbose"], input: "find user 123\n", environment: environment.merging(["INTERCOM_APP_ID": "other-app"]) { _, new in new })
            #expect(wrongApp.standardOutput.contains("authentication"))
            outputs.append(("401 run", wrongApp.standardOutput + wrongApp.standardError))

            var promptEnvironment = environment
            promptEnvironment["TERM"] = "xterm"
            promptEnvironment["PAGER"] = ""
            let prompt = try await TmuxSession(
                command: "'\(RepositoryPaths.executable.path)' --verbose", environment: promptEnvironment)
            defer { Task { await prompt.kill() } }
            try await prompt.waitFor("> ")
            let commands = [
                "record \(recording.path)", "find user 123", "find user nobody", "set api_key \(Self.secret)", "set",
                "find user user_id=\(Self.secret)", "tag \"Free Trial\" s1",
            ]
            // Each line is typed at a fresh prompt: a line typed ahead while the last one runs is echoed by the
            // terminal itself, outside the prompt, and would look like output of ours.
            for (index, command) in commands.enumerated() {
                try await prompt.type(command)
                try await prompt.send("Enter")
                try await prompt.waitFor("prompt \(index + 2)") { $0.components(separatedBy: "intercom(").count - 1 >= index + 2 }
            }
            try await prompt.type("exit")
            try await prompt.send("Enter")
            try await Task.sleep(for: .milliseconds(500))
            outputs.append(("prompt screen", try await prompt.screen().split(separator: "\n").filter { !$0.contains("> ") }.joined(separator: "\n")))
        }

        let history = directory.appendingPathComponent("intercom-sh/history")
        for file in [journal, failures, recording, history] {
            #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent) was written")
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.lastPathComponent) is 0600, not \(String(mode ?? 0, radix: 8))")
        }
        let historyText = try String(contentsOf: history, encoding: .utf8)
        #expect(historyText.contains("123") && historyText.contains("Free"), "\(historyText)")
        #expect(try String(contentsOf: recording, encoding: .utf8).contains("Somebody"), "the recording holds the session's results")
        #expect(try String(contentsOf: journal, encoding: .utf8).contains("\"ok\""), "the journal holds outcomes")
        #expect(try String(contentsOf: failures, encoding: .utf8).contains("frobnicate"), "the failures file holds the failed lines")
        // Every file the runs left behind, whatever its name, and every output.
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        #expect(files.count >= 4)
        for file in files where !file.hasDirectoryPath {
            let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
            Self.expectNoSecret(text.split(separator: "\n").filter { !$0.contains("never echoed") }.joined(separator: "\n"), in: file.path)
        }
        for (place, text) in outputs { Self.expectNoSecret(text, in: place) }
    }

    @Test("plain http to another host than loopback is refused unless --insecure-http")
    func plainHTTPRefused() async throws {
        let environment = ["HOME": "/nonexistent", "INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": Self.secret]
        let refused = try await ExecutableRunner.run(
            ["--endpoint", "http://192.0.2.1/v1/"], input: "find user 1\n", environment: environment)
        #expect(refused.status == 3)
        #expect(refused.standardError.contains("refusing to send the api key over plain http to 192.0.2.1"))
        #expect(refused.standardOutput.isEmpty)
        let allowed = try await ExecutableRunner.run(
            ["--endpoint", "http://192.0.2.1/v1/", "--insecure-http", "--timeout", "0.5", "--retries", "0"], input: "find user 1\n",
            environment: environment)
        #expect(allowed.standardOutput.contains("\"connection\"") || allowed.standardOutput.contains("\"timeout\""), "\(allowed.standardOutput)")
    }

    @Test("an https server whose certificate is not trusted is refused before anything is sent")
    func untrustedCertificate() async throws {
        let directory = try InteractivePromptTests.stateDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("certificate.pem").path
        let generated = try Self.runTool(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1"])
        #expect(generated == 0)
        let port = Int.random(in: 20_000..<40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", String(port), "-cert", certificate, "-key", key, "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the child inherits the test process's blocked signals, so SIGTERM (terminate()) left it running.
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try await Task.sleep(for: .milliseconds(700))
        let run = try await ExecutableRunner.run(
            ["--endpoint", "https://127.0.0.1:\(port)/v1/", "--retries", "0", "--timeout", "5", "--output", "ndjson"], input: "find user 1\n",
            environment: ["HOME": "/nonexistent", "INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": Self.secret])
        #expect(run.status == 1)
        #expect(run.standardOutput.contains("TLS handshake failed"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("CERTIFICATE_VERIFY_FAILED"), "\(run.standardOutput)")
    }

    static func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

extension SecretsTests {
    @Test("a server error quoting the Authorization header reaches no record, recording or failures file with the credential")
    func echoedAuthorization() async throws {
        let credentials = Credentials(appID: "secret-app", apiKey: APIKey(Self.secret))
        let echo = #"{"error":{"type":"server_error","message":"you sent Authorization: \#(credentials.basicAuthorization)"}}"#
        try await CannedResponseServer.with(.init(status: 400, body: echo)) { server in
            let directory = try InteractivePromptTests.stateDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let recording = directory.appendingPathComponent("session.ndjson")
            let failures = directory.appendingPathComponent("failures.ndjson")
            let environment = [
                "INTERCOM_ENDPOINT": server.endpoint.absoluteString, "INTERCOM_APP_ID": credentials.appID, "INTERCOM_API_KEY": Self.secret,
                "HOME": directory.path,
            ]
            for format in ["ndjson", "pretty", "table"] {
                let run = try await ExecutableRunner.run(
                    ["--output", format, "--record", recording.path, "--failures", failures.path], input: "find user 1\n", environment: environment)
                #expect(run.status == 1)
                Self.expectNoSecret(run.standardOutput + run.standardError, in: "\(format) output")
                #expect(run.standardOutput.contains("Basic ***"), "\(run.standardOutput)")
            }
            Self.expectNoSecret(try String(contentsOf: recording, encoding: .utf8), in: "the recording")
            #expect(try String(contentsOf: failures, encoding: .utf8) == "find user 1\n")
        }
    }

    @Test("with a short key, data holding its letters comes back and is kept verbatim in failures and recordings")
    func shortKeyLeavesDataAlone() async throws {
        let short = Credentials(appID: "app", apiKey: APIKey("example"))
        try await SandboxHarness.withSandbox(SandboxConfiguration(credentials: short, seed: .demo)) { server, _ in
            let directory = try InteractivePromptTests.stateDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let recording = directory.appendingPathComponent("session.ndjson")
            let failures = directory.appendingPathComponent("failures.ndjson")
            let input = "create user 9 email=ben@example.com\nnote nobody@example.com \"example\"\n"
            let run = try await ExecutableRunner.run(
                ["--record", recording.path, "--failures", failures.path], input: input, environment: server.clientEnvironment())
            #expect(run.status == 1)
            let records = try run.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.first?["result"]?["email"] == "ben@example.com")
            #expect(try String(contentsOf: failures, encoding: .utf8) == "note nobody@example.com \"example\"\n")
            #expect(try String(contentsOf: recording, encoding: .utf8).contains("ben@example.com"))
        }
    }
}

extension SecretsTests {
    @Test("--verbose never logs the key, also when a line puts it in the request's path")
    func verboseLogOfExpandedKey() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(credentials: Self.credentials, seed: .demo)) { server, _ in
            let run = try await ExecutableRunner.run(
                ["--verbose", "--output", "pretty", "--trust-input"],
                input: "find user ${env:INTERCOM_API_KEY}\nfind user user_id=${env:INTERCOM_API_KEY}x\n",
                environment: server.clientEnvironment())
            #expect(run.status == 1)
            #expect(run.standardError.contains("GET /v1/users?user_id=***"), "\(run.standardError)")
            Self.expectNoSecret(run.standardError + run.standardOutput, in: "the --verbose log")
        }
    }
}

extension SecretsTests {
    @Test("standard input reads no environment and sources no file without --trust-input; -c and scripts may")
    func untrustedStandardInput() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(credentials: Self.credentials, seed: .demo)) { server, _ in
            let environment = server.clientEnvironment()
            let script = BulkImportTests.temporaryFile("sourced.ish")
            try "note 123 \"from a sourced file\"\n".write(to: script, atomically: true, encoding: .utf8)
            let input = "note 123 \"key: ${env:INTERCOM_API_KEY}\"\nsource \(script.path)\n"
            let refused = try await ExecutableRunner.run([], input: input, environment: environment)
            #expect(refused.status == 1)
            let records = try refused.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.count == 2)
            #expect(records.allSatisfy { $0["error"]?["type"] == "invalid_input" })
            #expect(records.allSatisfy { $0["error"]?["message"]?.stringValue?.contains("add --trust-input if it is yours") == true }, "\(records)")
            #expect(try server.store.recentNotes(limit: 10).isEmpty, "nothing was sent")

            let trusted = try await ExecutableRunner.run(["--trust-input"], input: "note 123 \"home: ${env:HOME}\"\nsource \(script.path)\n", environment: environment)
            #expect(trusted.status == 0, "\(trusted.standardOutput)")
            let commands = try await ExecutableRunner.run(["-c", "note 123 \"home: ${env:HOME}\"", "-c", "source \(script.path)"], environment: environment)
            #expect(commands.status == 0, "\(commands.standardOutput)")
            #expect(try server.store.recentNotes(limit: 10).count == 4)
        }
    }
}
