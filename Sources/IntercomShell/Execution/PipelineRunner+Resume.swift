import IntercomKit

extension PipelineRunner {
    /// What a resume makes of a line, from the journal.
    enum ResumeAction {
        /// Run it.
        case run
        /// Run it, as an event sent with this `created` (the one it had when the run was interrupted).
        case runWithCreated(Int64)
        /// Publish this instead of running it: a line the journal says is done, an `unknown_outcome` left by a
        /// crash, or input that does not match the journal (which stops the run).
        case finished(LineOutcome)
    }

    /// Asks the journal about line `line` of `source` (its text `raw`, read as `operation` when it parsed).
    func resumeAction(for operation: Operation?, line: Int, source: String?, raw: String, _ state: inout RunState) -> ResumeAction {
        guard let journal else { return .run }
        let key = ImportJournal.LineKey(line: line, source: source)
        switch journal.decide(key, text: raw, effect: operation?.effect) {
        case .run:
            return .run
        case .resend(let created):
            return .runWithCreated(created)
        case .skip(let finished):
            return .finished(LineOutcome(operation: operation, raw: raw, journalKey: key, skipped: finished))
        case .unknownOutcome:
            let failure = ResultRecord.Failure(
                type: .unknownOutcome,
                message: "started before the run was interrupted and never finished; it may have been applied, so it was not sent again")
            let record = ResultRecord(line: line, source: source, ref: operation?.ref, op: operation?.name.rawValue, outcome: .failure(failure))
            return .finished(LineOutcome(records: [record], operation: operation, raw: raw, journalKey: key))
        case .mismatch:
            state.stop = true
            state.summary.stoppedEarly = true
            let failure = ResultRecord.Failure(
                type: .journalMismatch,
                message: "line \(line) is not the line the journal recorded: resume with the same input, or start a new journal")
            return .finished(LineOutcome(records: [ResultRecord(line: line, source: source, op: operation?.name.rawValue, outcome: .failure(failure))]))
        }
    }
}
