import ArgumentParser
import Foundation
import IntercomKit
import IntercomSandbox
import IntercomShell

/// `intercom-sh`: a shell over the Intercom REST API v1, for the terminal and for scripts.
@main
struct IntercomShellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intercom-sh",
        abstract: "A shell over the Intercom REST API, for the terminal and for scripts.",
        discussion: ManualText.rootDiscussion,
        version: "\(IntercomKitVersion.current) (Intercom API: \(APIVersion.spoken.map(\.description).joined(separator: ", ")))",
        subcommands: [RunCommand.self, ExportCommand.self, ReplayCommand.self, SandboxCommand.self, ProfileCommand.self, WhoamiCommand.self, AuthCommand.self]
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var options: RunOptions

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this command (repeatable) instead of reading standard input.", valueName: "command"))
    var commands: [String] = []

    func run() async throws {
        let input: ShellSession.Input = !commands.isEmpty ? .commands(commands) : (isatty(STDIN_FILENO) == 1 ? .prompt : .standardInput)
        throw ExitCode(await ShellSession(connection: connection, options: options, input: input, errorPolicy: options.onError ?? .continue).run())
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

/// `intercom-sh run FILE…`: runs script files in order.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run script files (command language or NDJSON lines) in order; - is standard input.",
        discussion: """
            Name a result with `as NAME` (or "as":"NAME" in NDJSON) and refer to it later: ${NAME.user_id}, \
            ${NAME.messages[0].html}; ${_} is the previous result, ${env:HOME} the environment, ${NAME} a --set \
            variable. `source FILE` runs another file in place (relative to the including file). \
            Stops at the first failure unless --on-error continue.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var options: RunOptions

    @Argument(help: "Script files; - is standard input.")
    var files: [String]

    /// A file that cannot be read is a usage error, before anything runs.
    func validate() throws {
        for file in files where file != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw ValidationError("there is no script \(file): check the path (relative to \(FileManager.default.currentDirectoryPath))")
            }
            guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("\(file) is \(isDirectory.boolValue ? "a directory" : "not readable"), not a script to run")
            }
        }
    }

    func run() async throws {
        throw ExitCode(await ShellSession(connection: connection, options: options, input: .files(files), errorPolicy: options.onError ?? .stop).run())
    }
}

/// `intercom-sh export contacts|companies|conversations`: every item of a kind written out, one record (or CSV row)
/// each; the `export_…` operation run as one line.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write out every contact, company or conversation (REST API 2.x), one record or CSV row each.",
        discussion: """
            Contacts come from the contact list, or from search when --where, --since or --until is given; companies \
            through the scroll API (past 10,000), a scroll that expires started again; conversations listed or searched, \
            then each fetched with its parts, as many at once as the concurrency allows. --since and --until take a date \
            (2026-11-01, 2026-11-01T08:00:00Z) or Unix seconds and keep the items updated in [since, until). \
            Examples: intercom-sh export contacts --output csv > contacts.csv; intercom-sh export contacts --since \
            2026-11-01 --where 'role = user and email ~ example.com' --fields id,email,updated_at; intercom-sh export \
            companies --output csv --fields company_id,name,user_count.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var options: RunOptions

    @Argument(help: "What to export: contacts, companies or conversations.")
    var kind: ExportGoal.Kind

    @Option(help: ArgumentHelp("Only items updated at or after this time.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only items updated before this time.", valueName: "date"))
    var until: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Only contacts (or conversations) matching this filter, as search users (or conversations search) takes it.", valueName: "filter"))
    var filter: String?

    func validate() throws {
        if filter != nil && kind == .companies { throw ValidationError("--where filters contacts and conversations; companies take only --since and --until") }
    }

    func run() async throws {
        throw ExitCode(await ShellSession(connection: connection, options: options, input: .commands([line]), errorPolicy: .continue).run())
    }

    /// The command-language line the export runs.
    var line: String {
        var words = ["export", kind.rawValue]
        if let since { words.append("since=" + JSONValue.string(since).encodedString()) }
        if let until { words.append("until=" + JSONValue.string(until).encodedString()) }
        if let filter { words.append(filter) }
        return words.joined(separator: " ")
    }
}

/// `intercom-sh replay FILE`: runs a recording again, optionally checking each result against the recorded one.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the operations of a recording (--record FILE) again; --check compares the results.",
        discussion: """
            With --check, each new result is compared with the recorded one, ignoring what legitimately changes \
            (ids the server assigns, timestamps: \(RecordComparison.defaultIgnoredFields.sorted().joined(separator: ", "))); \
            recorded ids are mapped to the new ones so that later operations still line up. A readable diff is printed \
            on standard error for each operation that differs, and the exit status is 1 if any does.
            """)

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup(title: "Delivery options")
    var delivery: DeliveryOptions

    @Option(help: "Output format: ndjson, json or pretty.")
    var output: OutputFormat?

    @Flag(help: "Compare every result with the recorded one.")
    var check = false

    @Option(name: .customLong("ignore"), help: ArgumentHelp("Also ignore this field name or dotted path (repeatable).", valueName: "path"))
    var ignored: [String] = []

    @Argument(help: "The recording.")
    var file: String

    func run() async throws {
        throw ExitCode(
            await ReplaySession(connection: connection, delivery: delivery, output: output, check: check, ignored: ignored, file: file).run())
    }
}
