import Foundation
import GRDB
import IntercomKit
@testable import IntercomSandbox
import IntercomTesting
import Testing

/// `intercom-sh sandbox --db FILE`: the sandbox keeps what it answered with success across a `kill -9` and a restart.
@Suite("Sandbox persistence", .serialized)
struct SandboxPersistenceTests {
    /// A sandbox process on `database`, and the endpoint it printed.
    static func startSandbox(database: URL) async throws -> (process: Process, environment: [String: String]) {
        let (process, _, output) = try ExecutableRunner.start(["sandbox", "--port", "0", "--db", database.path])
        let endpoint = await firstLine(of: output)
        #expect(endpoint.hasPrefix("http://127.0.0.1:"))
        let credentials = SandboxConfiguration.defaultCredentials
        let environment = [
            "INTERCOM_ENDPOINT": endpoint, "INTERCOM_APP_ID": credentials.appID, "INTERCOM_API_KEY": credentials.apiKey.revealed,
            "HOME": "/nonexistent",
        ]
        return (process, environment)
    }

    /// The first line a child process prints (the sandbox's endpoint), without its newline.
    static func firstLine(of output: FileHandle) async -> String {
        let bytes = await ExecutableRunner.readThroughFirstLine(output)
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    @Test("kill -9 of a sandbox in the middle of a 100,000-operation import: restarted on its file, it has every operation answered with success")
    func killedSandboxKeepsAnsweredOperations() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sandbox.sqlite")
        let lines = BulkImportTests.mixedLines(count: 100_000, prefix: "p")
        let input = directory.appendingPathComponent("input.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)

        let sandbox = try await Self.startSandbox(database: database)
        let attributes = try FileManager.default.attributesOfItem(atPath: database.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the database file is private")
        let (client, _, output) = try ExecutableRunner.start(["--concurrency", "8"], inputFile: input, environment: sandbox.environment)
        let printed = await onThread { () -> [UInt8] in
            var bytes: [UInt8] = []
            var newlines = 0
            while newlines < 15_000 {
                let chunk = output.availableData
                if chunk.isEmpty { break }
                newlines += chunk.count { $0 == UInt8(ascii: "\n") }
                bytes += chunk
            }
            return bytes
        }
        kill(sandbox.process.processIdentifier, SIGKILL)
        kill(client.processIdentifier, SIGKILL)
        await onThread {
            sandbox.process.waitUntilExit()
            client.waitUntilExit()
        }
        // Only whole lines: the last one may have been cut by the kill.
        let completeText = String(decoding: printed[..<(printed.lastIndex(of: UInt8(ascii: "\n")) ?? 0)], as: UTF8.self)
        let records = try completeText.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        let answered = records.filter { $0["ok"] == true }
        #expect(answered.count >= 15_000 - 8, "the sandbox was killed in the middle: \(answered.count) answered")
        #expect(records.count < lines.count)

        // Restarted on the same file, the sandbox serves what it held at once.
        let restarted = try await Self.startSandbox(database: database)
        let lastUser = try #require(answered.last { $0["op"] == "create_user" }?["result"]?["user_id"]?.stringValue)
        let run = try await ExecutableRunner.run([], input: "get_user user_id=\(lastUser)\n", environment: restarted.environment)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("\"user_id\":\"\(lastUser)\""))
        kill(restarted.process.processIdentifier, SIGTERM)
        await onThread { restarted.process.waitUntilExit() }

        // Every operation answered with success is in the file, and every row in it is whole.
        let store = try SandboxStore(path: database.path)
        let notes = Set(try store.recentNotes(limit: .max).compactMap { $0["body"]?.stringValue })
        let events = Set(try store.recentEvents(limit: .max).compactMap { $0["event_name"]?.stringValue })
        for record in answered {
            let line = Int(try #require(record["line"]?.integerValue))
            let user = "p\((line - 1) / 10)"
            switch record["op"]?.stringValue {
            case "create_user":
                let stored = try store.user(userID: user, email: nil)
                #expect(stored["custom_data"]?["row"] == .integer(Int64(line - 1)), "line \(line)")
            case "update_user":
                #expect(try store.user(userID: user, email: nil)["name"] == .string("Name \(line - 1)"), "line \(line)")
            case "create_note":
                #expect(notes.contains("note \(line - 1)"), "line \(line)")
            case "create_event":
                #expect(events.contains("event-\(line - 1)"), "line \(line)")
            case "create_tag":
                let tag = try store.tag(named: "tag-\(line - 1)")
                #expect(tag["tagged_user_count"] == 1, "line \(line)")
            case "create_message_thread":
                let threads = try store.threads(userID: user, email: nil).arrayValue ?? []
                #expect(threads.contains { $0["messages"]?.arrayValue?.first?["html"] == .string("<p>thread \(line - 1)</p>") }, "line \(line)")
            default:
                break
            }
        }
        let statistics = try store.statistics()
        var listed = 0
        for page in 1...max(1, (statistics.users + 499) / 500) {
            for user in try store.listUsers(page: page, perPage: 500, tagID: nil, tagName: nil)["users"]?.arrayValue ?? [] {
                #expect(user["intercom_id"]?.stringValue?.count == 24)
                #expect(user["custom_data"]?["row"]?.integerValue != nil, "a stored user is whole: \(user)")
                listed += 1
            }
        }
        #expect(listed == statistics.users)
        let integrity = try await DatabaseQueue(path: database.path).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    @Test("sandbox --app-id/--api-key set the credentials it accepts; --verbose logs requests, never the key")
    func sandboxCredentialsAndLog() async throws {
        let logFile = BulkImportTests.temporaryFile("sandbox.log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let (process, _, output) = try ExecutableRunner.start(
            ["sandbox", "--port", "0", "--app-id", "rehearsal", "--api-key", "sandbox-key-93f1", "--verbose"], standardErrorFile: logFile)
        let endpoint = await Self.firstLine(of: output)
        var environment = ["INTERCOM_ENDPOINT": endpoint, "INTERCOM_APP_ID": "rehearsal", "INTERCOM_API_KEY": "sandbox-key-93f1", "HOME": "/nonexistent"]
        let accepted = try await ExecutableRunner.run([], input: "create user user_id=1\n", environment: environment)
        #expect(accepted.status == 0, "\(accepted.standardOutput) \(accepted.standardError)")
        environment["INTERCOM_API_KEY"] = "dummy-api-key"
        let refused = try await ExecutableRunner.run([], input: "find user 1\n", environment: environment)
        #expect(refused.status == 3)
        kill(process.processIdentifier, SIGTERM)
        await onThread { process.waitUntilExit() }
        let log = try String(contentsOf: logFile, encoding: .utf8)
        #expect(log.contains("/v1/users"), "the request log: \(log)")
        #expect(!log.contains("sandbox-key-93f1"))
        #expect(!log.contains(Data("rehearsal:sandbox-key-93f1".utf8).base64EncodedString()))
    }

    @Test("a database file that is not SQLite is refused with a clear message naming it")
    func unusableDatabase() async throws {
        let file = BulkImportTests.temporaryFile("not-a-database.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await ExecutableRunner.run(["sandbox", "--port", "0", "--db", file.path], timeout: .seconds(20))
        #expect(run.status != 0)
        #expect(run.standardError.contains("cannot use the sandbox database \(file.path)"), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }

    @Test("a second sandbox on the same --db file is refused at once, naming the file; the first goes on serving")
    func oneSandboxPerFile() async throws {
        let file = BulkImportTests.temporaryFile("shared.sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        let (first, environment) = try await Self.startSandbox(database: file)
        defer { first.terminate() }
        let second = try await ExecutableRunner.run(["sandbox", "--port", "0", "--db", file.path], timeout: .seconds(20))
        #expect(second.status != 0)
        #expect(second.standardError.contains("cannot use the sandbox database \(file.path): another sandbox is using it"), "\(second.standardError)")
        #expect(second.standardOutput.isEmpty)
        let served = try await ExecutableRunner.run(["-c", "create user 1 email=a@example.com"], environment: environment)
        #expect(served.status == 0)
        #expect(throws: SandboxStorageError.self) { _ = try SandboxStore(path: file.path) }
        first.terminate()
        await onThread { first.waitUntilExit() }
        let reopened = try SandboxStore(path: file.path)
        #expect(try reopened.statistics().users == 1, "free again once the first has stopped")
    }
}
