import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

@testable import IntercomShell

/// The journal behind `--journal` and `--resume`: what it records and what a resume makes of it.
@Suite("Import journal")
struct ImportJournalTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-journal-\(UUID().uuidString).ndjson").path
    }

    static func ok(_ line: Int, _ result: JSONValue = ["id": 1]) -> ResultRecord {
        ResultRecord(line: line, op: "create_user", outcome: .success(result))
    }

    static func failed(_ line: Int, _ type: FailureType) -> ResultRecord {
        ResultRecord(line: line, op: "create_note", outcome: .failure(.init(type: type, message: "failed")))
    }

    @Test("a new journal is created 0600 and refuses to overwrite an existing one without --resume")
    func freshJournal() throws {
        let path = Self.temporaryPath()
        do {
            let journal = try ImportJournal(path: path, mode: .fresh)
            journal.finished(.init(line: 1), text: "create user a", operation: IntercomShell.Operation(name: .createUser), records: [Self.ok(1)])
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? NSNumber == 0o600)
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: path, mode: .fresh) }
        let missing = Self.temporaryPath()
        #expect(throws: ImportJournal.OpenError.self, "a mistyped path does not start over") { try ImportJournal(path: missing, mode: .resume) }
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: missing, mode: .resumeFailed) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("a torn last entry is cut off before a resume appends, so every later resume still reads the journal")
    func tornTailIsCut() throws {
        let path = Self.temporaryPath()
        let torn = ImportJournal.header + "\n" + #"{"line":1,"hash":"\#(ImportJournal.hash("a"))","state":"ok"}"# + "\n" + #"{"line":2,"ha"#
        try torn.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let journal = try ImportJournal(path: path, mode: .resume)
            journal.finished(.init(line: 2), text: "b", operation: IntercomShell.Operation(name: .createUser), records: [Self.ok(2)])
        }
        let again = try ImportJournal(path: path, mode: .resume)
        #expect(again.decide(.init(line: 1), text: "a", effect: .idempotentWrite).isSkip)
        #expect(again.decide(.init(line: 2), text: "b", effect: .idempotentWrite).isSkip)
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 3)
    }

    @Test("a journal is bound to its endpoint and app; another one, or an unknown version, is refused")
    func binding() throws {
        let path = Self.temporaryPath()
        let production = ImportJournal.Binding(endpoint: "https://api.intercom.io/v1/", appID: "pi3243fa")
        do {
            let journal = try ImportJournal(path: path, mode: .fresh, binding: production)
            journal.finished(.init(line: 1), text: "a", operation: IntercomShell.Operation(name: .createUser), records: [Self.ok(1)])
        }
        #expect(try ImportJournal(path: path, mode: .resume, binding: production).decide(.init(line: 1), text: "a", effect: .idempotentWrite).isSkip)
        let staging = ImportJournal.Binding(endpoint: "https://staging.example.com/v1/", appID: "pi3243fa")
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: path, mode: .resume, binding: staging) }
        let otherApp = ImportJournal.Binding(endpoint: production.endpoint, appID: "other")
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: path, mode: .resumeFailed, binding: otherApp) }
        let future = Self.temporaryPath()
        try "{\"intercom_sh_journal\":\(ImportJournal.version + 1)}\n".write(toFile: future, atomically: true, encoding: .utf8)
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: future, mode: .resume, binding: production) }
        let old = Self.temporaryPath()
        try (ImportJournal.header + "\n").write(toFile: old, atomically: true, encoding: .utf8)
        _ = try ImportJournal(path: old, mode: .resume, binding: production)
    }

    @Test("a resume skips finished lines, keeps named results, re-runs reset ones and refuses other input")
    func resumeDecisions() throws {
        let path = Self.temporaryPath()
        let user = IntercomShell.Operation(name: .createUser, alias: "ben")
        let note = IntercomShell.Operation(name: .createNote)
        do {
            let journal = try ImportJournal(path: path, mode: .fresh)
            journal.finished(.init(line: 1), text: "user 1", operation: user, records: [Self.ok(1, ["id": "u1"])])
            journal.started(.init(line: 2), text: "note 2")
            journal.finished(.init(line: 2), text: "note 2", operation: note, records: [Self.ok(2)])
            journal.started(.init(line: 3), text: "note 3")
            journal.finished(.init(line: 4), text: "user 4", operation: IntercomShell.Operation(name: .createUser), records: [Self.failed(4, .invalidInput)])
            journal.started(.init(line: 5), text: "note 5")
            journal.finished(.init(line: 5), text: "note 5", operation: note, records: [Self.failed(5, .interrupted)])
            journal.finished(.init(line: 6), text: "user 6", operation: user, records: [Self.failed(6, .unknownOutcome)])
            journal.started(.init(line: 7), text: "note 7")
            journal.finished(.init(line: 7), text: "note 7", operation: note, records: [Self.failed(7, .unknownOutcome)])
            journal.finished(.init(line: 1, source: "/tmp/other.ish"), text: "user 1", operation: user, records: [Self.ok(1)])
        }
        let journal = try ImportJournal(path: path, mode: .resume)
        #expect(journal.remembered(journal.decide(.init(line: 1), text: "user 1", effect: .idempotentWrite)) == ["id": "u1"])
        #expect(journal.decide(.init(line: 2), text: "note 2", effect: .write).isSkip)
        #expect(journal.decide(.init(line: 3), text: "note 3", effect: .write) == .unknownOutcome)
        #expect(journal.decide(.init(line: 4), text: "user 4", effect: .idempotentWrite).isSkip)
        #expect(journal.decide(.init(line: 5), text: "note 5", effect: .write) == .run)
        #expect(journal.decide(.init(line: 6), text: "user 6", effect: .idempotentWrite) == .run)
        #expect(journal.decide(.init(line: 7), text: "note 7", effect: .write).isSkip)
        #expect(journal.decide(.init(line: 8), text: "user 8", effect: .idempotentWrite) == .run)
        #expect(journal.decide(.init(line: 1), text: "user one", effect: .idempotentWrite) == .mismatch)
        #expect(journal.remembered(journal.decide(.init(line: 1, source: "/tmp/other.ish"), text: "user 1", effect: .idempotentWrite)) == ["id": 1])

        let again = try ImportJournal(path: path, mode: .resumeFailed)
        #expect(again.decide(.init(line: 4), text: "user 4", effect: .idempotentWrite) == .run)
        #expect(again.decide(.init(line: 7), text: "note 7", effect: .write).isSkip)
    }

    @Test("a torn last entry (the process died mid-write) is ignored; anything else unreadable is refused")
    func tornEntries() throws {
        let path = Self.temporaryPath()
        let torn = ImportJournal.header + "\n" + #"{"line":1,"hash":"\#(ImportJournal.hash("a"))","state":"ok"}"# + "\n" + #"{"line":2,"ha"#
        try torn.write(toFile: path, atomically: true, encoding: .utf8)
        let journal = try ImportJournal(path: path, mode: .resume)
        #expect(journal.decide(.init(line: 1), text: "a", effect: .idempotentWrite).isSkip)
        #expect(journal.decide(.init(line: 2), text: "b", effect: .idempotentWrite) == .run)

        let other = Self.temporaryPath()
        try "{\"users\":[]}\n".write(toFile: other, atomically: true, encoding: .utf8)
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: other, mode: .resume) }
        let broken = Self.temporaryPath()
        try (ImportJournal.header + "\nnot json\n{\"line\":1}\n").write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(throws: ImportJournal.OpenError.self) { try ImportJournal(path: broken, mode: .resume) }
    }
}

extension ImportJournalTests {
    @Test("an event that started and never finished is sent again with the created it had, also after an interruption")
    func eventsKeepTheirCreated() throws {
        let path = Self.temporaryPath()
        let event = IntercomShell.Operation(name: .createEvent)
        let interrupted = ResultRecord(line: 2, op: "create_event", outcome: .failure(.init(type: .interrupted, message: "not sent")))
        let abandoned = ResultRecord(line: 3, op: "create_event", outcome: .failure(.init(type: .unknownOutcome, message: "on its way")))
        do {
            let journal = try ImportJournal(path: path, mode: .fresh)
            journal.started(.init(line: 1), text: "event a u1", created: 1_500_000_001)
            journal.started(.init(line: 2), text: "event b u1", created: 1_500_000_002)
            journal.finished(.init(line: 2), text: "event b u1", operation: event, records: [interrupted])
            journal.started(.init(line: 3), text: "event c u1", created: 1_500_000_003)
            journal.finished(.init(line: 3), text: "event c u1", operation: event, records: [abandoned])
            journal.started(.init(line: 4), text: "event d u1", created: 1_500_000_004)
            journal.finished(.init(line: 4), text: "event d u1", operation: event, records: [Self.ok(4)])
        }
        #expect(ImportJournal.recordsStart(of: Operation(name: .createEvent)))
        #expect(!ImportJournal.recordsStart(of: Operation(name: .createUser)))
        let journal = try ImportJournal(path: path, mode: .resume)
        #expect(journal.decide(.init(line: 1), text: "event a u1", effect: .idempotentWrite) == .resend(created: 1_500_000_001))
        #expect(journal.decide(.init(line: 2), text: "event b u1", effect: .idempotentWrite) == .resend(created: 1_500_000_002))
        #expect(journal.decide(.init(line: 3), text: "event c u1", effect: .idempotentWrite) == .resend(created: 1_500_000_003))
        #expect(journal.decide(.init(line: 4), text: "event d u1", effect: .idempotentWrite).isSkip)
    }
}

extension ImportJournalTests {
    @Test("a resume sends an event that was on its way with its first created, one line after another and at concurrency 8", arguments: [1, 8])
    func resumeResendsEventsWithTheirCreated(concurrency: Int) async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = ["create user resumed-\(concurrency)", "event signed-up user_id=123", #"{"op":"create_event","event_name":"paid","user_id":"123"}"#]
        do {
            // As a run killed while both events were on their way leaves it.
            let crashed = try ImportJournal(path: path, mode: .fresh)
            crashed.started(.init(line: 2), text: lines[1], created: 1_400_000_002)
            crashed.started(.init(line: 3), text: lines[2], created: 1_400_000_003)
        }
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            var runner = PipelineRunner(interpreter: LineInterpreter(), executor: Executor(client: client))
            runner.concurrency = concurrency
            runner.journal = try ImportJournal(path: path, mode: .resume)
            let input = lines.enumerated().map { InputLine(number: $0.offset + 1, content: .success($0.element)) }
            let summary = await runner.run(InputLineList(lines: input)) { _ in }
            #expect(summary.succeeded == 3)
            let events = try server.store.recentEvents()
            #expect(events.map { $0["created"] } == [1_400_000_002, 1_400_000_003])
        }
    }
}

extension ImportJournal.Decision {
    /// Whether the line is skipped as done.
    var isSkip: Bool {
        if case .skip = self { return true }
        return false
    }
}

extension ImportJournal {
    /// The result a skipped line leaves for references (nil when the line is not skipped or failed).
    func remembered(_ decision: Decision) -> JSONValue? {
        guard case .skip(let finished) = decision, finished.succeeded else { return nil }
        return rememberedResult(of: finished)
    }
}
