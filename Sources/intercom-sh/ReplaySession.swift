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
        guard let data = FileManager.default.contents(atPath: file) else {
            try? OutputWriter.standardError.write("intercom-sh replay: cannot read \(file)\n")
            return 2
        }
        guard let opened = await Connection.open(connection) else { return 3 }
        let executor = Executor(client: opened.client)
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        var renderer = RecordRenderer(format: output ?? (stdoutIsTerminal ? .pretty : .ndjson), colored: false, redaction: SecretRedaction(credentials: opened.credentials))
        let comparison = RecordComparison(ignore: ignored)
        var ids: [JSONValue: JSONValue] = [:]
        var differing = 0
        var failed = 0
        try? OutputWriter.standardOutput.write(renderer.header())
        var splitter = LineSplitter()
        for line in splitter.feed(data) + splitter.finish() {
            guard case .success(let text) = line.content, !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let entry: JSONValue
            let operation: IntercomShell.Operation
            do {
                entry = try JSONValue(parsing: text)
                guard let object = entry["operation"] else { throw InputError("no \"operation\"") }
                operation = try NDJSONOperationDecoder().decode(object.encodedString())
            } catch {
                try? OutputWriter.standardError.write("intercom-sh replay: \(file):\(line.number): not a recording entry: \(error)\n")
                differing += 1
                continue
            }
            var mapped = operation
            mapped.parameters = RecordComparison.mapIDs(in: operation.parameters, ids)
            let recordedLine = entry["line"]?.integerValue.map { Int($0) } ?? line.number
            var records: [ResultRecord] = []
            do {
                try await executor.execute(mapped, line: recordedLine) { records.append($0) }
            } catch {
                break
            }
            for record in records {
                if !record.ok { failed += 1 }
                try? OutputWriter.standardOutput.write(renderer.render(record))
            }
            guard check else { continue }
            let recorded = entry["records"]?.arrayValue ?? []
            var differences: [RecordComparison.Difference] = []
            if recorded.count != records.count {
                differences.append(.init(path: "records", recorded: .integer(Int64(recorded.count)), now: .integer(Int64(records.count))))
            }
            for (old, new) in zip(recorded, records) {
                let (found, pairs) = comparison.compare(recorded: old, now: new.json)
                differences += found
                for pair in pairs { ids[pair.old] = pair.new }
            }
            if !differences.isEmpty {
                differing += 1
                let where_ = (entry["source"]?.stringValue.map { "\($0):" } ?? "line ") + String(recordedLine)
                var text = "replay: \(where_) (\(operation.name.rawValue)) differs:\n"
                for difference in differences { text += "  \(renderer.scrub(difference.description))\n" }
                try? OutputWriter.standardError.write(text)
            }
        }
        try? OutputWriter.standardOutput.write(renderer.footer())
        await opened.close()
        if check {
            try? OutputWriter.standardError.write(
                differing == 0 ? "replay: every result matches the recording\n" : "replay: \(differing) operation(s) differ from the recording\n")
        }
        return differing > 0 || failed > 0 ? 1 : 0
    }
}
