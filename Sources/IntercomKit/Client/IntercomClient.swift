public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A client of the Intercom REST API "v1", with one method per python-intercom 0.2.13 `Intercom` call.
///
/// Every method checks its parameters before sending (``ParameterError``) and throws ``IntercomError`` for any
/// failed answer. ``send(_:)`` is the single place where requests go out; the typed methods are built on it.
public final class IntercomClient: Sendable {
    /// Where and how this client talks to the API.
    public let configuration: IntercomConfiguration
    private let httpClient: HTTPClient
    private let logger: Logger

    /// What the client removes from every error it throws.
    private let redaction: SecretRedaction

    /// An HTTP client that never follows a redirect, shared and never shut down: the default of ``init``.
    public static let sharedHTTPClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration())

    /// The HTTP client configuration an ``IntercomClient`` needs: redirects are never followed (a 3xx answer is a
    /// failure naming its status and `Location`, so a write is never turned into a read).
    public static func httpConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        return configuration
    }

    /// Creates a client. `httpClient` defaults to ``sharedHTTPClient``, which needs no shutdown; pass your own
    /// (configured from ``httpConfiguration()``) to size the connection pool, and shut it down yourself.
    public init(
        configuration: IntercomConfiguration,
        httpClient: HTTPClient = IntercomClient.sharedHTTPClient,
        logger: Logger = Logger(label: "intercom-sh.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.redaction = SecretRedaction(credentials: configuration.credentials)
        SecretRedaction.register(redaction)
    }

    /// The full URL of `request`, query included.
    public func url(for request: IntercomRequest) -> String {
        var url = configuration.endpoint.absoluteString + request.path
        if !request.query.isEmpty { url += "?" + request.encodedQuery }
        return url
    }

    /// Sends `request` and returns the answer, or throws ``IntercomError`` for a non-2xx status (a redirect
    /// included: it is never followed), an answer that is not JSON, a timeout or a connection failure, with the
    /// secret redacted from its message and body. A path with a segment that cannot be sent (empty, `.`, `..`)
    /// throws ``ParameterError`` and sends nothing. Cancelling the task cancels the request.
    ///
    /// With `deferringBody`, a successful answer's body is kept unparsed (``IntercomResponse/unparsedBody``) for
    /// ``parsingBody(of:)``, so that the caller can look at its text first.
    public func send(_ request: IntercomRequest, deferringBody: Bool = false) async throws -> IntercomResponse {
        if let reason = request.unsendableReason { throw ParameterError(parameter: nil, message: reason) }
        if let problem = configuration.credentials.problem {
            throw ParameterError(parameter: nil, message: "\(problem); nothing was sent")
        }
        let httpRequest = self.httpRequest(for: request)
        let started = ContinuousClock.now
        let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.timeout.nanoseconds))
        let status: Int
        let headers: HTTPHeaders
        let bytes: ByteBuffer
        // AsyncHTTPClient gets no logger of ours: only `logExchange` decides what a log may show.
        do {
            let response = try await httpClient.execute(httpRequest, deadline: deadline)
            status = Int(response.status.code)
            headers = response.headers
            bytes = try await Self.within(configuration.timeout - (ContinuousClock.now - started)) { [maximum = configuration.maximumResponseSize] in
                try await response.body.collect(upTo: maximum)
            }
        } catch {
            let failure = Self.transportError(error, timeout: configuration.timeout)
            let redacted = (failure as? IntercomError).map { $0.redacted(by: redaction) as any Error } ?? failure
            logExchange(httpRequest, outcome: "failed: \(redacted)", since: started)
            throw redacted
        }
        logExchange(httpRequest, outcome: String(status), since: started)
        return try Self.interpret(
            status: status, headers: headers, body: bytes, rest: configuration.apiVersion != nil, method: request.method, redaction: redaction,
            deferringBody: deferringBody)
    }

    /// `response` with its ``IntercomResponse/unparsedBody`` parsed into its body, or the `invalid_response` error
    /// ``send(_:deferringBody:)`` would have thrown for it; unchanged when it has no unparsed body. With
    /// `itemsKey`, the text of each item of the body's list at that member is kept too
    /// (``IntercomResponse/itemTexts``, ``JSONParser/parse(_:keepingTextOfItemsIn:)``).
    public func parsingBody(of response: IntercomResponse, keepingTextOfItemsIn itemsKey: String? = nil) throws -> IntercomResponse {
        guard let bytes = response.unparsedBody else { return response }
        var parsed = response
        parsed.unparsedBody = nil
        (parsed.body, parsed.itemTexts) = try Self.parsedBody(bytes, status: response.status, redaction: redaction, keepingTextOfItemsIn: itemsKey)
        return parsed
    }

    /// The result of `work`, which is cancelled, and `HTTPClientError.deadlineExceeded` thrown, if it has not ended
    /// within `timeout`. The deadline AsyncHTTPClient is given covers the answer's head only; this bounds its body,
    /// which a server can stall or trickle forever.
    static func within<Result: Sendable>(
        _ timeout: Duration, _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw HTTPClientError.deadlineExceeded }
            return result
        }
    }

    /// The HTTP request for `request`, with the Authorization, Intercom-Version, Accept and User-Agent headers.
    private func httpRequest(for request: IntercomRequest) -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: url(for: request))
        httpRequest.method = HTTPMethod(rawValue: request.method.rawValue)
        httpRequest.headers.add(name: "Authorization", value: configuration.credentials.authorization)
        if let version = configuration.apiVersion { httpRequest.headers.add(name: "Intercom-Version", value: version) }
        httpRequest.headers.add(name: "Accept", value: "application/json")
        httpRequest.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let body = request.body {
            httpRequest.headers.add(name: "Content-Type", value: "application/json")
            httpRequest.body = .bytes(ByteBuffer(bytes: JSONValue.object(body).encodedData()))
        }
        return httpRequest
    }

    /// Logs one exchange at debug level: `POST /v1/users -> 201 (12 ms)`, with the request's headers, the
    /// Authorization header's value replaced by `[redacted]`, and the secret redacted from the path (a line may put
    /// it there, `find user ${env:INTERCOM_API_KEY}`).
    private func logExchange(_ request: HTTPClientRequest, outcome: String, since started: ContinuousClock.Instant) {
        guard logger.logLevel <= .debug else { return }
        let target = URLComponents(string: request.url).map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?" + $0 } ?? "") } ?? ""
        let path = redaction.redacted(target)
        logger.debug(
            "\(request.method.rawValue) \(path) -> \(outcome) (\((ContinuousClock.now - started).millisecondsText))",
            metadata: ["request-headers": .string(Self.redacted(request.headers))])
    }

    /// The headers as `name: value; …`, with the value of Authorization replaced by `[redacted]`.
    static func redacted(_ headers: HTTPHeaders) -> String {
        headers.map { name, value in
            "\(name): \(name.lowercased() == "authorization" ? "[redacted]" : value)"
        }.joined(separator: "; ")
    }

    /// The answer as an ``IntercomResponse``, or the ``IntercomError`` it stands for (``failure(status:headers:body:rest:method:redaction:)``).
    /// With `deferringBody`, the body is kept unparsed.
    static func interpret(
        status: Int, headers: HTTPHeaders, body bytes: ByteBuffer, rest: Bool = false, method: IntercomRequest.Method = .get,
        redaction: SecretRedaction = .none, deferringBody: Bool = false
    ) throws -> IntercomResponse {
        if let failure = failure(status: status, headers: headers, body: bytes, rest: rest, method: method, redaction: redaction) { throw failure }
        guard deferringBody else {
            return IntercomResponse(
                status: status, body: try parsedBody(bytes, status: status, redaction: redaction).body, rateLimit: RateLimit(headers: headers), headers: headers)
        }
        var response = IntercomResponse(status: status, body: nil, rateLimit: RateLimit(headers: headers), headers: headers)
        response.unparsedBody = bytes
        return response
    }

    /// The ``IntercomError`` an answer stands for; nil for a success. `rest` reads errors as the REST API (2.x) writes
    /// them (`error.list`), with its own kinds for 403, 409, 410 and 422. A 3xx is an `invalid_response` naming the
    /// status and `Location`. Text kept from the answer is redacted, then cut.
    static func failure(
        status: Int, headers: HTTPHeaders, body bytes: ByteBuffer, rest: Bool, method: IntercomRequest.Method, redaction: SecretRedaction
    ) -> IntercomError? {
        let kind = rest ? IntercomError.Kind(restStatus: status) : IntercomError.Kind(status: status)
        guard (300..<400).contains(status) || kind != nil else { return nil }
        let rateLimit = RateLimit(headers: headers)
        let text = String(buffer: bytes)
        let isBlank = text.allSatisfy(\.isWhitespace)
        if (300..<400).contains(status) {
            let location = redaction.redacted(headers.first(name: "Location") ?? "no Location")
            return IntercomError(
                kind: .invalidResponse, status: status,
                message: "the server answered \(status), a redirect to \(SecretRedaction.cut(location, to: 200)), which is not followed",
                responseBody: isBlank ? nil : String(redaction.redacted(text).prefix(64 << 10)), rateLimit: rateLimit,
                mayHaveBeenProcessed: method != .get)
        }
        if let kind {
            let parsed = isBlank ? nil : try? JSONValue(parsing: text)
            let apiError = rest ? Self.firstRestError(parsed) : parsed?["error"]
            let canonical = rest && status == 410 ? headers.first(name: "Link").map { " (canonical: \($0))" } ?? "" : ""
            let retryAfter = headers.first(name: "Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                .flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            return IntercomError(
                kind: kind,
                status: status,
                apiErrorType: apiError?["type"]?.stringValue,
                message: redaction.redacted((apiError?["message"]?.stringValue ?? Self.defaultMessage(kind, status, rest: rest)) + canonical),
                responseBody: isBlank ? nil : String(redaction.redacted(text).prefix(64 << 10)),
                rateLimit: rateLimit,
                retryAfter: retryAfter,
                mayHaveBeenProcessed: !IntercomError.refusedUnprocessed(status, rest: rest))
        }
        return nil
    }

    /// The JSON of a successful answer's body: nil when it is blank, read from its bytes (as text, invalid UTF-8
    /// replaced, when they are not valid UTF-8), or an `invalid_response` error saying why (the parser's words and
    /// byte offset) and quoting it, redacted; with the text of
    /// the items of its list at `itemsKey` (``JSONParser/parse(_:keepingTextOfItemsIn:)``), when read from its bytes.
    static func parsedBody(
        _ bytes: ByteBuffer, status: Int, redaction: SecretRedaction, keepingTextOfItemsIn itemsKey: String? = nil
    ) throws -> (body: JSONValue?, itemTexts: [[UInt8]?]) {
        let firstSignificant = bytes.readableBytesView.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard let firstSignificant else { return (nil, []) }
        if firstSignificant < 0x80, let kept = try? JSONParser.parse(bytes.readableBytesView, keepingTextOfItemsIn: itemsKey) {
            return (kept.value, kept.items)
        }
        let text = String(buffer: bytes)
        if text.allSatisfy(\.isWhitespace) { return (nil, []) }
        do {
            return (try JSONValue(parsing: text), [])
        } catch {
            let redacted = redaction.redacted(text)
            let reason = SecretRedaction.cut(redaction.redacted(String(describing: error)), to: 120)
            throw IntercomError.invalidResponse(
                "the server answered \(status) with a body that is not JSON (\(reason)): \(SecretRedaction.cut(redacted, to: 80))",
                status: status, body: String(redacted.prefix(64 << 10)))
        }
    }

    /// The first error of an `error.list` body, as `{"type": code, "message": message}`.
    static func firstRestError(_ body: JSONValue?) -> JSONValue? {
        guard let first = body?["errors"]?.arrayValue?.first else { return nil }
        return .object(["type": first["code"] ?? .null, "message": first["message"] ?? .null])
    }

    private static func defaultMessage(_ kind: IntercomError.Kind, _ status: Int, rest: Bool) -> String {
        switch kind {
        case .authentication: return rest ? "The access token was not accepted" : "Invalid app id or api key"
        case .notFound: return "Not found"
        case .rateLimited: return "Rate limit exceeded"
        case .badGateway: return "Bad gateway"
        case .serviceUnavailable: return "Service unavailable"
        case .serverError: return "Server error"
        case .clientError: return "The request was refused"
        case .forbidden: return "Forbidden"
        case .conflict: return "Conflict"
        case .gone: return "Gone"
        case .unprocessable: return "Unprocessable"
        default: return "Unexpected HTTP status \(status)"
        }
    }

    static func transportError(_ error: any Error, timeout: Duration) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? IntercomError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return IntercomError(kind: .timeout, message: "no answer within \(timeout.secondsDescription)")
            case .connectTimeout:
                return IntercomError(kind: .connection, message: "could not connect: connect timed out", mayHaveBeenProcessed: false)
            case .cancelled:
                return CancellationError()
            case .remoteConnectionClosed:
                return IntercomError(kind: .connection, message: "the server closed the connection before answering")
            default:
                return IntercomError(kind: .connection, message: "HTTP failure: \(error)")
            }
        }
        if let error = error as? IOError {
            let refused = error.errnoCode == ECONNREFUSED
            return IntercomError(
                kind: .connection,
                message: refused ? "could not connect: connection refused" : "connection failure: \(error)",
                mayHaveBeenProcessed: !refused)
        }
        if error is NIOTooManyBytesError {
            return IntercomError(kind: .invalidResponse, message: "the answer is larger than the accepted maximum")
        }
        if let error = error as? NIOSSLError {
            return IntercomError(
                kind: .connection, message: "TLS handshake failed (the server's certificate is not trusted for this host): \(error)",
                mayHaveBeenProcessed: false)
        }
        if let error = error as? NIOConnectionError {
            // No connection was made (the name did not resolve, or every address refused): nothing was sent.
            return IntercomError(kind: .connection, message: "could not connect: \(error)", mayHaveBeenProcessed: false)
        }
        if error is ChannelError {
            return IntercomError(kind: .connection, message: "could not connect: \(error)", mayHaveBeenProcessed: false)
        }
        return IntercomError(kind: .connection, message: "connection failure: \(error)")
    }
}
