import Foundation
import IntercomKit
import IntercomSandbox
import IntercomShell
import IntercomTesting
import Testing

/// Every example `help` shows, typed into the built executable against the sandbox on both APIs: none is refused
/// as invalid input (a missing user is an answer; an operation the API lacks is `unsupported`).
@Suite("Help examples, run")
struct HelpExamplesEndToEndTests {
    @Test("every help example runs as typed against the sandbox, on v1 and on 2.x")
    func examplesRunAsTyped() async throws {
        var lines = CommandCatalog.commands.map(\.example)
        for topic in CommandCatalog.languageTopics {
            lines += topic.details.filter { $0.hasPrefix("example: ") }.map { String($0.dropFirst(9)) }
        }
        // `set` and `record` belong to the prompt, `source` needs its file: the prompt's tests run those.
        lines = lines.filter { !["set ", "record ", "source "].contains(where: $0.hasPrefix) }
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            for environment in [server.clientEnvironment(), server.restClientEnvironment()] {
                let outcome = try await ExecutableRunner.run(
                    ["--on-error", "continue", "--yes"], input: lines.joined(separator: "\n") + "\n", environment: environment, timeout: .seconds(120))
                let records = try outcome.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
                let answered = Set(records.compactMap { $0["line"]?.integerValue.map(Int.init) })
                // A list with no items in the demo data writes no record: only lists may be silent.
                let silent = lines.indices.filter { !answered.contains($0 + 1) }.map { lines[$0] }.filter { line in
                    guard case .success(.operation(let operation)) = CommandParser.parse(line) else { return true }
                    return !operation.yieldsItems
                }
                #expect(silent.isEmpty, "a record for every example; none for: \(silent)")
                for record in records where record["error"]?["type"] == "invalid_input" {
                    let line = Int(record["line"]?.integerValue ?? 0)
                    Issue.record("'\(line > 0 && line <= lines.count ? lines[line - 1] : "?")' is refused: \(record["error"]?["message"] ?? .null)")
                }
            }
        }
    }
}
