import IntercomKit

/// The totals of a run, which decide the exit status.
public struct PipelineSummary: Sendable, Hashable {
    /// Records with `ok: true`.
    public var succeeded = 0
    /// Records with `ok: false`.
    public var failed = 0
    /// Whether a request was refused for bad credentials (the run stops there).
    public var authenticationFailed = false
    /// Lines skipped because the journal says an earlier run finished them.
    public var skipped = 0
    /// Records whose operation may or may not have been applied (`unknown_outcome`).
    public var unknownOutcomes = 0
    /// Records of lines that applied some of their requests and then failed (`partially_applied`).
    public var partiallyApplied = 0
    /// Whether the run stopped before the end of its input (on-error stop, authentication, closed output,
    /// an interruption).
    public var stoppedEarly = false
    /// Where `--on-error stop` stopped the run: the failed line (`line 3`, or `line 3 of f.ish` in a file).
    public var stoppedAtFailure: String?

    /// Counts a line's records: ok, failed, unknown outcomes, and a refused api key.
    mutating func count(_ records: [ResultRecord]) {
        for record in records {
            if record.ok { succeeded += 1 } else { failed += 1 }
            if record.failure?.type == .api(.authentication) { authenticationFailed = true }
            if record.failure?.type == .unknownOutcome { unknownOutcomes += 1 }
            if record.failure?.type == .partiallyApplied { partiallyApplied += 1 }
        }
    }

    /// Adds `other`'s totals to these.
    public mutating func add(_ other: PipelineSummary) {
        succeeded += other.succeeded
        failed += other.failed
        skipped += other.skipped
        unknownOutcomes += other.unknownOutcomes
        partiallyApplied += other.partiallyApplied
        authenticationFailed = authenticationFailed || other.authenticationFailed
        stoppedEarly = stoppedEarly || other.stoppedEarly
        stoppedAtFailure = stoppedAtFailure ?? other.stoppedAtFailure
    }

    /// Creates empty totals.
    public init() {}
}
