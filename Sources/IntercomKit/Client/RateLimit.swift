import Foundation
public import NIOHTTP1

/// The `X-RateLimit-*` headers of one answer.
public struct RateLimit: Sendable, Hashable {
    /// Requests allowed per window (`X-RateLimit-Limit`).
    public var limit: Int?
    /// Requests left in the current window (`X-RateLimit-Remaining`).
    public var remaining: Int?
    /// When the window resets, in Unix seconds (`X-RateLimit-Reset`).
    public var reset: Int64?

    /// Creates a rate-limit reading.
    public init(limit: Int? = nil, remaining: Int? = nil, reset: Int64? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }

    /// Reads the headers; `nil` when none of the three is present.
    public init?(headers: HTTPHeaders) {
        func value(_ name: String) -> String? { headers.first(name: name)?.trimmingCharacters(in: .whitespaces) }
        let limit = value("X-RateLimit-Limit").flatMap { Int($0) }
        let remaining = value("X-RateLimit-Remaining").flatMap { Int($0) }
        let reset = value("X-RateLimit-Reset").flatMap { Int64($0) ?? Double($0).flatMap { Int64(exactly: $0.rounded(.down)) } }
        guard limit != nil || remaining != nil || reset != nil else { return nil }
        self.init(limit: limit, remaining: remaining, reset: reset)
    }
}
