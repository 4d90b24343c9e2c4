import Foundation
public import Hummingbird
import HTTPTypes
import IntercomKit
import Logging
import NIOCore

/// Answers every request of the sandbox: v1 requests (`/v1/…`) through authentication, rate limiting, fault
/// injection and the v1 routes; every other one through the REST API (2.x) router, which shares the store and the
/// rate limit.
public struct SandboxResponder: HTTPResponder {
    /// Each request gets a ``SandboxContext``.
    public typealias Context = SandboxContext

    let store: SandboxStore
    let configuration: SandboxConfiguration
    let rateLimiter: FixedWindowRateLimiter
    let counters: SandboxCounters
    private let expectedAuthorization: String
    private let rest: RouterResponder<SandboxContext>

    init(store: SandboxStore, configuration: SandboxConfiguration, counters: SandboxCounters) {
        self.store = store
        self.configuration = configuration
        self.rateLimiter = FixedWindowRateLimiter(rule: configuration.rateLimit)
        self.counters = counters
        let credentials = configuration.credentials
        self.expectedAuthorization = "Basic " + Data("\(credentials.appID):\(credentials.apiKey.revealed)".utf8).base64EncodedString()
        self.rest = RestRouter.build(store: store, configuration: configuration, limiter: rateLimiter, counters: counters).buildResponder()
    }

    /// Answers one request, and logs it at debug level (`POST /v1/users -> 201 (3 ms)`; never its headers).
    public func respond(to request: Request, context: SandboxContext) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await isV1(request) ? answer(request, context: context) : restAnswer(request, context: context)
        let logger = configuration.logger
        if logger.logLevel <= .debug {
            let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
            logger.debug("\(request.method.rawValue) \(request.uri) -> \(response.status.code) (\(String(format: "%.1f", milliseconds)) ms)")
        }
        return response
    }

    /// Whether a request is for the v1 face: under `/v1/` (or the sandbox's own `/_sandbox/`), whatever its
    /// credentials.
    private func isV1(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/v1/") || path.hasPrefix("/_sandbox/") || path == "/v1"
    }

    /// A REST API (2.x) request, counted with the others.
    private func restAnswer(_ request: Request, context: SandboxContext) async throws -> Response {
        counters.count { $0.requests += 1 }
        return try await rest.respond(to: request, context: context)
    }

    private func answer(_ request: Request, context: SandboxContext) async throws -> Response {
        var path = request.uri.path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let isControl = path.hasPrefix("/_sandbox/")
        counters.count { $0.requests += 1 }

        var generator = SystemRandomNumberGenerator()
        if !isControl, let delay = configuration.faults.drawLatency(using: &generator) {
            counters.count { $0.faults["latency", default: 0] += 1 }
            try? await Task.sleep(for: delay)
        }
        let authorized = request.headers[.authorization] == expectedAuthorization
        if isControl && authorized {
            do { return try control(path) } catch { return Self.json(error.body, status: error.status) }
        }

        let decision = authorized ? rateLimiter.admit() : rateLimiter.peek()
        var rateHeaders = HTTPFields()
        rateHeaders[HTTPField.Name("X-RateLimit-Limit")!] = String(decision.limit)
        rateHeaders[HTTPField.Name("X-RateLimit-Remaining")!] = String(decision.remaining)
        rateHeaders[HTTPField.Name("X-RateLimit-Reset")!] = String(decision.reset)
        guard authorized else {
            counters.count { $0.unauthorized += 1 }
            let error = SandboxError(status: 401, type: "not_authenticated", message: "Invalid app id or api key")
            return Self.json(error.body, status: 401, headers: rateHeaders)
        }
        guard decision.admitted else {
            counters.count { $0.rateLimited += 1 }
            rateHeaders[.retryAfter] = String(decision.retryAfter)
            let error = SandboxError(
                status: 429, type: "rate_limit_exceeded",
                message: "Exceeded rate limit of \(decision.limit) in \(configuration.rateLimit.windowSeconds) seconds")
            return Self.json(error.body, status: 429, headers: rateHeaders)
        }

        let failure = configuration.faults.drawFailure(countedIn: counters, using: &generator)
        switch failure {
        case .dropBefore?:
            try? await context.channel.close()
            return Response(status: .internalServerError)
        case .status429?:
            rateHeaders[.retryAfter] = "1"
            return Self.json(SandboxError(status: 429, type: "rate_limit_exceeded", message: "Injected rate limit").body, status: 429, headers: rateHeaders)
        case .status500?, .status502?, .status503?:
            let status = Int(failure!.rawValue)!
            return Self.json(SandboxError(status: status, type: "server_error", message: "Injected fault \(status)").body, status: status, headers: rateHeaders)
        case .dropAfter?, nil:
            break
        }

        var response: Response
        do {
            let parameters = try await Self.parameters(of: request, limit: configuration.maximumBodySize)
            let (status, body) = try route(request.method, path, parameters)
            response = Self.json(body, status: status, headers: rateHeaders)
        } catch {
            response = Self.json(error.body, status: error.status, headers: rateHeaders)
        }
        if failure == .dropAfter {
            try? await context.channel.close()
        }
        return response
    }

    /// The v1 API: returns the status and body of a request that passed authentication and the rate limit.
    func route(_ method: HTTPRequest.Method, _ path: String, _ parameters: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let p = parameters
        switch (method, path) {
        case (.get, "/v1/users"):
            let userID = try p.identifier("user_id")
            let email = try p.string("email")
            if userID != nil || email != nil { return (200, try store.user(userID: userID, email: email)) }
            let page = try p.integer("page") ?? 1
            let perPage = try p.integer("per_page") ?? 500
            guard page >= 1 else { throw SandboxError.badRequest("page must be 1 or more") }
            guard perPage >= 1 else { throw SandboxError.badRequest("per_page must be 1 or more") }
            guard page < Int64(Int32.max) else { throw SandboxError.badRequest("page is too large") }
            return (200, try store.listUsers(page: Int(page), perPage: Int(min(perPage, 500)), tagID: try p.string("tag_id"), tagName: try p.string("tag_name")))
        case (.post, "/v1/users"), (.put, "/v1/users"):
            let (user, created) = try store.upsertUser(try p.userChanges())
            return (created && method == .post ? 201 : 200, user)
        case (.delete, "/v1/users"):
            return (200, try store.deleteUser(userID: try p.identifier("user_id"), email: try p.string("email")))
        case (.post, "/v1/users/impressions"):
            let impression = try store.recordImpression(
                userID: try p.identifier("user_id"), email: try p.string("email"),
                userIP: try p.string("user_ip"), userAgent: try p.string("user_agent"))
            _ = try p.string("location")
            return (200, impression)
        case (.post, "/v1/users/notes"):
            let body = try p.required(try p.string("body"), "body")
            return (200, try store.createNote(userID: try p.identifier("user_id"), email: try p.string("email"), body: body))
        case (.get, "/v1/users/message_threads"):
            let userID = try p.identifier("user_id")
            let email = try p.string("email")
            if let threadID = try p.integer("thread_id") {
                return (200, try store.thread(userID: userID, email: email, threadID: threadID))
            }
            return (200, try store.threads(userID: userID, email: email))
        case (.post, "/v1/users/message_threads"):
            let body = try p.required(try p.string("body"), "body")
            return (200, try store.createThread(
                userID: try p.identifier("user_id"), email: try p.string("email"), threadID: try p.integer("thread_id"),
                body: body, url: try p.string("url")))
        case (.put, "/v1/users/message_threads"):
            guard let threadID = try p.integer("thread_id") else { throw SandboxError.badRequest("thread_id is required") }
            return (200, try store.reply(
                userID: try p.identifier("user_id"), email: try p.string("email"), threadID: threadID,
                body: try p.string("body"), url: try p.string("url"), read: try p.bool("read")))
        case (.get, "/v1/tags"):
            return (200, try store.tag(named: try p.required(try p.string("name"), "name")))
        case (.post, "/v1/tags"), (.put, "/v1/tags"):
            let name = try p.required(try p.string("name"), "name")
            let userIDs = try p.strings("user_ids")
            let emails = try p.strings("emails")
            let action = try p.string("tag_or_untag")
            let tagAction = action.flatMap(TagAction.init(rawValue:))
            if action != nil && tagAction == nil {
                throw SandboxError.badRequest("tag_or_untag must be \"tag\" or \"untag\"")
            }
            if (!userIDs.isEmpty || !emails.isEmpty) && tagAction == nil {
                throw SandboxError.badRequest("tag_or_untag (\"tag\" or \"untag\") is required when user_ids or emails are given")
            }
            return (200, try store.upsertTag(name: name, action: tagAction, userIDs: userIDs, emails: emails))
        case (.post, "/v1/events"):
            let name = try p.required(try p.string("event_name"), "event_name")
            let userID = try p.identifier("user_id")
            let email = try p.string("email")
            guard userID != nil || email != nil else { throw SandboxError.missingIdentifier }
            let metadata = try p.object("metadata")
            if let metadata {
                do { try CustomDataRules.checkMetadata(metadata) } catch {
                    throw SandboxError.badRequest((error as? ParameterError)?.message ?? "metadata is not valid")
                }
            }
            try store.recordEvent(name: name, userID: userID, email: email, created: try p.integer("created"), metadata: metadata)
            return (202, nil)
        default:
            let known = ["/v1/users", "/v1/users/impressions", "/v1/users/notes", "/v1/users/message_threads", "/v1/tags", "/v1/events"]
            if known.contains(path) {
                throw SandboxError(status: 405, type: "method_not_allowed", message: "\(method.rawValue) is not allowed on \(path)")
            }
            throw SandboxError(status: 404, type: "not_found", message: "No such resource: \(path)")
        }
    }

    /// The sandbox's own endpoints, for tests and benchmarks: `GET /_sandbox/stats` (counts, and the requests
    /// admitted in each of the last 720 rate-limit windows), `GET /_sandbox/events` and `GET /_sandbox/notes` (the
    /// last 100).
    func control(_ path: String) throws(SandboxError) -> Response {
        switch path {
        case "/_sandbox/stats":
            let store = try store.statistics()
            let counts = counters.snapshot
            let body: JSONValue = .object([
                "users": .integer(Int64(store.users)), "tags": .integer(Int64(store.tags)),
                "threads": .integer(Int64(store.threads)), "messages": .integer(Int64(store.messages)),
                "notes": .integer(Int64(store.notes)), "impressions": .integer(Int64(store.impressions)),
                "events": .integer(Int64(store.events)), "requests": .integer(Int64(counts.requests)),
                "rate_limited": .integer(Int64(counts.rateLimited)), "unauthorized": .integer(Int64(counts.unauthorized)),
                "faults": .object(counts.faults.mapValues { .integer(Int64($0)) }),
                "rate_limit": .string(rateLimiter.rule.description),
                "windows": .array(rateLimiter.recentWindows().map { ["start": .integer($0.start), "admitted": .integer(Int64($0.admitted))] }),
            ])
            return Self.json(body, status: 200)
        case "/_sandbox/events":
            return Self.json(.array(try store.recentEvents()), status: 200)
        case "/_sandbox/notes":
            return Self.json(.array(try store.recentNotes()), status: 200)
        default:
            return Self.json(SandboxError.notFound("resource").body, status: 404)
        }
    }

    static func parameters(of request: Request, limit: Int) async throws(SandboxError) -> RequestParameters {
        var values = request.uri.query.map { RequestParameters.parseForm($0[...]) } ?? [:]
        guard request.method != .get else { return RequestParameters(values: values) }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw SandboxError(status: 413, type: "request_too_large", message: "The request body is larger than \(limit) bytes")
        }
        guard let text = String(strictUTF8: buffer.readableBytesView) else {
            throw SandboxError.badRequest("The request body is not valid UTF-8")
        }
        guard !text.allSatisfy(\.isWhitespace) else { return RequestParameters(values: values) }
        let isForm = request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true
        if isForm && !text.drop(while: \.isWhitespace).hasPrefix("{") {
            values.merge(RequestParameters.parseForm(text[...])) { _, body in body }
            return RequestParameters(values: values)
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch {
            throw SandboxError.badRequest("The request body is not valid JSON")
        }
        guard case .object(let object) = json else {
            throw SandboxError.badRequest("The request body must be a JSON object, not \(json.typeDescription)")
        }
        values.merge(object) { _, body in body }
        return RequestParameters(values: values)
    }

    static func json(_ body: JSONValue?, status: Int, headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        guard let body else { return Response(status: .init(code: status), headers: headers) }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encodedData())))
    }
}
