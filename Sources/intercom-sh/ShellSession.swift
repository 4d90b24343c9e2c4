import Dispatch
import Foundation
import IntercomKit
import IntercomSandbox
import IntercomShell

/// Runs intercom-sh against the configured endpoint: the prompt when standard input is a terminal, otherwise
/// the non-interactive mode (lines from `-c` or standard input, records to standard output).
struct ShellSession {
    let options: IntercomShellCommand

    /// Runs everything and returns the exit status.
    func run() async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        var embeddedSandbox: SandboxServer?
        let settings: ConnectionSettings
        let credentials: Credentials
        do {
            if options.sandbox {
                let server = try await SandboxServer.start(SandboxConfiguration(seed: .demo))
                embeddedSandbox = server
                credentials = server.configuration.credentials
                settings = ConnectionSettings(
                    endpoint: server.endpoint, appID: credentials.appID, apiKey: credentials.apiKey,
                    timeout: options.timeout.map { .milliseconds(Int64($0 * 1000)) } ?? .seconds(10), profile: "sandbox")
            } else {
                settings = try ConnectionSettings.resolve(
                    flags: ConnectionFlags(endpoint: options.endpoint, appID: options.appID, apiKey: options.apiKey, timeout: options.timeout, profile: options.profile),
                    environment: environment)
                credentials = try settings.credentials()
            }
        } catch let error as ConfigurationError {
            try? OutputWriter.standardError.write("intercom-sh: \(error.message)\n")
            return 3
        } catch {
            try? OutputWriter.standardError.write("intercom-sh: cannot start the sandbox: \(error)\n")
            return 3
        }
        for warning in settings.warnings { try? OutputWriter.standardError.write("intercom-sh: warning: \(warning)\n") }

        let client = IntercomClient(
            configuration: IntercomConfiguration(endpoint: settings.endpoint, credentials: credentials, timeout: settings.timeout))
        if options.commands.isEmpty && isatty(STDIN_FILENO) == 1 {
            let session = InteractiveSession(
                executor: Executor(client: client),
                promptName: options.sandbox ? "sandbox" : settings.profile ?? settings.endpoint.host ?? "intercom",
                secret: credentials.apiKey.revealed, confirmDeletes: !options.yes,
                colored: isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty)
            let hint = options.sandbox
                ? "Local sandbox with demo data (\(settings.endpoint.absoluteString)). Try: find user email=somebody@example.com\n"
                    + "Tab completes commands, keys and values seen; help lists the commands; Ctrl-D leaves."
                : nil
            let historyFile = InteractiveSession.historyFile(environment: environment)
            let status = await runOnThread { session.run(historyFile: historyFile, hint: hint) }
            await embeddedSandbox?.stop()
            return status
        }
        let runner = PipelineRunner(
            interpreter: LineInterpreter(defaultOperation: options.defaultOperation),
            executor: Executor(client: client), errorPolicy: options.onError)
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        let format = options.output ?? (stdoutIsTerminal ? .pretty : .ndjson)
        let colored = format == .pretty && stdoutIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty
        let renderer = RendererBox(RecordRenderer(format: format, colored: colored, secret: credentials.apiKey.revealed))

        let interrupted = InterruptFlag()
        let work = Task { () -> PipelineSummary in
            do { try OutputWriter.standardOutput.write(renderer.header()) } catch { return PipelineSummary() }
            let emit: (ResultRecord) async throws -> Void = { record in
                try OutputWriter.standardOutput.write(renderer.render(record))
            }
            if options.commands.isEmpty {
                let lines = FileDescriptorLines(descriptor: STDIN_FILENO, maximumLineBytes: options.maximumLineBytes)
                return await runner.run(lines, emit: emit)
            }
            let lines = options.commands.enumerated().map { InputLine(number: $0.offset + 1, content: .success($0.element)) }
            return await runner.run(AsyncLineList(lines: lines), emit: emit)
        }
        let watcher = interrupted.cancelOnSignal(work)
        let summary = await work.value
        watcher.cancel()
        try? OutputWriter.standardOutput.write(renderer.footer())
        await embeddedSandbox?.stop()

        if interrupted.isSet { return 130 }
        if summary.authenticationFailed {
            try? OutputWriter.standardError.write("intercom-sh: stopped: the app id or api key was refused (401)\n")
            return 3
        }
        return summary.failed > 0 ? 1 : 0
    }
}

/// An in-memory list of lines as an async sequence (for `-c`).
struct AsyncLineList: AsyncSequence, Sendable {
    let lines: [InputLine]

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<InputLine>
        mutating func next() async -> InputLine? { remaining.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: lines[...]) }
}

/// Shares one renderer (which counts records) between the emitting closure and the end of the run.
final class RendererBox: @unchecked Sendable {
    private var renderer: RecordRenderer
    private let lock = NSLock()

    init(_ renderer: RecordRenderer) { self.renderer = renderer }

    func header() -> String { lock.withLock { renderer.header() } }
    func render(_ record: ResultRecord) -> String { lock.withLock { renderer.render(record) } }
    func footer() -> String { lock.withLock { renderer.footer() } }
}

/// Runs blocking work (the prompt's line reads) on a thread of its own, off Swift concurrency's pool.
func runOnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
