public import ArgumentParser
import Dispatch
import Foundation
import IntercomKit
public import IntercomSandbox
import Logging

/// `intercom-sh sandbox`: serves the v1 API, from memory or from a SQLite file (`--db`), until SIGINT or SIGTERM.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local server that speaks the Intercom v1 API and the REST API 2.x.",
        discussion: """
            Prints its v1 endpoint URL (e.g. http://127.0.0.1:8080/v1/) alone on the first line of standard output \
            and its REST API (2.x) base URL (http://127.0.0.1:8080/) on the second, then serves until SIGINT or \
            SIGTERM. Both APIs share one store: a user created through v1 is a contact through 2.x. v1 clients \
            authenticate with HTTP Basic auth: --app-id and --api-key set what they must send (default dummy-app-id \
            and dummy-api-key); 2.x clients send Authorization: Bearer with the token --access-token sets (default \
            dummy-access-token). --search-delay keeps new contacts out of 2.x search results for a while, as the \
            live API's search index lags. -v/--verbose logs every request. \
            Malformed requests get a 4xx answer with a JSON error; request bodies over 1 MiB get 413. \
            GET /_sandbox/stats reports what it holds and what it has seen.

            With --db FILE the data lives in that SQLite file (created, readable by you only, if it is missing) and \
            survives a restart, even after kill -9: every change is committed before its answer leaves. --seed \
            applies only to a new file. Without --db the sandbox starts empty (or seeded) every time.

            --faults injects failures at random, per request. A comma-separated list of KIND=PROBABILITY, \
            the probability as a percentage (5%) or a fraction (0.05):
              500, 502, 503, 429   answer with that status without processing the request
              drop-before          close the connection without processing the request
              drop-after           process the request, then close the connection without answering
              latency=DUR[@P]      wait DUR (250ms, 2s) before processing, always or with probability P
            Example: --faults '503=5%,429=2%,drop-before=1%,drop-after=1%,latency=300ms@5%'
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8080

    /// `--app-id`, `--api-key` and `--verbose` are the root command's options, which ArgumentParser lets the root
    /// consume even after the subcommand's name; reading them through the shared option group is what makes
    /// `intercom-sh sandbox --api-key K` work (own options of the same names would never receive a value).
    @OptionGroup(visibility: .private) var shared: ConnectionOptions

    @Option(help: ArgumentHelp(
        "What the sandbox holds at start: empty; demo (the python-intercom documentation's examples); or generated:N (N contacts, "
            + "N/10 companies with their contacts attached, N/2 conversations of four parts: the same every time).",
        valueName: "empty|demo|generated:N"))
    var seed: SandboxSeed = .empty

    @Option(
        name: .customLong("db"), help: ArgumentHelp("Keep the data in this SQLite file (see above).", valueName: "file"),
        completion: .file())
    var databasePath: String?

    @Option(
        name: .customLong("rate-limit"), help: "Requests allowed per fixed window, N/Ts (e.g. 167/10s).",
        transform: { text in
            guard let rule = RateLimitRule(parsing: text) else { throw ValidationError("expected N/Ts, e.g. 167/10s") }
            return rule
        })
    var rateLimit: RateLimitRule = .default

    @Option(help: "Failures to inject, e.g. '503=5%,drop-after=1%,latency=300ms@5%' (see above).", transform: FaultPlan.init(parsing:))
    var faults: FaultPlan = FaultPlan()

    @Option(
        name: .customLong("search-delay"),
        help: ArgumentHelp("How long a new contact stays out of 2.x search results (e.g. 2s, 500ms).", valueName: "duration"),
        transform: { text in
            guard let delay = FaultPlan.parseDuration(text) else { throw ValidationError("expected a duration such as 2s or 500ms") }
            return delay
        })
    var searchDelay: Duration = .zero

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        var logger = Logger(label: "intercom-sh.sandbox")
        logger.logLevel = shared.verbose ? .debug : .critical
        let configuration = SandboxConfiguration(
            host: host, port: port, credentials: Credentials(
                appID: shared.appID ?? SandboxConfiguration.defaultCredentials.appID,
                apiKey: shared.apiKey.map { APIKey($0) } ?? SandboxConfiguration.defaultCredentials.apiKey),
            accessToken: shared.accessToken.map { APIKey($0) } ?? SandboxConfiguration.defaultAccessToken, searchDelay: searchDelay,
            seed: seed, databasePath: databasePath, rateLimit: rateLimit, faults: faults, logger: logger)
        // runService() handles SIGINT and SIGTERM from before the server listens: a caller may signal as soon as it
        // has read the URLs.
        let announces = shared.verbose || isatty(STDERR_FILENO) == 1
        do {
            try await SandboxServer.serve(configuration) { v1, rest in
                try? OutputWriter.standardOutput.write(v1.absoluteString + "\n" + rest.absoluteString + "\n")
                if announces { try? OutputWriter.standardError.write(credentialsHint(v1: v1, rest: rest)) }
            }
        } catch {
            throw SandboxStartFailure(message: Self.reason(error, host: host, port: port))
        }
        if shared.verbose { try? OutputWriter.standardError.write("sandbox stopped\n") }
    }
}

extension SandboxCommand {
    /// How to reach the sandbox: its two faces with the credentials each takes (those given by flag are not shown).
    func credentialsHint(v1: URL, rest: URL) -> String {
        let appID = shared.appID == nil ? SandboxConfiguration.defaultCredentials.appID : "the --app-id given"
        let apiKey = shared.apiKey == nil ? "dummy-api-key" : "the --api-key given"
        let token = shared.accessToken == nil ? "dummy-access-token" : "the --access-token given"
        return """
            intercom-sh sandbox: v1 at \(v1.absoluteString) (app id \(appID), api key \(apiKey))
            intercom-sh sandbox: REST 2.x at \(rest.absoluteString) (access token \(token), Intercom-Version 2.16)
            intercom-sh sandbox: try, in another terminal: intercom-sh --endpoint \(rest.absoluteString) --access-token \(shared.accessToken == nil ? token : "…") -c 'users all'
            intercom-sh sandbox: Ctrl-C stops it

            """
    }

    /// Why the server did not start, in words: a port in use or a host that does not resolve, with what to do.
    static func reason(_ error: any Error, host: String, port: Int) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("errno: 98") {
            return "port \(port) on \(host) is in use: pick another with --port, or --port 0 for a free one"
        }
        if text.contains("UnknownHost") || text.contains("unknownHost") {
            return "the host '\(host)' does not resolve: listen on 127.0.0.1 (the default), 0.0.0.0, or a name this machine knows"
        }
        if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
            return "\(host) is not an address of this machine: listen on 127.0.0.1 (the default) or one of its own addresses"
        }
        return text
    }
}

extension SandboxSeed: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    public var defaultValueDescription: String { text }

    public static var allValueStrings: [String] { ["empty", "demo", "generated:1000"] }
}

/// The sandbox could not start (for example, the port is taken).
struct SandboxStartFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { "intercom-sh sandbox: \(message)" }
}
