import Foundation
import IntercomKit
import IntercomSandbox
import IntercomShell
import IntercomTesting
import Synchronization
import Testing

/// `--dry-run` with several workers must be indistinguishable from one line after another: the same records in the
/// same order, the same totals, the same failed lines, and references that see every result before them.
@Suite("Parallel dry run")
struct ParallelDryRunTests {
    /// A sink that renders NDJSON apart (as the executable's does), or hands records over one by one.
    final class CollectingSink: RecordSink {
        private let text = Mutex<[UInt8]>([])
        private let rendersApart: Bool
        private let renderer = RecordRenderer(format: .ndjson)

        init(rendersApart: Bool) { self.rendersApart = rendersApart }

        func write(_ record: ResultRecord) async throws {
            text.withLock { renderer.renderApart(record, into: &$0) }
        }

        func render(_ record: ResultRecord, into bytes: inout [UInt8]) -> Bool {
            guard rendersApart else { return false }
            renderer.renderApart(record, into: &bytes)
            return true
        }

        func write(rendered bytes: [UInt8], count: Int) async throws {
            text.withLock { $0.append(contentsOf: bytes) }
        }

        var lines: [String] { text.withLock { String(decoding: $0, as: UTF8.self) }.split(separator: "\n").map(String.init) }
    }

    /// What one run produced.
    struct Run: Equatable {
        var lines: [String]
        var summary: PipelineSummary
        var failedLines: [String]
    }

    /// About 3,000 lines over many chunks: creates named with `as`, references to them far later (also written as
    /// `\u0024{` in NDJSON and `$\{` in the command language), help, comments, blank lines, bad JSON, unknown ops,
    /// invalid custom_data, an unreadable line, a command continued over two lines, a `source` of another file, and
    /// a last command continued into the end of the input.
    static func input(sourcing file: URL) -> [InputLine] {
        var texts: [String?] = []
        for index in 1...3000 {
            switch index % 100 {
            case 1: texts.append("create user u\(index) email=u\(index)@example.com custom_data.plan=pro as u\(index)")
            case 7: texts.append(#"{"op":"create_note","user_id":"${u\#(index - 6).user_id}","body":"seen \#(index)"}"#)
            case 13: texts.append(#"{"op":"create_note","user_id":"\u0024{u\#(index - 12).user_id}","body":"escaped"}"#)
            case 17: texts.append("note $\\{u\(index - 16).email} \"command-language escape\"")
            case 23: texts.append("# a comment")
            case 29: texts.append("")
            case 31: texts.append("help tag")
            case 37: texts.append(#"{"op":"create_user","user_id":"x"#)
            case 41: texts.append(#"{"op":"create_usr","user_id":"x"}"#)
            case 43: texts.append(#"{"op":"create_user","user_id":"d\#(index)","custom_data":{"deep":{"x":1}}}"#)
            case 47: texts.append(nil)
            case 53: texts.append("tag \"Free Trial\" \\")
            case 54: texts.append("  u\(index - 53) u\(index - 52)")
            case 59 where index == 1559: texts.append("source \(file.path)")
            case 61: texts.append("event signed-up user_id=u\(index - 60)")
            case 67: texts.append(#"{"op":"get_user","email":"${_.email}","ref":\#(index)}"#)
            default: texts.append(#"{"op":"create_user","user_id":"p\#(index)","email":"p\#(index)@example.com","ref":"r\#(index)"}"#)
            }
        }
        texts.append("note u1 \\")
        return texts.enumerated().map { offset, text in
            InputLine(number: offset + 1, content: text.map { .success($0) } ?? .failure(InputError("line is not valid UTF-8")))
        }
    }

    static func run(_ lines: [InputLine], workers: Int, rendersApart: Bool, client: IntercomClient) async -> Run {
        var executor = Executor(client: client, now: { 1_700_000_000 })
        executor.dryRun = true
        let failed = Mutex<[String]>([])
        var context = ReferenceContext()
        context.lenient = true
        var runner = PipelineRunner(
            interpreter: LineInterpreter(), executor: executor, context: context,
            observer: PipelineObserver(lineFailed: { line in failed.withLock { $0.append(line) } }))
        runner.dryRunWorkers = workers
        let sink = CollectingSink(rendersApart: rendersApart)
        let summary = await runner.run(InputLineList(lines: lines), sink: sink)
        return Run(lines: sink.lines, summary: summary, failedLines: failed.withLock { $0 })
    }

    @Test("several workers give exactly the records, totals and failed lines of one worker, and send nothing")
    func sameAsOneAtATime() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-dry-run-\(UUID().uuidString).txt")
        try "create user sourced-1 as sourced\nnote ${sourced.user_id} \"from a sourced file\"\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let lines = Self.input(sourcing: file)
        try await SandboxHarness.withSandbox { server, client in
            let sequential = await Self.run(lines, workers: 1, rendersApart: true, client: client)
            let rendered = await Self.run(lines, workers: 4, rendersApart: true, client: client)
            let oneByOne = await Self.run(lines, workers: 2, rendersApart: false, client: client)
            #expect(rendered == sequential)
            #expect(oneByOne == sequential)

            // What the run must show, not only that the runs agree.
            let all = try sequential.lines.map { try JSONValue(parsing: $0) }
            let sourced = all.filter { $0["source"] != nil }
            let records = all.filter { $0["source"] == nil }
            let byLine = Dictionary(uniqueKeysWithValues: records.map { ($0["line"]!.integerValue!, $0) })
            #expect(byLine[2907]?["result"]?["dry_run"]?["body"]?["user_id"] == "u2901")
            #expect(byLine[2913]?["result"]?["dry_run"]?["body"]?["user_id"] == "u2901")
            #expect(byLine[2917]?["result"]?["dry_run"]?["body"]?["email"] == "u2901@example.com")
            #expect(byLine[2953]?["result"]?["dry_run"]?["body"]?["user_ids"] == ["u2901", "u2902"])
            #expect(byLine[2967]?["result"]?["dry_run"]?["query"] == "email=p2966%40example.com")
            #expect(byLine[1559] == nil)
            #expect(sourced.map { $0["line"] } == [1, 2])
            #expect(sourced.allSatisfy { $0["source"]?.stringValue?.hasSuffix(file.lastPathComponent) == true })
            #expect(sourced.last?["result"]?["dry_run"]?["body"]?["user_id"] == "sourced-1")
            #expect(all.firstIndex { $0["source"] != nil } == all.firstIndex { $0["line"] == 1560 }.map { $0 - 2 })
            #expect(records.last?["line"] == 3001)
            #expect(records.last?["error"]?["message"]?.stringValue?.contains("continued with a trailing backslash") == true)
            let lineNumbers = records.map { $0["line"]!.integerValue! }
            #expect(lineNumbers == lineNumbers.sorted())
            // Per 100 lines: 4 bad lines (truncated JSON, unknown op, nested custom_data, unreadable); plus the last.
            #expect(sequential.summary.failed == 30 * 4 + 1)
            #expect(sequential.failedLines.count == 30 * 3 + 1)
            #expect(sequential.failedLines.first == #"{"op":"create_user","user_id":"x"#)
            #expect(sequential.summary.succeeded == all.count - sequential.summary.failed)
            let stats = try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats"))
            // The only request the sandbox saw is this one.
            #expect(try JSONValue(parsing: stats.body)["requests"] == 1)
        }
    }
}
