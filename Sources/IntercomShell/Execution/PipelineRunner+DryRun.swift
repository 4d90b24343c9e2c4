import IntercomKit

/// `--dry-run` on more than one core: nothing is sent, so lines that cannot see one another are checked side by side.
extension PipelineRunner {
    /// Logical lines read but not yet checked.
    struct Chunk: Sendable {
        var lines: [LineJoiner.Joined] = []
        /// The UTF-8 size of the lines' text.
        var bytes = 0
    }

    /// What a worker made of a chunk: everything the run needs to conclude its lines in order, without the records
    /// themselves when the sink rendered them (so their memory is freed by the worker that allocated it).
    struct CheckedChunk: Sendable {
        /// The records' text, when the sink renders apart.
        var rendered: [UInt8] = []
        /// The records, when it does not.
        var records: [ResultRecord] = []
        /// Lines that ended with records, and the records' totals.
        var linesDone = 0
        var summary = PipelineSummary()
        /// Every record is counted ok or failed.
        var recordCount: Int { summary.succeeded + summary.failed }
        /// The input of each failed line, in order, for the failures file.
        var failedLines: [String] = []
        /// Results named with `as`, and the last result, as the run remembers them.
        var named: [String: JSONValue] = [:]
        var previous: JSONValue?
        /// The lines from the first one that must run in place (a `source`), unchecked.
        var rest: ArraySlice<LineJoiner.Joined> = []
    }

    /// Lines per chunk: enough to make handing a chunk to a worker cheap beside checking it, few enough that
    /// memory stays small and the first records come out at once.
    static let dryRunChunkLines = 512
    /// Bytes per chunk, whatever its lines: with lines of up to a megabyte, 512 of them would hold half a gigabyte.
    static let dryRunChunkBytes = 1 << 20

    /// Whether this run checks lines side by side: a dry run with more than one worker, going on after failures
    /// (so every line read is concluded), with no hook that must see each line as it runs (echo, recording).
    var checksInParallel: Bool {
        executor.dryRun && dryRunWorkers > 1 && errorPolicy == .continue && journal == nil && observer.willRun == nil
            && observer.didRun == nil
    }

    /// Runs a dry run over up to ``dryRunWorkers`` tasks. Lines are gathered into chunks, each checked (and its
    /// records rendered, when `sink` can) by a worker; this task writes the chunks and concludes their lines in input
    /// order. A line that may hold a `${…}` reference or be a `source` waits until every line before it has been
    /// concluded, and then runs here, exactly as in the one-at-a-time run.
    func runDryRunInParallel<Lines: AsyncSequence>(
        _ lines: Lines, source: String?, _ state: inout RunState
    ) async throws where Lines.Element == InputLine {
        try await withThrowingTaskGroup(of: (Int, CheckedChunk).self) { group in
            var queue = ChunkQueue()
            var joiner = LineJoiner(maximumBytes: maximumLineBytes)
            for try await line in lines {
                if mustStopReading(&state) { break }
                guard let joined = joiner.add(line) else { continue }
                if case .line(_, let text, _) = joined, Self.mustRunInPlace(text) {
                    try await drain(&queue, &group, source: source, &state)
                    try await runInPlace(joined, source: source, &state)
                    continue
                }
                queue.chunk.lines.append(joined)
                if case .line(_, let text, _) = joined { queue.chunk.bytes += text.utf8.count }
                if queue.chunk.lines.count >= Self.dryRunChunkLines || queue.chunk.bytes >= Self.dryRunChunkBytes {
                    submit(&queue, &group, source: source, sink: state.sink)
                    // Every worker busy and one chunk waiting, no more: memory stays flat.
                    while queue.submitted - queue.concluded > dryRunWorkers + 1 { try await awaitOne(&queue, &group, source: source, &state) }
                }
            }
            try await drain(&queue, &group, source: source, &state)
            try await reportUnfinished(joiner, source: source, &state)
        }
    }

    /// The chunks of a parallel dry run: the one being gathered, and those handed to workers, by sequence.
    struct ChunkQueue {
        var chunk = Chunk()
        var submitted = 0
        var concluded = 0
        var checked: [Int: CheckedChunk] = [:]
    }

    typealias Checkers = ThrowingTaskGroup<(Int, CheckedChunk), any Error>

    /// Hands the chunk being gathered to a worker.
    private func submit(_ queue: inout ChunkQueue, _ group: inout Checkers, source: String?, sink: any RecordSink) {
        guard !queue.chunk.lines.isEmpty else { return }
        let lines = queue.chunk
        queue.chunk = Chunk()
        let sequence = queue.submitted
        queue.submitted += 1
        group.addTask { (sequence, await check(lines, source: source, sink: sink)) }
    }

    /// Waits for a worker's chunk, then concludes every chunk now next in order (and runs in place the lines a
    /// chunk left unchecked).
    private func awaitOne(_ queue: inout ChunkQueue, _ group: inout Checkers, source: String?, _ state: inout RunState) async throws {
        guard let (sequence, result) = try await group.next() else { return }
        queue.checked[sequence] = result
        while let ready = queue.checked.removeValue(forKey: queue.concluded) {
            queue.concluded += 1
            try await conclude(ready, sink: state.sink, &state)
            for line in ready.rest where !state.stop { try await runInPlace(line, source: source, &state) }
        }
    }

    /// Submits what is gathered and concludes every chunk.
    private func drain(_ queue: inout ChunkQueue, _ group: inout Checkers, source: String?, _ state: inout RunState) async throws {
        submit(&queue, &group, source: source, sink: state.sink)
        while queue.concluded < queue.submitted { try await awaitOne(&queue, &group, source: source, &state) }
    }

    /// Writes a checked chunk and concludes its lines: totals, failed lines, remembered results.
    private func conclude(_ chunk: CheckedChunk, sink: some RecordSink, _ state: inout RunState) async throws {
        if chunk.recordCount > 0 {
            if chunk.records.isEmpty {
                try await sink.write(rendered: chunk.rendered, count: chunk.recordCount)
            } else {
                for record in chunk.records { try await sink.write(record) }
            }
        }
        state.summary.add(chunk.summary)
        control.count {
            $0.linesDone += chunk.linesDone
            $0.succeeded += chunk.summary.succeeded
            $0.failed += chunk.summary.failed
        }
        for raw in chunk.failedLines { try await observer.lineFailed?(raw) }
        state.context.named.merge(chunk.named) { _, later in later }
        if let previous = chunk.previous { state.context.previous = previous }
    }

    /// Checks a chunk's lines as the one-at-a-time run would, and renders their records when `sink` can; stops at a
    /// `source`, which is left to run in place. The lines cannot refer to results (see ``mustRunInPlace(_:)``), so
    /// they need no context but the run's settings.
    func check(_ chunk: Chunk, source: String?, sink: some RecordSink) async -> CheckedChunk {
        var result = CheckedChunk()
        result.rendered.reserveCapacity(chunk.lines.count * 256)
        var rendersApart = true
        func add(_ records: [ResultRecord], raw: String?, operation: Operation? = nil) {
            result.linesDone += 1
            result.summary.count(records)
            for record in records {
                if rendersApart { rendersApart = sink.render(record, into: &result.rendered) }
                if !rendersApart { result.records.append(record) }
            }
            if let failed = Self.lineToSubmitAgain(raw: raw, operation: operation, records: records) { result.failedLines.append(failed) }
            if let operation, let remembered = rememberedResult(operation, records) {
                if !remembered.isNull { result.previous = remembered }
                if let alias = operation.alias { result.named[alias] = remembered }
            }
        }
        for (index, line) in chunk.lines.enumerated() {
            switch line {
            case .unreadable(let number, let error):
                add([Self.inputFailure(number, source: source, error)], raw: nil)
            case .line(let number, let text, let raw):
                let interpreted = interpreter.interpret(text, context: context)
                // No journal and no hooks here (``checksInParallel``): nothing to resume, nothing that can throw.
                let prepared = try? await prepare(interpreted, text: text, raw: raw, number: number, source: source) { _ in .run }
                switch prepared {
                case .skip?, nil:
                    continue
                case .finished(let outcome)?:
                    add(outcome.records, raw: outcome.raw, operation: outcome.operation)
                case .source?:
                    result.rest = chunk.lines[index...]
                    return result
                case .run(let operation)?:
                    var records: [ResultRecord] = []
                    // A dry run's executor answers at once without sending; appending cannot fail.
                    try? await executor.execute(operation, line: number) { record in
                        var record = record
                        record.source = source
                        records.append(record)
                    }
                    add(records, raw: raw, operation: operation)
                }
            }
        }
        return result
    }
}
