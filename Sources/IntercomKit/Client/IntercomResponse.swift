public import NIOHTTP1

/// A successful answer: its status, JSON body and rate-limit headers.
public struct IntercomResponse: Sendable {
    /// The HTTP status (2xx).
    public var status: Int
    /// The parsed body; `nil` when the body was empty (as for events, answered 202).
    public var body: JSONValue?
    /// The `X-RateLimit-*` headers, when present.
    public var rateLimit: RateLimit?
    /// All response headers.
    public var headers: HTTPHeaders

    /// Creates a response.
    public init(status: Int, body: JSONValue?, rateLimit: RateLimit?, headers: HTTPHeaders) {
        self.status = status
        self.body = body
        self.rateLimit = rateLimit
        self.headers = headers
    }
}
