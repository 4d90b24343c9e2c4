/// A run fed one logical line at a time, as the prompt feeds it: each line is interpreted, run and published
/// exactly as a line of a file is, and what the run remembers (named results, `${_}`) carries from line to line.
/// A `source FILE` line runs its file through the same engine, stopping at its first failure when the runner's
/// ``PipelineRunner/errorPolicy`` says so.
public struct LineByLineRun: Sendable {
    private let runner: PipelineRunner
    private var state: PipelineRunner.RunState

    /// A run of `runner`'s settings whose records go to `sink`.
    public init(runner: PipelineRunner, sink: some RecordSink) {
        self.runner = runner
        state = PipelineRunner.RunState(context: runner.context, sink: sink, files: [])
    }

    /// What the run remembers for references.
    public var context: ReferenceContext { state.context }

    /// What the logical line `text` asks for, its references resolved from what the run remembers: interpret a line
    /// once, look at it (to confirm a delete), then hand it to ``run(_:text:number:)``.
    public mutating func interpret(_ text: String) -> Result<ParsedLine, InputError> {
        if ReferenceContext.lineMayHoldReference(text) { runner.resolveSkippedPrevious(&state) }
        return runner.interpreter.interpret(text, context: state.context)
    }

    /// Runs the logical line `text` as line `number` and returns the totals of that line alone. Throws when the
    /// records cannot be written, or a hook fails; cancelling the task abandons the line's request as Ctrl-C does.
    public mutating func run(_ text: String, number: Int) async throws -> PipelineSummary {
        try await run(interpret(text), text: text, number: number)
    }

    /// Runs line `number`, already interpreted (``interpret(_:)``) from `text`, and returns the totals of that line.
    public mutating func run(_ interpreted: Result<ParsedLine, InputError>, text: String, number: Int) async throws -> PipelineSummary {
        state.summary.authenticationFailed = false
        let before = state.summary
        state.stop = false
        defer { state.summary.stoppedEarly = false }
        try await runner.process(interpreted, text: text, raw: text, number: number, source: nil, &state)
        var line = PipelineSummary()
        line.succeeded = state.summary.succeeded - before.succeeded
        line.failed = state.summary.failed - before.failed
        line.unknownOutcomes = state.summary.unknownOutcomes - before.unknownOutcomes
        line.authenticationFailed = state.summary.authenticationFailed
        return line
    }
}
