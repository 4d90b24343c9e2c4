import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Every file intercom-sh writes fails loudly: a full disk (a small tmpfs in a private mount namespace) or
/// /dev/full stops the run with exit 4 and a message naming the file, and a resume applies nothing twice.
@Suite("Write failures", .serialized)
struct WriteFailureTests {
    /// Runs `script` with `sh -c` in a private mount namespace (`unshare -m`, as root), where `$DIR` is a fresh
    /// directory and `$ISH` the built executable; returns what it printed.
    static func inMountNamespace(_ script: String, environment: [String: String]) async throws -> (output: String, error: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-m", "sh", "-c", script]
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        variables["DIR"] = directory.path
        variables["ISH"] = RepositoryPaths.executable.path
        process.environment = variables
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let printed = await onThread { output.fileHandleForReading.readDataToEndOfFile() }
        let complained = await onThread { error.fileHandleForReading.readDataToEndOfFile() }
        await onThread { process.waitUntilExit() }
        return (String(decoding: printed, as: UTF8.self), String(decoding: complained, as: UTF8.self))
    }

    static func lines(_ count: Int, _ make: (Int) -> String) -> String {
        (1...count).map { make($0) + "\n" }.joined()
    }

    @Test("records to a full disk: the run stops at the failed write and exits 4, naming standard output")
    func recordsToFullDisk() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .empty)) { server, _ in
            let input = BulkImportTests.temporaryFile("full-records.ndjson")
            try Self.lines(300) { #"{"op":"create_user","user_id":"f\#($0)","email":"f\#($0)@example.com"}"# }.write(to: input, atomically: true, encoding: .utf8)
            let script = """
                mount -t tmpfs -o size=16k tmpfs "$DIR" || exit 99
                "$ISH" < "\(input.path)" > "$DIR/out"
                echo "status=$?"
                """
            let run = try await Self.inMountNamespace(script, environment: server.clientEnvironment())
            #expect(run.output.contains("status=4"), "\(run.output) \(run.error)")
            #expect(run.error.contains("cannot write the records to standard output: No space left on device"), "\(run.error)")
            #expect(!run.error.contains("300 ok"))
        }
    }

    @Test("a journal on a full disk stops the run (exit 4); once there is room, --resume applies every note exactly once")
    func journalOnFullDisk() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let input = BulkImportTests.temporaryFile("full-journal.txt")
            try Self.lines(200) { "note 123 \"full disk \($0)\"" }.write(to: input, atomically: true, encoding: .utf8)
            let script = """
                mount -t tmpfs -o size=8k tmpfs "$DIR" || exit 99
                "$ISH" --journal "$DIR/j" < "\(input.path)" > /dev/null
                echo "first=$?"
                mount -o remount,size=1m "$DIR" || exit 98
                "$ISH" --journal "$DIR/j" --resume --summary < "\(input.path)" > "$DIR/resumed"
                echo "resume=$?"
                tail -1 "$DIR/resumed"
                """
            let run = try await Self.inMountNamespace(script, environment: server.clientEnvironment())
            #expect(run.output.contains("first=4"), "\(run.output) \(run.error)")
            #expect(run.error.contains("cannot write the journal"), "\(run.error)")
            #expect(run.output.contains("resume=0") || run.output.contains("resume=1"), "\(run.output) \(run.error)")
            let notes = try server.store.recentNotes(limit: 1_000).compactMap { $0["body"]?.stringValue }.filter { $0.hasPrefix("<p>full disk") || $0.hasPrefix("full disk") }
            #expect(Set(notes).count == notes.count, "no note applied twice")
            #expect(notes.count == 200, "every note applied once: \(notes.count)")
        }
    }

    /// 400 create_user lines (user ids `prefix`1…) run with a journal into `$DIR/out` on a 64 KiB tmpfs (exit 4),
    /// the tmpfs grown, then `resume` (a script that resumes and prints what to check) run after it.
    static func fullDiskThenResume(_ server: SandboxServer, prefix: String, resume: (String) -> String) async throws -> (output: String, error: String) {
        let input = BulkImportTests.temporaryFile("\(prefix)-output.ndjson")
        try Self.lines(400) { #"{"op":"create_user","user_id":"\#(prefix)\#($0)","email":"\#(prefix)\#($0)@example.com","name":"\#(String(repeating: "n", count: 40))"}"# }
            .write(to: input, atomically: true, encoding: .utf8)
        let script = """
            mount -t tmpfs -o size=64k tmpfs "$DIR" || exit 99
            "$ISH" --journal "$DIR/j" < "\(input.path)" > "$DIR/out"
            echo "first=$?"
            mount -o remount,size=4m "$DIR" || exit 98
            \(resume(input.path))
            """
        return try await Self.inMountNamespace(script, environment: server.clientEnvironment())
    }

    @Test("records and journal on a full disk, then --resume >> the same output: every line's record once, none torn")
    func outputOnFullDiskResumed() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .empty)) { server, _ in
            let run = try await Self.fullDiskThenResume(server, prefix: "o") { input in
                """
                "$ISH" --journal "$DIR/j" --resume < "\(input)" >> "$DIR/out"
                echo "resume=$?"
                cat "$DIR/out"
                """
            }
            #expect(run.output.contains("first=4"), "\(run.output.prefix(300)) \(run.error)")
            #expect(run.output.contains("resume=0"), "\(run.error)")
            let records = run.output.split(separator: "\n").filter { $0.hasPrefix("{") }
            let parsed = records.compactMap { try? JSONValue(parsing: String($0)) }
            #expect(parsed.count == records.count, "no torn record")
            let lines = parsed.compactMap { $0["line"]?.integerValue }
            #expect(lines == Array(1...400), "every line's record once, in order: \(lines.count) records")
            #expect(run.error.contains("the output was cut back by"), "\(run.error)")
        }
    }

    @Test("--resume >> into another file than the earlier run wrote never cuts it; the lines still come out once")
    func resumeIntoAnotherFile() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .empty)) { server, _ in
            let run = try await Self.fullDiskThenResume(server, prefix: "p") { input in
                """
                yes 'PRECIOUS LINE' | head -n 10000 > "$DIR/precious"
                "$ISH" --journal "$DIR/j" --resume < "\(input)" >> "$DIR/precious"
                echo "resume=$?"
                cat "$DIR/precious"
                """
            }
            #expect(run.output.contains("first=4") && run.output.contains("resume=0"), "\(run.error)")
            let lines = run.output.split(separator: "\n")
            #expect(lines.filter { $0 == "PRECIOUS LINE" }.count == 10_000, "the other file keeps every line it had")
            #expect(lines.filter { $0.hasPrefix("{") }.count > 0 && lines.last?.hasPrefix("{") == true, "the resume's records follow")
            #expect(!run.error.contains("cut back"), "\(run.error)")
        }
    }

    @Test("--failures /dev/full and --record /dev/full stop the run with exit 4; --journal /dev/full is refused")
    func devFull() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let environment = server.clientEnvironment()
            let failures = try await ExecutableRunner.run(["--failures", "/dev/full"], input: "note nobody \"x\"\nfind user 123\n", environment: environment)
            #expect(failures.status == 4)
            #expect(failures.standardError.contains("cannot write /dev/full: No space left on device"), "\(failures.standardError)")
            let record = try await ExecutableRunner.run(["--record", "/dev/full"], input: "find user 123\nfind user 123\n", environment: environment)
            #expect(record.status == 4)
            #expect(record.standardError.contains("cannot write /dev/full"))
            let journal = try await ExecutableRunner.run(["--journal", "/dev/full"], input: "find user 123\n", environment: environment, timeout: .seconds(20))
            #expect(journal.status == 2)
            #expect(journal.standardError.contains("/dev/full is not a regular file"))
        }
    }
}
