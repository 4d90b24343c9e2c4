import Foundation
public import Hummingbird
import IntercomKit
import Logging

/// Answers every request of the sandbox: the v1 face (`/v1/…`, and the sandbox's own `/_sandbox/…`) on its router,
/// every other path on the REST API (2.x) router. Both share the store and the rate limit.
public struct SandboxResponder: HTTPResponder {
    /// Each request gets a ``SandboxContext``.
    public typealias Context = SandboxContext

    let configuration: SandboxConfiguration
    let counters: SandboxCounters
    private let v1: RouterResponder<SandboxContext>
    private let rest: RouterResponder<SandboxContext>

    init(store: SandboxStore, configuration: SandboxConfiguration, counters: SandboxCounters) {
        self.configuration = configuration
        self.counters = counters
        let limiter = FixedWindowRateLimiter(rule: configuration.rateLimit)
        v1 = V1Router.build(store: store, configuration: configuration, limiter: limiter, counters: counters).buildResponder()
        rest = RestRouter.build(store: store, configuration: configuration, limiter: limiter, counters: counters).buildResponder()
    }

    /// Answers one request, counts it, and logs it at debug level (`POST /v1/users -> 201 (3 ms)`; never its headers).
    public func respond(to request: Request, context: SandboxContext) async throws -> Response {
        let started = ContinuousClock.now
        counters.count { $0.requests += 1 }
        let response = try await Self.isV1(request.uri.path) ? v1.respond(to: request, context: context) : rest.respond(to: request, context: context)
        let logger = configuration.logger
        if logger.logLevel <= .debug {
            let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
            logger.debug("\(request.method.rawValue) \(request.uri) -> \(response.status.code) (\(String(format: "%.1f", milliseconds)) ms)")
        }
        return response
    }

    /// Whether `path` is the v1 face's: under `/v1/` (or the sandbox's own `/_sandbox/`), whatever the credentials.
    static func isV1(_ path: String) -> Bool {
        path.hasPrefix("/v1/") || path.hasPrefix("/_sandbox/") || path == "/v1"
    }
}
