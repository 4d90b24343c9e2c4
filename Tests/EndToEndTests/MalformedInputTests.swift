import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Bad input, tried systematically: every line of the corpus in `Tests/Fixtures/malformed-input` (one case of
/// damage per line, grouped by kind) gets an `invalid_input` record with its own line number, nothing is sent,
/// and the process neither crashes nor hangs. The same files seed the fuzz targets (`scripts/fuzz`).
@Suite("Malformed input", .serialized)
struct MalformedInputTests {
    static let corpus = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/malformed-input")

    static func corpusFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
    }

    /// Runs the executable on `input` against `server` at `concurrency` and checks the invariant: `lines` records,
    /// numbered 1…lines, each an invalid_input error with a message; no request; exit 1.
    static func expectEveryLineRefused(
        _ input: URL, lines: Int, concurrency: Int, server: SandboxServer, label: String
    ) async throws -> ExecutableRunner.Outcome {
        let run = try await ExecutableRunner.run(
            ["--output", "ndjson", "--concurrency", String(concurrency)], inputFile: input, environment: server.clientEnvironment(),
            timeout: .seconds(60))
        #expect(run.status == 1, "\(label): exit \(run.status), \(run.standardError)")
        let records = try run.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(records.count == lines, "\(label): one record per line")
        for (index, record) in records.enumerated() {
            #expect(record["line"] == .integer(Int64(index + 1)), "\(label): \(record)")
            #expect(record["ok"] == false, "\(label): \(record)")
            #expect(record["error"]?["type"] == "invalid_input", "\(label): \(record)")
            #expect((record["error"]?["message"]?.stringValue ?? "").count > 10, "\(label): \(record)")
        }
        #expect(run.standardError.contains("0 ok, \(lines) failed"), "\(label): \(run.standardError)")
        return run
    }

    @Test("every line of every corpus file is refused as invalid_input with its line number, and nothing is sent", arguments: [1, 8])
    func corpusIsRefused(concurrency: Int) async throws {
        let files = try Self.corpusFiles()
        #expect(files.count >= 15)
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            for file in files {
                let url = Self.corpus.appendingPathComponent(file)
                let lines = try Data(contentsOf: url).count { $0 == UInt8(ascii: "\n") }
                _ = try await Self.expectEveryLineRefused(url, lines: lines, concurrency: concurrency, server: server, label: file)
            }
            #expect(try await NonInteractiveModeTests.requestCount(server) == 1, "no line reached the API (1: the stats request)")
        }
    }

    @Test("a wrong type for each parameter of each operation is refused with a message naming that parameter")
    func everyParameterTyped() async throws {
        let url = Self.corpus.appendingPathComponent("wrong-type-of-every-parameter.ndjson")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count >= 60)
        try await SandboxHarness.withSandbox { server, _ in
            let run = try await Self.expectEveryLineRefused(url, lines: lines.count, concurrency: 8, server: server, label: "every parameter")
            let records = try run.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            for (line, record) in zip(lines, records) {
                let keys = Set(try JSONValue(parsing: line).objectValue?.keys.map { $0 } ?? [])
                let named = record["error"]?["message"]?.stringValue?.split(separator: " ").first.map(String.init) ?? ""
                #expect(keys.contains(named), "\(line) → \(record)")
            }
        }
    }

    /// A temporary file written piece by piece by `write`: inputs too large to build as one string first.
    static func largeInput(_ name: String, _ write: (FileHandle) -> Void) throws -> URL {
        let input = BulkImportTests.temporaryFile(name)
        try Data().write(to: input)
        let handle = try FileHandle(forWritingTo: input)
        write(handle)
        try handle.close()
        return input
    }

    @Test("a 50 MiB line between two bad ones: refused for its length, numbered right, memory bounded")
    func fiftyMebibyteLine() async throws {
        let input = try Self.largeInput("huge-line.ndjson") { handle in
            handle.write(Data("{\"op\":\"nope\"}\n{\"op\":\"create_user\",\"user_id\":\"1\",\"name\":\"".utf8))
            let block = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<50 { handle.write(block) }
            handle.write(Data("\"}\n[[[[\n".utf8))
        }
        defer { try? FileManager.default.removeItem(at: input) }
        try await SandboxHarness.withSandbox { server, _ in
            let run = try await Self.expectEveryLineRefused(input, lines: 3, concurrency: 8, server: server, label: "50 MiB line")
            #expect(run.standardOutput.contains("longer than the limit"))
            #expect(run.peakResidentBytes < 96 << 20, "peak RSS \(run.peakResidentBytes >> 20) MiB: the long line is not held")
            #expect(try await NonInteractiveModeTests.requestCount(server) == 1, "only the stats request itself")
        }
    }

    @Test("a dry run of 64 lines of 900 KB each holds a few of them at a time, not a chunk's worth")
    func dryRunOfLongLines() async throws {
        let name = String(repeating: "n", count: 900 << 10)
        // Each line fails on its nested custom_data, so the records are small and only the input is large.
        let input = try Self.largeInput("long-lines.ndjson") { handle in
            for index in 1...64 {
                handle.write(Data(#"{"op":"create_user","user_id":"u\#(index)","name":"\#(name)","custom_data":{"deep":{"x":1}}}"#.utf8 + [0x0A]))
            }
        }
        defer { try? FileManager.default.removeItem(at: input) }
        let run = try await ExecutableRunner.run(
            ["--dry-run", "--quiet", "--endpoint", "http://127.0.0.1:9/v1/"], inputFile: input,
            environment: ["HOME": "/nonexistent", "INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": "b"])
        let records = try run.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(records.count == 64)
        #expect(records.allSatisfy { $0["error"]?["message"]?.stringValue?.contains("custom_data.deep") == true })
        // About 49 MiB measured with chunks bounded by bytes, 94 MiB when a chunk could hold all 64 lines.
        #expect(run.peakResidentBytes < 72 << 20, "peak RSS \(run.peakResidentBytes >> 20) MiB for 56 MiB of input")
    }

    @Test("what is not damage is accepted: CRLF endings, a byte-order mark at the start of a line (concatenated files)")
    func tolerableForms() async throws {
        let input = BulkImportTests.temporaryFile("tolerable.ndjson")
        defer { try? FileManager.default.removeItem(at: input) }
        let bytes: [UInt8] =
            Array("\u{FEFF}{\"op\":\"get_user\",\"user_id\":\"123\"}\r\n".utf8) + Array("find user abc123\r\n".utf8)
            + Array("\u{FEFF}{\"op\":\"get_tag\",\"name\":\"Free Trial\"}\r\n".utf8) + Array("\u{FEFF}find user def456\n".utf8)
        try Data(bytes).write(to: input)
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let run = try await ExecutableRunner.run(["--output", "ndjson"], inputFile: input, environment: server.clientEnvironment())
            #expect(run.status == 0, "\(run.standardOutput) \(run.standardError)")
            let records = try run.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.map { $0["ok"] } == [true, true, true, true])
            #expect(records[1]["result"]?["user_id"] == "abc123" && records[3]["result"]?["user_id"] == "def456")
        }
    }
}
