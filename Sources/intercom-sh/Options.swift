public import ArgumentParser
import Foundation
import IntercomKit
import IntercomSandbox
public import IntercomShell

/// Where requests go: the options every mode shares.
struct ConnectionOptions: ParsableArguments {
    @Flag(help: "Start the local sandbox (demo data) in-process and send everything there; no credentials needed.")
    var sandbox = false

    @Option(help: "The API root (default https://api.intercom.io/v1/ for v1, the region's host for 2.x; env INTERCOM_ENDPOINT).")
    var endpoint: String?

    @Option(name: .customLong("app-id"), help: "The app id (env INTERCOM_APP_ID).")
    var appID: String?

    @Option(name: .customLong("api-key"), help: "The api key (env INTERCOM_API_KEY; prefer the environment or the config file).")
    var apiKey: String?

    @Option(name: .customLong("api-version"), help: ArgumentHelp(
        "v1, or a REST API 2.x version such as 2.16 (env INTERCOM_API_VERSION; default v1 with an app id, 2.16 with only "
            + "an access token).", valueName: "version"))
    var apiVersion: String?

    @Option(name: .customLong("access-token"), help: "The REST API 2.x access token (env INTERCOM_ACCESS_TOKEN; prefer the environment or a profile).")
    var accessToken: String?

    @Option(help: "The REST API's region: us, eu or au (env INTERCOM_REGION; --endpoint overrides it).")
    var region: Region?

    @Option(help: "Seconds a request may take (default 10; decimals allowed).")
    var timeout: Double?

    @Option(help: "The profile of the config file to use (env INTERCOM_PROFILE).", completion: profileNameCompletion)
    var profile: String?

    @Flag(name: .customLong("insecure-http"), help: "Allow an http:// endpoint on another host than this one (the api key then crosses the network unencrypted).")
    var insecureHTTP = false

    /// The flags as the configuration resolver takes them.
    var flags: ConnectionFlags {
        ConnectionFlags(
            endpoint: endpoint, appID: appID, apiKey: apiKey, accessToken: accessToken, apiVersion: apiVersion, region: region?.rawValue,
            timeout: timeout, profile: profile, insecureHTTP: insecureHTTP)
    }

    @Flag(name: .shortAndLong, help: "Log every request on standard error: method, path, status, time and headers (Authorization redacted).")
    var verbose = false

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be above 0") }
        if let apiVersion, APIVersion(parsing: apiVersion) == nil {
            throw ValidationError("--api-version takes v1, 2.N (such as 2.16) or Preview, not '\(apiVersion)'")
        }
    }
}

/// How lines are run and records written: shared by the pipe, `run` and `replay`.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("op"), help: ArgumentHelp("The operation for NDJSON lines that have no \"op\" (e.g. create_user).", valueName: "name"))
    var defaultOperation: OperationName?

    @Option(help: "Output format: ndjson, json, pretty, table or csv (default: pretty on a terminal, ndjson otherwise).")
    var output: OutputFormat?

    @Option(help: ArgumentHelp(
        "The columns of --output csv, comma-separated, nested ones dotted (id,email,location.city); without it, the fields of "
            + "the first items, then _more.", valueName: "a,b.c"))
    var fields: String?

    @Option(help: ArgumentHelp(
        "How pretty and table output show times: local (ISO 8601 in the local time zone, TZ), utc or epoch (Unix seconds, as "
            + "sent). NDJSON and JSON output always keep the server's numbers.", valueName: "local|utc|epoch"))
    var time: TimeDisplay = .local

    @Option(name: .customLong("on-error"), help: "After a failed operation: continue or stop (default: continue; stop for run).")
    var onError: ErrorPolicy?

    @Option(name: .customLong("max-line-bytes"), help: "The longest input line accepted, in bytes.")
    var maximumLineBytes = 1 << 20

    @Flag(help: "Print each command before its result (on standard error with ndjson output).")
    var echo = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Define a variable for ${NAME} references (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Append every operation, its result and its time to FILE as NDJSON (created 0600).", valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("Write every failed input line verbatim to FILE (created 0600), ready to submit again (an event that may have gone out: with the created it was sent with).", valueName: "file"))
    var failures: String?

    @Flag(name: .customLong("trust-input"), help: ArgumentHelp(
        "Let lines on standard input read the environment (${env:NAME}) and run files with source, as -c commands and "
            + "script files may. Without it they cannot: input from someone else could copy your environment (the api "
            + "key) into the workspace or read your files."))
    var trustInput = false

    @Flag(name: .customLong("dry-run"), help: "Parse and check every line (parameters, custom_data, references) and send nothing.")
    var dryRun = false

    @Flag(help: "Do not print the closing summary line on standard error.")
    var quiet = false

    @Flag(help: "Also write the summary as a last record: {\"summary\":{…}}.")
    var summary = false

    @Flag(help: "At the prompt, delete users without asking for confirmation.")
    var yes = false

    @Option(help: ArgumentHelp(
        "Operations in flight at once, fixed (default: adapting to the server, see --max-concurrency; 1 with --echo or "
            + "--on-error stop). Records still come out in input order; operations on the same user, tag or thread keep "
            + "their order; user lists and lines with ${…} references wait for everything before them.", valueName: "n"))
    var concurrency: Int?

    @Option(name: .customLong("max-concurrency"), help: ArgumentHelp(
        "Without --concurrency, operations in flight adapt to the answers: as many as fill the rate limit at the latency "
            + "seen, fewer on 429, 503, timeouts or a growing latency; never more than N.", valueName: "n"))
    var maximumConcurrency = 128

    @Flag(help: "Write records as operations finish instead of in input order.")
    var unordered = false

    @OptionGroup(title: "Delivery options")
    var delivery: DeliveryOptions

    @Option(help: ArgumentHelp(
        "Record each line's outcome in FILE as it completes (created 0600), so that an interrupted import can resume.",
        valueName: "file"))
    var journal: String?

    @Flag(help: "With --journal: skip the lines the journal has an outcome for; report unfinished non-idempotent ones as unknown_outcome; send unfinished events again with their created.")
    var resume = false

    @Flag(name: .customLong("resume-failed"), help: "Like --resume, and run the lines that failed again (never an unknown_outcome).")
    var resumeFailed = false

    @Flag(help: "Show progress on standard error even when it is not a terminal.")
    var progress = false

    @Flag(name: .customLong("no-progress"), help: "Show no progress, even on a terminal.")
    var noProgress = false

    @Flag(name: .customLong("no-pager"), help: "Never send long output through the pager ($PAGER, or less -FRX), at the prompt or for -c on a terminal.")
    var noPager = false

    func validate() throws {
        if let concurrency, !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be from 1 to 256") }
        guard (1...256).contains(maximumConcurrency) else { throw ValidationError("--max-concurrency must be from 1 to 256") }
        if (resume || resumeFailed) && journal == nil { throw ValidationError("--resume needs --journal FILE") }
        if journal != nil && dryRun { throw ValidationError("--dry-run sends nothing, so it keeps no --journal") }
        guard maximumLineBytes >= 16 else { throw ValidationError("--max-line-bytes must be at least 16") }
        for variable in variables where !variable.contains("=") || variable.hasPrefix("=") {
            throw ValidationError("--set takes NAME=VALUE, not '\(variable)'")
        }
    }

    /// The executor's delivery settings: retries, pacing and how many operations may be in flight.
    func deliveryExecutor(client: IntercomClient, concurrency: ConcurrencyControl) -> Executor {
        var executor = delivery.executor(client: client)
        executor.dryRun = dryRun
        executor.concurrency = concurrency
        return executor
    }

    /// Operations in flight at once: as given; one at a time with --echo or --on-error stop, where a transcript or
    /// the first failure must come in order; otherwise adapting, from 8 up to --max-concurrency.
    func concurrencyControl(errorPolicy: ErrorPolicy) -> ConcurrencyControl {
        if errorPolicy == .stop { return ConcurrencyControl(fixed: 1) }
        if let concurrency { return ConcurrencyControl(fixed: concurrency) }
        if echo { return ConcurrencyControl(fixed: 1) }
        return ConcurrencyControl(adaptiveFrom: min(8, maximumConcurrency), upTo: maximumConcurrency)
    }

    /// How an existing journal is used.
    var journalMode: ImportJournal.Mode {
        resumeFailed ? .resumeFailed : resume ? .resume : .fresh
    }

    /// How pretty and table output show times.
    var timeFormatter: TimeFormatter { TimeFormatter(display: time) }

    /// The `--fields` names, blanks around them dropped; nil without the option.
    var fieldList: [String]? {
        fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// The `--set` variables.
    var variableValues: [String: String] {
        Dictionary(variables.map { variable in
            let parts = variable.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }, uniquingKeysWith: { _, last in last })
    }
}

extension OperationName: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

extension ExportGoal.Kind: ExpressibleByArgument {}
extension TimeDisplay: ExpressibleByArgument {}
extension ErrorPolicy: ExpressibleByArgument {}
extension Region: ExpressibleByArgument {}

/// How requests are delivered: retries, pacing and attribute definition, shared by the pipe, `run` and `replay`.
struct DeliveryOptions: ParsableArguments {
    @Option(help: "Retries of a failed request (429, 502, 503, 504, timeouts, connection failures), with backoff.")
    var retries = 3

    @Option(help: ArgumentHelp("Space requests to at most N per window, e.g. 167/10s (without it, pacing follows X-RateLimit headers).", valueName: "N/Ts"))
    var rate: String?

    @Flag(name: .customLong("create-attributes"), help: ArgumentHelp(
        "On the REST API 2.x, define the custom attributes a create or update sets that the workspace lacks (type from "
            + "the value) before sending it, instead of the line being refused."))
    var createAttributes = false

    func validate() throws {
        guard (0...20).contains(retries) else { throw ValidationError("--retries must be from 0 to 20") }
        if let rate, RateLimitRule(parsing: rate) == nil { throw ValidationError("--rate takes N/Ts, e.g. 167/10s, not '\(rate)'") }
    }

    /// An executor over `client` that retries, paces and defines attributes as these options say.
    func executor(client: IntercomClient) -> Executor {
        let rule = rate.flatMap(RateLimitRule.init(parsing:))
        var executor = Executor(
            client: client, retryPolicy: RetryPolicy(maximumRetries: retries),
            pacing: RequestPacing(limit: rule?.limit, window: .seconds(rule?.windowSeconds ?? 1)))
        executor.createAttributes = createAttributes
        return executor
    }
}
