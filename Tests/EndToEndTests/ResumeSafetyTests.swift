import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Synchronization
import Testing

/// Resuming and resubmitting never lose a line: failures survive a resume, a refused key is not a finished line,
/// and a file that is the run's input is never opened for writing.
@Suite("Resume and resubmission")
struct ResumeSafetyTests {
    static func write(_ lines: [String], _ name: String) throws -> URL {
        let file = BulkImportTests.temporaryFile(name)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("lines refused with 401 are run by --resume once the key is fixed; the first run's failures stay in the failures file")
    func resumeAfterRefusedKey() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let input = try Self.write(["create user r1 email=r1@example.com", "note nobody \"lost\"", "create user r2 email=r2@example.com"], "resume.txt")
            let journal = BulkImportTests.temporaryFile("resume.journal")
            let failures = BulkImportTests.temporaryFile("resume.failures")
            let refused = try await ExecutableRunner.run(
                ["--journal", journal.path, "--failures", failures.path], inputFile: input, environment: server.clientEnvironment(apiKey: "WRONG"))
            #expect(refused.status == 3)
            let resumed = try await ExecutableRunner.run(
                ["--journal", journal.path, "--resume", "--failures", failures.path, "--concurrency", "1"], inputFile: input,
                environment: server.clientEnvironment())
            #expect(resumed.status == 1, "the note to nobody fails: \(resumed.standardOutput)")
            for id in ["r1", "r2"] {
                let found = try await ExecutableRunner.run(["-c", "find user \(id)"], environment: server.clientEnvironment())
                #expect(found.status == 0, "\(id) was created by the resume")
            }
            #expect(try String(contentsOf: failures, encoding: .utf8) == "note nobody \"lost\"\n")
            let again = try await ExecutableRunner.run(
                ["--journal", journal.path, "--resume", "--failures", failures.path], inputFile: input, environment: server.clientEnvironment())
            #expect(again.status == 0)
            #expect(try String(contentsOf: failures, encoding: .utf8) == "note nobody \"lost\"\n", "a resume that skips the failed line keeps it")
        }
    }

    @Test("--failures, --journal or --record naming the input is refused before anything is opened or sent", arguments: ["--failures", "--journal", "--record"])
    func inputIsNotOutput(flag: String) async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let lines = ["note 123 \"first\"", "note nobody \"second\""]
            let input = try Self.write(lines, "same.txt")
            let piped = try await ExecutableRunner.run([flag, input.path], inputFile: input, environment: server.clientEnvironment())
            #expect(piped.status == 2)
            #expect(piped.standardError.contains("\(flag) \(input.path) is also the input"), "\(piped.standardError)")
            let script = try await ExecutableRunner.run(["run", flag, input.path, input.path], environment: server.clientEnvironment())
            #expect(script.status == 2)
            #expect(try String(contentsOf: input, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
            #expect(try server.store.recentNotes(limit: 10).isEmpty, "nothing was sent")
        }
    }

    @Test("standard output appending to the input file (< f >> f) is refused before anything is sent")
    func standardOutputIsNotInput() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let lines = [#"{"op":"create_note","user_id":"123","body":"once"}"#, #"{"op":"create_user","user_id":"same-1"}"#]
            let input = try Self.write(lines, "same.ndjson")
            let run = try await ExecutableRunner.run([], inputFile: input, environment: server.clientEnvironment(), appendingTo: input)
            #expect(run.status == 2)
            #expect(run.standardError.contains("standard output is also the input file"), "\(run.standardError)")
            #expect(try String(contentsOf: input, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
            #expect(try server.store.recentNotes(limit: 10).isEmpty, "nothing was sent")
        }
    }

    @Test("source of a file the run writes (--failures, --record, standard output) is refused, and the run says so")
    func sourceIsNotOutput() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let script = try Self.write(["find user 123", "note 123 \"from the script\""], "sourced.ish")
            for flag in ["--failures", "--record"] {
                let run = try await ExecutableRunner.run(["--output", "ndjson", flag, script.path, "-c", "source \(script.path)"], environment: server.clientEnvironment())
                #expect(run.status == 1, "\(flag): \(run.standardOutput) \(run.standardError)")
                #expect(run.standardOutput.contains("is also the \(flag) file, which this run writes"), "\(run.standardOutput)")
            }
            let appended = try Self.write(["find user 123"], "appended.ish")
            let intoIt = try await ExecutableRunner.run(
                ["--output", "ndjson", "-c", "source \(appended.path)"], environment: server.clientEnvironment(), appendingTo: appended)
            #expect(intoIt.status == 1)
            #expect(try String(contentsOf: appended, encoding: .utf8).contains("is also standard output"))
            #expect(try server.store.recentNotes(limit: 10).isEmpty, "nothing of the scripts ran")
        }
    }

    @Test("--resume after a list failed part-way writes nothing again: its records and failure stay once, in NDJSON and CSV",
        arguments: ["ndjson", "csv"])
    func failedListIsNotWrittenAgain(format: String) async throws {
        let failing = Mutex(true)
        try await CannedResponseServer.with(answering: { request in
            let json = ["Content-Type": "application/json"]
            let number = ["starting_after=c2": 2, "starting_after=c3": 3].first { request.uri.contains($0.key) }?.value ?? 1
            if number == 3 && failing.withLock({ $0 }) {
                return .init(status: 500, headers: json, body: #"{"type":"error.list","errors":[{"code":"server_error","message":"boom"}]}"#)
            }
            let items = (1...2).map { #"{"type":"contact","id":"p\#(number)-\#($0)","name":"N"}"# }.joined(separator: ",")
            let next = number < 3 ? #","pages":{"next":{"starting_after":"c\#(number + 1)"}}"# : ""
            return .init(status: 200, headers: json, body: #"{"type":"list","data":[\#(items)],"total_count":6\#(next)}"#)
        }) { server in
            let output = BulkImportTests.temporaryFile("failed-list.\(format)")
            let journal = BulkImportTests.temporaryFile("failed-list.journal")
            try Data().write(to: output)
            let arguments = ["--output", format, "--journal", journal.path, "-c", "users all"]
            let first = try await ExecutableRunner.run(arguments, environment: server.restClientEnvironment(), appendingTo: output)
            #expect(first.status != 0, "\(first.standardError)")
            let written = try String(contentsOf: output, encoding: .utf8)
            failing.withLock { $0 = false }
            let resumed = try await ExecutableRunner.run(
                ["--resume"] + arguments, environment: server.restClientEnvironment(), appendingTo: output)
            #expect(resumed.standardError.contains("skipped") || resumed.status == 0, "\(resumed.standardError)")
            #expect(try String(contentsOf: output, encoding: .utf8) == written, "nothing cut, nothing written again")
            let lines = written.split(separator: "\n")
            if format == "ndjson" {
                #expect(lines.count == 5 && lines.filter { $0.contains(#""ok":false"#) }.count == 1, "\(written)")
            } else {
                #expect(lines.filter { $0.hasPrefix("id,") || $0.contains(",id,") }.count == 1, "one header: \(written)")
            }
            #expect(server.receivedRequests.filter { $0.uri.contains("starting_after=c3") }.count == 1, "the failed line is not run again")
        }
    }

    /// A list of pages `c1`…`c3` of two contacts each; `fails(request)` says whether to answer 500 instead.
    static func listServer(
        fails: @escaping @Sendable (CannedResponseServer.ReceivedRequest) -> Bool
    ) -> @Sendable (CannedResponseServer.ReceivedRequest) -> CannedResponseServer.CannedResponse {
        { request in
            let json = ["Content-Type": "application/json"]
            if fails(request) { return .init(status: 500, headers: json, body: #"{"type":"error.list","errors":[{"code":"server_error","message":"boom"}]}"#) }
            let number = ["starting_after=c2": 2, "starting_after=c3": 3].first { request.uri.contains($0.key) }?.value ?? 1
            let items = (1...2).map { #"{"type":"contact","id":"p\#(number)-\#($0)"}"# }.joined(separator: ",")
            let next = number < 3 ? #","pages":{"next":{"starting_after":"c\#(number + 1)"}}"# : ""
            return .init(status: 200, headers: json, body: #"{"type":"list","data":[\#(items)],"total_count":6\#(next)}"#)
        }
    }

    @Test("--resume-failed of a failed list that later lines' records follow cuts nothing: the list is refused, the records stay")
    func failedListBeforeOtherLines() async throws {
        let page3 = Mutex(0)
        let answer = Self.listServer { request in
            request.uri.contains("starting_after=c3") && page3.withLock { count in
                count += 1
                return count == 1
            }
        }
        try await CannedResponseServer.with(answering: answer) { server in
            let output = BulkImportTests.temporaryFile("two-lists.ndjson")
            let journal = BulkImportTests.temporaryFile("two-lists.journal")
            try Data().write(to: output)
            let input = "{\"op\":\"all_users\"}\n{\"op\":\"all_users\"}\n"
            let first = try await ExecutableRunner.run(
                ["--journal", journal.path], input: input, environment: server.restClientEnvironment(), appendingTo: output)
            let written = try String(contentsOf: output, encoding: .utf8)
            #expect(first.status == 1 && written.split(separator: "\n").count == 11, "4 items and a failure, then 6 items: \(written)")
            let resumed = try await ExecutableRunner.run(
                ["--journal", journal.path, "--resume-failed"], input: input, environment: server.restClientEnvironment(), appendingTo: output)
            let after = try String(contentsOf: output, encoding: .utf8)
            #expect(after.hasPrefix(written), "nothing the first run wrote is cut: \(after)")
            let added = try after.dropFirst(written.count).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(added.count == 1 && added.first?["line"] == 1 && added.first?["error"]?["type"] == "journal_mismatch", "\(added)")
            #expect(resumed.status != 0)
        }
    }

    @Test("an output whose byte before the journal's position is no newline is not cut: the list is refused")
    func outputChangedInPlaceIsNotCut() async throws {
        let failing = Mutex(true)
        try await CannedResponseServer.with(answering: Self.listServer { request in
            request.uri.contains("starting_after=c3") && failing.withLock { $0 }
        }) { server in
            let output = BulkImportTests.temporaryFile("changed.ndjson")
            let journal = BulkImportTests.temporaryFile("changed.journal")
            try Data().write(to: output)
            let arguments = ["--journal", journal.path, "-c", "users all"]
            _ = try await ExecutableRunner.run(arguments, environment: server.restClientEnvironment(), appendingTo: output)
            // The same file (same inode), its text replaced by lines that do not break where the journal's did.
            let other = String(repeating: "{\"unrelated\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n", count: 12)
            let handle = try FileHandle(forWritingTo: output)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(other.utf8))
            try handle.close()
            failing.withLock { $0 = false }
            let resumed = try await ExecutableRunner.run(
                ["--resume-failed"] + arguments, environment: server.restClientEnvironment(), appendingTo: output)
            let after = try String(contentsOf: output, encoding: .utf8)
            #expect(after.hasPrefix(other), "the file is not cut: \(after)")
            #expect(after.contains("journal_mismatch") && resumed.status != 0, "\(after) \(resumed.standardError)")
        }
    }
}
