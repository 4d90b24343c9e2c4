import Foundation
import IntercomKit
import IntercomShell
import LineEditing

/// The non-interactive faces (`-c`, standard input, `run FILE…`): wires the engine to standard output, the progress
/// line and the signals, runs it, and ends with the closing line and the exit status.
struct PipelineSession {
    let options: RunOptions
    let input: ShellSession.Input
    let files: ShellSession.RunFiles
    let executor: Executor
    let concurrency: ConcurrencyControl
    let renderer: RendererBox
    let output: RecordOutput
    let runner: PipelineRunner
    let standardInput: FileDescriptorLines?
    let progress: ProgressDisplay?
    let sharesTerminal: Bool

    init(
        options: RunOptions, input: ShellSession.Input, errorPolicy: ErrorPolicy, executor: Executor, concurrency: ConcurrencyControl,
        context: ReferenceContext, files: ShellSession.RunFiles, redaction: SecretRedaction, environment: [String: String]
    ) {
        self.options = options
        self.input = input
        self.files = files
        self.executor = executor
        self.concurrency = concurrency
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        let stderrIsTerminal = isatty(STDERR_FILENO) == 1
        let format = options.output ?? (stdoutIsTerminal ? .pretty : .ndjson)
        let colored = (format == .pretty || format == .table) && stdoutIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty
        var recordRenderer = RecordRenderer(format: format, colored: colored, redaction: redaction, times: options.timeFormatter, fields: options.fieldList)
        recordRenderer.width = stdoutIsTerminal ? TerminalSize.columns(of: STDOUT_FILENO) : nil
        renderer = RendererBox(recordRenderer)
        // With a journal each record is written as it is published, between its journal entry and its `written`
        // entry, so the journal knows which records are out.
        // `-c` on a terminal pages long output as the prompt does (not a run fed from standard input or files).
        let pager = stdoutIsTerminal && Self.isCommands(input) ? InteractiveSession.pager(environment: environment, disabled: options.noPager) : nil
        let paged = pager.map { PagedOutput(command: $0, rows: TerminalSize.rows(of: STDOUT_FILENO) ?? 24) }
        let output = RecordOutput(writer: .standardOutput, buffered: !stdoutIsTerminal && files.journal == nil, paged: paged)
        self.output = output
        standardInput = Self.readsStandardInput(input)
            ? FileDescriptorLines(descriptor: STDIN_FILENO, maximumLineBytes: options.maximumLineBytes, willWait: { output.flush() }) : nil
        var runner = PipelineRunner(
            interpreter: LineInterpreter(defaultOperation: options.defaultOperation), executor: executor, errorPolicy: errorPolicy,
            context: context, observer: Self.observer(options: options, files: files, output: output, renderer: renderer, format: format))
        runner.maximumLineBytes = options.maximumLineBytes
        // A dry run sends nothing, so operations in flight would only add overhead.
        runner.concurrency = options.dryRun ? 1 : concurrency.maximum
        runner.dryRunWorkers = ProcessInfo.processInfo.activeProcessorCount
        runner.ordered = !options.unordered
        runner.journal = files.journal
        runner.writtenFiles = [("--failures", options.failures), ("--journal", options.journal), ("--record", options.record)]
            .compactMap { flag, path in path.flatMap(FileIdentity.init(path:)).map { ($0, "the \(flag) file") } }
            + (output.fileIdentity.map { [($0, "standard output")] } ?? [])
        self.runner = runner
        // A pager owns the terminal: no progress line under it.
        let showsProgress = options.progress || (stderrIsTerminal && !options.noProgress && !options.quiet && paged == nil)
        progress = showsProgress
            ? ProgressDisplay(
                control: runner.control, statistics: executor.statistics, concurrency: options.dryRun ? nil : concurrency,
                pacing: executor.delivery.pacing, onTerminal: stderrIsTerminal) : nil
        sharesTerminal = stdoutIsTerminal && stderrIsTerminal
    }

    static func isCommands(_ input: ShellSession.Input) -> Bool {
        if case .commands = input { true } else { false }
    }

    static func readsStandardInput(_ input: ShellSession.Input) -> Bool {
        switch input {
        case .prompt, .commands: false
        case .standardInput: true
        case .files(let files): files.contains("-")
        }
    }

    /// The hooks: `--echo`, `--record`, `--failures`, and flushing the records before each wait.
    static func observer(
        options: RunOptions, files: ShellSession.RunFiles, output: RecordOutput, renderer: RendererBox, format: OutputFormat
    ) -> PipelineObserver {
        let echoLine: (@Sendable (String) async throws -> Void)? = options.echo
            ? { @Sendable line in
                let text = "> " + renderer.scrub(line) + "\n"
                if format == .pretty || format == .table {
                    try output.write { $0.append(contentsOf: text.utf8) }
                } else {
                    // Records before the echoed line come first, also when stdout and stderr share a file.
                    output.flush()
                    try OutputWriter.standardError.write(text)
                }
            } : nil
        let recordOperation: (@Sendable (IntercomShell.Operation, [ResultRecord], Duration) async throws -> Void)? = files.recorder.map { recorder in
            { @Sendable operation, records, elapsed in try await recorder.record(operation, records: records, elapsed: elapsed) }
        }
        let writeFailure: (@Sendable (String) async throws -> Void)? = files.failures.map { file in
            { @Sendable line in try await file.writeLine(line) }
        }
        return PipelineObserver(willRun: echoLine, didRun: recordOperation, lineFailed: writeFailure, willWait: { output.flush() })
    }

    /// Runs the input to its end (or a stop) and returns the exit status.
    func run() async -> Int32 {
        startCountingLines()
        let interrupted = InterruptFlag()
        let started = ContinuousClock.now
        let work = Task { await runInput() }
        let control = runner.control
        let standardInput = standardInput
        interrupted.onSignal(
            first: {
                control.stopReading()
                standardInput?.stop()
            },
            again: { work.cancel() })
        let summary = await work.value
        progress?.finish()
        files.journal?.synchronize()
        let totals = RunTotals(summary: summary, statistics: executor.statistics, elapsed: ContinuousClock.now - started)
        return await finish(totals, interrupted: interrupted.isSet)
    }

    /// Runs the lines of the input through the runner, writing the header first.
    private func runInput() async -> PipelineSummary {
        do { try output.write { $0.append(contentsOf: renderer.header().utf8) } } catch { return PipelineSummary() }
        let sink = ShellRecordSink(renderer: renderer, output: output, progress: sharesTerminal ? progress : nil)
        // Lines on standard input may come from someone else: they read no environment and source no file unless
        // the user says the input is theirs.
        var stdinRunner = runner
        stdinRunner.untrustedInput = !options.trustInput
        switch input {
        case .prompt, .standardInput:
            guard let standardInput else { return PipelineSummary() }
            return await stdinRunner.run(standardInput, sink: sink)
        case .commands(let commands):
            let lines = commands.enumerated().map { InputLine(number: $0.offset + 1, content: .success($0.element)) }
            return await runner.run(InputLineList(lines: lines), sink: sink)
        case .files(let files):
            var total = PipelineSummary()
            for file in files {
                if runner.control.isStopping || Task.isCancelled {
                    total.stoppedEarly = true
                    break
                }
                let summary = if file == "-", let standardInput {
                    await stdinRunner.run(standardInput, sink: sink)
                } else {
                    await runner.run(file: file, sink: sink)
                }
                total.add(summary)
                if summary.stoppedEarly { break }
            }
            return total
        }
    }

    /// Counts the input's lines on a thread of its own, for the progress line's total.
    private func startCountingLines() {
        guard let progress else { return }
        let files: [String] = if case .files(let files) = input { files } else { [] }
        let readsStandardInput = Self.readsStandardInput(input)
        Thread {
            var total = readsStandardInput ? ProgressDisplay.countLines(descriptor: STDIN_FILENO) : 0
            for file in files where file != "-" {
                let descriptor = open(file, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { continue }
                total = total.flatMap { sum in ProgressDisplay.countLines(descriptor: descriptor).map { sum + $0 } }
                close(descriptor)
            }
            if let total { progress.setTotal(total) }
        }.start()
    }

    /// Writes the summary record and the closing lines, and returns the exit status.
    private func finish(_ totals: RunTotals, interrupted: Bool) async -> Int32 {
        let summary = totals.summary
        if options.summary { try? output.write { $0.append(contentsOf: renderer.renderSummary(totals.json).utf8) } }
        try? output.write { $0.append(contentsOf: renderer.footer().utf8) }
        output.flush()
        // The closing lines come once the pager has quit, on the terminal it gives back.
        output.paged?.finish()
        if let text = renderer.takeDiagnostics() { try? OutputWriter.standardError.write(text) }
        if !options.quiet {
            // A reader that went away (`| head -1`) ends the run quietly: it asked for no more than it read.
            var line = output.failure?.readerClosed == true ? "" : "intercom-sh: \(totals)\n"
            if summary.unknownOutcomes > 0 {
                line += "intercom-sh: \(summary.unknownOutcomes) with an unknown outcome (they may have been applied; check them "
                    + "before sending them again\(files.failures == nil ? "" : ", so they are not in the failures file"))\n"
            }
            if summary.partiallyApplied > 0 {
                line += "intercom-sh: \(summary.partiallyApplied) partially applied (their records name what was applied; finish them by hand"
                    + "\(files.failures == nil ? "" : ", they are not in the failures file"))\n"
            }
            for walk in totals.shortWalks { line += "intercom-sh: short walk: \(walk)\n" }
            for note in totals.notes { line += "intercom-sh: note: \(note)\n" }
            for warning in totals.warnings { line += "intercom-sh: warning: \(warning) (sent all the same)\n" }
            if let failedLine = summary.stoppedAtFailure {
                line += "intercom-sh: stopped at the failure on \(failedLine) (--on-error stop): the lines after it did not run; "
                    + "add --on-error continue to run every line\n"
            }
            if interrupted, let path = options.journal {
                line += "intercom-sh: interrupted; to go on: the same command with --journal \(path) --resume\n"
            }
            try? OutputWriter.standardError.write(Self.fitted(line))
        }
        let lostWrites = await ShellSession.writeFailures(output: output, journal: files.journal, failures: files.failures, recorder: files.recorder)
        let status = ExitStatus.of(summary, interrupted: interrupted, lostWrites: !lostWrites.isEmpty)
        switch status {
        case .lostWrites:
            let lines = lostWrites.map { "intercom-sh: \($0)\n" }.joined()
            try? OutputWriter.standardError.write(Self.fitted(lines + "intercom-sh: stopped: what came after the failed write is missing from it\n"))
        case .credentials:
            let refused = executor.client.configuration.apiVersion == nil
                ? "the app id or api key was refused (401): check INTERCOM_APP_ID and INTERCOM_API_KEY, --app-id and --api-key, or the profile's"
                : "the access token was refused (401): check INTERCOM_ACCESS_TOKEN, --access-token, or the profile's access_token, and that it belongs to this region's workspace"
            try? OutputWriter.standardError.write(Self.fitted("intercom-sh: stopped: \(refused)\n"))
        default:
            break
        }
        return status.rawValue
    }
}

extension PipelineSession {
    /// `text` wrapped between words at the width of standard error when that is a terminal, as it is.
    static func fitted(_ text: String) -> String {
        TerminalSize.columns(of: STDERR_FILENO).map { WordWrap.wrap(text, width: $0 - 1) } ?? text
    }
}
