import Foundation
import HTTPTypes
import Hummingbird
import IntercomKit
import NIOCore

/// Turns every failure below it into the REST API's `error.list` answer, and echoes the `Intercom-Version` a
/// request asked for (or the sandbox's default) on every answer.
struct RestErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    /// The version served when a request names none.
    let defaultVersion: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch { response = Self.response(for: error, to: request) }
        response.headers[Self.versionHeader] = request.headers[Self.versionHeader] ?? defaultVersion
        return response
    }

    static let versionHeader = HTTPField.Name("Intercom-Version")!

    /// The `error.list` answer for an error a route or middleware threw.
    static func response(for error: any Error, to request: Request) -> Response {
        ErrorShape.rest.response(for: error, to: request)
    }
}

/// Admits only requests that carry the sandbox's access token as `Authorization: Bearer …`; others get 401. The one
/// exception is `POST /events` with the v1 face's Basic credentials: v1 clients (intercom-ruby, PHP, node) sent events
/// there, without the `/v1/` prefix. Its answers are the REST API's.
struct BearerAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let expectedAuthorization: String
    let v1Authorization: String
    let counters: SandboxCounters

    init(token: APIKey, v1 credentials: Credentials, counters: SandboxCounters) {
        expectedAuthorization = "Bearer " + token.revealed
        v1Authorization = "Basic " + Data("\(credentials.appID):\(credentials.apiKey.revealed)".utf8).base64EncodedString()
        self.counters = counters
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[.authorization]
        let isV1Event = request.method == .post && ["/events", "/events/"].contains(request.uri.path) && given == v1Authorization
        guard given == expectedAuthorization || isV1Event else {
            counters.count { $0.unauthorized += 1 }
            throw SandboxError(status: 401, type: "unauthorized", message: "Access Token Invalid")
        }
        return try await next(request, context)
    }
}

/// The fixed-window rate limit both faces share: `X-RateLimit-*` on every answer, 429 over the limit, in the face's
/// error shape.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let limiter: FixedWindowRateLimiter
    let counters: SandboxCounters
    let shape: ErrorShape

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let decision = limiter.admit()
        var response: Response
        if decision.admitted {
            do { response = try await next(request, context) } catch { response = shape.response(for: error, to: request) }
        } else {
            counters.count { $0.rateLimited += 1 }
            response = shape.response(for: shape.rateLimited(limit: decision.limit, seconds: limiter.rule.windowSeconds), to: request)
            response.headers[.retryAfter] = String(decision.retryAfter)
        }
        response.headers.setRateLimit(decision)
        return response
    }
}

extension HTTPFields {
    /// Sets `X-RateLimit-Limit`, `-Remaining` and `-Reset` as `decision` says.
    mutating func setRateLimit(_ decision: FixedWindowRateLimiter.Decision) {
        self[HTTPField.Name("X-RateLimit-Limit")!] = String(decision.limit)
        self[HTTPField.Name("X-RateLimit-Remaining")!] = String(decision.remaining)
        self[HTTPField.Name("X-RateLimit-Reset")!] = String(decision.reset)
    }
}

/// Injects the faults of `--faults`, in the face's error shape: latency before anything, then a dropped connection
/// (before or after the request is carried out), an injected 429, or a 5xx that carries nothing out.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let faults: FaultPlan
    let counters: SandboxCounters
    let shape: ErrorShape

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var generator = SystemRandomNumberGenerator()
        if let delay = faults.drawLatency(using: &generator) {
            counters.count { $0.faults["latency", default: 0] += 1 }
            try? await Task.sleep(for: delay)
        }
        switch faults.drawFailure(countedIn: counters, using: &generator) {
        case .dropBefore?:
            try? await context.channel.close()
            return Response(status: .internalServerError)
        case .status429?:
            var response = shape.response(for: SandboxError(status: 429, type: "rate_limit_exceeded", message: "Injected rate limit"), to: request)
            response.headers[.retryAfter] = "1"
            return response
        case let failure? where [.status500, .status502, .status503].contains(failure):
            let status = Int(failure.rawValue) ?? 500
            return shape.response(for: SandboxError(status: status, type: "server_error", message: "Injected fault \(status)"), to: request)
        case .dropAfter?:
            let response: Response
            do { response = try await next(request, context) } catch { response = shape.response(for: error, to: request) }
            try? await context.channel.close()
            return response
        default:
            return try await next(request, context)
        }
    }
}

/// Reading REST request bodies and writing JSON answers.
enum RestBody {
    /// The body's JSON object (an empty body is an empty object); not valid UTF-8, not JSON, or too large, is a 400 or 413.
    static func read(_ request: Request, limit: Int) async throws(SandboxError) -> RequestParameters {
        let body: JSONValue?
        do { body = try await json(request, limit: limit) } catch where error.status == 400 && error.message.hasSuffix("JSON") {
            throw SandboxError.restInvalid("The request body is not a JSON object")
        }
        guard let body else { return RequestParameters(values: [:]) }
        guard case .object(let object) = body else { throw SandboxError.restInvalid("The request body is not a JSON object") }
        return RequestParameters(values: object)
    }

    /// The body as JSON of any kind, or nil when it is empty; not valid UTF-8, not JSON, or too large, is a 400 or 413.
    static func json(_ request: Request, limit: Int) async throws(SandboxError) -> JSONValue? {
        let buffer = try await RequestParameters.collectBody(request, limit: limit)
        guard let text = String(strictUTF8: buffer.readableBytesView) else { throw SandboxError.restInvalid("The request body is not valid UTF-8") }
        guard !text.allSatisfy(\.isWhitespace) else { return nil }
        do { return try JSONValue(parsing: text) } catch { throw SandboxError.restInvalid("The request body is not valid JSON") }
    }

    /// `per_page` from a query or body: 1 to 150, 50 by default.
    static func perPage(_ text: String?) throws(SandboxError) -> Int {
        guard let text else { return 50 }
        guard let value = Int(text), (1...150).contains(value) else { throw SandboxError.restInvalid("per_page must be from 1 to 150") }
        return value
    }

    /// A search body: the query (checked against `rules`, unless nil, custom attributes by the kind
    /// `customAttribute` gives them), the page size and the cursor.
    static func search(
        _ body: RequestParameters, rules: SearchRules? = .contacts, customAttribute: (String) -> SearchRules.Kind? = { _ in nil }
    ) throws(SandboxError) -> (SearchQuery, Int, String?) {
        guard let queryJSON = body.values["query"] else { throw SandboxError.restInvalid("query is required") }
        let query: SearchQuery
        do {
            let parsed = try SearchQuery(json: queryJSON)
            query = rules.map { datesAsNumbers(parsed, $0, customAttribute: customAttribute) } ?? parsed
            try rules?.check(query, customAttribute: customAttribute)
        } catch {
            throw SandboxError.restInvalid(error.message)
        }
        let pagination = body.values["pagination"]?.objectValue ?? [:]
        let perPage = try perPage(pagination["per_page"].map { $0.integerValue.map(String.init) ?? "x" })
        return (query, perPage, pagination["starting_after"]?.stringValue)
    }

    /// `query` with a date given as a string of digits (`"1306054154"`, as the description's own example writes it)
    /// made the number it stands for, as the live API reads it.
    static func datesAsNumbers(_ query: SearchQuery, _ rules: SearchRules, customAttribute: (String) -> SearchRules.Kind?) -> SearchQuery {
        switch query {
        case .group(let connective, let members): return .group(connective, members.map { datesAsNumbers($0, rules, customAttribute: customAttribute) })
        case .filter(let field, let op, .string(let text)) where rules.kind(of: field, customAttribute: customAttribute) == .date:
            return Int64(text).map { .filter(field: field, operator: op, value: .integer($0)) } ?? query
        case .filter: return query
        }
    }

    /// A JSON answer.
    static func response(_ body: JSONValue, status: Int = 200) -> Response {
        SandboxAnswer.json(body, status: status)
    }

    /// A page of contacts as a JSON answer.
    static func response(_ page: ContactPage) -> Response {
        SandboxAnswer.json(writing: page.write(to:))
    }
}

extension SandboxError {
    /// The REST API's body: `{"type":"error.list","request_id":…,"errors":[{"code":…,"message":…,"field":…}]}`
    /// (`field` when the refusal names one). A v1 type the
    /// REST API does not use (`bad_request`) becomes its nearest code (`parameter_invalid`).
    var restBody: JSONValue {
        let code = type == "bad_request" ? "parameter_invalid" : type
        var entry: JSONObject = ["code": .string(code), "message": .string(message)]
        if let field { entry["field"] = .string(field) }
        return ["type": "error.list", "request_id": .string(UUID().uuidString.lowercased()), "errors": [.object(entry)]]
    }
}
