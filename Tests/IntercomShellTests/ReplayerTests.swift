import IntercomKit
import Testing

@testable import IntercomShell

/// The recording format and the replay's decisions, without a server.
@Suite("Recording and replay")
struct ReplayerTests {
    static let note = Operation(name: .createNote, parameters: ["user_id": "u1", "body": "hi"])

    @Test("a recording entry reads back as it was written, records, source and time included")
    func entryRoundTrip() throws {
        let records = [
            ResultRecord(line: 3, source: "/tmp/a.ish", ref: "r", op: "create_note", outcome: .success(["id": "n1", "html": "<p>hi</p>"])),
            ResultRecord(line: 3, source: "/tmp/a.ish", op: "create_note", outcome: .failure(.init(type: .unknownOutcome, status: 502, cause: .badGateway, message: "m"))),
        ]
        let entry = RecordingEntry(operation: Self.note, records: records, elapsed: .microseconds(12_345))
        let read = try RecordingEntry(parsing: entry.text)
        #expect(read.line == 3 && read.source == "/tmp/a.ish")
        #expect(read.operation.name == .createNote && read.operation.parameters == Self.note.parameters)
        #expect(read.records == records)
        #expect(read.elapsed == .microseconds(12_345))
        #expect(read == entry)
    }

    @Test("what is not a recording entry is refused with the reason", arguments: [
        "not json", #"{"records":[]}"#, #"{"operation":{"op":"frobnicate"}}"#, #"{"operation":{"op":"get_user","user_id":"1"},"records":[{"ok":true}]}"#,
    ])
    func unreadableEntries(text: String) {
        #expect(throws: InputError.self) { try RecordingEntry(parsing: text) }
    }

    @Test("ids learned from compared results are mapped into later operations; differences and failures decide the exit status")
    func replayDecisions() {
        var replayer = Replayer(checks: true)
        let created = RecordingEntry(
            operation: Operation(name: .createMessageThread, parameters: ["user_id": "u1", "body": "hi"]),
            records: [ResultRecord(line: 1, op: "create_message_thread", outcome: .success(["thread_id": 100, "body": "hi"]))], elapsed: nil)
        let now = [ResultRecord(line: 1, op: "create_message_thread", outcome: .success(["thread_id": 555, "body": "hi"]))]
        #expect(replayer.finished(created, with: now).isEmpty, "ids differ by design")
        let reply = RecordingEntry(
            operation: Operation(name: .replyMessageThread, parameters: ["user_id": "u1", "thread_id": 100, "body": "again"]), records: [],
            elapsed: nil)
        #expect(replayer.operation(for: reply).parameters["thread_id"] == 555)
        #expect(replayer.report.exitStatus == .success)

        let differing = replayer.finished(created, with: [ResultRecord(line: 1, op: "create_message_thread", outcome: .success(["thread_id": 556, "body": "bye"]))])
        #expect(differing.map(\.path) == ["result.body"])
        let failed = replayer.finished(reply, with: [ResultRecord(line: 2, op: "reply_message_thread", outcome: .failure(.init(type: .api(.notFound), message: "m")))])
        #expect(failed.map(\.path) == ["records"])
        #expect(replayer.report.differing == 2 && replayer.report.failed == 1)
        #expect(replayer.report.exitStatus == .failed)
        #expect(replayer.report.verdict == "replay: 2 operation(s) differ from the recording")

        var unchecked = Replayer(checks: false)
        #expect(unchecked.finished(created, with: []).isEmpty)
        #expect(unchecked.report.exitStatus == .success)
    }

    @Test("the exit status: lost writes, then an interruption, then refused credentials, then failed lines")
    func exitStatuses() {
        var summary = PipelineSummary()
        #expect(ExitStatus.of(summary, interrupted: false, lostWrites: false) == .success)
        summary.failed = 1
        #expect(ExitStatus.of(summary, interrupted: false, lostWrites: false) == .failed)
        summary.authenticationFailed = true
        #expect(ExitStatus.of(summary, interrupted: false, lostWrites: false) == .credentials)
        #expect(ExitStatus.of(summary, interrupted: true, lostWrites: false) == .interrupted)
        #expect(ExitStatus.of(summary, interrupted: true, lostWrites: true) == .lostWrites)
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 130])
    }
}
