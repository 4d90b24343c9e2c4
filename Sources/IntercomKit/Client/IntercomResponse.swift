public import NIOHTTP1
public import NIOCore

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
    /// The body as it came, when the caller asked for it unparsed (``IntercomClient/send(_:deferringBody:)``);
    /// ``body`` is then nil until ``IntercomClient/parsingBody(of:)``.
    public var unparsedBody: ByteBuffer?
    /// The text of each item of the body's list, when the body was parsed keeping it
    /// (``IntercomClient/parsingBody(of:keepingTextOfItemsIn:)``): the item's bytes where they are the text
    /// ``JSONValue/write(to:)`` writes for it, else nil. Empty otherwise.
    public var itemTexts: [[UInt8]?] = []

    /// Creates a response.
    public init(status: Int, body: JSONValue?, rateLimit: RateLimit?, headers: HTTPHeaders) {
        self.status = status
        self.body = body
        self.rateLimit = rateLimit
        self.headers = headers
    }

    /// `read` of the bytes of ``unparsedBody``; nil when there is none.
    public func withUnparsedBody<Result>(_ read: (UnsafeRawBufferPointer) -> Result) -> Result? {
        unparsedBody?.withUnsafeReadableBytes(read)
    }
}
