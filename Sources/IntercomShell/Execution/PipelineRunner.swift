import Foundation
import IntercomKit

/// One line of input as read: its 1-based number and its text, or why it could not be read.
public struct InputLine: Sendable, Hashable {
    /// The line number, from 1.
    public var number: Int
    /// The text without its line ending, or the reason it is unreadable (invalid UTF-8, too long).
    public var content: Result<String, InputError>

    /// Creates a line.
    public init(number: Int, content: Result<String, InputError>) {
        self.number = number
        self.content = content
    }
}

/// What to do after a failed operation.
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Go on with the next line.
    case `continue`
    /// Stop reading after the first failure.
    case stop
}

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
    /// Whether the run stopped before the end of its input (on-error stop, authentication, closed output,
    /// an interruption).
    public var stoppedEarly = false

    /// Counts a line's records: ok, failed, unknown outcomes, and a refused api key.
    mutating func count(_ records: [ResultRecord]) {
        for record in records {
            if record.ok { succeeded += 1 } else { failed += 1 }
            if record.failure?.type == IntercomError.Kind.authentication.rawValue { authenticationFailed = true }
            if record.failure?.type == ResultRecord.Failure.unknownOutcomeType { unknownOutcomes += 1 }
        }
    }

    /// Adds `other`'s totals to these.
    public mutating func add(_ other: PipelineSummary) {
        succeeded += other.succeeded
        failed += other.failed
        skipped += other.skipped
        unknownOutcomes += other.unknownOutcomes
        authenticationFailed = authenticationFailed || other.authenticationFailed
        stoppedEarly = stoppedEarly || other.stoppedEarly
    }

    /// Creates empty totals.
    public init() {}
}

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

/// The non-interactive interpreter: lines in, result records out, one at a time and in input order.
///
/// Blank and comment lines are skipped; every other line yields at least one record carrying its line number,
/// so nothing is silently dropped. A command ending in a backslash continues on the next line. Results named
/// with `as` can be referred to by later lines; `source FILE` runs another file's lines in place.
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
    struct RunState {
        var summary = PipelineSummary()
        var context: ReferenceContext
        /// The files being run, outermost first (for relative paths and loop detection).
        var files: [String]
        var stop = false
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

    private func runKeepingContext<Lines: AsyncSequence>(
        _ lines: Lines, origin: String?, sink: some RecordSink
    ) async -> (summary: PipelineSummary, context: ReferenceContext) where Lines.Element == InputLine {
        var state = RunState(context: context, files: origin.map { [Self.absolute($0, relativeTo: nil)] } ?? [])
        if untrustedInput { state.context.environmentRefusal = Self.untrustedRefusal }
        let emit: @Sendable (ResultRecord) async throws -> Void = { try await sink.write($0) }
        do {
            if checksInParallel {
                try await runDryRunInParallel(lines, state: &state, sink: sink)
            } else if concurrency > 1 {
                try await runConcurrently(lines, state: &state, emit: emit)
            } else {
                try await run(lines, source: nil, state: &state, emit: emit)
            }
        } catch {
            state.summary.stoppedEarly = true
        }
        return (state.summary, state.context)
    }

    private func run<Lines: AsyncSequence>(
        _ lines: Lines, source: String?, state: inout RunState, emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async throws where Lines.Element == InputLine {
        var joiner = LineJoiner()
        for try await line in lines {
            if Task.isCancelled || control.isStopping || state.stop {
                state.summary.stoppedEarly = true
                state.stop = true
                return
            }
            switch joiner.add(line) {
            case nil: continue
            case .unreadable(let number, let error)?:
                try await report(.failure(.init(error, line: number)), line: number, source: source, op: nil, raw: nil, &state, emit)
            case .line(let number, let text, let raw)?:
                try await process(text, raw: raw, number: number, source: source, &state, emit)
            }
        }
        try await reportUnfinished(joiner, source: source, &state, emit)
    }

    /// Reports a command left waiting for its continuation at the end of the input (unless the run stopped).
    func reportUnfinished(
        _ joiner: LineJoiner, source: String?, _ state: inout RunState, _ emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async throws {
        guard let unfinished = joiner.unfinished, !state.stop else { return }
        try await report(
            .failure(.init(Self.continuedIntoEnd, line: unfinished.number)), line: unfinished.number, source: source, op: nil,
            raw: unfinished.raw, &state, emit)
    }

    /// The outcome of one line run concurrently: its records, and the operation that made them.
    private struct Completed: Sendable {
        var records: [ResultRecord]
        var operation: Operation?
        var elapsed: Duration
        /// The line's input as read, for `lineFailed` and the journal.
        var raw: String?
        /// The line whose outcome is still to be journaled once its records are written (an operation run by a task).
        var unjournaledLine: Int?
        /// The ordering keys it held while in flight.
        var keys: Set<String> = []
    }

    /// An operation read but not started, because an earlier one on the same user, tag or thread is not done.
    private struct Parked: Sendable {
        var sequence: Int
        var operation: Operation
        var number: Int
        var raw: String
        var keys: Set<String>
    }

    /// Runs up to ``concurrency`` operations at once. Records come out in input order through a reorder window of
    /// bounded size (or as they finish when not ``ordered``). Operations on the same user, tag or thread keep their
    /// input order; one that reads app-wide state (a user list), a line with a `${…}` reference and a `source` wait
    /// until everything before them has finished, so they always see the results before them.
    private func runConcurrently<Lines: AsyncSequence>(
        _ lines: Lines, state: inout RunState, emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async throws where Lines.Element == InputLine {
        let window = concurrency * 64
        try await withThrowingTaskGroup(of: (Int, Completed).self) { group in
            var inFlight = 0
            // The first operation runs alone: a refused api key then ends the run after one record, not `concurrency`.
            var firstDone = false
            let concurrencyControl = executor.concurrency
            let concurrency = concurrency
            /// Operations that may be in flight now: the executor's (adapting) limit, within ``concurrency``.
            func limit() -> Int {
                firstDone ? min(concurrency, concurrencyControl?.limit ?? concurrency) : 1
            }
            var heldKeys: [String: Int] = [:]
            var parked: [Parked] = []
            var finished: [Int: Completed] = [:]
            var nextSequence = 0
            var nextToEmit = 0

            func deliver(_ sequence: Int, _ completed: Completed, _ state: inout RunState) async throws {
                finished[sequence] = completed
                if !ordered {
                    try await publish(finished.removeValue(forKey: sequence)!, &state)
                    return
                }
                while let ready = finished.removeValue(forKey: nextToEmit) {
                    try await publish(ready, &state)
                    nextToEmit += 1
                }
            }
            func publish(_ completed: Completed, _ state: inout RunState) async throws {
                for record in completed.records { try await emit(record) }
                // Journaled once its records are out, not when it finished: a kill in between leaves it to the
                // resume (run again, or unknown_outcome if it must not run twice) instead of a line with no record.
                if let line = completed.unjournaledLine, let raw = completed.raw {
                    journal?.finished(.init(line: line), text: raw, operation: completed.operation, records: completed.records)
                }
                try await conclude(completed.operation, completed.records, raw: completed.raw, elapsed: completed.elapsed, &state)
            }
            func start(_ item: Parked) {
                inFlight += 1
                for key in item.keys { heldKeys[key, default: 0] += 1 }
                let executor = executor
                let journal = journal
                group.addTask {
                    let started = ContinuousClock.now
                    let records = try await Self.execute(
                        item.operation, line: item.number, source: nil, raw: item.raw, executor: executor, journal: journal,
                        recordsOutcome: false
                    ) { _ in }
                    let completed = Completed(
                        records: records, operation: item.operation, elapsed: ContinuousClock.now - started, raw: item.raw,
                        unjournaledLine: item.number, keys: item.keys)
                    return (item.sequence, completed)
                }
            }
            /// Starts, in input order, every parked operation whose keys no earlier operation holds, while there is room.
            func startParked(_ state: inout RunState) async throws {
                if state.stop || control.isStopping {
                    // The run is over (a refused api key, Ctrl-C): what was read but not started is not run.
                    let dropped = parked
                    parked.removeAll()
                    for item in dropped { try await deliver(item.sequence, Completed(records: [], operation: nil, elapsed: .zero), &state) }
                    return
                }
                var blocked = Set<String>()
                var index = 0
                while index < parked.count && inFlight < limit() {
                    let item = parked[index]
                    if item.keys.isDisjoint(with: blocked) && !item.keys.contains(where: { heldKeys[$0] != nil }) {
                        parked.remove(at: index)
                        start(item)
                    } else {
                        blocked.formUnion(item.keys)
                        index += 1
                    }
                }
            }
            func awaitOne(_ state: inout RunState) async throws {
                observer.willWait?()
                guard let (sequence, completed) = try await group.next() else { return }
                inFlight -= 1
                firstDone = true
                for key in completed.keys {
                    heldKeys[key, default: 1] -= 1
                    if heldKeys[key] == 0 { heldKeys[key] = nil }
                }
                try await deliver(sequence, completed, &state)
                try await startParked(&state)
            }
            func drain(_ state: inout RunState) async throws {
                try await startParked(&state)
                while inFlight > 0 { try await awaitOne(&state) }
            }
            func immediate(_ record: ResultRecord, raw: String?, operation: Operation? = nil, _ state: inout RunState) async throws {
                let sequence = nextSequence
                nextSequence += 1
                try await deliver(sequence, Completed(records: [record], operation: operation, elapsed: .zero, raw: raw), &state)
            }
            /// Runs `text` in place, as the sequential runner would, once everything before it has finished.
            func inOrder(_ text: String, raw: String, number: Int, _ state: inout RunState) async throws {
                try await drain(&state)
                let sequence = nextSequence
                nextSequence += 1
                precondition(nextToEmit == sequence || !ordered)
                if ordered { nextToEmit += 1 }
                try await process(text, raw: raw, number: number, source: nil, &state, emit)
            }

            var joiner = LineJoiner()
            reading: for try await line in lines {
                if Task.isCancelled || control.isStopping || state.stop {
                    state.summary.stoppedEarly = true
                    break reading
                }
                let number: Int
                let text: String
                let raw: String
                switch joiner.add(line) {
                case nil: continue reading
                case .unreadable(let unreadable, let error)?:
                    try await immediate(ResultRecord(line: unreadable, op: nil, outcome: .failure(.init(error, line: unreadable))), raw: nil, &state)
                    continue reading
                case .line(let first, let joined, let input)?:
                    (number, text, raw) = (first, joined, input)
                }
                if Self.mustRunInPlace(text) {
                    try await inOrder(text, raw: raw, number: number, &state)
                    continue
                }
                switch interpreter.interpret(text, context: state.context) {
                case .success(.empty):
                    continue
                case .success(.help(let help)):
                    try await observer.willRun?(text)
                    try await immediate(ResultRecord(line: number, op: "help", outcome: .success(["help": .string(help)])), raw: nil, &state)
                case .success(.source):
                    try await inOrder(text, raw: raw, number: number, &state)
                case .failure(let error):
                    let record = ResultRecord(line: number, op: nil, outcome: .failure(.init(error, line: number)))
                    switch resumeDecision(for: nil, line: number, source: nil, raw: raw, &state) {
                    case .none?: continue reading
                    case .record(let record)?:
                        try await immediate(record, raw: nil, &state)
                        continue reading
                    case nil, .resend?: break
                    }
                    try await immediate(record, raw: raw, &state)
                    journal?.finished(.init(line: number), text: raw, operation: nil, records: [record])
                case .success(.operation(var operation)):
                    switch resumeDecision(for: operation, line: number, source: nil, raw: raw, &state) {
                    case .none?: continue reading
                    case .record(let record)?:
                        try await immediate(record, raw: nil, operation: operation, &state)
                        continue reading
                    case .resend(let created)?: operation.parameters["created"] = .integer(created)
                    case nil: break
                    }
                    let keys: Set<String>
                    switch operation.orderingScope {
                    case .everything:
                        try await inOrder(text, raw: raw, number: number, &state)
                        continue reading
                    case .keys(let names): keys = names
                    }
                    try await observer.willRun?(text)
                    parked.append(
                        Parked(sequence: nextSequence, operation: operation.pinningEventTime(now: executor.now), number: number, raw: raw, keys: keys))
                    nextSequence += 1
                    try await startParked(&state)
                    // Read on while there is room: operations in flight below the limit, and a bounded backlog.
                    while inFlight > 0 && (inFlight >= limit() || parked.count + finished.count >= window) {
                        try await awaitOne(&state)
                    }
                    if state.stop { break reading }
                }
            }
            try await drain(&state)
            try await reportUnfinished(joiner, source: nil, &state, emit)
        }
    }

    /// Whether a line must run in place, after everything before it, rather than in a worker or beside the
    /// operations in flight: it may read an earlier result or include a file.
    static func mustRunInPlace(_ text: String) -> Bool {
        ReferenceContext.lineMayHoldReference(text) || text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("source")
    }

    /// A line that ends in a backslash with no line after it: the input was probably cut, so nothing is guessed.
    static let continuedIntoEnd = InputError("the input ends inside a line continued with a trailing backslash")

    /// Interprets and runs one logical line.
    func process(
        _ text: String, raw: String?, number: Int, source: String?, _ state: inout RunState,
        _ emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async throws {
        switch interpreter.interpret(text, context: state.context) {
        case .success(.empty):
            return
        case .success(.help(let help)):
            try await observer.willRun?(text)
            try await report(.success(["help": .string(help)]), line: number, source: source, op: "help", raw: nil, &state, emit)
        case .success(.source(let path)):
            try await observer.willRun?(text)
            guard !untrustedInput else {
                let refusal = ResultRecord.Failure(type: "invalid_input", message: "source: \(Self.untrustedRefusal)")
                try await report(.failure(refusal), line: number, source: source, op: "source", raw: raw, &state, emit)
                return
            }
            try await runSource(path, line: number, source: source, &state, emit)
        case .failure(let error):
            switch raw.flatMap({ resumeDecision(for: nil, line: number, source: source, raw: $0, &state) }) {
            case .none?: return
            case .record(let record)?:
                try await report(record.outcome, line: number, source: source, op: nil, raw: nil, &state, emit)
                return
            case nil, .resend?: break
            }
            try await report(.failure(.init(error, line: number)), line: number, source: source, op: nil, raw: raw, &state, emit)
        case .success(.operation(var operation)):
            switch raw.flatMap({ resumeDecision(for: operation, line: number, source: source, raw: $0, &state) }) {
            case .none?: return
            case .record(var record)?:
                record.source = source
                try await emit(record)
                try await conclude(operation, [record], raw: nil, elapsed: .zero, &state)
                return
            case .resend(let created)?: operation.parameters["created"] = .integer(created)
            case nil: break
            }
            operation = operation.pinningEventTime(now: executor.now)
            try await observer.willRun?(text)
            if !executor.dryRun { observer.willWait?() }
            let started = ContinuousClock.now
            let records = try await Self.execute(operation, line: number, source: source, raw: raw, executor: executor, journal: journal, emit: emit)
            try await conclude(operation, records, raw: raw, elapsed: ContinuousClock.now - started, &state)
        }
    }

    /// What a resume makes of a line instead of running it.
    private enum EarlyOutcome {
        /// Nothing to write (skipped).
        case none
        /// This record.
        case record(ResultRecord)
        /// Run it, as an event sent with this `created` (the one it had when the run was interrupted).
        case resend(created: Int64)
    }

    /// Asks the journal about a line: nil to run it; otherwise it is skipped (counted, and a named result
    /// remembered), or ends without being sent (an `unknown_outcome` left by a crash, or input that does not match
    /// the journal, which stops the run).
    private func resumeDecision(
        for operation: Operation?, line: Int, source: String?, raw: String, _ state: inout RunState
    ) -> EarlyOutcome? {
        guard let journal else { return nil }
        let key = ImportJournal.LineKey(line: line, source: source)
        switch journal.decide(key, text: raw, operation: operation?.name) {
        case .run:
            return nil
        case .resend(let created):
            return .resend(created: created)
        case .skip(let result):
            state.summary.skipped += 1
            control.count {
                $0.skipped += 1
                $0.linesDone += 1
            }
            if let operation, let result { state.context.remember(result, as: operation.alias) }
            return EarlyOutcome.none
        case .unknownOutcome:
            let record = ResultRecord(
                line: line, source: source, ref: operation?.ref, op: operation?.name.rawValue,
                outcome: .failure(
                    .init(
                        type: ResultRecord.Failure.unknownOutcomeType,
                        message: "started before the run was interrupted and never finished; it may have been applied, so it was not sent again")))
            journal.finished(key, text: raw, operation: operation, records: [record])
            return .record(record)
        case .mismatch:
            state.stop = true
            state.summary.stoppedEarly = true
            return .record(
                ResultRecord(
                    line: line, source: source, op: operation?.name.rawValue,
                    outcome: .failure(
                        .init(
                            type: "journal_mismatch",
                            message: "line \(line) is not the line the journal recorded: resume with the same input, or start a new journal"))))
        }
    }

    /// Runs `operation` from line `line` of `source` (its text `raw`), handing each record (with its source) to
    /// `emit` as it comes, and returns them all. With a journal, the start of a non-idempotent operation or an event
    /// (with its `created`) is recorded just before its first request goes out, and the outcome when it ends, after
    /// its records (unless `recordsOutcome` is false: the caller records it once the records are written).
    private static func execute(
        _ operation: Operation, line: Int, source: String?, raw: String?, executor: Executor, journal: ImportJournal?,
        recordsOutcome: Bool = true, emit: (ResultRecord) async throws -> Void
    ) async throws -> [ResultRecord] {
        let key = ImportJournal.LineKey(line: line, source: source)
        var willSend: (@Sendable () -> Bool)?
        if let journal, let raw, ImportJournal.recordsStart(of: operation.name) {
            let created = operation.name == .createEvent ? operation.parameters["created"]?.integerValue : nil
            willSend = { journal.started(key, text: raw, created: created) }
        }
        var records: [ResultRecord] = []
        try await executor.execute(operation, line: line, willSend: willSend) { record in
            var record = record
            record.source = source
            records.append(record)
            try await emit(record)
        }
        if recordsOutcome, let raw { journal?.finished(key, text: raw, operation: operation, records: records) }
        return records
    }

    /// Counts an operation's records, reports its failure and hands it to the hooks; remembers its result for
    /// references; stops the run after a refused api key or, with `--on-error stop`, after a failure.
    func conclude(
        _ operation: Operation?, _ records: [ResultRecord], raw: String?, elapsed: Duration, _ state: inout RunState
    ) async throws {
        tally(records, &state)
        // A journal that cannot be written no longer vouches for what ran: stop reading, as for a closed output.
        if journal?.writeFailure != nil {
            state.stop = true
            state.summary.stoppedEarly = true
        }
        // With a journal, a line the journal leaves for a resume to run again is not also a line to submit again:
        // done both ways, a note would be written twice.
        if journal.map({ !$0.leavesForResume(operation: operation, records: records) }) ?? true,
            let failed = Self.lineToSubmitAgain(raw: raw, operation: operation, records: records)
        {
            try await observer.lineFailed?(failed)
        }
        if let operation {
            try await observer.didRun?(operation, records, elapsed)
            if let result = rememberedResult(operation, records) { state.context.remember(result, as: operation.alias) }
        }
        if state.summary.authenticationFailed || (errorPolicy == .stop && records.contains { !$0.ok }) {
            state.stop = true
            state.summary.stoppedEarly = true
        }
    }

    /// Adds a line's records to the totals.
    private func tally(_ records: [ResultRecord], _ state: inout RunState) {
        var line = PipelineSummary()
        line.count(records)
        state.summary.add(line)
        control.count {
            $0.linesDone += 1
            $0.succeeded += line.succeeded
            $0.failed += line.failed
        }
    }

    /// The input to write to the failures file for a line that failed (nil when it did not, when its input is not
    /// known, or when it may have been applied: an `unknown_outcome` is checked before it is sent again).
    static func lineToSubmitAgain(raw: String?, operation: Operation?, records: [ResultRecord]) -> String? {
        guard let raw, let failure = records.first(where: { !$0.ok })?.failure,
            !records.contains(where: { $0.failure?.type == ResultRecord.Failure.unknownOutcomeType })
        else { return nil }
        return operation?.resubmission(of: raw, after: failure) ?? raw
    }

    /// What references remember of an operation that succeeded: its result; in a dry run, where nothing answers,
    /// its parameters.
    func rememberedResult(_ operation: Operation, _ records: [ResultRecord]) -> JSONValue? {
        guard let last = records.last(where: \.ok), case .success(let result) = last.outcome else { return nil }
        return executor.dryRun ? .object(operation.parameters) : result
    }

    func report(
        _ outcome: Result<JSONValue, ResultRecord.Failure>, line: Int, source: String?, op: String?, raw: String?, _ state: inout RunState,
        _ emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async throws {
        let record = ResultRecord(line: line, source: source, op: op, outcome: outcome)
        try await emit(record)
        if let raw, op == nil { journal?.finished(.init(line: line, source: source), text: raw, operation: nil, records: [record]) }
        try await conclude(nil, [record], raw: raw, elapsed: .zero, &state)
    }

    /// `source FILE`: runs the file's lines in place, relative to the including file; a loop is an error.
    private func runSource(
        _ path: String, line: Int, source: String?, _ state: inout RunState, _ emit: @escaping @Sendable (ResultRecord) async throws -> Void
    ) async throws {
        let resolved = Self.absolute(path, relativeTo: state.files.last)
        if let loopStart = state.files.firstIndex(of: resolved) {
            let chain = (state.files[loopStart...] + [resolved]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → ")
            try await report(.failure(.init(type: "invalid_input", message: "source loop: \(chain)")), line: line, source: source, op: "source", raw: nil, &state, emit)
            return
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            try await report(.failure(.init(type: "invalid_input", message: "cannot read \(resolved)")), line: line, source: source, op: "source", raw: nil, &state, emit)
            return
        }
        var splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
        let lines = splitter.feed(data) + splitter.finish()
        state.files.append(resolved)
        defer { state.files.removeLast() }
        try await run(InputLineList(lines: lines), source: resolved, state: &state, emit: emit)
    }

    /// Why untrusted input may not read the environment or run files.
    static let untrustedRefusal = "not from standard input, which may come from someone else; add --trust-input if it is yours"

    static func absolute(_ path: String, relativeTo file: String?) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let base = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(path).standardizedFileURL.path
    }
}

/// An in-memory list of lines as an async sequence (for `-c` and sourced files).
public struct InputLineList: AsyncSequence, Sendable {
    /// The lines.
    public let lines: [InputLine]

    /// Creates the list.
    public init(lines: [InputLine]) { self.lines = lines }

    /// Iterates the lines in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<InputLine>
        /// The next line.
        public mutating func next() async -> InputLine? { remaining.popFirst() }
    }

    /// Starts at the first line.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: lines[...]) }
}
