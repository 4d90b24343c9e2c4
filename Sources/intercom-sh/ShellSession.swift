import Dispatch
import Foundation
import IntercomKit
import IntercomSandbox
import IntercomShell
import Synchronization

/// Runs intercom-sh against the configured endpoint: the prompt, or the non-interactive mode over `-c`
/// commands, standard input or script files.
struct ShellSession {
    /// Where lines come from.
    enum Input {
        case prompt
        case standardInput
        case commands([String])
        case files([String])
    }

    let connection: ConnectionOptions
    let options: RunOptions
    let input: Input
    let errorPolicy: ErrorPolicy

    /// Runs everything and returns the exit status.
    func run() async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let interrupted: InterruptFlag? = if case .prompt = input { nil } else { InterruptFlag() }
        let concurrencyControl = options.concurrencyControl(errorPolicy: errorPolicy)
        let concurrency = concurrencyControl.maximum
        guard let opened = await Connection.open(connection, connections: concurrency) else { return ExitStatus.credentials.rawValue }
        let redaction = SecretRedaction(credentials: opened.credentials)
        let recorder: SessionRecorder?
        let failuresFile: PrivateFile?
        let journal: ImportJournal?
        do {
            try Self.refuseInputAsOutput(options: options, input: input)
            recorder = try options.record.map { try SessionRecorder(path: $0, redaction: redaction) }
            // A resume skips the lines that failed before, so their lines stay in the failures file; a new run (or
            // --resume-failed, which runs them again) starts it anew.
            failuresFile = try options.failures.map { try PrivateFile(path: $0, truncate: options.journalMode != .resume, redaction: redaction) }
            let binding = ImportJournal.Binding(
                endpoint: connection.sandbox ? "sandbox" : opened.settings.endpoint.absoluteString, appID: opened.credentials.appID)
            journal = try options.journal.map { try ImportJournal(path: $0, mode: options.journalMode, binding: binding) }
        } catch {
            try? OutputWriter.standardError.write("intercom-sh: \(error)\n")
            await opened.close()
            return 2
        }
        var context = ReferenceContext(variables: options.variableValues, environment: environment)
        context.lenient = options.dryRun
        let executor = options.deliveryExecutor(client: opened.client, concurrency: concurrencyControl)

        if case .prompt = input {
            let session = InteractiveSession(
                executor: executor,
                promptName: connection.sandbox ? "sandbox" : opened.settings.profile ?? opened.settings.endpoint.host ?? "intercom",
                redaction: redaction, confirmDeletes: !options.yes,
                colored: isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty,
                output: options.output ?? .pretty, times: options.timeFormatter, context: context, recorder: recorder)
            let hint = connection.sandbox
                ? "Local sandbox with demo data (\(opened.settings.endpoint.absoluteString)). Try: find user email=somebody@example.com\n"
                    + "Tab completes commands, keys and values seen; help lists the commands; Ctrl-D leaves."
                : nil
            let historyFile = InteractiveSession.historyFile(environment: environment)
            let status = await runOnThread { session.run(historyFile: historyFile, hint: hint) }
            await opened.close()
            return status
        }

        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        let stderrIsTerminal = isatty(STDERR_FILENO) == 1
        let format = options.output ?? (stdoutIsTerminal ? .pretty : .ndjson)
        let colored = (format == .pretty || format == .table) && stdoutIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty
        let renderer = RendererBox(RecordRenderer(format: format, colored: colored, redaction: redaction, times: options.timeFormatter))
        // With a journal every record is written before its line is journaled, so a kill -9 cannot leave a line
        // that the journal calls done and whose record never came out.
        let output = RecordOutput(writer: .standardOutput, buffered: !stdoutIsTerminal && journal == nil)
        let echo = options.echo
        let echoLine: (@Sendable (String) async throws -> Void)? = echo
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
        let recordOperation: (@Sendable (IntercomShell.Operation, [ResultRecord], Duration) async throws -> Void)? = recorder.map { recorder in
            { @Sendable operation, records, elapsed in try await recorder.record(operation, records: records, elapsed: elapsed) }
        }
        let writeFailure: (@Sendable (String) async throws -> Void)? = failuresFile.map { file in
            { @Sendable line in try await file.writeLine(line) }
        }
        let observer = PipelineObserver(willRun: echoLine, didRun: recordOperation, lineFailed: writeFailure, willWait: { output.flush() })
        var runner = PipelineRunner(
            interpreter: LineInterpreter(defaultOperation: options.defaultOperation), executor: executor, errorPolicy: errorPolicy,
            context: context, observer: observer)
        runner.maximumLineBytes = options.maximumLineBytes
        // A dry run sends nothing, so operations in flight would only add overhead.
        runner.concurrency = options.dryRun ? 1 : concurrency
        runner.dryRunWorkers = ProcessInfo.processInfo.activeProcessorCount
        runner.ordered = !options.unordered
        runner.journal = journal
        let control = runner.control
        // Lines on standard input may come from someone else: they read no environment and source no file unless
        // the user says the input is theirs.
        var standardInputRunner = runner
        standardInputRunner.untrustedInput = !options.trustInput
        let stdinRunner = standardInputRunner

        let maximumLineBytes = options.maximumLineBytes
        let input = input
        let readsStandardInput: Bool = switch input {
        case .prompt, .commands: false
        case .standardInput: true
        case .files(let files): files.contains("-")
        }
        let standardInput = readsStandardInput
            ? FileDescriptorLines(descriptor: STDIN_FILENO, maximumLineBytes: maximumLineBytes, willWait: { output.flush() }) : nil
        let showsProgress = options.progress || (stderrIsTerminal && !options.noProgress && !options.quiet)
        let progress = showsProgress
            ? ProgressDisplay(
                control: control, statistics: executor.statistics, concurrency: options.dryRun ? nil : concurrencyControl,
                onTerminal: stderrIsTerminal) : nil
        if let progress {
            let files: [String] = if case .files(let files) = input { files } else { [] }
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
        let sharesTerminal = stdoutIsTerminal && stderrIsTerminal
        let work = Task { () -> PipelineSummary in
            do { try output.write { $0.append(contentsOf: renderer.header().utf8) } } catch { return PipelineSummary() }
            let sink = ShellRecordSink(renderer: renderer, output: output, progress: sharesTerminal ? progress : nil)
            switch input {
            case .prompt, .standardInput:
                return await stdinRunner.run(
                    standardInput ?? FileDescriptorLines(descriptor: STDIN_FILENO, maximumLineBytes: maximumLineBytes, willWait: { output.flush() }),
                    sink: sink)
            case .commands(let commands):
                let lines = commands.enumerated().map { InputLine(number: $0.offset + 1, content: .success($0.element)) }
                return await runner.run(InputLineList(lines: lines), sink: sink)
            case .files(let files):
                var total = PipelineSummary()
                for file in files {
                    if control.isStopping || Task.isCancelled {
                        total.stoppedEarly = true
                        break
                    }
                    let summary: PipelineSummary
                    if file == "-", let standardInput {
                        summary = await stdinRunner.run(standardInput, sink: sink)
                    } else {
                        summary = await runner.run(file: file, sink: sink)
                    }
                    total.add(summary)
                    if summary.stoppedEarly { break }
                }
                return total
            }
        }
        let started = ContinuousClock.now
        interrupted?.onSignal(
            first: {
                control.stopReading()
                standardInput?.stop()
            },
            again: { work.cancel() })
        let summary = await work.value
        progress?.finish()
        journal?.synchronize()
        let totals = RunTotals(summary: summary, statistics: executor.statistics, elapsed: ContinuousClock.now - started)
        if options.summary { try? output.write { $0.append(contentsOf: renderer.renderSummary(totals.json).utf8) } }
        try? output.write { $0.append(contentsOf: renderer.footer().utf8) }
        output.flush()
        if !options.quiet {
            var line = "intercom-sh: \(totals)\n"
            if summary.unknownOutcomes > 0 {
                line += "intercom-sh: \(summary.unknownOutcomes) with an unknown outcome (they may have been applied; check them "
                    + "before sending them again\(failuresFile == nil ? "" : ", so they are not in the failures file"))\n"
            }
            if interrupted?.isSet == true, let path = options.journal {
                line += "intercom-sh: interrupted; to go on: the same command with --journal \(path) --resume\n"
            }
            try? OutputWriter.standardError.write(line)
        }
        await opened.close()

        let lostWrites = await Self.writeFailures(output: output, journal: journal, failures: failuresFile, recorder: recorder)
        let status = ExitStatus.of(summary, interrupted: interrupted?.isSet == true, lostWrites: !lostWrites.isEmpty)
        switch status {
        case .lostWrites:
            let lines = lostWrites.map { "intercom-sh: \($0)\n" }.joined()
            try? OutputWriter.standardError.write(lines + "intercom-sh: stopped: what came after the failed write is missing from it\n")
        case .credentials:
            try? OutputWriter.standardError.write("intercom-sh: stopped: the app id or api key was refused (401)\n")
        default:
            break
        }
        return status.rawValue
    }

    /// Every write of the run that failed (a full disk, an I/O error), as messages naming the file; a reader that
    /// closed standard output (`| head -1`) is not one.
    static func writeFailures(
        output: RecordOutput, journal: ImportJournal?, failures: PrivateFile?, recorder: SessionRecorder?
    ) async -> [String] {
        var messages: [String] = []
        if let failure = output.failure, !failure.readerClosed { messages.append("cannot write the records to standard output: \(failure)") }
        if let failure = journal?.writeFailure { messages.append(failure) }
        if let failure = await failures?.failure { messages.append(failure.message) }
        if let failure = await recorder?.failure { messages.append(failure.message) }
        return messages
    }

    /// Refuses a `--failures`, `--journal` or `--record` file that is also the run's input (standard input
    /// redirected from it, or a `run` FILE): opening it for writing would truncate or grow the input being read.
    static func refuseInputAsOutput(options: RunOptions, input: Input) throws(PrivateFileError) {
        let files: [String] = if case .files(let files) = input { files } else { [] }
        let readsStandardInput = if case .standardInput = input { true } else { files.contains("-") }
        var inputs = files.filter { $0 != "-" }.compactMap(fileIdentity)
        if readsStandardInput, let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/0"),
            let identity = fileIdentity(path)
        {
            inputs.append(identity)
        }
        let outputs = [("--failures", options.failures), ("--journal", options.journal), ("--record", options.record)]
        for case let (flag, path?) in outputs {
            if let identity = fileIdentity(path), inputs.contains(where: { $0 == identity }) {
                throw PrivateFileError(message: "\(flag) \(path) is also the input; write it to another file")
            }
        }
    }

    /// The device and inode of the regular file at `path` (links followed), or nil.
    static func fileIdentity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value,
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        else { return nil }
        return (device, inode)
    }
}

/// Records rendered for standard output: by the run's workers when the format allows (see ``RecordSink``), and
/// written between redraws of the progress line when both share a terminal.
struct ShellRecordSink: RecordSink {
    let renderer: RendererBox
    let output: RecordOutput
    /// The progress display on the same terminal, if any.
    let progress: ProgressDisplay?
    private let apart: RecordRenderer?

    init(renderer: RendererBox, output: RecordOutput, progress: ProgressDisplay?) {
        self.renderer = renderer
        self.output = output
        self.progress = progress
        let snapshot = renderer.snapshot()
        apart = snapshot.rendersApart ? snapshot : nil
    }

    func write(_ record: ResultRecord) async throws {
        try written { try output.write { renderer.render(record, into: &$0) } }
    }

    func render(_ record: ResultRecord, into bytes: inout [UInt8]) -> Bool {
        guard let apart else { return false }
        apart.renderApart(record, into: &bytes)
        return true
    }

    func write(rendered bytes: [UInt8], count: Int) async throws {
        renderer.count(rendered: count)
        try written { try output.write { $0.append(contentsOf: bytes) } }
    }

    private func written(_ write: () throws -> Void) throws {
        if let progress { try progress.interleave(write) } else { try write() }
    }
}

/// Shares one renderer (which counts records) between the emitting closure and the end of the run.
final class RendererBox: Sendable {
    private let renderer: Mutex<RecordRenderer>

    init(_ renderer: RecordRenderer) { self.renderer = Mutex(renderer) }

    /// A copy of the renderer, for rendering apart.
    func snapshot() -> RecordRenderer { renderer.withLock { $0 } }
    func count(rendered: Int) { renderer.withLock { $0.count(rendered: rendered) } }

    func header() -> String { renderer.withLock { $0.header() } }
    func render(_ record: ResultRecord, into output: inout [UInt8]) { renderer.withLock { $0.render(record, into: &output) } }
    func renderSummary(_ summary: JSONValue) -> String { renderer.withLock { $0.renderSummary(summary) } }
    func footer() -> String { renderer.withLock { $0.footer() } }
    func scrub(_ text: String) -> String { renderer.withLock { $0.scrub(text) } }
}

/// Runs blocking work (the prompt's line reads) on a thread of its own, off Swift concurrency's pool.
func runOnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
