import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Synchronization
import Testing

@testable import IntercomShell

/// What a resume makes of the journal: records an earlier run journaled but never wrote out, and the results that
/// later lines refer to, as an uninterrupted run would have them.
@Suite("Resume")
struct ResumeTests {
    static func lines(_ texts: [String]) -> InputLineList {
        InputLineList(lines: texts.enumerated().map { InputLine(number: $0.offset + 1, content: .success($0.element)) })
    }

    /// Runs `texts` against `client` with `journal`, `concurrency` at a time; returns the records and the totals.
    static func run(
        _ texts: [String], client: IntercomClient, journal: ImportJournal, concurrency: Int, mode: ErrorPolicy = .continue
    ) async -> ([ResultRecord], PipelineSummary) {
        var runner = PipelineRunner(interpreter: LineInterpreter(), executor: Executor(client: client), errorPolicy: mode)
        runner.concurrency = concurrency
        runner.journal = journal
        let records = Mutex<[ResultRecord]>([])
        let summary = await runner.run(lines(texts)) { record in records.withLock { $0.append(record) } }
        return (records.withLock { $0 }, summary)
    }

    @Test("a line journaled as done whose records were never written out: the resume writes them from the journal and sends nothing", arguments: [1, 8])
    func unwrittenRecordsAreWrittenOnResume(concurrency: Int) async throws {
        let path = ImportJournalTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let texts = [#"{"op":"create_note","user_id":"123","body":"first"}"#, #"{"op":"create_note","user_id":"123","body":"second"}"#]
        let journaled = ResultRecord(line: 1, op: "create_note", outcome: .success(["id": "n1", "body": "<p>first</p>"]))
        do {
            // As a run killed between journaling line 1 and writing its record leaves the journal.
            let crashed = try ImportJournal(path: path, mode: .fresh)
            crashed.started(.init(line: 1), text: texts[0])
            crashed.finished(.init(line: 1), text: texts[0], operation: Operation(name: .createNote), records: [journaled])
        }
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            let journal = try ImportJournal(path: path, mode: .resume)
            let (records, summary) = await Self.run(texts, client: client, journal: journal, concurrency: concurrency)
            #expect(records.first == journaled, "line 1's record comes from the journal, as it was")
            #expect(records.map(\.line) == [1, 2])
            #expect(summary.succeeded == 2 && summary.skipped == 0)
            let bodies = try server.store.recentNotes(limit: .max).compactMap { $0["body"]?.stringValue }
            #expect(bodies.filter { $0.contains("first") }.isEmpty, "line 1 was not sent again: \(bodies)")
            #expect(bodies.filter { $0.contains("second") }.count == 1)
        }
        // Written now: a second resume skips both lines and writes nothing.
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let journal = try ImportJournal(path: path, mode: .resume)
            let (records, summary) = await Self.run(texts, client: client, journal: journal, concurrency: concurrency)
            #expect(records.isEmpty)
            #expect(summary.skipped == 2)
        }
    }

    @Test("${_} after a resume is the result of the line before it, also when that line was done by the earlier run", arguments: [1, 8])
    func previousResultSurvivesResume(concurrency: Int) async throws {
        let path = ImportJournalTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let texts = [
            #"{"op":"create_user","user_id":"a1","email":"a1@example.com"}"#,
            #"{"op":"create_user","user_id":"a2","email":"a2@example.com"}"#,
            #"{"op":"create_event","event_name":"signed-up","user_id":"a2"}"#,
            #"{"op":"create_note","user_id":"${_.user_id}","body":"for the user before the event"}"#,
        ]
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            // The first run ends after line 3 (as if killed there); the resume runs line 4.
            let first = try ImportJournal(path: path, mode: .fresh)
            let (_, done) = await Self.run(Array(texts.prefix(3)), client: client, journal: first, concurrency: concurrency)
            #expect(done.succeeded == 3)
            let resumed = try ImportJournal(path: path, mode: .resume)
            let (records, summary) = await Self.run(texts, client: client, journal: resumed, concurrency: concurrency)
            #expect(summary.skipped == 3)
            let note = try #require(records.first)
            #expect(note.line == 4 && note.ok, "\(note.ndjson)")
            if case .success(let result) = note.outcome { #expect(result["user"]?["user_id"] == "a2", "\(result)") }
        }
    }
}
