/// Every way an Intercom API call can fail once it has been sent (or tried to be sent).
///
/// Switch on ``kind``; ``status`` and ``responseBody`` keep what the server answered. Unlike python-intercom
/// 0.2.13, a 4xx answer is always an error, never returned as if it were data.
public struct IntercomError: Error, Sendable, Hashable {
    /// What went wrong, in the categories a caller acts on.
    public enum Kind: String, Sendable, CaseIterable {
        /// 401: the app id or api key was not accepted.
        case authentication
        /// 404: the user, tag or thread does not exist.
        case notFound = "not_found"
        /// 500 and any 5xx not listed separately.
        case serverError = "server_error"
        /// 502.
        case badGateway = "bad_gateway"
        /// 503.
        case serviceUnavailable = "service_unavailable"
        /// 429: too many requests; see ``IntercomError/retryAfter`` and ``IntercomError/rateLimit``.
        case rateLimited = "rate_limited"
        /// 400, 402, 403, 422 and other 4xx: the API's own error type and message explain. (On the REST API 2.x,
        /// 403, 409, 410 and 422 have kinds of their own.)
        case clientError = "client_error"
        /// 403 on the REST API (2.x): the token may not do this (a plan restriction, a missing scope).
        case forbidden
        /// 409 on the REST API (2.x): a contact with these details exists (when not resolved as an upsert).
        case conflict
        /// 410 on the REST API (2.x): the contact was merged into another.
        case gone
        /// 422 on the REST API (2.x): the request is well-formed but cannot be carried out.
        case unprocessable
        /// No complete answer within the configured timeout.
        case timeout
        /// The connection could not be made or was lost.
        case connection
        /// The server answered with a body that is not the JSON expected.
        case invalidResponse = "invalid_response"
    }

    /// What went wrong.
    public let kind: Kind
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// The API's own error type (`error.type` in the body), when the server sent one.
    public let apiErrorType: String?
    /// A human-readable description: the server's `error.message` when it sent one.
    public let message: String
    /// The server's answer body as text, when there was one (cut at 64 KiB).
    public let responseBody: String?
    /// The rate-limit headers of the answer, when present.
    public let rateLimit: RateLimit?
    /// Seconds the server asked to wait before retrying (`Retry-After`), when present.
    public let retryAfter: Double?
    /// Whether the server may have carried out the request before the failure.
    ///
    /// `false` only when it provably did not: the connection was refused, or the server answered 429, 401 or 503
    /// (which refuse a request before processing it). Retrying a non-idempotent call is safe only when this is `false`.
    public let mayHaveBeenProcessed: Bool

    /// Creates an error; callers normally receive these rather than make them.
    public init(
        kind: Kind,
        status: Int? = nil,
        apiErrorType: String? = nil,
        message: String,
        responseBody: String? = nil,
        rateLimit: RateLimit? = nil,
        retryAfter: Double? = nil,
        mayHaveBeenProcessed: Bool = true
    ) {
        self.kind = kind
        self.status = status
        self.apiErrorType = apiErrorType
        self.message = message
        self.responseBody = responseBody
        self.rateLimit = rateLimit
        self.retryAfter = retryAfter
        self.mayHaveBeenProcessed = mayHaveBeenProcessed
    }

    /// Whether an answer with this status proves the request was refused before it was carried out: 401, 429 and
    /// 503, and on the REST API also 403, 409, 410 and 422.
    static func refusedUnprocessed(_ status: Int, rest: Bool) -> Bool {
        [401, 429, 503].contains(status) || (rest && [403, 409, 410, 422].contains(status))
    }

    /// The error with every form of the secret in `redaction` removed from its message and body.
    public func redacted(by redaction: SecretRedaction) -> IntercomError {
        IntercomError(
            kind: kind, status: status, apiErrorType: apiErrorType, message: redaction.redacted(message),
            responseBody: responseBody.map(redaction.redacted), rateLimit: rateLimit, retryAfter: retryAfter,
            mayHaveBeenProcessed: mayHaveBeenProcessed)
    }

    static func invalidResponse(_ message: String, status: Int? = nil, body: String? = nil) -> IntercomError {
        IntercomError(kind: .invalidResponse, status: status, message: message, responseBody: body)
    }
}

extension IntercomError: CustomStringConvertible {
    /// One line: kind, status and message, e.g. `not_found (404): The User was not found`.
    public var description: String {
        var text = kind.rawValue
        if let status { text += " (\(status))" }
        if let apiErrorType, apiErrorType != kind.rawValue { text += " [\(apiErrorType)]" }
        return text + ": " + message
    }
}

extension IntercomError.Kind {
    /// The error kind an HTTP status stands for on the REST API (2.x), or `nil` for a success status: v1's, with
    /// 403, 409, 410 and 422 kinds of their own.
    public init?(restStatus status: Int) {
        switch status {
        case 403: self = .forbidden
        case 409: self = .conflict
        case 410: self = .gone
        case 422: self = .unprocessable
        default: self.init(status: status)
        }
    }

    /// The error kind an HTTP status stands for (v1), or `nil` for a success status.
    public init?(status: Int) {
        switch status {
        case 200..<300: return nil
        case 401: self = .authentication
        case 404: self = .notFound
        case 429: self = .rateLimited
        case 502: self = .badGateway
        case 503: self = .serviceUnavailable
        case 500..<600: self = .serverError
        case 400..<500: self = .clientError
        default: self = .invalidResponse
        }
    }
}
