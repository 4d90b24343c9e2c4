import Foundation
import IntercomKit

extension PipelineRunner {
    /// `source FILE` and `run FILE`: runs the file's lines in place, relative to the including file, streamed and
    /// run the way the main input is (concurrently, or checked side by side in a dry run); a loop is an error.
    func runSource(_ path: String, line: Int, source: String?, _ state: inout RunState) async throws {
        let resolved = Self.absolute(path, relativeTo: state.files.last)
        if let loopStart = state.files.firstIndex(of: resolved) {
            let chain = (state.files[loopStart...] + [resolved]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → ")
            return try await refuseSource("source loop: \(chain)", line: line, source: source, &state)
        }
        if let identity = FileIdentity(path: resolved), let written = writtenFiles.first(where: { $0.identity == identity }) {
            return try await refuseSource(
                "\(path) is also \(written.role), which this run writes: source another file", line: line, source: source, &state)
        }
        let lines: FileDescriptorLines
        switch FileDescriptorLines.open(resolved, maximumLineBytes: maximumLineBytes) {
        case .success(let opened): lines = opened
        case .failure(let error): return try await refuseSource(error.message, line: line, source: source, &state)
        }
        defer { lines.stop() }
        state.files.append(resolved)
        defer { state.files.removeLast() }
        try await runLines(lines, source: resolved, &state)
    }

    private func refuseSource(_ message: String, line: Int, source: String?, _ state: inout RunState) async throws {
        let record = ResultRecord(line: line, source: source, op: "source", outcome: .failure(.init(type: .invalidInput, message: message)))
        try await publish(LineOutcome(records: [record]), &state)
    }
}
