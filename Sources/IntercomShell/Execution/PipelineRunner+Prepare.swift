import IntercomKit

extension PipelineRunner {
    /// What one interpreted line comes to before it runs.
    enum PreparedLine {
        /// Nothing: a blank or comment line.
        case skip
        /// Its outcome is known without running anything: help, an input error, or a line the journal has done.
        case finished(LineOutcome)
        /// `source FILE`, which runs its file in place.
        case source(String)
        /// An operation ready to run: an interrupted event keeps the `created` it was sent with, a new one gets now.
        case run(Operation)
    }

    /// Prepares line `number` (its text `text`, as read `raw`), interpreted as `interpreted`: the one step the
    /// one-at-a-time, concurrent and parallel dry-run loops share. `resume` says what the journal makes of it;
    /// ``PipelineObserver/willRun`` hears of every line that will show something (help, a source, an operation).
    func prepare(
        _ interpreted: Result<ParsedLine, InputError>, text: String, raw: String, number: Int, source: String?,
        resume: (Operation?) -> ResumeAction
    ) async throws -> PreparedLine {
        let key = ImportJournal.LineKey(line: number, source: source)
        switch interpreted {
        case .success(.empty):
            return .skip
        case .success(.help(let help)):
            try await observer.willRun?(text)
            return .finished(LineOutcome(records: [Self.help(help, line: number, source: source)]))
        case .success(.source(let path)):
            try await observer.willRun?(text)
            return .source(path)
        case .failure(let error):
            if case .finished(let outcome) = resume(nil) { return .finished(outcome) }
            return .finished(LineOutcome(records: [Self.inputFailure(number, source: source, error)], raw: raw, journalKey: key))
        case .success(.operation(var operation)):
            switch resume(operation) {
            case .finished(let outcome): return .finished(outcome)
            case .runWithCreated(let created): operation.parameters["created"] = .integer(created)
            case .run: break
            }
            try await observer.willRun?(text)
            return .run(operation.pinningEventTime(now: executor.now))
        }
    }
}
