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

    /// Parses `N/Ts`: N a positive whole number; T a positive whole number of seconds with an optional unit
    /// (`s`, `m` or `h`; seconds when left out). Returns `nil` for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let limit = Int(parts[0]), limit > 0 else { return nil }
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
        self.init(limit: limit, windowSeconds: count * scale)
    }

    /// `N/Ts`.
    public var description: String { "\(limit)/\(windowSeconds)s" }
}
