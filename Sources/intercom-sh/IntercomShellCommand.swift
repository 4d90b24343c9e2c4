import ArgumentParser
import IntercomKit

/// `intercom-sh`: a shell over the Intercom REST API v1, with a local sandbox that speaks the same API.
@main
struct IntercomShellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intercom-sh",
        abstract: "A shell over the Intercom REST API v1, for the terminal and for scripts.",
        discussion: """
            Subcommands:
              sandbox    run a local server that speaks the Intercom v1 API (no account, no network)

            Try it: intercom-sh sandbox --seed demo --port 8080
            """,
        version: IntercomKitVersion.current,
        subcommands: [SandboxCommand.self]
    )

    func run() async throws {
        print(Self.helpMessage())
    }
}
