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

    /// The files a run writes besides standard output.
    struct RunFiles {
        var recorder: SessionRecorder?
        var failures: PrivateFile?
        var journal: ImportJournal?
    }

    /// Runs everything and returns the exit status.
    func run() async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let concurrencyControl = options.concurrencyControl(errorPolicy: errorPolicy)
        guard let opened = await Connection.open(connection, connections: concurrencyControl.maximum) else {
            return ExitStatus.credentials.rawValue
        }
        let redaction = SecretRedaction(credentials: opened.credentials)
        let files: RunFiles
        do {
            files = try openFiles(opened: opened, redaction: redaction)
        } catch {
            try? OutputWriter.standardError.write("intercom-sh: \(error)\n")
            await opened.close()
            return ExitStatus.usage.rawValue
        }
        var context = ReferenceContext(variables: options.variableValues, environment: environment)
        context.lenient = options.dryRun
        let executor = options.deliveryExecutor(client: opened.client, concurrency: concurrencyControl)
        let status: Int32
        if case .prompt = input {
            status = await runPrompt(opened: opened, executor: executor, context: context, recorder: files.recorder, environment: environment)
        } else {
            let pipeline = PipelineSession(
                options: options, input: input, errorPolicy: errorPolicy, executor: executor, concurrency: concurrencyControl,
                context: context, files: files, redaction: redaction, environment: environment)
            status = await pipeline.run()
        }
        await opened.close()
        return status
    }

    /// Opens the recording, the failures file and the journal, refusing any that is also the input.
    private func openFiles(opened: Connection, redaction: SecretRedaction) throws -> RunFiles {
        try Self.refuseInputAsOutput(options: options, input: input)
        var files = RunFiles()
        files.recorder = try options.record.map { try SessionRecorder(path: $0, redaction: redaction) }
        // A resume skips the lines that failed before, so their lines stay in the failures file; a new run (or
        // --resume-failed, which runs them again) starts it anew.
        files.failures = try options.failures.map { try PrivateFile(path: $0, truncate: options.journalMode != .resume, redaction: redaction) }
        let binding = ImportJournal.Binding(
            endpoint: connection.sandbox ? "sandbox" : opened.settings.endpoint.absoluteString, appID: opened.credentials.appID,
            credential: opened.credentials.scheme == .bearer ? opened.credentials.fingerprint : nil)
        files.journal = try options.journal.map {
            try ImportJournal(path: $0, mode: options.journalMode, binding: binding, redaction: redaction)
        }
        return files
    }

    /// The prompt, on a thread of its own (reading a line blocks).
    private func runPrompt(
        opened: Connection, executor: Executor, context: ReferenceContext, recorder: SessionRecorder?, environment: [String: String]
    ) async -> Int32 {
        let session = InteractiveSession(
            executor: executor,
            promptName: (connection.sandbox ? "sandbox" : opened.settings.profile ?? opened.settings.endpoint.host ?? "intercom")
                + " \(opened.settings.apiVersion)",
            redaction: SecretRedaction(credentials: opened.credentials), confirmDeletes: !options.yes,
            colored: isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty,
            output: options.output ?? .pretty, times: options.timeFormatter, context: context, recorder: recorder,
            pager: InteractiveSession.pager(environment: environment, disabled: options.noPager))
        let hint = connection.sandbox
            ? "Local sandbox with demo data (\(opened.settings.endpoint.absoluteString)). Try: find user email=somebody@example.com\n"
                + "Tab completes commands, keys and values seen; help lists the commands; Ctrl-D leaves."
            : nil
        let historyFile = InteractiveSession.historyFile(environment: environment)
        return await runOnThread { session.run(historyFile: historyFile, hint: hint) }
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

    /// Refuses a `--failures`, `--journal` or `--record` file, or standard output, that is also the run's input
    /// (standard input redirected from it, or a `run` FILE), and a file named as well as standard output: writing it
    /// would truncate or grow the input being read (`< f >> f` would read its own records back without end), or mix
    /// its entries with the records.
    static func refuseInputAsOutput(options: RunOptions, input: Input) throws(PrivateFileError) {
        let files: [String] = if case .files(let files) = input { files } else { [] }
        let readsStandardInput = if case .standardInput = input { true } else { files.contains("-") }
        var inputs = files.filter { $0 != "-" }.compactMap(FileIdentity.init(path:))
        if readsStandardInput, let identity = FileIdentity(descriptor: STDIN_FILENO) { inputs.append(identity) }
        let standardOutput = FileIdentity(descriptor: STDOUT_FILENO)
        if let standardOutput, inputs.contains(standardOutput) {
            throw PrivateFileError(message: "standard output is also the input file; write the records to another file")
        }
        let outputs = [("--failures", options.failures), ("--journal", options.journal), ("--record", options.record)]
        for case let (flag, path?) in outputs {
            guard let identity = FileIdentity(path: path) else { continue }
            if inputs.contains(identity) {
                throw PrivateFileError(message: "\(flag) \(path) is also the input; write it to another file")
            }
            if let standardOutput, standardOutput == identity {
                throw PrivateFileError(message: "\(flag) \(path) is also standard output, where the records go; write it to another file")
            }
        }
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
        if let text = renderer.takeDiagnostics() {
            // What CSV keeps out of its rows (failures, help) goes to standard error, after the rows before it.
            output.flush()
            try OutputWriter.standardError.write(text)
        }
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

    /// Flushes the output and says where it stands: its length when it is a regular file, the CSV header.
    func position() async throws -> OutputPosition {
        try output.flushed()
        let format = renderer.format
        guard format == .ndjson || format == .csv else { return OutputPosition(format: format) }
        return OutputPosition(format: format, offset: output.fileLength, columns: format == .csv ? renderer.csvColumns : nil, file: output.fileIdentity?.description)
    }

    /// Cuts the output file back to the checkpoint's length and takes up its CSV header. Only NDJSON and CSV go
    /// on (a JSON array cannot), in the format the earlier run wrote.
    func restore(_ position: OutputPosition) async throws -> String? {
        let format = renderer.format
        guard position.format == format, format == .ndjson || format == .csv else {
            let earlier = position.format?.rawValue ?? "no text"
            throw OutputPosition.RestoreError(
                format == .ndjson || format == .csv
                    ? "the earlier run wrote \(earlier), not \(format.rawValue): resume with --output \(earlier)"
                    : "a list goes on from the journal in ndjson or csv output only, and the earlier run wrote \(earlier): start a new journal, or resume as it ran")
        }
        if let file = position.file, let current = output.fileIdentity, file != current.description {
            throw OutputPosition.RestoreError(
                "the output is not the file the earlier run wrote: resume with >> into that file, or start a new journal")
        }
        if format == .csv { renderer.resumeCSV(columns: position.columns) }
        guard let offset = position.offset else {
            return "the earlier run's output was no file, so what it wrote after its last checkpoint (at most a page) came out again"
        }
        try output.cut(to: offset)
        return nil
    }

    /// Cuts NDJSON output back to `position` when it is the file the earlier run wrote, and longer (see
    /// ``RecordSink/cutOutput(to:)``).
    func cutOutput(to position: OutputPosition) async throws -> Int {
        guard renderer.format == .ndjson, position.format == .ndjson, let length = position.offset, let file = position.file,
            file == output.fileIdentity?.description
        else { return 0 }
        try output.flushed()
        guard let size = output.fileSize, size > length else { return 0 }
        try output.cut(to: length)
        return size - length
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
    func takeDiagnostics() -> String? { renderer.withLock { $0.takeDiagnostics() } }
    var format: OutputFormat { renderer.withLock { $0.format } }
    var csvColumns: [String]? { renderer.withLock { $0.csvColumns } }
    func resumeCSV(columns: [String]?) { renderer.withLock { $0.resumeCSV(columns: columns) } }
    func scrub(_ text: String) -> String { renderer.withLock { $0.scrub(text) } }
}

/// Runs blocking work (the prompt's line reads) on a thread of its own, off Swift concurrency's pool.
func runOnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
