public import IntercomKit
public import Logging

/// How a sandbox server is set up: where it listens, whom it admits, what it holds, how it misbehaves.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// The only credentials the v1 face accepts (HTTP Basic auth).
    public var credentials: Credentials
    /// The only access token the REST API (2.x) face accepts (`Authorization: Bearer`).
    public var accessToken: APIKey
    /// How long a contact created through the REST API stays out of search results, as the live API's search index
    /// lags behind (zero by default).
    public var searchDelay: Duration
    /// What the store holds at start (a database file is seeded only when it is new).
    public var seed: SandboxSeed
    /// The SQLite file the store keeps its data in; nil keeps it in memory.
    public var databasePath: String?
    /// The fixed-window request limit announced in `X-RateLimit-*` headers and enforced with 429.
    public var rateLimit: RateLimitRule
    /// Failures injected at random, for testing clients.
    public var faults: FaultPlan
    /// The largest request body accepted; larger ones get 413.
    public var maximumBodySize: Int
    /// How long the company scroll stays open unused; a `scroll_param` used later is refused with 404 (a minute, as
    /// the API documents).
    public var scrollExpiry: Duration = .seconds(60)
    /// Where the server logs; quiet by default.
    public var logger: Logger

    /// The credentials python-intercom's doctests use.
    public static let defaultCredentials = Credentials(appID: "dummy-app-id", apiKey: "dummy-api-key")

    /// The access token the REST API face accepts unless told otherwise.
    public static let defaultAccessToken: APIKey = "dummy-access-token"

    /// Creates a configuration; the defaults are a loopback server on a free port with the dummy credentials.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        credentials: Credentials = SandboxConfiguration.defaultCredentials,
        accessToken: APIKey = SandboxConfiguration.defaultAccessToken,
        searchDelay: Duration = .zero,
        seed: SandboxSeed = .empty,
        databasePath: String? = nil,
        rateLimit: RateLimitRule = .default,
        faults: FaultPlan = FaultPlan(),
        maximumBodySize: Int = 1 << 20,
        logger: Logger = Logger(label: "intercom-sh.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.host = host
        self.port = port
        self.credentials = credentials
        self.accessToken = accessToken
        self.searchDelay = searchDelay
        self.seed = seed
        self.databasePath = databasePath
        self.rateLimit = rateLimit
        self.faults = faults
        self.maximumBodySize = maximumBodySize
        self.logger = logger
    }
}

/// What a sandbox's store holds when it starts.
public enum SandboxSeed: Sendable, Hashable {
    /// Nothing.
    case empty
    /// The entities of python-intercom's documented examples: users 123 ("Somebody"), abc123 and def456,
    /// the tag "Free Trial" on abc123 and def456, and message thread 5591 of somebody@example.com.
    case demo
    /// `generated:N`: N contacts, N/10 companies (at least one) each with its contacts attached, and N/2
    /// conversations (at least one) of four parts each, the same every time (``SandboxStore`` documents the values).
    case generated(Int)

    /// The most contacts `generated:N` makes.
    public static let largestGenerated = 10_000_000

    /// `empty`, `demo` or `generated:N` (N from 1 to ``largestGenerated``); nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "empty": self = .empty
        case "demo": self = .demo
        default:
            guard text.hasPrefix("generated:"), let count = Int(text.dropFirst("generated:".count)), (1...Self.largestGenerated).contains(count) else {
                return nil
            }
            self = .generated(count)
        }
    }

    /// The seed as written on the command line.
    public var text: String {
        switch self {
        case .empty: "empty"
        case .demo: "demo"
        case .generated(let count): "generated:\(count)"
        }
    }
}
