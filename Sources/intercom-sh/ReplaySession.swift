import Foundation
import IntercomKit
import IntercomShell

/// Runs a recording's operations again, in order, and with `--check` compares each result with the recorded one.
struct ReplaySession {
    let connection: ConnectionOptions
    let output: OutputFormat?
    let check: Bool
    let ignored: [String]
    let file: String

    /// Runs the replay and returns the exit status: 1 when a check found a difference or an operation failed.
    func run() async -> Int32 {
        let lines: FileDescriptorLines
        switch FileDescriptorLines.open(file, maximumLineBytes: 1 << 26) {
        case .success(let opened): lines = opened
        case .failure(let error):
            try? OutputWriter.standardError.write("intercom-sh replay: \(error.message)\n")
            return ExitStatus.usage.rawValue
        }
        defer { lines.stop() }
        guard let opened = await Connection.open(connection) else { return ExitStatus.credentials.rawValue }
        let executor = Executor(client: opened.client)
        let format = output ?? (isatty(STDOUT_FILENO) == 1 ? .pretty : .ndjson)
        var renderer = RecordRenderer(format: format, colored: false, redaction: SecretRedaction(credentials: opened.credentials))
        var replayer = Replayer(comparison: RecordComparison(ignore: ignored), checks: check)
        try? OutputWriter.standardOutput.write(renderer.header())
        for await line in lines {
            guard case .success(let text) = line.content, !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let entry: RecordingEntry
            do {
                entry = try RecordingEntry(parsing: text)
            } catch {
                try? OutputWriter.standardError.write("intercom-sh replay: \(file):\(line.number): not a recording entry: \(error)\n")
                replayer.unreadable()
                continue
            }
            var records: [ResultRecord] = []
            do {
                try await executor.execute(replayer.operation(for: entry), line: entry.line ?? line.number) { records.append($0) }
            } catch {
                break
            }
            for record in records { try? OutputWriter.standardOutput.write(renderer.render(record)) }
            let differences = replayer.finished(entry, with: records)
            if !differences.isEmpty {
                var text = "replay: \(Replayer.location(of: entry, fallback: line.number)) (\(entry.operation.name.rawValue)) differs:\n"
                for difference in differences { text += "  \(renderer.scrub(difference.description))\n" }
                try? OutputWriter.standardError.write(text)
            }
        }
        try? OutputWriter.standardOutput.write(renderer.footer())
        await opened.close()
        if check { try? OutputWriter.standardError.write(replayer.report.verdict + "\n") }
        return replayer.report.exitStatus.rawValue
    }
}
