import Foundation
import IntercomKit
import IntercomShell
import Synchronization

/// Runs a recording's operations again, in order, through the same engine as every other face (retries, pacing,
/// `--create-attributes`, interruption), and with `--check` compares each result with the recorded one.
struct ReplaySession {
    let connection: ConnectionOptions
    let delivery: DeliveryOptions
    let output: OutputFormat?
    let check: Bool
    let ignored: [String]
    let file: String

    /// The records of the line being replayed, as the engine hands them over.
    private final class Collected: Sendable {
        let records = Mutex<[ResultRecord]>([])

        func take() -> [ResultRecord] { records.withLock { records in defer { records = [] }; return records } }
    }

    /// Runs the replay and returns the exit status: 1 when a check found a difference or an operation failed, 4
    /// when the output could not be written, 130 when interrupted.
    func run() async -> Int32 {
        let lines: FileDescriptorLines
        switch FileDescriptorLines.open(file, maximumLineBytes: 1 << 26) {
        case .success(let opened): lines = opened
        case .failure(let error):
            try? OutputWriter.standardError.write("intercom-sh replay: \(error.message)\n")
            return ExitStatus.usage.rawValue
        }
        defer { lines.stop() }
        let interrupted = InterruptFlag()
        guard let opened = await Connection.open(connection) else { return ExitStatus.credentials.rawValue }
        var executor = delivery.executor(client: opened.client)
        executor.concurrency = ConcurrencyControl(fixed: 1)
        let runner = PipelineRunner(interpreter: LineInterpreter(), executor: executor, errorPolicy: .continue)
        let control = runner.control
        let work = Task { await replay(lines, runner: runner, redaction: SecretRedaction(credentials: opened.credentials)) }
        interrupted.onSignal(first: { control.stopReading(); lines.stop() }, again: { work.cancel() })
        let status = await work.value
        await opened.close()
        return status == .lostWrites || !interrupted.isSet ? status.rawValue : ExitStatus.interrupted.rawValue
    }

    /// Replays every entry of `lines` through `runner`, one at a time.
    private func replay(_ lines: FileDescriptorLines, runner: PipelineRunner, redaction: SecretRedaction) async -> ExitStatus {
        let format = output ?? (isatty(STDOUT_FILENO) == 1 ? .pretty : .ndjson)
        var renderer = RecordRenderer(format: format, colored: false, redaction: redaction)
        var replayer = Replayer(comparison: RecordComparison(ignore: ignored), checks: check)
        let collected = Collected()
        var run = LineByLineRun(runner: runner, sink: ClosureRecordSink { record in collected.records.withLock { $0.append(record) } })
        do {
            try OutputWriter.standardOutput.write(renderer.header())
            for await line in lines {
                if runner.control.isStopping || Task.isCancelled { break }
                guard let entry = readEntry(line, &replayer) else { continue }
                let text = JSONValue.object(replayer.operation(for: entry).json).encodedString()
                _ = try await run.run(text, number: entry.line ?? line.number)
                let records = collected.take()
                for record in records { try OutputWriter.standardOutput.write(renderer.render(record)) }
                report(replayer.finished(entry, with: records), of: entry, line: line.number, renderer: renderer)
            }
            try OutputWriter.standardOutput.write(renderer.footer())
        } catch {
            try? OutputWriter.standardError.write("intercom-sh replay: stopped: cannot write the results: \(error)\n")
            return .lostWrites
        }
        if check { try? OutputWriter.standardError.write(replayer.report.verdict + "\n") }
        return replayer.report.exitStatus
    }

    /// The entry on `line`; nil (counted as differing, and said on standard error) when it is blank or unreadable.
    private func readEntry(_ line: InputLine, _ replayer: inout Replayer) -> RecordingEntry? {
        guard case .success(let text) = line.content else {
            try? OutputWriter.standardError.write("intercom-sh replay: \(file):\(line.number): the line cannot be read\n")
            replayer.unreadable()
            return nil
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        do {
            return try RecordingEntry(parsing: text)
        } catch {
            try? OutputWriter.standardError.write("intercom-sh replay: \(file):\(line.number): not a recording entry: \(error)\n")
            replayer.unreadable()
            return nil
        }
    }

    /// Says on standard error how an entry's results differ from the recording, if they do.
    private func report(_ differences: [RecordComparison.Difference], of entry: RecordingEntry, line: Int, renderer: RecordRenderer) {
        guard !differences.isEmpty else { return }
        var text = "replay: \(Replayer.location(of: entry, fallback: line)) (\(entry.operation.name.rawValue)) differs:\n"
        for difference in differences { text += "  \(renderer.scrub(difference.description))\n" }
        try? OutputWriter.standardError.write(text)
    }
}
