import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// `intercom-sh export`, through the built executable against a sandbox of generated data.
@Suite("Export end to end")
struct ExportTests {
    static func results(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0))["result"] ?? .null }
    }

    @Test("export contacts and companies: every item once, as the sandbox made it; the summary counts them")
    func whole() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(400))) { server, _ in
            let contacts = try await ExecutableRunner.run(["export", "contacts", "--summary"], environment: server.restClientEnvironment())
            var records = try Self.results(contacts.standardOutput)
            let summary = records.popLast()
            #expect(records.count == 400, "\(contacts.standardError)")
            let byUser = Dictionary(records.map { ($0["external_id"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byUser.count == 400, "no contact twice")
            for index in 1...400 {
                let contact = byUser["u\(index)"]
                #expect(contact?["email"]?.stringValue == "u\(index)@example.com" && contact?["name"]?.stringValue == "User \(index)", "u\(index)")
                #expect(contact?["created_at"]?.integerValue == SandboxSeedValues.epoch + Int64(index) * 60)
            }
            #expect(summary == .null || contacts.standardError.contains("400 ok"), "\(contacts.standardError)")
            let companies = try await ExecutableRunner.run(["export", "companies"], environment: server.restClientEnvironment())
            let exported = try Self.results(companies.standardOutput)
            #expect(exported.compactMap { $0["company_id"]?.stringValue }.sorted() == (1...40).map { "c\($0)" }.sorted())
            #expect(exported.allSatisfy { $0["user_count"] == 10 }, "each company with its 10 contacts")
        }
    }

    @Test("a date window keeps exactly the items updated in [since, until), to the second; a filter narrows contacts")
    func window() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(300))) { server, _ in
            // Contact i was made (and last updated) i minutes after 2024-01-01T00:00:00Z.
            let arguments = ["export", "contacts", "--since", "2024-01-01T01:00:00Z", "--until", "2024-01-01T02:30:00Z"]
            let outcome = try await ExecutableRunner.run(arguments, environment: server.restClientEnvironment())
            let ids = try Self.results(outcome.standardOutput).compactMap { $0["external_id"]?.stringValue }
            #expect(ids.sorted() == (60..<150).map { "u\($0)" }.sorted(), "\(ids.count): \(outcome.standardError)")
            let filtered = try await ExecutableRunner.run(
                arguments + ["--where", "custom_attributes.plan = team"], environment: server.restClientEnvironment())
            let team = try Self.results(filtered.standardOutput).compactMap { $0["external_id"]?.stringValue }
            #expect(team.sorted() == (60..<150).filter { $0 % 3 == 2 }.map { "u\($0)" }.sorted(), "\(filtered.standardError)")
            let companies = try await ExecutableRunner.run(
                ["export", "companies", "--until", "2024-01-01T00:10:00Z"], environment: server.restClientEnvironment())
            #expect(try Self.results(companies.standardOutput).compactMap { $0["company_id"]?.stringValue }.sorted() == (1...9).map { "c\($0)" }.sorted())
            let backwards = try await ExecutableRunner.run(
                ["export", "contacts", "--since", "2024-02-01", "--until", "2024-01-01"], environment: server.restClientEnvironment())
            #expect(backwards.status == 1 && backwards.standardOutput.contains("must come before until"))
        }
    }

    @Test("export as CSV with --fields reads back with Python's csv module; as an NDJSON op and a command it is the same")
    func csvAndFaces() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(120))) { server, _ in
            let csv = try await ExecutableRunner.run(
                ["export", "contacts", "--output", "csv", "--fields", "external_id,email,custom_attributes.plan", "--time", "utc"],
                environment: server.restClientEnvironment())
            let rows = try await CSVOutputTests.pythonRows(csv.standardOutput)
            #expect(rows.first == ["external_id", "email", "custom_attributes.plan"] && rows.count == 121)
            #expect(rows.dropFirst().allSatisfy { $0[2] == ["free", "pro", "team"][Int($0[0].dropFirst())! % 3] })
            let command = try await ExecutableRunner.run(["-c", "export contacts since=2024-01-01T01:00:00Z"], environment: server.restClientEnvironment())
            let op = try await ExecutableRunner.run(
                [], input: #"{"op":"export_contacts","since":"2024-01-01T01:00:00Z"}"# + "\n", environment: server.restClientEnvironment())
            #expect(try Self.results(command.standardOutput).count == 61 && command.standardOutput == op.standardOutput)
        }
        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "export contacts"])
        #expect(v1.standardOutput.contains(#""type":"unsupported""#))
        let misuse = try await ExecutableRunner.run(["export", "companies", "--where", "x = 1"])
        #expect(misuse.status == 2 && misuse.standardError.contains("--where filters contacts"), "\(misuse.standardError)")
    }
}

extension ExportTests {
    @Test("export conversations: each with its parts, in the order listed, once each, also under faults; a window and a filter")
    func conversations() async throws {
        let faults = try FaultPlan(parsing: "503=10%,429=3%,drop-before=3%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(400), faults: faults)) { server, _ in
            let outcome = try await ExecutableRunner.run(
                ["export", "conversations", "--retries", "10"], environment: server.restClientEnvironment(), timeout: .seconds(120))
            let conversations = try Self.results(outcome.standardOutput)
            #expect(conversations.compactMap { $0["id"]?.stringValue } == (1...200).map { String($0) }, "in the order listed, once each: \(outcome.standardError)")
            for conversation in conversations {
                let parts = conversation["conversation_parts"]?["conversation_parts"]?.arrayValue ?? []
                #expect(parts.map { $0["part_type"]?.stringValue ?? "" } == ["comment", "comment", "note"], "\(conversation["id"] ?? .null)")
                let index = Int(conversation["id"]?.stringValue ?? "") ?? 0
                #expect(conversation["source"]?["body"]?.stringValue?.contains("Question \(index):") == true)
            }
            #expect(outcome.status == 0, "\(outcome.standardError)")
            // Conversation k was last updated 90k + 180 seconds after 2024-01-01T00:00:00Z; every third one is closed.
            let window = try await ExecutableRunner.run(
                ["export", "conversations", "--retries", "10", "--since", "2024-01-01T01:00:00Z", "--until", "2024-01-01T02:00:00Z", "--where", "state = closed"],
                environment: server.restClientEnvironment())
            let ids = try Self.results(window.standardOutput).compactMap { $0["id"]?.stringValue }
            #expect(ids == stride(from: 39, through: 75, by: 3).map { String($0) }, "\(window.standardError)")
        }
    }
}

/// The values `--seed generated:N` is documented to make.
enum SandboxSeedValues {
    /// The first contact's creation time, 2024-01-01T00:00:00Z; each next one is a minute later.
    static let epoch: Int64 = 1_704_067_200
}

extension ExportTests {
    @Test("kill -9 part-way through an export, then --resume >> the same file: byte for byte what an uninterrupted run writes")
    func killedAndResumed() async throws {
        var configuration = SandboxConfiguration(seed: .generated(1500))
        configuration.scrollExpiry = .milliseconds(300)
        try await SandboxHarness.withSandbox(configuration) { server, _ in
            let environment = server.restClientEnvironment()
            // (kind, output, pace of the killed run, checkpoints before the kill)
            for (kind, format, rate, pages) in [("contacts", "csv", "1/1s", 3), ("companies", "ndjson", "1/1s", 1), ("conversations", "ndjson", "200/1s", 1)] {
                let whole = try await ExecutableRunner.run(["export", kind, "--output", format], environment: environment)
                let output = BulkImportTests.temporaryFile("\(kind).\(format)")
                let journal = BulkImportTests.temporaryFile("\(kind).journal").path
                defer { try? FileManager.default.removeItem(at: output); try? FileManager.default.removeItem(atPath: journal) }
                let arguments = ["export", kind, "--output", format, "--journal", journal]
                try await Self.kill(arguments + ["--rate", rate], appendingTo: output, afterCheckpoints: pages, journal: journal, environment: environment)
                let entries = try String(contentsOfFile: journal, encoding: .utf8)
                #expect(!entries.contains(#""state":"ok""#), "\(kind): killed before the end")
                // What the kill may leave after the last checkpoint: a record cut in the middle.
                let torn = try FileHandle(forWritingTo: output)
                try torn.seekToEnd()
                try torn.write(contentsOf: Data(#"{"line":1,"op":"export_"#.utf8))
                try torn.close()
                if kind == "companies" { try await Task.sleep(for: .milliseconds(400)) }  // the scroll expires: it starts again
                let resumed = try await ExecutableRunner.run(arguments + ["--resume"], environment: environment, appendingTo: output)
                let written = try String(contentsOf: output, encoding: .utf8)
                #expect(resumed.status == 0 && resumed.standardError.contains("went on from the journal's checkpoint"), "\(kind): \(resumed.standardError)")
                #expect(written == whole.standardOutput, "\(kind): \(written.count) bytes, \(whole.standardOutput.count) uninterrupted")
                if kind == "companies" { #expect(resumed.standardError.contains("the walk started again from its first page"), "\(resumed.standardError)") }
            }
        }
    }

    @Test("a resume that would duplicate or lose records is refused, and the line is left for a resume that can go on")
    func resumeRefusals() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(600))) { server, _ in
            let environment = server.restClientEnvironment()
            let output = BulkImportTests.temporaryFile("refusals.ndjson")
            let journal = BulkImportTests.temporaryFile("refusals.journal").path
            let emptied = BulkImportTests.temporaryFile("emptied.ndjson")
            defer { for path in [output.path, journal, emptied.path] { try? FileManager.default.removeItem(atPath: path) } }
            let arguments = ["export", "contacts", "--journal", journal]
            try await Self.kill(arguments + ["--rate", "1/1s"], appendingTo: output, afterCheckpoints: 1, journal: journal, environment: environment)
            let refused = try await ExecutableRunner.run(arguments + ["--resume"], environment: environment, appendingTo: emptied)
            let refusal = try String(contentsOf: emptied, encoding: .utf8)
            #expect(refused.status == 1 && refusal.contains("the output is not the file the earlier run wrote: resume with >> into that file"), "\(refusal)")
            let otherFormat = try await ExecutableRunner.run(arguments + ["--resume", "--output", "csv"], environment: environment, appendingTo: output)
            #expect(otherFormat.status == 1 && otherFormat.standardError.contains("the earlier run wrote ndjson, not csv"), "\(otherFormat.standardError)")
            let piped = try await ExecutableRunner.run(arguments + ["--resume"], environment: environment)
            #expect(piped.standardOutput.contains("the output is not a file"), "\(piped.standardOutput)")
            let otherLine = try await ExecutableRunner.run(arguments + ["--resume", "--where", "role = user"], environment: environment, appendingTo: output)
            let refusedLine = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").last ?? ""
            #expect(otherLine.status == 1 && refusedLine.contains("journal_mismatch") && refusedLine.contains("not the line the journal recorded"),
                "another line than the journal's: \(refusedLine)")
            let intoJournal = try await ExecutableRunner.run(
                ["export", "contacts", "--journal", emptied.path], environment: environment, appendingTo: emptied)
            #expect(intoJournal.status != 0 && intoJournal.standardError.contains("is also standard output"), "\(intoJournal.standardError)")
            // None of the refusals counted: the right resume still goes on.
            let resumed = try await ExecutableRunner.run(arguments + ["--resume"], environment: environment, appendingTo: output)
            let text = try String(contentsOf: output, encoding: .utf8)
            let ids = try Self.results(text).compactMap { $0["external_id"]?.stringValue }
            #expect(resumed.status == 0 && ids.count == 600 && Set(ids).count == 600, "\(resumed.standardError)")
        }
    }

    /// Starts `intercom-sh arguments…` with standard output appended to `output`, and kills it with SIGKILL once the
    /// journal holds `checkpoints` page entries after the one before the first page (or the run ended).
    static func kill(
        _ arguments: [String], appendingTo output: URL, afterCheckpoints checkpoints: Int, journal: String, environment: [String: String]
    ) async throws {
        let (process, _, _) = try ExecutableRunner.start(arguments, environment: environment, appendingTo: output)
        await onThread {
            while process.isRunning {
                let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
                if text.components(separatedBy: #""state":"page""#).count > checkpoints + 1 { break }
                usleep(2_000)
            }
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension ExportTests {
    @Test("conversations that failed to come are asked for again by --resume-failed, from the checkpoint before them")
    func failedItemsResumed() async throws {
        let faults = try FaultPlan(parsing: "503=4%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .generated(800), faults: faults)) { server, _ in
            let environment = server.restClientEnvironment()
            let whole = try await ExecutableRunner.run(["export", "conversations", "--retries", "20"], environment: environment)
            let output = BulkImportTests.temporaryFile("failed-items.ndjson")
            let journal = BulkImportTests.temporaryFile("failed-items.journal").path
            defer { try? FileManager.default.removeItem(at: output); try? FileManager.default.removeItem(atPath: journal) }
            let arguments = ["export", "conversations", "--journal", journal]
            let first = try await ExecutableRunner.run(arguments + ["--retries", "0"], environment: environment, appendingTo: output)
            let firstOutput = try String(contentsOf: output, encoding: .utf8)
            #expect(first.status == 1 && firstOutput.contains(#""ok":false"#), "some failed: \(first.standardError)")
            let resumed = try await ExecutableRunner.run(arguments + ["--resume-failed", "--retries", "20"], environment: environment, appendingTo: output)
            let written = try String(contentsOf: output, encoding: .utf8)
            #expect(resumed.status == 0 && written == whole.standardOutput, "\(resumed.standardError)")
        }
    }
}
