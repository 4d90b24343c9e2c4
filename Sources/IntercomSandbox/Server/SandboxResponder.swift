import Foundation
public import Hummingbird
import HTTPTypes
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
        var request = request
        if let path = request.head.path, case let normal = Self.normalized(path), normal != path {
            var head = request.head
            head.path = normal
            request = Request(head: head, body: request.body)
        }
        let response: Response
        if request.method == .connect {
            // HTTP reads the connection after a CONNECT as a tunnel, so no answer could end it: it is closed.
            try? await context.channel.close()
            response = Response(status: .methodNotAllowed)
        } else {
            response = try await Self.isV1(request.uri.path) ? v1.respond(to: request, context: context) : rest.respond(to: request, context: context)
        }
        let logger = configuration.logger
        if logger.logLevel <= .debug {
            // The query is left out: a client may put a secret in it.
            let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
            let query = request.uri.query == nil ? "" : "?…"
            logger.debug("\(request.method.rawValue) \(request.uri.path)\(query) -> \(response.status.code) (\(String(format: "%.1f", milliseconds)) ms)")
        }
        return response
    }

    /// `path` with its percent-encoded unreserved characters decoded (RFC 3986 §6.2.2.2): `/%63ontacts` is
    /// `/contacts`, while `%2F`, `%20` and the like stay for the routes to decode in their segment.
    static func normalized(_ path: String) -> String {
        guard path.contains("%") else { return path }
        var bytes = Array(path.utf8)
        var index = 0
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16),
                value < 0x80, case let character = Character(UnicodeScalar(value)), character.isLetter || character.isNumber || "-._~".contains(character)
            {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        bytes = output
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `path` is the v1 face's: under `/v1/` (or the sandbox's own `/_sandbox/`), whatever the credentials.
    static func isV1(_ path: String) -> Bool {
        path.hasPrefix("/v1/") || path.hasPrefix("/_sandbox/") || path == "/v1"
    }
}
