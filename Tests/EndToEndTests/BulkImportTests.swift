import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Bulk imports through the executable against a sandbox that fails on purpose: every line ends with exactly one
/// record, nothing is applied twice, and an import killed or interrupted part-way resumes to the same end state.
@Suite("Bulk imports", .serialized)
struct BulkImportTests {
    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString)-\(name)")
    }

    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    /// Lines of every kind of operation, about users created earlier in the same input.
    static func mixedLines(count: Int, prefix: String) -> [String] {
        (0..<count).map { index in
            let user = "\(prefix)\(index / 10)"
            switch index % 10 {
            case 0: return #"{"op":"create_user","user_id":"\#(user)","email":"\#(user)@example.com","custom_data":{"row":\#(index)}}"#
            case 1: return #"{"op":"update_user","user_id":"\#(user)","name":"Name \#(index)"}"#
            case 2: return #"{"op":"create_note","user_id":"\#(user)","body":"note \#(index)"}"#
            case 3: return #"{"op":"create_event","event_name":"event-\#(index)","user_id":"\#(user)","metadata":{"row":\#(index)}}"#
            case 4: return #"{"op":"create_impression","user_id":"\#(user)","user_ip":"10.0.0.1","user_agent":"bulk"}"#
            case 5: return #"{"op":"get_user","email":"\#(user)@example.com"}"#
            case 6: return #"{"op":"create_tag","name":"tag-\#(index)","tag_or_untag":"tag","user_ids":["\#(user)"]}"#
            case 7: return #"{"op":"create_message_thread","user_id":"\#(user)","body":"thread \#(index)"}"#
            case 8: return #"{"op":"get_tag","name":"tag-\#(index - 2)"}"#
            default: return #"{"op":"get_message_threads","user_id":"\#(user)"}"#
            }
        }
    }

    static let notSafeToRepeat: Set<String> = ["create_note", "create_impression", "create_message_thread"]

    @Test("20,000 operations of every kind under 503s, 429s, drops and latency spikes: one record per line, none applied twice")
    func twentyThousandUnderFaults() async throws {
        let faults = try FaultPlan(parsing: "503=5%,429=2%,drop-before=1%,drop-after=1%,latency=200ms@1%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, _ in
            let lines = Self.mixedLines(count: 20_000, prefix: "f")
            let environment = server.clientEnvironment()
            let failures = Self.temporaryFile("failures")
            let first = try await ExecutableRunner.run(
                ["--concurrency", "16", "--failures", failures.path, "--summary"], input: lines.joined(separator: "\n") + "\n",
                environment: environment, timeout: .seconds(600))
            var records = try Self.records(first.standardOutput)
            let summary = try #require(records.popLast()?["summary"])
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...Int64(lines.count)), "one record per line, in input order")
            let unexpected = records.filter { record in
                record["ok"] == false && !(Self.notSafeToRepeat.contains(record["op"]?.stringValue ?? "") && record["error"]?["type"] == "unknown_outcome")
            }
            let failedLines = try String(contentsOf: failures, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(failedLines.count == unexpected.count, "the failures file holds every failed line but the unknown outcomes")
            #expect((summary["retried"]?.integerValue ?? 0) > 0)
            #expect((summary["rate_limited"]?.integerValue ?? 0) > 0)

            // The failed lines, submitted again, complete the rest.
            let rerun = try await ExecutableRunner.run(["--concurrency", "16", "--retries", "10"], input: failedLines.map { $0 + "\n" }.joined(), environment: environment, timeout: .seconds(300))
            let rerunRecords = try Self.records(rerun.standardOutput)
            #expect(rerunRecords.allSatisfy { $0["ok"] == true || $0["error"]?["type"] == "unknown_outcome" })

            func okCount(_ op: String) -> Int {
                (records + rerunRecords).filter { $0["op"]?.stringValue == op && $0["ok"] == true }.count
            }
            func unknownCount(_ op: String) -> Int {
                (records + rerunRecords).filter { $0["op"]?.stringValue == op && $0["error"]?["type"] == "unknown_outcome" }.count
            }
            let statistics = try server.store.statistics()
            #expect(statistics.users == 2_000)
            #expect(statistics.events == okCount("create_event"), "events retried with their first created are stored once")
            #expect(statistics.events == 2_000)
            let notes = try server.store.recentNotes(limit: .max).compactMap { $0["body"]?.stringValue }
            #expect(Set(notes).count == notes.count, "no note applied twice")
            #expect(notes.count >= okCount("create_note") && notes.count <= okCount("create_note") + unknownCount("create_note"))
            #expect(statistics.impressions >= okCount("create_impression"))
            #expect(statistics.impressions <= okCount("create_impression") + unknownCount("create_impression"))
            #expect(statistics.threads >= okCount("create_message_thread"))
            #expect(statistics.threads <= okCount("create_message_thread") + unknownCount("create_message_thread"))
        }
    }
}

extension BulkImportTests {
    /// What a sandbox ends up holding, without the times and ids that differ between runs.
    static func state(of server: SandboxServer, client: IntercomClient) async throws -> (users: [String: String], events: Set<String>, notes: [String]) {
        var users: [String: String] = [:]
        for try await user in client.allUsers(perPage: 500) {
            users[user.userID ?? "-"] = "\(user.email ?? "-") \(user.name ?? "-") \(JSONValue.object(user.customData).encodedString())"
        }
        let events = Set(try server.store.recentEvents(limit: .max).map { event -> String in
            var fields = event.objectValue ?? [:]
            fields["created"] = nil
            return JSONValue.object(fields).encodedString()
        })
        let notes = try server.store.recentNotes(limit: .max).compactMap { note in
            note["body"]?.stringValue.map { "\(note["user_id"]?.stringValue ?? "-") \($0)" }
        }
        return (users, events, notes)
    }

    @Test("kill -9 in the middle of a journaled import, then --resume: the sandbox ends as after an uninterrupted run")
    func killedAndResumed() async throws {
        let lines = Self.mixedLines(count: 3_000, prefix: "k").filter { !$0.contains("create_impression") && !$0.contains("create_message_thread") }
        let input = Self.temporaryFile("input.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)

        let expected = try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, client in
            let run = try await ExecutableRunner.run(["--concurrency", "8"], inputFile: input, environment: server.clientEnvironment(), timeout: .seconds(300))
            #expect(run.status == 0, "\(run.standardError)")
            return try await Self.state(of: server, client: client)
        }

        let faults = try FaultPlan(parsing: "latency=20ms")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, client in
            let journal = Self.temporaryFile("journal.ndjson")
            let environment = server.clientEnvironment()
            // Whole records only: the kill may have cut the last one.
            let firstRecords = try await ExecutableRunner.killed(
                ["--concurrency", "8", "--journal", journal.path], inputFile: input, environment: environment, afterLines: 800)
            let printed = firstRecords.count
            #expect(printed >= 800 && printed < lines.count, "killed part-way")

            let resumed = try await ExecutableRunner.run(
                ["--concurrency", "8", "--journal", journal.path, "--resume", "--summary"], inputFile: input, environment: environment,
                timeout: .seconds(300))
            var records = try Self.records(resumed.standardOutput)
            let summary = try #require(records.popLast()?["summary"])
            let skipped = Int(summary["skipped"]?.integerValue ?? 0)
            #expect(skipped >= printed, "every line printed before the kill is skipped")
            #expect(skipped + records.count == lines.count, "every line is either skipped or run once")
            let withRecord = Set((firstRecords + records).compactMap { $0["line"]?.integerValue })
            #expect(withRecord == Set(1...Int64(lines.count)), "every line has a record from one run or the other")
            // The journal vouches for a record before it is written: a line never gets two different records (an
            // ok one, then an unknown_outcome); at most the record being written at the kill comes again, identical.
            let byLine = Dictionary(grouping: firstRecords + records) { $0["line"]?.integerValue ?? 0 }
            let repeated = byLine.filter { $0.value.count > 1 }
            #expect(repeated.count <= 1, "\(repeated)")
            #expect(repeated.values.allSatisfy { Set($0).count == 1 }, "a repeated record is identical: \(repeated)")
            let unknown = records.filter { $0["error"]?["type"] == "unknown_outcome" }
            #expect(unknown.count <= 8, "at most the operations in flight end unknown")
            #expect(unknown.allSatisfy { $0["op"] == "create_note" })
            #expect(records.filter { $0["ok"] == false }.count == unknown.count)

            let state = try await Self.state(of: server, client: client)
            #expect(state.users == expected.users)
            #expect(state.events == expected.events)
            #expect(Set(state.notes).count == state.notes.count, "no note applied twice")
            let missing = Set(expected.notes).subtracting(state.notes)
            #expect(Set(state.notes).isSubset(of: Set(expected.notes)))
            #expect(missing.count <= unknown.count, "only an unknown outcome may be missing: \(missing)")
        }
    }
}

extension BulkImportTests {
    @Test("Ctrl-C: the first stops reading and lets requests in flight finish, a second abandons them; both exit 130 and resume")
    func interruptedTwice() async throws {
        let faults = try FaultPlan(parsing: "latency=1500ms")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, _ in
            let environment = server.clientEnvironment()
            let users = (0..<40).map { #"{"op":"create_user","user_id":"i\#($0)"}"# }.joined(separator: "\n") + "\n"
            #expect(try await ExecutableRunner.run(["--concurrency", "40"], input: users, environment: environment).status == 0)
            let lines = (0..<40).map { #"{"op":"create_note","user_id":"i\#($0)","body":"interrupted \#($0)"}"# }
            let input = Self.temporaryFile("input.ndjson")
            try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
            let journal = Self.temporaryFile("journal.ndjson")

            /// Starts a run, waits for its first record (the first operation runs alone), lets the next four get on
            /// their way, sends SIGINT `signals` times and collects what it printed.
            func interruptedRun(signals: Int) async throws -> (records: [JSONValue], status: Int32) {
                let arguments = ["--concurrency", "4", "--journal", journal.path] + (FileManager.default.fileExists(atPath: journal.path) ? ["--resume"] : [])
                let (process, _, output) = try ExecutableRunner.start(arguments, inputFile: input, environment: environment)
                let first = await ExecutableRunner.readThroughFirstLine(output)
                try await Task.sleep(for: .milliseconds(500))
                for _ in 0..<signals {
                    kill(process.processIdentifier, SIGINT)
                    try await Task.sleep(for: .milliseconds(100))
                }
                let rest = await onThread { output.readDataToEndOfFile() }
                await onThread { process.waitUntilExit() }
                return (try Self.records(String(decoding: first + rest, as: UTF8.self)), process.terminationStatus)
            }

            let graceful = try await interruptedRun(signals: 1)
            #expect(graceful.status == 130)
            #expect(graceful.records.map { $0["line"]?.integerValue ?? 0 } == [1, 2, 3, 4, 5], "the first, then the four in flight")
            #expect(graceful.records.allSatisfy { $0["ok"] == true })

            let abandoned = try await interruptedRun(signals: 2)
            #expect(abandoned.status == 130)
            #expect(abandoned.records.map { $0["line"]?.integerValue ?? 0 } == [6, 7, 8, 9, 10])
            #expect(abandoned.records.first?["ok"] == true)
            #expect(abandoned.records.dropFirst().allSatisfy { $0["error"]?["type"] == "unknown_outcome" })

            let rest = try await ExecutableRunner.run(
                ["--concurrency", "40", "--journal", journal.path, "--resume", "--summary"], inputFile: input, environment: environment)
            var records = try Self.records(rest.standardOutput)
            #expect(records.popLast()?["summary"]?["skipped"] == 10)
            #expect(records.count == 30 && records.allSatisfy { $0["ok"] == true })
            let notes = try server.store.recentNotes(limit: .max).compactMap { $0["body"]?.stringValue }
            #expect(Set(notes).count == notes.count)
            #expect(notes.count >= 36 && notes.count <= 40)
        }
    }

    @Test("--progress reports lines done of the file's total, the rate and the time left on standard error")
    func progress() async throws {
        let faults = try FaultPlan(parsing: "latency=50ms")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, _ in
            let input = Self.temporaryFile("input.ndjson")
            try ((0..<120).map { #"{"op":"create_user","user_id":"p\#($0)"}"# }.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
            let run = try await ExecutableRunner.run(["--progress", "--concurrency", "2"], inputFile: input, environment: server.clientEnvironment())
            let progressLines = run.standardError.split(separator: "\n").filter { $0.contains("ops/s") && !$0.hasPrefix("intercom-sh:") }
            #expect(progressLines.count >= 2, "\(run.standardError)")
            #expect(progressLines.allSatisfy { $0.contains("/120 lines (") && $0.contains("ETA") })
            #expect(run.standardError.contains("intercom-sh: 120 ok, 0 failed"))
            let quiet = try await ExecutableRunner.run(["--concurrency", "8"], inputFile: input, environment: server.clientEnvironment())
            #expect(!quiet.standardError.contains("ops/s  "), "no progress when standard error is not a terminal")
        }
    }
}
