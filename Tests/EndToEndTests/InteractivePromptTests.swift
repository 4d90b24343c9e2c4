import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The interactive prompt, run on a pseudo-terminal under tmux.
@Suite("Interactive prompt", .serialized)
struct InteractivePromptTests {
    static func stateDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func startPrompt(_ arguments: String = "--sandbox", state: URL, environment: [String: String] = [:]) async throws -> TmuxSession {
        // No pager unless a test asks for one: the screens under test show output whole.
        var variables = ["XDG_STATE_HOME": state.path, "HOME": state.path, "TERM": "xterm", "PAGER": ""]
        variables.merge(environment) { _, new in new }
        let session = try await TmuxSession(command: "'\(RepositoryPaths.executable.path)' \(arguments)", environment: variables)
        try await session.waitFor("> ")
        return session
    }

    @Test("a command and its result; the sandbox hint; set shows the key as ***")
    func commandAndResult() async throws {
        let prompt = try await Self.startPrompt(state: try Self.stateDirectory())
        defer { Task { await prompt.kill() } }
        try await prompt.waitFor("Try: find user email=somebody@example.com")
        try await prompt.type("find user email=somebody@example.com")
        try await prompt.send("Enter")
        try await prompt.waitFor("\"name\": \"Somebody\"")
        try await prompt.type("set")
        try await prompt.send("Enter")
        let screen = try await prompt.waitFor("api_key ***")
        #expect(!screen.contains("dummy-api-key"))
        #expect(screen.contains("intercom(sandbox v1)> "))
    }

    @Test("an open quote continues on a ...> prompt; UTF-8 input; set timing and set output json")
    func continuationAndSettings() async throws {
        let prompt = try await Self.startPrompt(state: try Self.stateDirectory())
        defer { Task { await prompt.kill() } }
        try await prompt.type("set timing on")
        try await prompt.send("Enter")
        try await prompt.type("set output json")
        try await prompt.send("Enter")
        try await prompt.type("create user 42 name=\"Zoë")
        try await prompt.send("Enter")
        try await prompt.waitFor("...> ")
        try await prompt.type("Ünïcode\"")
        try await prompt.send("Enter")
        let screen = try await prompt.waitFor(#""name":"Zoë\nÜnïcode""#)
        #expect(screen.contains(" ms)"))
    }

    @Test("Tab completes a command, a second word, a parameter key and a value seen in a result")
    func tabCompletion() async throws {
        let prompt = try await Self.startPrompt(state: try Self.stateDirectory())
        defer { Task { await prompt.kill() } }
        try await prompt.type("fi")
        try await prompt.send("Tab")
        try await prompt.waitFor("> find ")
        try await prompt.type("u")
        try await prompt.send("Tab")
        try await prompt.waitFor("> find user ")
        try await prompt.send("C-u")
        try await prompt.type("create user em")
        try await prompt.send("Tab")
        try await prompt.waitFor("> create user email=")
        try await prompt.send("C-u")
        try await prompt.type("users")
        try await prompt.send("Enter")
        try await prompt.waitFor("def456@example.com")
        try await prompt.type("find user so")
        try await prompt.send("Tab")
        try await prompt.waitFor("> find user somebody@example.com ")
    }

    @Test("history: Ctrl-D saves it (mode 0600, no secrets), Up recalls it after a restart")
    func historyAcrossRuns() async throws {
        let state = try Self.stateDirectory()
        let first = try await Self.startPrompt(state: state)
        try await first.type("find tag \"Free Trial\"")
        try await first.send("Enter")
        try await first.waitFor("\"tagged_user_count\": 2")
        try await first.type("create user api_key=oops")
        try await first.send("Enter")
        try await first.waitFor("has no parameter 'api_key'")
        try await first.send("C-d")
        let historyFile = state.appendingPathComponent("intercom-sh/history")
        try await first.waitFor(timeout: .seconds(10), "history written") { _ in FileManager.default.fileExists(atPath: historyFile.path) }
        await first.kill()
        let attributes = try FileManager.default.attributesOfItem(atPath: historyFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let saved = try String(contentsOf: historyFile, encoding: .utf8)
        #expect(saved.contains("find\\040tag"))
        #expect(!saved.contains("api_key"))

        let second = try await Self.startPrompt(state: state)
        defer { Task { await second.kill() } }
        try await second.send("Up")
        try await second.waitFor("> find tag \"Free Trial\"")
    }

    @Test("Ctrl-C cancels a slow request and the next command works; Ctrl-C while typing discards the line")
    func interruptRequest() async throws {
        let faults = try FaultPlan(parsing: "latency=2s")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            let environment = server.clientEnvironment()
            let prompt = try await Self.startPrompt("", state: try Self.stateDirectory(), environment: environment)
            defer { Task { await prompt.kill() } }
            try await prompt.type("find user 123")
            try await prompt.send("Enter")
            try await Task.sleep(for: .milliseconds(500))
            let cancelledAt = ContinuousClock.now
            try await prompt.send("C-c")
            try await prompt.waitFor("error: interrupted: cancelled while", timeout: .seconds(1))
            #expect(ContinuousClock.now - cancelledAt < .seconds(1))
            try await prompt.waitFor(timeout: .seconds(5), "a fresh prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("nothing was applied)\nintercom(127.0.0.1 v1)>") }
            try await prompt.type("some half-typed line")
            try await prompt.waitFor("> some half-typed line")
            try await prompt.send("C-c")
            try await prompt.waitFor(timeout: .seconds(5), "the line discarded") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("some half-typed line\nintercom(127.0.0.1 v1)>") }
            try await prompt.type("find tag \"Free Trial\"")
            try await prompt.send("Enter")
            let screen = try await prompt.waitFor("\"tagged_user_count\": 2", timeout: .seconds(10))
            #expect(!screen.contains("\"name\": \"Somebody\""))
            #expect(!screen.contains("unknown command 'some'"))
            // A note whose request is on its way may be applied: the prompt says so, as the pipe does.
            try await prompt.type("note 123 \"sent as Ctrl-C came\"")
            try await prompt.send("Enter")
            try await Task.sleep(for: .milliseconds(500))
            try await prompt.send("C-c")
            try await prompt.waitFor("error: unknown_outcome: abandoned by an interruption", timeout: .seconds(2))
        }
    }

    @Test("deleting a user asks first; an API error is one line and the prompt goes on")
    func deleteConfirmationAndErrors() async throws {
        let prompt = try await Self.startPrompt(state: try Self.stateDirectory())
        defer { Task { await prompt.kill() } }
        try await prompt.type("delete user abc123")
        try await prompt.send("Enter")
        try await prompt.waitFor("delete user abc123? [y/N]")
        try await prompt.send("n", "Enter")
        try await prompt.waitFor("not deleted")
        try await prompt.type("find user nobody")
        try await prompt.send("Enter")
        try await prompt.waitFor("error: not_found (404): The User was not found")
        try await prompt.type("fnd user 1")
        try await prompt.send("Enter")
        try await prompt.waitFor("did you mean find?")
        try await prompt.type("find user abc123")
        try await prompt.send("Enter")
        try await prompt.waitFor("\"name\": \"Abc User\"")
    }

    @Test("at the prompt: references to named results, source FILE, record FILE and record off")
    func referencesSourceAndRecording() async throws {
        let state = try Self.stateDirectory()
        let recording = state.appendingPathComponent("prompt.ndjson")
        let script = state.appendingPathComponent("extra.ish")
        try "note ${who.email} \"sourced note\"\n".write(to: script, atomically: true, encoding: .utf8)
        let prompt = try await Self.startPrompt(state: state)
        defer { Task { await prompt.kill() } }
        try await prompt.type("record \(recording.path)")
        try await prompt.send("Enter")
        try await prompt.waitFor("recording to")
        try await prompt.type("find user 123 as who")
        try await prompt.send("Enter")
        try await prompt.waitFor("\"name\": \"Somebody\"")
        try await prompt.type("source \(script.path)")
        try await prompt.send("Enter")
        try await prompt.waitFor("<p>sourced note</p>")
        try await prompt.type("record off")
        try await prompt.send("Enter")
        try await prompt.waitFor("recording stopped")
        try await prompt.type("find tag \"Free Trial\"")
        try await prompt.send("Enter")
        try await prompt.waitFor("\"tagged_user_count\": 2")
        let lines = try String(contentsOf: recording, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("\"email\":\"somebody@example.com\"") == true)
    }

    @Test("times as dates in the local zone; set time utc and epoch; set output table lists users in columns")
    func timesAndTables() async throws {
        let prompt = try await Self.startPrompt(state: try Self.stateDirectory(), environment: ["TZ": "Asia/Tokyo"])
        defer { Task { await prompt.kill() } }
        try await prompt.type("set time utc")
        try await prompt.send("Enter")
        try await prompt.type("set output table")
        try await prompt.send("Enter")
        try await prompt.type("users all")
        try await prompt.send("Enter")
        let screen = try await prompt.waitFor("def456@example.com")
        let lines = screen.split(separator: "\n")
        #expect(lines.filter { $0.contains("2010-03-31T01:46:40Z") }.count == 3, "a row for every user: \(screen)")
        #expect(lines.filter { $0.hasPrefix("user_id ") }.count == 1, "under one header: \(screen)")
        try await prompt.type("set output pretty")
        try await prompt.send("Enter")
        try await prompt.type("set time local")
        try await prompt.send("Enter")
        try await prompt.type("find user 123")
        try await prompt.send("Enter")
        try await prompt.waitFor("\"created_at\": \"2010-03-31T10:46:40+09:00\"")
        try await prompt.type("set time epoch")
        try await prompt.send("Enter")
        try await prompt.type("set")
        try await prompt.send("Enter")
        try await prompt.waitFor("time    epoch")
        try await prompt.type("thread 123")
        try await prompt.send("Enter")
        // A position is in the entry just typed, not the session's count of lines.
        try await prompt.waitFor("error: invalid_input: column 1: thread_id is required")
    }

    @Test("the terminal closing (SIGHUP) at the prompt: a clean exit with the history saved whole, every time")
    func terminalCloses() async throws {
        for attempt in 0..<6 {
            let state = try Self.stateDirectory()
            defer { try? FileManager.default.removeItem(at: state) }
            let status = state.appendingPathComponent("status")
            // The shell survives the hang-up (a trap, which its child does not inherit) to note the prompt's status.
            let command = "sh -c 'trap : HUP; \"\(RepositoryPaths.executable.path)\" --sandbox; echo $? > \"\(status.path)\"'"
            let prompt = try await TmuxSession(command: command, environment: ["XDG_STATE_HOME": state.path, "HOME": state.path, "TERM": "xterm", "PAGER": ""])
            try await prompt.waitFor("> ")
            try await prompt.type("find user 123")
            try await prompt.send("Enter")
            try await prompt.waitFor("\"name\": \"Somebody\"")
            try await Task.sleep(for: .milliseconds(50 * attempt))
            await prompt.kill()
            var waited = 0
            while !FileManager.default.fileExists(atPath: status.path), waited < 100 {
                try await Task.sleep(for: .milliseconds(100))
                waited += 1
            }
            let code = try String(contentsOf: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(code == "0", "attempt \(attempt): the prompt exited with \(code) (139 is a segfault)")
            let history = try String(contentsOf: state.appendingPathComponent("intercom-sh/history"), encoding: .utf8)
            #expect(history.contains("find\\040user\\040123"), "attempt \(attempt): \(history)")
        }
    }
}

extension InteractivePromptTests {
    @Test("every line entered is in the history file once the next prompt shows, even when kill -9 ends the prompt")
    func historySavedBeforeTheLineRuns() async throws {
        let state = try Self.stateDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let pid = state.appendingPathComponent("pid")
        let command = "sh -c 'echo $$ > \"\(pid.path)\"; exec \"\(RepositoryPaths.executable.path)\" --sandbox'"
        let prompt = try await TmuxSession(command: command, environment: ["XDG_STATE_HOME": state.path, "HOME": state.path, "TERM": "xterm", "PAGER": ""])
        defer { Task { await prompt.kill() } }
        try await prompt.waitFor("> ")
        try await prompt.type("find user 123")
        try await prompt.send("Enter")
        try await prompt.waitFor("\"name\": \"Somebody\"")
        try await prompt.waitFor("intercom(sandbox v1)> ") { $0.components(separatedBy: "intercom(sandbox v1)> ").count >= 3 }
        let process = try #require(Int32(try String(contentsOf: pid, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(process, SIGKILL)
        let history = try String(contentsOf: state.appendingPathComponent("intercom-sh/history"), encoding: .utf8)
        #expect(history.contains("find\\040user\\040123"), "\(history)")
    }
}

extension InteractivePromptTests {
    @Test("Home/End as tmux sends them move the cursor; errors name the column of the entry; Ctrl-D after a failure exits 0")
    func keysPositionsAndLeaving() async throws {
        let state = try Self.stateDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let status = state.appendingPathComponent("status")
        let command = "sh -c '\"\(RepositoryPaths.executable.path)\" --sandbox; echo $? > \"\(status.path)\"; sleep 30'"
        let prompt = try await TmuxSession(command: command, environment: ["XDG_STATE_HOME": state.path, "HOME": state.path, "TERM": "xterm", "PAGER": ""])
        defer { Task { await prompt.kill() } }
        try await prompt.waitFor("intercom(sandbox v1)> ")
        try await prompt.type("ind user email=somebody@example.com")
        try await prompt.type("\u{1B}[1~")  // Home, as tmux and rxvt send it
        try await prompt.type("f")
        try await prompt.type("\u{1B}[4~")  // End
        try await prompt.send("Enter")
        try await prompt.waitFor("\"name\": \"Somebody\"")
        for _ in 0..<3 {
            try await prompt.type("find user 1 x=1")
            try await prompt.send("Enter")
        }
        let screen = try await prompt.waitFor("three errors") { $0.components(separatedBy: "column 13: get_user has no parameter 'x'").count == 4 }
        #expect(!screen.contains("~"), "no ~ went into a line")
        try await prompt.send("C-d")
        var waited = 0
        while !FileManager.default.fileExists(atPath: status.path), waited < 100 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        #expect(try String(contentsOf: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "0", "leaving is no failure")
    }
}

extension InteractivePromptTests {
    @Test("while an answer is slow the prompt says it waits; keys typed meanwhile are not echoed into the output but kept")
    func slowAnswer() async throws {
        let faults = try FaultPlan(parsing: "latency=2500ms")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            let prompt = try await Self.startPrompt("", state: try Self.stateDirectory(), environment: server.clientEnvironment())
            defer { Task { await prompt.kill() } }
            try await prompt.type("find user 123")
            try await prompt.send("Enter")
            try await Task.sleep(for: .milliseconds(300))
            try await prompt.type("abc")
            let waiting = try await prompt.waitFor("waiting for the answer… (Ctrl-C cancels)")
            #expect(!waiting.contains("abc"), "typed ahead, not echoed: \(waiting)")
            let after = try await prompt.waitFor("the next prompt with the keys") { $0.contains("\"user_id\": \"123\"") && $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("> abc") }
            #expect(!after.contains("waiting for the answer"), "the notice is cleared")
        }
    }
}

extension InteractivePromptTests {
    @Test("at 120 columns a list is one table and an object is expanded; at 40 the list is expanded; nothing is wider than the terminal")
    func tablesFitTheTerminal() async throws {
        for width in [40, 120] {
            let state = try Self.stateDirectory()
            defer { try? FileManager.default.removeItem(at: state) }
            let prompt = try await TmuxSession(
                command: "'\(RepositoryPaths.executable.path)' --sandbox --output table",
                environment: ["XDG_STATE_HOME": state.path, "HOME": state.path, "TERM": "xterm", "PAGER": ""], width: width)
            defer { Task { await prompt.kill() } }
            try await prompt.waitFor("> ")
            try await prompt.type("users all")
            try await prompt.send("Enter")
            let list = try await prompt.waitFor("def456@example.com")
            if width == 120 {
                #expect(list.contains("user_id     email") && !list.contains("RECORD"), "\(list)")
            } else {
                #expect(list.contains("-[ RECORD 3 ]") && list.contains("email               def456@example.com"), "\(list)")
            }
            try await prompt.type("find user 123")
            try await prompt.send("Enter")
            let object = try await prompt.waitFor("an object expanded") { $0.components(separatedBy: "session_count       0").count >= (width == 120 ? 2 : 5) }
            #expect(object.split(separator: "\n").allSatisfy { $0.count <= width }, "\(object)")
        }
    }

    @Test("-c on a terminal fits its width: help wraps between words, and so do the closing lines")
    func commandOutputFitsTheTerminal() async throws {
        let width = 60
        let command = "'\(RepositoryPaths.executable.path)' --sandbox --no-pager -c 'help api'; echo DONE"
        let session = try await TmuxSession(command: command, environment: ["TERM": "xterm", "PAGER": ""], width: width, height: 200)
        defer { Task { await session.kill() } }
        let screen = try await session.waitFor("the command to end") { $0.contains("DONE") }
        let lines = screen.split(separator: "\n")
        #expect(lines.count > 20 && lines.allSatisfy { $0.count <= width - 1 }, "\(screen)")
        #expect(screen.contains("ops/s") || screen.contains("1 ok"), "the closing line is there: \(screen)")
    }

    @Test("the progress line fits 40 and 120 columns and counts lines of the file")
    func progressFitsTheTerminal() async throws {
        let input = BulkImportTests.temporaryFile("progress.ndjson")
        defer { try? FileManager.default.removeItem(at: input) }
        try String(repeating: "find user 123\n", count: 400).write(to: input, atomically: true, encoding: .utf8)
        for width in [40, 120] {
            let command = "'\(RepositoryPaths.executable.path)' --sandbox --rate 40/1s < '\(input.path)' > /dev/null"
            let session = try await TmuxSession(command: command, environment: ["TERM": "xterm"], width: width)
            defer { Task { await session.kill() } }
            let screen = try await session.waitFor("a progress line") { $0.contains("/400 lines (") }
            let line = try #require(screen.split(separator: "\n").first { $0.contains("/400 lines (") })
            #expect(line.count <= width - 1, "\(width): \(line)")
            if width == 120 { #expect(line.contains("ops/s") && line.contains("failed"), "\(line)") }
            #expect(screen.split(separator: "\n").filter { $0.contains("/400 lines (") }.count == 1, "redrawn in place, not piled up")
        }
    }
}

extension InteractivePromptTests {
    @Test("output taller than the screen goes through the pager; q comes back to the prompt; set pager off writes it straight")
    func pager() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(300))) { server, _ in
            let state = try Self.stateDirectory()
            defer { try? FileManager.default.removeItem(at: state) }
            var environment = server.restClientEnvironment()
            environment.merge(["XDG_STATE_HOME": state.path, "HOME": state.path, "TERM": "xterm"]) { _, new in new }
            environment["PAGER"] = nil
            let prompt = try await TmuxSession(
                command: "unset PAGER; '\(RepositoryPaths.executable.path)' --output table", environment: environment, width: 100, height: 20)
            defer { Task { await prompt.kill() } }
            try await prompt.waitFor("> ")
            try await prompt.type("users all")
            try await prompt.send("Enter")
            let paged = try await prompt.waitFor("less's prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("\n:") }
            #expect(paged.contains("u1@example.com") && !paged.contains("User 300"), "the first screen, in the pager")
            try await prompt.send("q")
            try await prompt.waitFor("the prompt again") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("intercom(127.0.0.1 2.16)>") }
            try await prompt.type("set pager off")
            try await prompt.send("Enter")
            try await prompt.type("users all")
            try await prompt.send("Enter")
            let straight = try await prompt.waitFor("User 300")
            #expect(!straight.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("\n:"))
        }
    }
}

extension InteractivePromptTests {
    @Test("-c on a terminal pages long output too, at 40 and 120 columns; the closing line comes after the pager quits; --no-pager writes it straight")
    func pagerForCommands() async throws {
        for width in [40, 120] {
            let session = try await TmuxSession(
                command: "unset PAGER; '\(RepositoryPaths.executable.path)' --sandbox -c 'users all'; echo STATUS=$?", environment: ["TERM": "xterm"],
                width: width, height: 20)
            defer { Task { await session.kill() } }
            // (A line that fills the width is joined to the next by the screen capture, so less's `:` may end it.)
            let paged = try await session.waitFor("less's prompt") {
                $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(":") && !$0.contains("STATUS=")
            }
            #expect(!paged.contains("intercom-sh: 3 ok"), "no closing line under the pager")
            try await session.send("q")
            let after = try await session.waitFor("STATUS=0")
            #expect(after.contains("intercom-sh: 3 ok"))
        }
        let straight = try await TmuxSession(
            command: "'\(RepositoryPaths.executable.path)' --sandbox --no-pager -c 'users all'; echo STATUS=$?", environment: ["TERM": "xterm"],
            width: 100, height: 20)
        defer { Task { await straight.kill() } }
        let whole = try await straight.waitFor("STATUS=0")
        #expect(whole.contains("def456") && !whole.contains("\n:\n"))
        let missing = try await TmuxSession(
            command: "PAGER=no-such-pager-xyz '\(RepositoryPaths.executable.path)' --sandbox -c 'users all'; echo STATUS=$?", environment: ["TERM": "xterm"],
            width: 100, height: 20)
        defer { Task { await missing.kill() } }
        let plain = try await missing.waitFor("STATUS=0")
        #expect(plain.contains("the pager 'no-such-pager-xyz' cannot be found") && plain.contains("def456"), "\(plain)")
    }
}
