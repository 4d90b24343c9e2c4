import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// A first SIGTERM or Ctrl-C ends the waits of operations not yet sent (pacing, a retry's Retry-After) at once:
/// they end as `interrupted`, the run exits 130 instead of waiting out what the server asked for.
@Suite("Waits end on the first signal")
struct InterruptedWaitTests {
    /// Starts `arguments` on `input`, waits for its first record, sends `signal` and returns every record, the
    /// exit status and how long the process took after the signal.
    static func signalled(
        _ arguments: [String], input: String, environment: [String: String], signal: Int32
    ) async throws -> (records: [JSONValue], status: Int32, afterSignal: Duration) {
        let file = BulkImportTests.temporaryFile("waits.ndjson")
        try input.write(to: file, atomically: true, encoding: .utf8)
        let (process, _, output) = try ExecutableRunner.start(arguments, inputFile: file, environment: environment)
        let first = await ExecutableRunner.readThroughFirstLine(output)
        try await Task.sleep(for: .milliseconds(700))
        let signalled = ContinuousClock.now
        kill(process.processIdentifier, signal)
        let rest = await onThread { output.readDataToEndOfFile() }
        await onThread { process.waitUntilExit() }
        let records = try String(decoding: first + rest, as: UTF8.self).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        return (records, process.terminationStatus, ContinuousClock.now - signalled)
    }

    @Test("an operation held by --rate for a minute ends as interrupted on SIGTERM; nothing more is sent")
    func pacingWait() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .empty)) { server, _ in
            let input = "create user 1 email=a@example.com\nnote 1 \"held\"\ncreate user 2 email=b@example.com\n"
            let run = try await Self.signalled(["--rate", "1/60s"], input: input, environment: server.clientEnvironment(), signal: SIGTERM)
            #expect(run.status == 130)
            #expect(run.afterSignal < .seconds(20), "it did not wait out the minute")
            #expect(run.records.first?["ok"] == true)
            let rest = run.records.dropFirst()
            #expect(!rest.isEmpty)
            #expect(rest.allSatisfy { $0["error"]?["type"] == "interrupted" }, "\(run.records)")
            #expect(try server.store.recentNotes(limit: 10).isEmpty)
        }
    }

    @Test("an operation waiting out a 429's Retry-After ends as interrupted on Ctrl-C, not sent again")
    func retryWait() async throws {
        let refusal = CannedResponseServer.CannedResponse(status: 429, headers: ["Retry-After": "100"], body: #"{"error":{"message":"slow down"}}"#)
        try await CannedResponseServer.with(refusal) { server in
            let environment = ["INTERCOM_ENDPOINT": server.endpoint.absoluteString, "INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": "k", "HOME": "/nonexistent"]
            let (process, _, output) = try ExecutableRunner.start(["--concurrency", "1"], inputFile: try Self.lines(["find user 1"]), environment: environment)
            while server.receivedRequests.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .milliseconds(500))
            let signalled = ContinuousClock.now
            kill(process.processIdentifier, SIGINT)
            let printed = await onThread { output.readDataToEndOfFile() }
            await onThread { process.waitUntilExit() }
            #expect(process.terminationStatus == 130)
            #expect(ContinuousClock.now - signalled < .seconds(20), "it did not wait out the 100 s")
            let records = try String(decoding: printed, as: UTF8.self).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.count == 1)
            #expect(records.first?["error"]?["type"] == "interrupted", "\(records)")
            #expect(records.first?["error"]?["message"]?.stringValue?.contains("not sent again") == true)
            #expect(server.receivedRequests.count == 1, "not sent again")
        }
    }

    @Test("SIGHUP (the terminal closed) ends a pipe run like SIGTERM: what was applied is in the records, exit 130")
    func hangUp() async throws {
        let faults = try FaultPlan(parsing: "latency=300ms")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            let input = (1...20).map { "note 123 \"hang-up \($0)\"\n" }.joined()
            let run = try await Self.signalled(["--concurrency", "1"], input: input, environment: server.clientEnvironment(), signal: SIGHUP)
            #expect(run.status == 130)
            let notes = try server.store.recentNotes(limit: 100).compactMap { $0["body"]?.stringValue }.filter { $0.hasPrefix("hang-up") }
            #expect(run.records.count == notes.count, "every applied note has its record: \(run.records.count) records, \(notes.count) notes")
            #expect(run.records.allSatisfy { $0["ok"] == true })
            #expect(notes.count < 20)
        }
    }

    static func lines(_ lines: [String]) throws -> URL {
        let file = BulkImportTests.temporaryFile("waits.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
