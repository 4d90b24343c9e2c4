import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The REST API's other resources as commands, through the built executable against the sandbox.
@Suite("Resource commands end to end")
struct ResourceCommandsTests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("admins, admin <id> and me on 2.x; references to them; a table; v1 answers unsupported naming 2.x")
    func admins() async throws {
        let script = """
            me as me
            admins
            admin ${me.id}
            admin 1
            {"op":"get_admins"}
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 5, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[0]["result"]?["type"] == "admin" && records[0]["result"]?["app"]?["type"] == "app")
        #expect(records[1]["result"]?["type"] == "admin.list" && records[1]["result"]?["admins"]?.arrayValue?.count == 2)
        #expect(records[2]["result"]?["id"] == records[0]["result"]?["id"])
        #expect(records[3]["error"]?["type"] == "not_found", "\(records[3])")
        #expect(records[4]["op"] == "get_admins" && records[4]["ok"] == true)
        #expect(outcome.status == 1)

        let table = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--output", "table", "-c", "admins"])
        #expect(table.standardOutput.contains("job_title") && table.standardOutput.contains("Ada Admin"), "\(table.standardOutput)")

        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "me"])
        let refusal = try Self.records(v1.standardOutput).first
        #expect(refusal?["error"]?["type"] == "unsupported" && refusal?["error"]?["message"]?.stringValue?.contains("REST API 2.x") == true)
    }
}
