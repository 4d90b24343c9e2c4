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
    private var run: LineByLineRun
    /// Where the command running writes its records, and the renderer of its tables.
    private let paged = Shared<PagedOutput?>(nil)
    private let rendering = Mutex<RecordRenderer?>(nil)
    /// Shows each record as it comes (set once the session is made, as it calls the session).
    private let presenter = Shared<(@Sendable (ResultRecord) -> Void)?>(nil)
    private let recorder: Shared<SessionRecorder?>
    /// The pager of long output (`less -FRX`, `$PAGER`); nil: off.
    private var pager: String?
    /// The pager `set pager on` turns on.
    static let defaultPager = "less -FRX"

    /// The pager a session starts with: none with `--no-pager` or an empty `$PAGER`, else `$PAGER`, else
    /// `less -FRX`.
    static func pager(environment: [String: String], disabled: Bool) -> String? {
        guard !disabled else { return nil }
        guard let chosen = environment["PAGER"] else { return defaultPager }
        return chosen.trimmingCharacters(in: .whitespaces).isEmpty ? nil : chosen
    }

    init(
        executor: Executor, promptName: String, redaction: SecretRedaction, confirmDeletes: Bool, colored: Bool, output: OutputFormat,
        times: TimeFormatter, context: ReferenceContext, recorder: SessionRecorder?, pager: String?
    ) {
        self.pager = pager
        self.output = output
        self.times = times
        self.executor = executor
        self.promptName = promptName
        self.redaction = redaction
        self.confirmDeletes = confirmDeletes
        self.colored = colored
        let recorder = Shared(recorder)
        self.recorder = recorder
        var runner = PipelineRunner(interpreter: interpreter, executor: executor, errorPolicy: .stop, context: context)
        runner.observer.didRun = { operation, records, elapsed in
            try await recorder.withLock { $0 }?.record(operation, records: records, elapsed: elapsed)
        }
        // Only a recording needs every record of a list; otherwise they are shown as they come and let go.
        runner.observer.keepsEveryRecord = { recorder.withLock { $0 } != nil }
        let presenter = self.presenter
        run = LineByLineRun(runner: runner, sink: ClosureRecordSink { record in presenter.withLock { $0 }?(record) })
        presenter.withLock { $0 = { [unowned self] record in self.paged.withLock { $0 }?.write(self.text(of: record)) } }
    }

    /// The history file: `$XDG_STATE_HOME/intercom-sh/history` (default `~/.local/state/intercom-sh/history`).
    static func historyFile(environment: [String: String]) -> URL {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/state")
        return state.appendingPathComponent("intercom-sh/history")
    }

    /// Runs the prompt until Ctrl-D, `exit` or `quit`; returns the exit status, 0 as psql's: a failed command was
    /// shown where it failed, and leaving is no failure.
    func run(historyFile: URL, hint: String?) -> Int32 {
        let editor = LineEditor(programName: "intercom-sh", historyFile: historyFile)
        editor.completer = { [unowned self] line in
            let offer = CompletionEngine.complete(line, known: self.known.withLock { $0 })
            return CompletionOffer(insertion: offer.insertion, candidates: offer.candidates)
        }
        if let hint { print(TerminalSize.columns(of: STDOUT_FILENO).map { WordWrap.wrap(hint, width: $0 - 1) } ?? hint) }
        var joiner = LineJoiner(continuesOpenValues: true)
        var lineNumber = 0
        while true {
            // Positions in errors count from the entry's own first line (`1:13`), not the session's.
            if !joiner.isContinuing { lineNumber = 0 }
            let prompt = joiner.isContinuing ? "...> " : "intercom(\(promptName))> "
            let text: String
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                guard joiner.isContinuing else {
                    print("")
                    editor.saveHistory()
                    return 0
                }
                joiner.reset()
                printError(PipelineRunner.continuedIntoEnd.message + "; it was not run", type: .invalidInput)
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
                    printError(error.message, type: .invalidInput)
                    continue
                case .line(_, let joined, _)?:
                    text = joined
                }
            }
            let logical = text.trimmingCharacters(in: .whitespaces)
            guard !logical.isEmpty else { continue }
            if !containsSecret(logical) {
                // Saved before the line runs: whatever ends the process later (SIGHUP when the terminal closes), the
                // line entered is in the history file.
                editor.addHistory(logical.replacingOccurrences(of: "\n", with: " "))
                editor.saveHistory()
            }
            if handleShellCommand(logical, editor: editor) == false {
                editor.saveHistory()
                return 0
            }
        }
    }

    /// Lines that carry the api key never reach the history file.
    private func containsSecret(_ line: String) -> Bool {
        redaction.mayMention(line) || line.contains("api_key") || line.contains("api-key")
    }

    /// Handles one logical line; returns false to leave the prompt.
    private func handleShellCommand(_ line: String, editor: LineEditor) -> Bool {
        let words: [String]
        if case .words(let split) = CommandTokenizer.split(line) { words = split.map(\.text) } else { words = [] }
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
        let interpreted = run.interpret(line)
        if case .success(.operation(let operation)) = interpreted {
            guard operation.name != .deleteUser || !confirmDeletes || confirmDelete(operation, editor: editor) else {
                print("not deleted")
                return true
            }
            known.withLock { $0.learn(from: operation) }
        }
        runLine(line, interpreted: interpreted)
        return true
    }

    /// Asks before a delete; true when the answer is yes.
    private func confirmDelete(_ operation: IntercomShell.Operation, editor: LineEditor) -> Bool {
        let who = operation.parameters["email"]?.stringValue ?? operation.parameters["user_id"]?.stringValue ?? "?"
        guard case .line(let answer) = editor.readLine(prompt: "delete user \(who)? [y/N] ") else { return false }
        return ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces))
    }

    /// `record FILE` starts appending operations and results to FILE; `record off` stops.
    private func handleRecord(_ arguments: [String]) {
        switch arguments.first {
        case "off"?:
            recorder.withLock { $0 = nil }
            print("recording stopped")
        case let path? where arguments.count == 1:
            do {
                let opened = try SessionRecorder(path: path, redaction: redaction)
                recorder.withLock { $0 = opened }
                print("recording to \(path)")
            } catch {
                printError("\(error)", type: .invalidInput)
            }
        default:
            printError("record FILE, or record off", type: .invalidInput)
        }
    }

    private func handleSet(_ arguments: [String]) {
        switch (arguments.first, arguments.dropFirst().first) {
        case (nil, _):
            print("output  \(output.rawValue)")
            print("time    \(times.display.rawValue)")
            print("timing  \(timing ? "on" : "off")")
            print("pager   \(pager ?? "off")")
            print("endpoint \(executor.client.configuration.endpoint.absoluteString)")
            if let version = executor.client.configuration.apiVersion {
                print("api     \(version)")
                print("access_token ***")
            } else {
                print("app_id  \(executor.client.configuration.credentials.appID)")
                print("api_key ***")
            }
        case ("output", "csv"?):
            printError("CSV is for files: run intercom-sh --output csv -c '…' > file.csv (here, set output table)", type: .invalidInput)
        case ("output", let format?) where OutputFormat(rawValue: format) != nil:
            output = OutputFormat(rawValue: format)!
        case ("time", let display?) where TimeDisplay(rawValue: display) != nil:
            times.display = TimeDisplay(rawValue: display)!
        case ("pager", "off"?):
            pager = nil
        case ("pager", "on"?):
            pager = Self.defaultPager
        case ("pager", _?):
            pager = arguments.dropFirst().joined(separator: " ")
        case ("timing", "on"?):
            timing = true
        case ("timing", "off"?):
            timing = false
        default:
            printError(
                "set output pretty|table|json|ndjson, set time local|utc|epoch, set timing on|off, set pager on|off|COMMAND, "
                    + "or set alone to show the settings",
                type: .invalidInput)
        }
    }

    /// Runs one logical line through the engine as a task, then shows its records; Ctrl-C cancels it (the records
    /// say what became of an operation on its way) and discards type-ahead.
    private func runLine(_ line: String, interpreted: Result<ParsedLine, InputError>) {
        let done = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        let failure = Mutex<(any Error)?>(nil)
        let finished = Shared<LineByLineRun?>(nil)
        let output = PagedOutput(command: isatty(STDOUT_FILENO) == 1 ? pager : nil, rows: TerminalSize.rows(of: STDOUT_FILENO) ?? 24)
        paged.withLock { $0 = output }
        rendering.withLock { $0 = resultRenderer() }
        let task = Task { [run, commandNumber] in
            var run = run
            do {
                _ = try await run.run(interpreted, text: line, number: commandNumber)
            } catch {
                failure.withLock { $0 = error }
            }
            finished.withLock { $0 = run }
            done.signal()
        }
        _ = LineEditor.takeInterrupt()
        var cancelled = false
        // Keys typed meanwhile wait, unechoed, for the next prompt; after a second with nothing shown, the wait is.
        let echo = TerminalEcho.off()
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if LineEditor.takeInterrupt() || (output.closed && !cancelled) {
                task.cancel()
                cancelled = true
            }
            if ContinuousClock.now - started > .seconds(1), isatty(STDERR_FILENO) == 1 {
                output.showNotice("waiting for the answer… (Ctrl-C cancels)")
            }
        }
        output.finish()
        echo.restore()
        paged.withLock { $0 = nil }
        rendering.withLock { $0 = nil }
        if cancelled { LineEditor.discardTypeAhead() }
        if let after = finished.withLock({ $0 }) { run = after }
        let elapsed = ContinuousClock.now - started
        if let error = failure.withLock({ $0 }) {
            if error is PrivateFileError {
                recorder.withLock { $0 = nil }
                printError("\(error); recording stopped", type: nil)
            } else if !cancelled {
                printError("\(error)", type: nil)
            }
        }
        if timing { print("(\(elapsed.millisecondsText))") }
    }

    /// The renderer of one command's results: a table's rows of one command stay under one header.
    private func resultRenderer() -> RecordRenderer {
        var renderer = RecordRenderer(format: output == .table ? .table : .pretty, colored: colored, redaction: redaction, times: times)
        renderer.width = TerminalSize.columns(of: STDOUT_FILENO)
        return renderer
    }

    /// The text of one record at the prompt, rendered by the command's renderer; what the results show is learned
    /// for completion.
    private func text(of record: ResultRecord) -> String {
        switch record.outcome {
        case .failure(var failure):
            // At the prompt a position is in the line just entered, not the session's count of lines.
            if failure.type == .invalidInput, failure.message.hasPrefix("\(record.line):") {
                failure.message = "column " + failure.message.dropFirst("\(record.line):".count)
            }
            return errorText(failure.summary, type: nil) + "\n"
        case .success(let result):
            known.withLock { $0.learn(from: result) }
            if output == .json || output == .ndjson, record.op != "help" {
                // json and ndjson show the whole record, as the pipe writes it (one element of --output json's array).
                var bytes: [UInt8] = []
                RecordRenderer(format: .ndjson, redaction: redaction).renderApart(record, into: &bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
            let text = rendering.withLock { renderer -> String in
                if renderer == nil { renderer = resultRenderer() }
                return renderer!.render(record)
            }
            // Help is prose: wrapped between words at the terminal's width.
            guard record.op == "help", let width = TerminalSize.columns(of: STDOUT_FILENO) else { return text }
            return WordWrap.wrap(text, width: width - 1)
        }
    }

    /// Prints `error: TYPE: MESSAGE` (``errorText(_:type:)``).
    private func printError(_ message: String, type: FailureType?) {
        print(errorText(message, type: type))
    }

    /// `error: TYPE: MESSAGE`, its control characters escaped (a server's message may hold any), in red when colored.
    private func errorText(_ message: String, type: FailureType?) -> String {
        let text = "error: " + (type.map { "\($0): " } ?? "") + TerminalText.escaped(message)
        return scrub(colored ? "\u{1B}[31m" + text + "\u{1B}[0m" : text)
    }

    private func scrub(_ text: String) -> String {
        redaction.redacted(text)
    }

}

/// A value shared between the prompt's thread and the tasks it starts, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result {
        mutex.withLock(body)
    }
}
