import Foundation
import IntercomKit
import IntercomShell
import LineEditing
import Synchronization

/// The interactive prompt: libedit line editing over the same interpreter and executor as the pipe.
///
/// Runs on a thread of its own, because reading a line blocks; each operation runs as a task that Ctrl-C cancels.
final class InteractiveSession: @unchecked Sendable {
    private let executor: Executor
    private let interpreter = LineInterpreter()
    private let promptName: String
    private let redaction: SecretRedaction
    private let confirmDeletes: Bool
    private let colored: Bool
    private var output: OutputFormat
    private var times: TimeFormatter
    private var timing = false
    private let known = Mutex(KnownValues())
    private var commandNumber = 0
    private var failures = 0
    private var context: ReferenceContext
    private var recorder: SessionRecorder?

    init(
        executor: Executor, promptName: String, redaction: SecretRedaction, confirmDeletes: Bool, colored: Bool, output: OutputFormat,
        times: TimeFormatter, context: ReferenceContext, recorder: SessionRecorder?
    ) {
        self.output = output
        self.times = times
        self.executor = executor
        self.promptName = promptName
        self.redaction = redaction
        self.confirmDeletes = confirmDeletes
        self.colored = colored
        self.context = context
        self.recorder = recorder
    }

    /// The history file: `$XDG_STATE_HOME/intercom-sh/history` (default `~/.local/state/intercom-sh/history`).
    static func historyFile(environment: [String: String]) -> URL {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/state")
        return state.appendingPathComponent("intercom-sh/history")
    }

    /// Runs the prompt until Ctrl-D, `exit` or `quit`; returns the exit status.
    func run(historyFile: URL, hint: String?) -> Int32 {
        let editor = LineEditor(programName: "intercom-sh", historyFile: historyFile)
        editor.completer = { [unowned self] line in
            let offer = CompletionEngine.complete(line, known: self.known.withLock { $0 })
            return CompletionOffer(insertion: offer.insertion, candidates: offer.candidates)
        }
        if let hint { print(hint) }
        var joiner = LineJoiner()
        var lineNumber = 0
        while true {
            let prompt = joiner.isContinuing ? "...> " : "intercom(\(promptName))> "
            let text: String
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                guard joiner.isContinuing else {
                    print("")
                    editor.saveHistory()
                    return failures > 0 ? 1 : 0
                }
                joiner.reset()
                printError(PipelineRunner.continuedIntoEnd.message + "; it was not run", type: "invalid_input")
                failures += 1
                continue
            case .interrupted:
                joiner.reset()
                continue
            case .line(let line):
                lineNumber += 1
                switch joiner.add(InputLine(number: lineNumber, content: .success(line))) {
                case nil:
                    continue
                case .unreadable(_, let error)?:
                    printError(error.message, type: "invalid_input")
                    failures += 1
                    continue
                case .line(_, let joined, _)?:
                    text = joined
                }
            }
            let logical = text.trimmingCharacters(in: .whitespaces)
            guard !logical.isEmpty else { continue }
            if !containsSecret(logical) { editor.addHistory(logical.replacingOccurrences(of: "\n", with: " ")) }
            if handleShellCommand(logical, editor: editor) == false {
                editor.saveHistory()
                return failures > 0 ? 1 : 0
            }
        }
    }

    /// Lines that carry the api key never reach the history file.
    private func containsSecret(_ line: String) -> Bool {
        redaction.mayMention(line) || line.contains("api_key") || line.contains("api-key")
    }

    /// Handles one logical line; returns false to leave the prompt.
    private func handleShellCommand(_ line: String, editor: LineEditor) -> Bool {
        let words = line.split(separator: " ").map(String.init)
        switch words.first?.lowercased() {
        case "exit", "quit":
            return false
        case "set":
            handleSet(Array(words.dropFirst()))
            return true
        case "record":
            handleRecord(Array(words.dropFirst()))
            return true
        default:
            break
        }
        commandNumber += 1
        switch interpreter.interpret(line, context: context) {
        case .success(.source(let path)):
            runSource(path)
        case .success(.empty):
            return true
        case .success(.help(let text)):
            print(text)
        case .failure(let error):
            printError((error.column.map { "column \($0): " } ?? "") + error.message, type: "invalid_input")
            failures += 1
        case .success(.operation(let operation)):
            if operation.name == .deleteUser && confirmDeletes {
                let who = operation.parameters["email"]?.stringValue ?? operation.parameters["user_id"]?.stringValue ?? "?"
                guard case .line(let answer) = editor.readLine(prompt: "delete user \(who)? [y/N] "),
                    ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces))
                else {
                    print("not deleted")
                    return true
                }
            }
            known.withLock { $0.learn(from: operation) }
            execute(operation)
        }
        return true
    }

    /// `record FILE` starts appending operations and results to FILE; `record off` stops.
    private func handleRecord(_ arguments: [String]) {
        switch arguments.first {
        case "off"?:
            recorder = nil
            print("recording stopped")
        case let path? where arguments.count == 1:
            do {
                recorder = try SessionRecorder(path: path, redaction: redaction)
                print("recording to \(path)")
            } catch {
                printError("\(error)", type: "invalid_input")
            }
        default:
            printError("record FILE, or record off", type: "invalid_input")
        }
    }

    /// `source FILE` at the prompt: runs the file's lines, sharing this session's named results.
    private func runSource(_ path: String) {
        let done = DispatchSemaphore(value: 0)
        let records = Mutex<[ResultRecord]>([])
        let outcome = Mutex<ReferenceContext?>(nil)
        let recordOperation: (@Sendable (IntercomShell.Operation, [ResultRecord], Duration) async throws -> Void)? = recorder.map { recorder in
            { @Sendable operation, records, elapsed in try await recorder.record(operation, records: records, elapsed: elapsed) }
        }
        let observer = PipelineObserver(didRun: recordOperation)
        let runner = PipelineRunner(interpreter: interpreter, executor: executor, errorPolicy: .stop, context: context, observer: observer)
        let task = Task { [commandNumber] in
            let sink = ClosureRecordSink { record in records.withLock { $0.append(record) } }
            let (_, context) = await runner.runKeepingContext(file: path, line: commandNumber, sink: sink)
            outcome.withLock { $0 = context }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if LineEditor.takeInterrupt() { task.cancel() }
        }
        var renderer = resultRenderer()
        for record in records.withLock({ $0 }) { show(record, with: &renderer) }
        if let context = outcome.withLock({ $0 }) { self.context = context }
    }

    private func handleSet(_ arguments: [String]) {
        switch (arguments.first, arguments.dropFirst().first) {
        case (nil, _):
            print("output  \(output.rawValue)")
            print("time    \(times.display.rawValue)")
            print("timing  \(timing ? "on" : "off")")
            print("endpoint \(executor.client.configuration.endpoint.absoluteString)")
            print("app_id  \(executor.client.configuration.credentials.appID)")
            print("api_key ***")
        case ("output", let format?) where OutputFormat(rawValue: format) != nil:
            output = OutputFormat(rawValue: format)!
        case ("time", let display?) where TimeDisplay(rawValue: display) != nil:
            times.display = TimeDisplay(rawValue: display)!
        case ("timing", "on"?):
            timing = true
        case ("timing", "off"?):
            timing = false
        default:
            printError(
                "set output pretty|table|json|ndjson, set time local|utc|epoch, set timing on|off, or set alone to show the settings",
                type: "invalid_input")
        }
    }

    /// Runs one operation as a task; Ctrl-C cancels it and discards type-ahead.
    private func execute(_ operation: IntercomShell.Operation) {
        let done = DispatchSemaphore(value: 0)
        let records = Mutex<[ResultRecord]>([])
        let started = ContinuousClock.now
        let task = Task { [executor, commandNumber] in
            do {
                try await executor.execute(operation, line: commandNumber) { record in records.withLock { $0.append(record) } }
            } catch {
                let failure = ResultRecord.Failure(type: ResultRecord.Failure.interruptedType, message: "cancelled with Ctrl-C")
                records.withLock { $0.append(ResultRecord(line: commandNumber, op: operation.name.rawValue, outcome: .failure(failure))) }
            }
            done.signal()
        }
        _ = LineEditor.takeInterrupt()
        var cancelled = false
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if LineEditor.takeInterrupt() {
                task.cancel()
                cancelled = true
            }
        }
        // A cancelled operation still shows what became of it: interrupted when nothing was applied, unknown_outcome
        // when a request that changes something was on its way, or its result when the answer had come.
        if cancelled { LineEditor.discardTypeAhead() }
        let finished = records.withLock { $0 }
        let elapsed = ContinuousClock.now - started
        var renderer = resultRenderer()
        for record in finished { show(record, with: &renderer) }
        if let last = finished.last(where: \.ok), case .success(let result) = last.outcome {
            context.remember(result, as: operation.alias)
        }
        if let recorder {
            let recorded = DispatchSemaphore(value: 0)
            let failure = Mutex<PrivateFileError?>(nil)
            Task {
                do throws(PrivateFileError) {
                    try await recorder.record(operation, records: finished, elapsed: elapsed)
                } catch {
                    failure.withLock { $0 = error }
                }
                recorded.signal()
            }
            recorded.wait()
            if let error = failure.withLock({ $0 }) {
                self.recorder = nil
                printError("\(error); recording stopped", type: nil)
            }
        }
        if timing { print("(\(elapsed.millisecondsText))") }
    }

    /// The renderer of one command's results: a table's rows of one command stay under one header.
    private func resultRenderer() -> RecordRenderer {
        RecordRenderer(format: output == .table ? .table : .pretty, colored: colored, redaction: redaction, times: times)
    }

    private func show(_ record: ResultRecord, with renderer: inout RecordRenderer) {
        switch record.outcome {
        case .failure(let failure):
            failures += 1
            printError(failure.summary, type: nil)
        case .success(let result):
            known.withLock { $0.learn(from: result) }
            if output == .pretty || output == .table {
                print(renderer.render(record), terminator: "")
            } else {
                print(scrub(result.encodedString()))
            }
        }
    }

    /// Prints `error: TYPE: MESSAGE`, its control characters escaped (a server's message may hold any).
    private func printError(_ message: String, type: String?) {
        let text = "error: " + (type.map { "\($0): " } ?? "") + TerminalText.escaped(message)
        print(scrub(colored ? "\u{1B}[31m" + text + "\u{1B}[0m" : text))
    }

    private func scrub(_ text: String) -> String {
        redaction.redacted(text)
    }

}
