/// Hooks around each line a ``PipelineRunner`` runs, for echoing commands and recording sessions.
public struct PipelineObserver: Sendable {
    /// Called with each logical line before it runs (`--echo`).
    public var willRun: (@Sendable (String) async throws -> Void)?
    /// Called after each operation with the operation as run (references replaced), its records and its duration.
    public var didRun: (@Sendable (Operation, [ResultRecord], Duration) async throws -> Void)?
    /// Called with the input of each line that failed, verbatim (a continued command's lines joined by newlines),
    /// so that it can be submitted again (`--failures FILE`); not for an `unknown_outcome`, which may have been
    /// applied and must be checked before it is sent again.
    public var lineFailed: (@Sendable (String) async throws -> Void)?
    /// Whether ``didRun`` needs every record of a list now (a recording is on); nil: whenever it is set. A list's
    /// records not needed are let go as they are written, so that memory stays flat.
    public var keepsEveryRecord: (@Sendable () -> Bool)?
    /// Called before the runner waits for the API (an operation's answer), so that records gathered so far can be
    /// written out first.
    public var willWait: (@Sendable () -> Void)?

    /// Creates hooks.
    public init(
        willRun: (@Sendable (String) async throws -> Void)? = nil,
        didRun: (@Sendable (Operation, [ResultRecord], Duration) async throws -> Void)? = nil,
        lineFailed: (@Sendable (String) async throws -> Void)? = nil,
        willWait: (@Sendable () -> Void)? = nil
    ) {
        self.willRun = willRun
        self.didRun = didRun
        self.lineFailed = lineFailed
        self.willWait = willWait
    }
}
