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
