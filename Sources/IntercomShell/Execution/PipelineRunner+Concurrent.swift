import IntercomKit

extension PipelineRunner {
    /// An operation read and waiting for its turn to run.
    struct ScheduledLine: Sendable {
        var operation: Operation
        var number: Int
        var raw: String
        var source: String?
    }

    typealias LineScheduler = OrderedScheduler<ScheduledLine, LineOutcome>
    typealias Workers = ThrowingTaskGroup<(Int, LineOutcome), any Error>

    /// Runs up to ``concurrency`` operations at once, carrying out what the ``OrderedScheduler`` decides: records
    /// come out in input order (or as they finish when not ``ordered``), operations on the same user, tag or thread
    /// keep their input order, and a line that reads app-wide state (a user list), holds a `${…}` reference or is a
    /// `source` runs in place once everything before it has finished.
    func runConcurrently<Lines: AsyncSequence>(
        _ lines: Lines, source: String?, _ state: inout RunState
    ) async throws where Lines.Element == InputLine {
        try await withThrowingTaskGroup(of: (Int, LineOutcome).self) { group in
            var scheduler = LineScheduler(ordered: ordered, window: concurrency * 64)
            var joiner = LineJoiner(maximumBytes: maximumLineBytes)
            for try await line in lines {
                if mustStopReading(&state) { break }
                guard let joined = joiner.add(line) else { continue }
                try await schedule(joined, source: source, &scheduler, &group, &state)
                while scheduler.mustWait(limit: admissionLimit) { try await awaitOne(&scheduler, &group, &state) }
                if mustStopReading(&state) { break }
            }
            try await drain(&scheduler, &group, &state)
            try await reportUnfinished(joiner, source: source, &state)
        }
    }

    /// Operations that may be in flight now: the executor's (adapting) limit, within ``concurrency``.
    private var admissionLimit: Int {
        min(concurrency, executor.concurrency?.limit ?? concurrency)
    }

    /// Hands one logical line to the scheduler: an operation to run, an outcome known at once, or a line that
    /// runs in place.
    private func schedule(
        _ joined: LineJoiner.Joined, source: String?, _ scheduler: inout LineScheduler, _ group: inout Workers, _ state: inout RunState
    ) async throws {
        guard case .line(let number, let text, let raw) = joined else {
            guard case .unreadable(let number, let error) = joined else { return }
            let outcome = LineOutcome(records: [Self.inputFailure(number, source: source, error)])
            return try await settle(scheduler.submit(finished: outcome), &scheduler, &group, &state)
        }
        if Self.mustRunInPlace(text) { return try await runInTurn(joined, source: source, &scheduler, &group, &state) }
        let interpreted = interpreter.interpret(text, context: state.context)
        if case .success(let parsed) = interpreted, Self.runsAlone(parsed) {
            return try await runInTurn(joined, interpreted: interpreted, source: source, &scheduler, &group, &state)
        }
        let prepared = try await prepare(interpreted, text: text, raw: raw, number: number, source: source) { operation in
            resumeAction(for: operation, line: number, source: source, raw: raw, &state)
        }
        switch prepared {
        case .skip:
            return
        case .finished(let outcome):
            try await settle(scheduler.submit(finished: outcome), &scheduler, &group, &state)
        case .source:
            try await runInTurn(joined, interpreted: interpreted, source: source, &scheduler, &group, &state)
        case .run(let operation):
            guard case .keys(let keys) = operation.orderingScope else { return }
            let line = ScheduledLine(operation: operation, number: number, raw: raw, source: source)
            let named = executor.contacts.orderingKeys(expanding: keys)
            let identity = executor.contacts.orderingKeys(expanding: operation.identityKeys)
            try await settle(scheduler.submit(line, keys: named, identity: identity), &scheduler, &group, &state)
        }
    }

    /// Whether a line runs by itself, after everything before it: a `source`, or an operation on app-wide state.
    private static func runsAlone(_ parsed: ParsedLine) -> Bool {
        switch parsed {
        case .source: true
        case .operation(let operation): operation.orderingScope == .everything
        case .empty, .help: false
        }
    }

    /// Runs a line by itself once everything before it has finished and been published.
    /// A line already `interpreted` runs as it was read, without interpreting it again.
    private func runInTurn(
        _ joined: LineJoiner.Joined, interpreted: Result<ParsedLine, InputError>? = nil, source: String?, _ scheduler: inout LineScheduler,
        _ group: inout Workers, _ state: inout RunState
    ) async throws {
        try await drain(&scheduler, &group, &state)
        if state.stop { return }
        _ = scheduler.takeTurnInPlace()
        guard let interpreted, case .line(let number, let text, let raw) = joined else { return try await runInPlace(joined, source: source, &state) }
        try await process(interpreted, text: text, raw: raw, number: number, source: source, &state)
    }

    /// Carries out `actions`, then stops the scheduler if the run is stopping, or lets it start what now fits.
    private func settle(
        _ actions: [LineScheduler.Action], _ scheduler: inout LineScheduler, _ group: inout Workers, _ state: inout RunState
    ) async throws {
        try await perform(actions, &group, &state)
        if state.stop || control.isStopping {
            try await perform(scheduler.stop(), &group, &state)
        } else {
            try await perform(scheduler.admit(limit: admissionLimit), &group, &state)
        }
    }

    private func perform(_ actions: [LineScheduler.Action], _ group: inout Workers, _ state: inout RunState) async throws {
        for action in actions {
            switch action {
            case .start(let sequence, let line): start(line, sequence: sequence, &group)
            case .publish(_, let outcome): try await publish(outcome, &state)
            case .drop: try await conclude(LineOutcome(), &state)
            }
        }
    }

    private func start(_ line: ScheduledLine, sequence: Int, _ group: inout Workers) {
        let executor = executor
        let journal = journal
        group.addTask {
            let outcome = try await Self.execute(
                line.operation, line: line.number, source: line.source, raw: line.raw, executor: executor, journal: journal, streamingTo: nil)
            return (sequence, outcome)
        }
    }

    /// Waits for one operation in flight to finish, and settles what follows from it.
    private func awaitOne(_ scheduler: inout LineScheduler, _ group: inout Workers, _ state: inout RunState) async throws {
        observer.willWait?()
        guard let (sequence, outcome) = try await group.next() else { return }
        try await settle(scheduler.finished(sequence, outcome), &scheduler, &group, &state)
    }

    /// Starts or drops what is parked and waits until nothing is in flight.
    private func drain(_ scheduler: inout LineScheduler, _ group: inout Workers, _ state: inout RunState) async throws {
        try await settle([], &scheduler, &group, &state)
        while scheduler.inFlight > 0 { try await awaitOne(&scheduler, &group, &state) }
    }
}
