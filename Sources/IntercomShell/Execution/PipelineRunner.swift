import Foundation
public import IntercomKit

/// The engine every face drives: lines in, result records out, in input order.
///
/// Blank and comment lines are skipped; every other line yields at least one record carrying its line number,
/// so nothing is silently dropped. A logical line goes on over further lines after a trailing backslash or while
/// a quote is open. Results named with `as` can be referred to by later lines; `source FILE` runs another file's
/// lines in place, streamed like standard input. Lines run one at a time, ``concurrency`` at a time (see
/// ``OrderedScheduler``), or, in a dry run, checked side by side by ``dryRunWorkers``; every way ends each line
/// in ``publish(_:_:)``.
public struct PipelineRunner: Sendable {
    /// Reads lines of either syntax.
    public var interpreter: LineInterpreter
    /// Runs operations; it shares the runner's ``control``, so that a stop request ends its waits.
    public var executor: Executor {
        didSet { executor.control = control }
    }
    /// Whether to stop at the first failure.
    public var errorPolicy: ErrorPolicy
    /// Variables and environment for references; results are added as the run goes.
    public var context: ReferenceContext
    /// Echo and recording hooks.
    public var observer: PipelineObserver
    /// The longest line read from a sourced file.
    public var maximumLineBytes = 1 << 20
    /// Operations in flight at once (1: one after another).
    public var concurrency = 1
    /// Whether records come out in input order (with a bounded reorder window) or as they finish.
    public var ordered = true
    /// Where each line's outcome is recorded, and what an earlier run finished (`--journal`, `--resume`).
    public var journal: ImportJournal?
    /// A stop request from outside (the first Ctrl-C) and live counts.
    public let control = RunControl()
    /// Whether the input may come from someone else (standard input without `--trust-input`): then its lines
    /// cannot read the environment (`${env:NAME}`, where the api key is) nor run files with `source`.
    public var untrustedInput = false
    /// The files the run writes (`--failures`, `--journal`, `--record`, standard output), each with what it is: a
    /// file `source` names among them is refused, for running it would read what the run writes into it.
    public var writtenFiles: [(identity: FileIdentity, role: String)] = []
    /// Tasks that check lines side by side in a dry run (1: one line after another). Records still come out in
    /// input order, and a line that refers to an earlier result still sees it.
    public var dryRunWorkers = 1

    /// Creates a runner.
    public init(
        interpreter: LineInterpreter, executor: Executor, errorPolicy: ErrorPolicy = .continue,
        context: ReferenceContext = ReferenceContext(), observer: PipelineObserver = PipelineObserver()
    ) {
        self.interpreter = interpreter
        self.executor = executor
        self.executor.control = control
        self.errorPolicy = errorPolicy
        self.context = context
        self.observer = observer
    }

    /// The state of one run, carried through sourced files.
    struct RunState: Sendable {
        var summary = PipelineSummary()
        var context: ReferenceContext
        /// Where records go.
        let sink: any RecordSink
        /// The files being run, outermost first (for relative paths and loop detection).
        var files: [String]
        var stop = false
        /// A line an earlier run finished whose result is `${_}` until a later line leaves one, read from the
        /// journal only when a line refers to it.
        var skippedPrevious: ImportJournal.Finished?

        /// Writes one record.
        func emit(_ record: ResultRecord) async throws { try await sink.write(record) }
    }

    /// Runs every line of `lines` (from the file `origin`, or standard input when nil), handing records to
    /// `emit` as soon as each is known. An error thrown by `emit` (the output was closed) stops the run quietly.
    public func run<Lines: AsyncSequence>(
        _ lines: Lines, origin: String? = nil, emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async -> PipelineSummary where Lines.Element == InputLine {
        await runKeepingContext(lines, origin: origin, emit: emit).summary
    }

    /// Runs every line of `lines` like ``run(_:origin:emit:)``, writing records to `sink` (which may render them
    /// apart, so that a dry run can render in its workers).
    public func run<Lines: AsyncSequence>(
        _ lines: Lines, origin: String? = nil, sink: some RecordSink
    ) async -> PipelineSummary where Lines.Element == InputLine {
        await runKeepingContext(lines, origin: origin, sink: sink).summary
    }

    /// Like ``run(_:origin:emit:)``, and also returns the reference context as the run left it (named results).
    public func runKeepingContext<Lines: AsyncSequence>(
        _ lines: Lines, origin: String? = nil, emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async -> (summary: PipelineSummary, context: ReferenceContext) where Lines.Element == InputLine {
        await runKeepingContext(lines, origin: origin, sink: ClosureRecordSink(emit: emit))
    }

    /// Runs the file at `path` (`run FILE`), streamed: its records name it as their `source`, as `source FILE` does.
    /// A file that cannot be read gives one `invalid_input` record.
    public func run(file path: String, sink: some RecordSink) async -> PipelineSummary {
        await runKeepingContext(file: path, sink: sink).summary
    }

    /// Like ``run(file:sink:)``, and also returns the reference context as the run left it; a file that cannot be
    /// read is reported on `line` (the line that named it, at the prompt).
    public func runKeepingContext(
        file path: String, line: Int = 1, sink: some RecordSink
    ) async -> (summary: PipelineSummary, context: ReferenceContext) {
        var state = makeState(origin: nil, sink: sink)
        do {
            try await cutOutputToJournal(sink)
            try await runSource(path, line: line, source: nil, &state)
        } catch {
            state.summary.stoppedEarly = true
        }
        return (state.summary, state.context)
    }

    private func runKeepingContext<Lines: AsyncSequence>(
        _ lines: Lines, origin: String?, sink: some RecordSink
    ) async -> (summary: PipelineSummary, context: ReferenceContext) where Lines.Element == InputLine {
        var state = makeState(origin: origin, sink: sink)
        do {
            try await cutOutputToJournal(sink)
            try await runLines(lines, source: nil, &state)
        } catch {
            state.summary.stoppedEarly = true
        }
        return (state.summary, state.context)
    }

    /// On a resume, cuts the output back to the length the journal last recorded, so that nothing the earlier run
    /// wrote after its journal's last word (a record torn by a full disk, records this run writes again) stays.
    private func cutOutputToJournal(_ sink: some RecordSink) async throws {
        guard let journal, journal.resumes, let position = journal.journaledOutput else { return }
        let cut: Int
        do { cut = try await sink.cutOutput(to: position) } catch let error as OutputPosition.RestoreError {
            executor.statistics.note("the output was not cut back to where the journal last left it: \(error)")
            return
        }
        if cut > 0 {
            executor.statistics.note(
                "the output was cut back by \(cut) bytes, to where the journal last left it; what the earlier run wrote after that is written again")
        }
    }

    private func makeState(origin: String?, sink: some RecordSink) -> RunState {
        var state = RunState(context: context, sink: sink, files: origin.map { [Self.absolute($0, relativeTo: nil)] } ?? [])
        if untrustedInput { state.context.environmentRefusal = Self.untrustedRefusal }
        return state
    }

    /// Runs `lines` of `source` (nil: the main input) the way the run is set up: checked side by side in a dry
    /// run, ``concurrency`` at a time, or one after another.
    func runLines<Lines: AsyncSequence>(
        _ lines: Lines, source: String?, _ state: inout RunState
    ) async throws where Lines.Element == InputLine {
        if checksInParallel {
            try await runDryRunInParallel(lines, source: source, &state)
        } else if concurrency > 1 {
            try await runConcurrently(lines, source: source, &state)
        } else {
            try await runSequentially(lines, source: source, &state)
        }
    }

    /// Whether the run must stop reading: a stop was asked for (Ctrl-C), the task was cancelled, or a line stopped
    /// it. Marks the run as stopped early.
    func mustStopReading(_ state: inout RunState) -> Bool {
        guard Task.isCancelled || control.isStopping || state.stop else { return false }
        state.summary.stoppedEarly = true
        state.stop = true
        return true
    }

    /// Reports a command left waiting for its continuation at the end of the input (unless the run stopped).
    func reportUnfinished(_ joiner: LineJoiner, source: String?, _ state: inout RunState) async throws {
        guard let unfinished = joiner.unfinished, !state.stop else { return }
        let record = ResultRecord(
            line: unfinished.number, source: source, op: nil, outcome: .failure(.init(Self.continuedIntoEnd, line: unfinished.number)))
        try await publish(LineOutcome(records: [record], raw: unfinished.raw), &state)
    }

    /// Whether a line must run in place, after everything before it, rather than in a worker or beside the
    /// operations in flight: it may read an earlier result or include a file.
    static func mustRunInPlace(_ text: String) -> Bool {
        ReferenceContext.lineMayHoldReference(text) || text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("source")
    }

    /// A line continued (a trailing backslash, an open quote) with no line after it: the input was probably cut,
    /// so nothing is guessed.
    public static let continuedIntoEnd = InputError("the input ends inside a line continued with a trailing backslash or an open quote")

    /// Why untrusted input may not read the environment or run files.
    static let untrustedRefusal = "not from standard input, which may come from someone else; add --trust-input if it is yours"

    static func absolute(_ path: String, relativeTo file: String?) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let base = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(path).standardizedFileURL.path
    }
}
