import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Python ended with an error.
struct PythonFailed: Error {
    let message: String
}

/// `--output csv` and `--fields`, through the built executable against the sandbox; the CSV read back with Python's
/// `csv` module.
@Suite("CSV output and --fields end to end")
struct CSVOutputTests {
    /// The rows Python's `csv` module reads from `text`, as JSON.
    static func pythonRows(_ text: String) async throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))"
        let outcome = try await ExecutableRunner.run(["python3", "-c", script, file.path], program: URL(fileURLWithPath: "/usr/bin/env"))
        guard outcome.status == 0 else { throw PythonFailed(message: outcome.standardError) }
        let rows = try JSONValue(parsing: outcome.standardOutput).arrayValue ?? []
        return rows.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] }
    }

    @Test("users all as CSV reads back with Python's csv module: every user once, text as given, formulas inert, failures on stderr")
    func readBack() async throws {
        let names = ["Ann, the \"First\"", "two\nlines", "=HYPERLINK(\"http://x\")", "+1 555", "Zoë 🙂", "@home", "-minus"]
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let creates = names.enumerated().map { index, name in
                #"{"op":"create_user","user_id":"csv\#(index)","name":\#(JSONValue.string(name).encodedString())}"#
            }
            _ = try await ExecutableRunner.run([], input: creates.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let outcome = try await ExecutableRunner.run(
                ["--output", "csv", "--time", "utc"], input: "users all\nfind user nobody\n", environment: server.restClientEnvironment())
            #expect(outcome.status == 1, "a failed line: \(outcome.standardError)")
            #expect(outcome.standardError.contains("line 2: get_user: not_found"), "\(outcome.standardError)")
            let rows = try await Self.pythonRows(outcome.standardOutput)
            let header = try #require(rows.first)
            #expect(header.first == "id" && header.last == "_more", "\(header)")
            let nameColumn = try #require(header.firstIndex(of: "name"))
            let externalColumn = try #require(header.firstIndex(of: "external_id"))
            #expect(rows.count == 1 + 3 + names.count && rows.allSatisfy { $0.count == header.count })
            for (index, name) in names.enumerated() {
                let row = rows.first { $0[externalColumn] == "csv\(index)" }
                let shown = "=+-@".contains(name.first!) ? "'" + name : name
                #expect(row?[nameColumn] == shown, "\(name): \(String(describing: row))")
            }
            let created = try #require(header.firstIndex(of: "created_at"))
            #expect(rows.dropFirst().allSatisfy { $0[created].hasSuffix("Z") && $0[created].contains("T") }, "times as ISO 8601")
        }
    }

    @Test("--fields picks the CSV columns, the table's columns and the keys of NDJSON results")
    func fields() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let arguments = ["--fields", "email,location.country,external_id", "-c", "users all"]
            let csv = try await ExecutableRunner.run(["--output", "csv"] + arguments, environment: server.restClientEnvironment())
            let rows = try await Self.pythonRows(csv.standardOutput)
            #expect(rows.first == ["email", "location.country", "external_id"] && rows.count == 4, "\(csv.standardOutput)")
            let table = try await ExecutableRunner.run(["--output", "table"] + arguments, environment: server.restClientEnvironment())
            let headerLine = table.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
            #expect(headerLine.split(separator: " ", omittingEmptySubsequences: true) == ["email", "location.country", "external_id"], "\(table.standardOutput)")
            let ndjson = try await ExecutableRunner.run(["--output", "ndjson"] + arguments, environment: server.restClientEnvironment())
            let results = try ndjson.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0))["result"] }
            #expect(results.count == 3)
            for result in results {
                #expect(Set(result?.objectValue?.keys ?? [:].keys) == ["email", "location", "external_id"], "\(String(describing: result))")
                #expect(result?["location"]?.objectValue?.keys.sorted() == ["country"])
            }
        }
    }
}
