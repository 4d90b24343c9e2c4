/// How intercom-sh exits, as documented in the README.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every line succeeded.
    case success = 0
    /// A line failed (or a replay differed).
    case failed = 1
    /// Bad usage: a flag or its value.
    case usage = 2
    /// No credentials, or the server refused them (401).
    case credentials = 3
    /// A write failed (a full disk): what came after it is missing from that output.
    case lostWrites = 4
    /// Interrupted (Ctrl-C, SIGTERM, SIGHUP).
    case interrupted = 130

    /// The status of a run with `summary`, given whether it was interrupted and whether a write was lost; a lost
    /// write outranks an interruption, which outranks refused credentials, which outrank failed lines.
    public static func of(_ summary: PipelineSummary, interrupted: Bool, lostWrites: Bool) -> ExitStatus {
        if lostWrites { return .lostWrites }
        if interrupted { return .interrupted }
        if summary.authenticationFailed { return .credentials }
        return summary.failed > 0 ? .failed : .success
    }
}
