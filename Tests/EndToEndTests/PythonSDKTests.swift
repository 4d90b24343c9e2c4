import Foundation
import IntercomSandbox
import IntercomTesting
import Testing

/// The official Python SDK (python-intercom 5.0.1, in the virtual environment `scripts/install-deps` makes) against
/// the sandbox: contacts (with their notes, events and tags), companies, conversations, admins, teams, segments, tags
/// and data attributes (Tests/SDK/python_sdk_check.py).
@Suite("The official Python SDK against the sandbox")
struct PythonSDKTests {
    /// The virtual environment's interpreter.
    static let python = RepositoryPaths.root.appendingPathComponent(".build/sdk-venv/bin/python")

    @Test("python-intercom 5.0.1 creates, finds, attaches, searches, replies, closes, tags and lists through the sandbox")
    func sdk() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.python.path),
            "no \(Self.python.path): scripts/install-deps makes it (python3 -m venv, pip install python-intercom==5.0.1)")
        let script = RepositoryPaths.root.appendingPathComponent("Tests/SDK/python_sdk_check.py")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            var environment = server.restClientEnvironment()
            environment["PYTHONDONTWRITEBYTECODE"] = "1"
            let outcome = try await ExecutableRunner.run([script.path], environment: environment, timeout: .seconds(120), program: Self.python)
            #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
            #expect(outcome.standardOutput.contains("python-intercom: 27 checks passed"), "\(outcome.standardOutput)\(outcome.standardError)")
        }
    }
}
