import Foundation
import HTTPTypes
import Hummingbird
import IntercomKit

/// The v1 face of the sandbox: Hummingbird's router for the paths under `/v1/`, with middleware for v1's error
/// envelope, HTTP Basic authentication, and the rate limit and faults the REST face also has, in v1's error shape.
/// The sandbox's own `/_sandbox/` endpoints are on it too, behind the same credentials but no limit or faults.
///
/// It is a router of its own, not a group of the REST face's: a request no route takes goes through the router's
/// middleware only, and each face answers those in its own shape.
enum V1Router {
    /// The v1 paths, each answered 405 for a method it does not take.
    static let paths = ["/v1/users", "/v1/users/impressions", "/v1/users/notes", "/v1/users/message_threads", "/v1/tags", "/v1/events"]

    /// The router over `store`, sharing `limiter` with the REST face.
    static func build(store: SandboxStore, configuration: SandboxConfiguration, limiter: FixedWindowRateLimiter, counters: SandboxCounters) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: V1ErrorMiddleware())
        router.add(middleware: BasicAuthenticationMiddleware(credentials: configuration.credentials, limiter: limiter, counters: counters))
        let routes = V1Routes(store: store, bodyLimit: configuration.maximumBodySize)
        router.addRoutes(SandboxControlRoutes(store: store, limiter: limiter, counters: counters).routes(), atPath: "_sandbox")
        let limited = router.group("v1")
            .add(middleware: RateLimitMiddleware(limiter: limiter, counters: counters, shape: .v1))
            .add(middleware: FaultMiddleware(faults: configuration.faults, counters: counters, shape: .v1))
        routes.add(to: limited)
        return router
    }
}

/// Turns every failure below it into v1's `{"error":{"type","message"}}` answer. A request no route takes is a 405 on
/// a v1 path that has other methods, else a 404.
struct V1ErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            var path = request.uri.path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            let refusal =
                V1Router.paths.contains(path)
                ? SandboxError(status: 405, type: "method_not_allowed", message: "\(request.method.rawValue) is not allowed on \(path)")
                : SandboxError(status: 404, type: "not_found", message: "No such resource: \(path)")
            return ErrorShape.v1.response(for: refusal, to: request)
        } catch {
            return ErrorShape.v1.response(for: error, to: request)
        }
    }
}

/// Admits only requests with the sandbox's v1 credentials (`Authorization: Basic …`); others get v1's 401, with the
/// rate limit's headers as they stand (a refused request uses none of it).
struct BasicAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let expectedAuthorization: String
    let limiter: FixedWindowRateLimiter
    let counters: SandboxCounters

    init(credentials: Credentials, limiter: FixedWindowRateLimiter, counters: SandboxCounters) {
        expectedAuthorization = "Basic " + Data("\(credentials.appID):\(credentials.apiKey.revealed)".utf8).base64EncodedString()
        self.limiter = limiter
        self.counters = counters
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] == expectedAuthorization else {
            counters.count { $0.unauthorized += 1 }
            let refusal = SandboxError(status: 401, type: "not_authenticated", message: "Invalid app id or api key")
            var response = ErrorShape.v1.response(for: refusal, to: request)
            response.headers.setRateLimit(limiter.peek())
            return response
        }
        return try await next(request, context)
    }
}
