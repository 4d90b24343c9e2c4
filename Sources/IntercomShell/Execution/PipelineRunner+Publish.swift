import IntercomKit

extension PipelineRunner {
    /// What became of one logical line, on its way to being published.
    struct LineOutcome: Sendable {
        /// Its records (empty for a line dropped before it ran).
        var records: [ResultRecord] = []
        /// The operation that made them, when the line got that far.
        var operation: Operation?
        /// How long the operation took.
        var elapsed: Duration = .zero
        /// The line's input as read, for the failures file and the journal.
        var raw: String?
        /// Where the journal keeps this line, when its outcome is to be journaled.
        var journalKey: ImportJournal.LineKey?
        /// Whether the records were written out as they came (a user list run in place).
        var recordsWritten = false
        /// Successful records written out as they came and counted, but not kept in ``records`` (a long list keeps
        /// only its failures and its last success, so its memory stays flat).
        var unkeptSuccesses = 0
        /// A line an earlier run finished (the journal says so): nothing ran.
        var skipped: ImportJournal.Finished?
    }

    /// Ends a line, in input order, the same way for every face: journals its outcome, writes its records, and
    /// concludes it (totals, failures file, hooks, references, stopping). The journal entry comes before the
    /// records it vouches for, and a `written` entry after them (a user list's entry comes after its records).
    func publish(_ outcome: LineOutcome, _ state: inout RunState) async throws {
        if let finished = outcome.skipped { return try await publishSkipped(finished, outcome, &state) }
        let journaled = outcome.raw.flatMap { raw in outcome.journalKey.map { (key: $0, raw: raw) } }
        let journalsFirst = !outcome.recordsWritten && !(outcome.operation.map { ImportJournal.journalsAfterRecords($0) } ?? false)
        if let journaled, let journal, journalsFirst {
            journal.finished(journaled.key, text: journaled.raw, operation: outcome.operation, records: outcome.records)
        }
        if !outcome.recordsWritten { for record in outcome.records { try await state.emit(record) } }
        if let journaled, let journal {
            if journalsFirst {
                journal.written(journaled.key, text: journaled.raw, output: try await state.sink.position())
            } else {
                journal.finished(
                    journaled.key, text: journaled.raw, operation: outcome.operation, records: outcome.records, written: try await state.sink.position())
            }
        }
        try await conclude(outcome, &state)
    }

    /// A line an earlier run finished: counted as skipped, its result remembered for references, and the records
    /// that run journaled but never wrote out (it died in between) written now.
    private func publishSkipped(_ finished: ImportJournal.Finished, _ outcome: LineOutcome, _ state: inout RunState) async throws {
        if finished.succeeded, let alias = outcome.operation?.alias, let journal {
            let result = journal.rememberedResult(of: finished)
            state.context.remember(result, as: alias)
            if !result.isNull { state.skippedPrevious = nil }
        } else if finished.resultEntry != nil {
            state.skippedPrevious = finished
        }
        guard !finished.unwrittenRecords.isEmpty else {
            state.summary.skipped += 1
            control.count {
                $0.skipped += 1
                $0.linesDone += 1
            }
            return
        }
        for record in finished.unwrittenRecords { try await state.emit(record) }
        if let key = outcome.journalKey, let raw = outcome.raw, let journal {
            journal.written(key, text: raw, output: try await state.sink.position())
        }
        var written = outcome
        written.records = finished.unwrittenRecords
        written.operation = nil
        try await conclude(written, &state)
    }

    /// Makes `${_}` the result of the last line an earlier run finished, when no line since has left one; done
    /// only before a line that may refer to it, so a resume reads no result it does not need.
    func resolveSkippedPrevious(_ state: inout RunState) {
        guard let finished = state.skippedPrevious, let journal else { return }
        state.skippedPrevious = nil
        state.context.remember(journal.rememberedResult(of: finished), as: nil)
    }

    /// Counts a line's records, reports its failure and hands it to the hooks; remembers its result for
    /// references; stops the run after a refused api key, a journal that cannot be written or, with
    /// `--on-error stop`, after a failure.
    func conclude(_ outcome: LineOutcome, _ state: inout RunState) async throws {
        let records = outcome.records
        tally(records, unkeptSuccesses: outcome.unkeptSuccesses, &state)
        if journal?.writeFailure != nil {
            state.stop = true
            state.summary.stoppedEarly = true
        }
        // A line the journal leaves for a resume to run again is not also a line to submit again: done both ways,
        // a note would be written twice.
        if journal.map({ !$0.leavesForResume(operation: outcome.operation, records: records) }) ?? true,
            let failed = Self.lineToSubmitAgain(raw: outcome.raw, operation: outcome.operation, records: records)
        {
            try await observer.lineFailed?(failed)
        }
        if let operation = outcome.operation {
            try await observer.didRun?(operation, records, outcome.elapsed)
            if let result = rememberedResult(operation, records) {
                state.context.remember(result, as: operation.alias)
                if !result.isNull { state.skippedPrevious = nil }
            }
        }
        if state.summary.authenticationFailed || (errorPolicy == .stop && records.contains { !$0.ok }) {
            state.stop = true
            state.summary.stoppedEarly = true
            if !state.summary.authenticationFailed, let failed = records.first(where: { !$0.ok }) {
                state.summary.stoppedAtFailure = state.summary.stoppedAtFailure ?? failed.source.map { "line \(failed.line) of \($0)" } ?? "line \(failed.line)"
            }
        }
    }

    /// Adds a line's records, and the successes written but not kept, to the totals.
    private func tally(_ records: [ResultRecord], unkeptSuccesses: Int, _ state: inout RunState) {
        var line = PipelineSummary()
        line.count(records)
        line.succeeded += unkeptSuccesses
        state.summary.add(line)
        control.count {
            $0.linesDone += 1
            $0.succeeded += line.succeeded
            $0.failed += line.failed
        }
    }

    /// The input to write to the failures file for a line that failed (nil when it did not, when its input is not
    /// known, or when it may have applied something: an `unknown_outcome` or `partially_applied` line is checked before it is
    /// sent again).
    static func lineToSubmitAgain(raw: String?, operation: Operation?, records: [ResultRecord]) -> String? {
        guard let raw, let failure = records.first(where: { !$0.ok })?.failure,
            !records.contains(where: { $0.failure?.type.mayHaveApplied == true })
        else { return nil }
        return operation?.resubmission(of: raw, after: failure) ?? raw
    }

    /// What references remember of an operation that succeeded: its result; in a dry run, where nothing answers,
    /// its parameters.
    func rememberedResult(_ operation: Operation, _ records: [ResultRecord]) -> JSONValue? {
        guard let last = records.last(where: \.ok), case .success(let result) = last.outcome else { return nil }
        return executor.dryRun ? .object(operation.parameters) : result
    }
}
