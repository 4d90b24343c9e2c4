import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Server data never reaches a terminal as escape sequences: names and error messages are shown with their control
/// characters escaped in the pretty and table views.
@Suite("Terminal safety")
struct TerminalSafetyTests {
    /// Control bytes a terminal would act on: C0 but newline, and the UTF-8 of C1 (0xC2 0x80–0x9F).
    static func controlBytes(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var found = bytes.filter { $0 < 0x20 && $0 != 0x0A || $0 == 0x7F }
        for index in bytes.indices.dropLast() where bytes[index] == 0xC2 && (0x80...0x9F).contains(bytes[index + 1]) {
            found.append(bytes[index + 1])
        }
        return found
    }

    @Test("a name holding escape sequences is shown escaped in pretty and table output, and kept exactly in ndjson")
    func namesAreEscaped() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let environment = server.clientEnvironment()
            let create = #"create user 66 name="\u001b]0;pwned\u0007\u001b[2J\u009b31mx""#
            #expect(try await ExecutableRunner.run([], input: create + "\n", environment: environment).status == 0)
            for format in ["pretty", "table"] {
                let shown = try await ExecutableRunner.run(["--output", format], input: "find user 66\nusers\n", environment: environment)
                #expect(shown.status == 0)
                #expect(Self.controlBytes(shown.standardOutput).isEmpty, "\(format): \(shown.standardOutput)")
            }
            let pretty = try await ExecutableRunner.run(["--output", "pretty"], input: "find user 66\n", environment: environment)
            #expect(pretty.standardOutput.contains(#"\u001b]0;pwned\u0007\u001b[2J\u009b31mx"#))
            let ndjson = try await ExecutableRunner.run([], input: "find user 66\n", environment: environment)
            #expect(try JSONValue(parsing: ndjson.standardOutput)["result"]?["name"] == "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31mx")
        }
    }

    @Test("a server's error message holding escape sequences is one escaped line in pretty output")
    func errorMessagesAreEscaped() async throws {
        let body = #"{"error":{"type":"not_found","message":"gone\u001b]2;owned\u0007\u001b[H\u001b[2J"}}"#
        try await CannedResponseServer.with(.init(status: 404, body: body)) { server in
            let environment = ["INTERCOM_ENDPOINT": server.endpoint.absoluteString, "INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": "key1234", "HOME": "/nonexistent"]
            let run = try await ExecutableRunner.run(["--output", "pretty"], input: "find user 1\n", environment: environment)
            #expect(run.status == 1)
            #expect(Self.controlBytes(run.standardOutput).isEmpty, "\(run.standardOutput)")
            #expect(run.standardOutput.contains(#"not_found (404): gone\u001b]2;owned\u0007\u001b[H\u001b[2J"#))
        }
    }
}
