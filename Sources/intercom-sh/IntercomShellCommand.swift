public import ArgumentParser
import Foundation
import IntercomKit
import IntercomSandbox
public import IntercomShell

/// `intercom-sh`: a shell over the Intercom REST API v1, for the terminal and for scripts.
@main
struct IntercomShellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intercom-sh",
        abstract: "A shell over the Intercom REST API v1, for the terminal and for scripts.",
        discussion: """
            On a terminal, opens an interactive prompt (line editing, history, Tab completion).
            Otherwise reads commands from standard input, one per line, and writes one result record per operation.
            A line starting with { is an NDJSON operation ({"op":"get_tag","name":"Free Trial"}); any other line is
            the command language (find user email=…, tag "Free Trial" abc123, event sent-invite user_id=314159).
            Type `help` (or run -c help) for the commands.

            Credentials come from, in order: --app-id/--api-key, INTERCOM_APP_ID/INTERCOM_API_KEY, a profile in
            $XDG_CONFIG_HOME/intercom-sh/config.toml (--profile, INTERCOM_PROFILE). --sandbox needs none.

            Exit status: 0 every operation succeeded; 1 at least one failed; 2 usage error;
            3 configuration or authentication (no credentials, 401); 130 interrupted.
            """,
        version: IntercomKitVersion.current,
        subcommands: [SandboxCommand.self]
    )

    @Flag(help: "Start the local sandbox (demo data) in-process and send everything there; no credentials needed.")
    var sandbox = false

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this command (repeatable) instead of reading standard input.", valueName: "command"))
    var commands: [String] = []

    @Option(name: .customLong("op"), help: ArgumentHelp("The operation for NDJSON lines that have no \"op\" (e.g. create_user).", valueName: "name"))
    var defaultOperation: OperationName?

    @Option(help: "Output format: ndjson, json or pretty (default: pretty on a terminal, ndjson otherwise).")
    var output: OutputFormat?

    @Option(name: .customLong("on-error"), help: "After a failed operation: continue or stop.")
    var onError: ErrorPolicy = .continue

    @Option(name: .customLong("max-line-bytes"), help: "The longest input line accepted, in bytes.")
    var maximumLineBytes = 1 << 20

    @Option(help: "The API root (default https://api.intercom.io/v1/; env INTERCOM_ENDPOINT).")
    var endpoint: String?

    @Option(name: .customLong("app-id"), help: "The app id (env INTERCOM_APP_ID).")
    var appID: String?

    @Option(name: .customLong("api-key"), help: "The api key (env INTERCOM_API_KEY; prefer the environment or the config file).")
    var apiKey: String?

    @Option(help: "Seconds a request may take (default 10; decimals allowed).")
    var timeout: Double?

    @Option(help: "The profile of the config file to use (env INTERCOM_PROFILE).")
    var profile: String?

    @Flag(help: "At the prompt, delete users without asking for confirmation.")
    var yes = false

    func validate() throws {
        guard maximumLineBytes >= 16 else { throw ValidationError("--max-line-bytes must be at least 16") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be above 0") }
    }

    func run() async throws {
        let status = await ShellSession(options: self).run()
        throw ExitCode(status)
    }

    /// Parses the command line and runs it; a usage error exits with status 2.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                try? OutputWriter.standardError.write(fullMessage(for: error) + "\n")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

extension OperationName: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension ErrorPolicy: ExpressibleByArgument {}
