import IntercomKit

extension PipelineRunner {
    /// Runs `lines` one after another.
    func runSequentially<Lines: AsyncSequence>(
        _ lines: Lines, source: String?, _ state: inout RunState
    ) async throws where Lines.Element == InputLine {
        var joiner = LineJoiner(maximumBytes: maximumLineBytes)
        for try await line in lines {
            if mustStopReading(&state) { return }
            guard let joined = joiner.add(line) else { continue }
            try await runInPlace(joined, source: source, &state)
            // Stopped by this line (a refused api key, --on-error stop): say so without waiting for another line.
            if mustStopReading(&state) { return }
        }
        try await reportUnfinished(joiner, source: source, &state)
    }

    /// Runs one logical line here and now, after everything before it.
    func runInPlace(_ joined: LineJoiner.Joined, source: String?, _ state: inout RunState) async throws {
        switch joined {
        case .unreadable(let number, let error):
            try await publish(LineOutcome(records: [Self.inputFailure(number, source: source, error)]), &state)
        case .line(let number, let text, let raw):
            try await process(text, raw: raw, number: number, source: source, &state)
        }
    }

    /// The record of a line that could not be read, or was no command.
    static func inputFailure(_ number: Int, source: String?, _ error: InputError) -> ResultRecord {
        ResultRecord(line: number, source: source, op: nil, outcome: .failure(.init(error, line: number)))
    }

    /// Interprets and runs one logical line.
    func process(_ text: String, raw: String, number: Int, source: String?, _ state: inout RunState) async throws {
        if ReferenceContext.lineMayHoldReference(text) { resolveSkippedPrevious(&state) }
        let interpreted = interpreter.interpret(text, context: state.context)
        try await process(interpreted, text: text, raw: raw, number: number, source: source, &state)
    }

    /// Runs one logical line already interpreted (`interpreted`, from `text`).
    func process(
        _ interpreted: Result<ParsedLine, InputError>, text: String, raw: String, number: Int, source: String?, _ state: inout RunState
    ) async throws {
        let prepared = try await prepare(interpreted, text: text, raw: raw, number: number, source: source) { operation in
            resumeAction(for: operation, line: number, source: source, raw: raw, &state)
        }
        switch prepared {
        case .skip:
            return
        case .finished(let outcome):
            try await publish(outcome, &state)
        case .source(let path):
            guard !untrustedInput else {
                let refusal = ResultRecord.Failure(type: .invalidInput, message: "source: \(Self.untrustedRefusal)")
                let record = ResultRecord(line: number, source: source, op: "source", outcome: .failure(refusal))
                return try await publish(LineOutcome(records: [record], raw: raw), &state)
            }
            try await runSource(path, line: number, source: source, &state)
        case .run(let operation):
            if !executor.dryRun { observer.willWait?() }
            let streams = ImportJournal.journalsAfterRecords(operation) ? state.sink : nil
            let outcome = try await Self.execute(
                operation, line: number, source: source, raw: raw, executor: executor, journal: journal, streamingTo: streams,
                keepingEveryRecord: observer.didRun != nil && observer.keepsEveryRecord?() ?? true)
            try await publish(outcome, &state)
        }
    }

    /// The record of `help`.
    static func help(_ text: String, line: Int, source: String?) -> ResultRecord {
        ResultRecord(line: line, source: source, op: "help", outcome: .success(["help": .string(text)]))
    }

    /// Runs `operation` from line `line` of `source` (its text `raw`) and returns its outcome, its records stamped
    /// with their source; they are also written to `sink` as they come when one is given (a list), and then only
    /// its failures and its last success are kept, unless `keepingEveryRecord` (a recording needs them all). With a
    /// journal, the start of a non-idempotent operation or an event (with its `created`) is recorded just before
    /// its first request goes out, and a list streamed to `sink` goes on from where the journal left it
    /// (``walkJournaling(_:key:raw:journal:sink:)``).
    static func execute(
        _ operation: Operation, line: Int, source: String?, raw: String, executor: Executor, journal: ImportJournal?,
        streamingTo sink: (any RecordSink)?, keepingEveryRecord: Bool = true
    ) async throws -> LineOutcome {
        let key = ImportJournal.LineKey(line: line, source: source)
        var willSend: (@Sendable () -> Bool)?
        if let journal, ImportJournal.recordsStart(of: operation) {
            let created = operation.name == .createEvent ? operation.parameters["created"]?.integerValue : nil
            willSend = { journal.started(key, text: raw, created: created) }
        }
        var journaling: WalkJournaling?
        if let journal, let sink, ImportJournal.journalsAfterRecords(operation) {
            do throws(OutputPosition.RestoreError) {
                journaling = try await walkJournaling(operation, key: key, raw: raw, journal: journal, sink: sink, statistics: executor.statistics)
            } catch {
                // Not journaled: the line stays for a resume once the output is right.
                let failure = ResultRecord.Failure(type: .journalMismatch, message: error.description)
                return LineOutcome(records: [ResultRecord(line: line, source: source, ref: operation.ref, op: operation.name.rawValue, outcome: .failure(failure))])
            }
        }
        var records: [ResultRecord] = []
        var unkept = 0
        let started = ContinuousClock.now
        let compacts = sink != nil && !keepingEveryRecord
        let listsItems = operation.yieldsItems
        try await executor.execute(operation, line: line, willSend: willSend, journaling: journaling) { record in
            var record = record
            record.source = source
            record.isListItem = listsItems
            if compacts, record.ok, let last = records.last, last.ok {
                records[records.count - 1] = record
                unkept += 1
            } else {
                records.append(record)
            }
            try await sink?.write(record)
        }
        return LineOutcome(
            records: records, operation: operation, elapsed: ContinuousClock.now - started, raw: raw, journalKey: key,
            recordsWritten: sink != nil, unkeptSuccesses: unkept)
    }

    /// How a list on line `key` takes part in the journal: the output put back where the journal's last checkpoint
    /// of it left it (a note for the summary when records after it may come out again), and each page's checkpoint
    /// saved once its records are out.
    static func walkJournaling(
        _ operation: Operation, key: ImportJournal.LineKey, raw: String, journal: ImportJournal, sink: any RecordSink,
        statistics: DeliveryStatistics
    ) async throws(OutputPosition.RestoreError) -> WalkJournaling {
        let progress = journal.walkProgress(key, text: raw)
        if let progress, journal.laterRecordsFollow(progress) {
            throw OutputPosition.RestoreError(
                "records of later lines follow this list in the output, so going on from its last page would cut them away: "
                    + "run this line again on its own, into another file")
        }
        if let progress {
            let note: String?
            do { note = try await sink.restore(progress.output) } catch let error as OutputPosition.RestoreError { throw error } catch {
                throw OutputPosition.RestoreError("cannot put the output back where the journal left it: \(error)")
            }
            if let note { statistics.note("line \(key.line), \(operation.name.rawValue): \(note)") }
        }
        return WalkJournaling(resumeFrom: progress?.checkpoint) { checkpoint in
            journal.page(key, text: raw, checkpoint: checkpoint, output: try await sink.position())
        }
    }
}
