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
    /// Whether the run stopped before the end of its input (on-error stop, authentication, closed output).
    public var stoppedEarly = false

    /// Creates empty totals.
    public init() {}
}

/// The non-interactive interpreter: lines in, result records out, one at a time and in input order.
///
/// Blank and comment lines are skipped; every other line yields at least one record carrying its line number,
/// so nothing is silently dropped. A command ending in a backslash continues on the next line.
public struct PipelineRunner: Sendable {
    /// Reads lines of either syntax.
    public var interpreter: LineInterpreter
    /// Runs operations.
    public var executor: Executor
    /// Whether to stop at the first failure.
    public var errorPolicy: ErrorPolicy

    /// Creates a runner.
    public init(interpreter: LineInterpreter, executor: Executor, errorPolicy: ErrorPolicy = .continue) {
        self.interpreter = interpreter
        self.executor = executor
        self.errorPolicy = errorPolicy
    }

    /// Runs every line of `lines`, handing records to `emit` as soon as each is known.
    /// An error thrown by `emit` (the output was closed) stops the run quietly.
    public func run<Lines: AsyncSequence>(_ lines: Lines, emit: @escaping (ResultRecord) async throws -> Void) async -> PipelineSummary
    where Lines.Element == InputLine {
        var summary = PipelineSummary()
        var pending: (number: Int, text: String)?
        do {
            reading: for try await line in lines {
                if Task.isCancelled {
                    summary.stoppedEarly = true
                    break
                }
                let number = pending?.number ?? line.number
                let text: String
                switch line.content {
                case .failure(let error):
                    pending = nil
                    try await emitCounted(ResultRecord(line: number, op: nil, outcome: .failure(.init(error, line: number))), &summary, emit)
                    if errorPolicy == .stop {
                        summary.stoppedEarly = true
                        break reading
                    }
                    continue reading
                case .success(let content):
                    text = (pending.map { String($0.text.dropLast()) } ?? "") + content
                }
                if LineInterpreter.continues(text) {
                    pending = (number, text.hasSuffix("\r") ? String(text.dropLast()) : text)
                    continue
                }
                pending = nil
                if try await process(text, number: number, &summary, emit) { break reading }
            }
            if let pending {
                _ = try await process(String(pending.text.dropLast()), number: pending.number, &summary, emit)
            }
        } catch {
            summary.stoppedEarly = true
        }
        return summary
    }

    /// Interprets and runs one logical line; returns whether the run must stop.
    private func process(
        _ text: String, number: Int, _ summary: inout PipelineSummary, _ emit: @escaping (ResultRecord) async throws -> Void
    ) async throws -> Bool {
        switch interpreter.interpret(text) {
        case .success(.empty):
            return false
        case .success(.help(let help)):
            try await emitCounted(ResultRecord(line: number, op: "help", outcome: .success(["help": .string(help)])), &summary, emit)
            return false
        case .failure(let error):
            try await emitCounted(ResultRecord(line: number, op: nil, outcome: .failure(.init(error, line: number))), &summary, emit)
        case .success(.operation(let operation)):
            var failures = 0
            var counts = summary
            try await executor.execute(operation, line: number) { record in
                if !record.ok { failures += 1 }
                if record.failure?.type == IntercomError.Kind.authentication.rawValue { counts.authenticationFailed = true }
                try await emitCounted(record, &counts, emit)
            }
            summary = counts
            if summary.authenticationFailed {
                summary.stoppedEarly = true
                return true
            }
            if failures == 0 { return false }
        }
        if errorPolicy == .stop {
            summary.stoppedEarly = true
            return true
        }
        return false
    }

    private func emitCounted(_ record: ResultRecord, _ summary: inout PipelineSummary, _ emit: (ResultRecord) async throws -> Void) async throws {
        if record.ok { summary.succeeded += 1 } else { summary.failed += 1 }
        try await emit(record)
    }
}
