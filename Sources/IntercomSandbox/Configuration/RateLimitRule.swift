/// A fixed-window request limit: at most `limit` requests per `window`, written `N/Ts` (`167/10s`, `500/1s`, `1000/1m`).
public struct RateLimitRule: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per window.
    public var limit: Int
    /// The window's length in seconds.
    public var windowSeconds: Int

    /// The sandbox default: 100,000 requests a second, announced in headers and practically never reached.
    public static let `default` = RateLimitRule(limit: 100_000, windowSeconds: 1)

    /// Creates a rule.
    public init(limit: Int, windowSeconds: Int) {
        self.limit = limit
        self.windowSeconds = windowSeconds
    }

    /// The largest N of `N/Ts`.
    public static let maximumLimit = 1_000_000_000
    /// The longest window, in seconds: a day.
    public static let maximumWindowSeconds = 86_400

    /// Parses `N/Ts`: N a whole number from 1 to ``maximumLimit``; T a positive whole number of seconds with an
    /// optional unit (`s`, `m` or `h`; seconds when left out), at most a day. Returns `nil` for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let limit = Int(parts[0]), (1...Self.maximumLimit).contains(limit) else { return nil }
        var window = Substring(parts[1])
        var scale = 1
        switch window.last {
        case "s": window = window.dropLast()
        case "m": scale = 60; window = window.dropLast()
        case "h": scale = 3600; window = window.dropLast()
        default: break
        }
        let count = window.isEmpty ? 1 : Int(window)
        guard let count, count > 0 else { return nil }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow, seconds <= Self.maximumWindowSeconds else { return nil }
        self.init(limit: limit, windowSeconds: seconds)
    }

    /// `N/Ts`.
    public var description: String { "\(limit)/\(windowSeconds)s" }
}
