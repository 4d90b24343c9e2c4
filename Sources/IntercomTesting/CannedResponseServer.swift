public import Foundation
import HTTPTypes
import Hummingbird
public import IntercomKit
import Logging
import NIOCore
import Synchronization

/// A tiny real HTTP server that answers every request with one canned response, and remembers the requests.
///
/// For tests of how the client reads answers the sandbox never gives (fixtures, odd statuses, non-JSON bodies)
/// without mocking the HTTP layer itself.
public final class CannedResponseServer: Sendable {
    /// A request as the server received it.
    public struct ReceivedRequest: Sendable {
        /// `GET`, `POST`, ...
        public let method: String
        /// The path and query, e.g. `/v1/users?email=x`.
        public let uri: String
        /// The request headers, names lower-cased.
        public let headers: [String: String]
        /// The body as text.
        public let body: String
    }

    /// The canned answer.
    public struct CannedResponse: Sendable {
        /// The status.
        public var status: Int
        /// Extra headers.
        public var headers: [String: String]
        /// The body.
        public var body: String
        /// Whether the answer never ends: its head and the first half of the body are sent, then one space every
        /// 100 ms until the client goes away.
        public var neverEnds: Bool

        /// Creates an answer.
        public init(status: Int = 200, headers: [String: String] = [:], body: String = "", neverEnds: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.neverEnds = neverEnds
        }
    }

    private final class State: Sendable {
        let values: Mutex<(response: CannedResponse, received: [ReceivedRequest])>
        let answer: (@Sendable (ReceivedRequest) -> CannedResponse)?
        init(_ response: CannedResponse, answer: (@Sendable (ReceivedRequest) -> CannedResponse)? = nil) {
            values = Mutex((response, []))
            self.answer = answer
        }
    }

    /// The API root of the server, e.g. `http://127.0.0.1:41234/v1/`.
    public let endpoint: URL
    private let state: State

    private init(endpoint: URL, state: State) {
        self.endpoint = endpoint
        self.state = state
    }

    /// The requests received so far.
    public var receivedRequests: [ReceivedRequest] { state.values.withLock { $0.received } }

    /// Replaces the canned answer.
    public func respond(with response: CannedResponse) {
        state.values.withLock { $0.response = response }
    }

    /// The environment that points a child `intercom-sh` at this server as the REST API 2.16 with `token`.
    public func restClientEnvironment(token: String = "stub-access-token-0123456789") -> [String: String] {
        ["INTERCOM_ENDPOINT": endpoint.absoluteString, "INTERCOM_ACCESS_TOKEN": token, "INTERCOM_API_VERSION": "2.16", "HOME": "/nonexistent"]
    }

    /// A client of this server with dummy credentials.
    public func client(timeout: Duration = .seconds(5)) -> IntercomClient {
        IntercomClient(
            configuration: IntercomConfiguration(
                endpoint: endpoint, credentials: Credentials(appID: "app", apiKey: "key"), timeout: timeout))
    }

    /// Runs `body` with a server that answers each request with what `answer` returns for it (a scripted server:
    /// one that lies, loops or redirects), then stops it.
    @discardableResult
    public static func with<T>(
        answering answer: @escaping @Sendable (ReceivedRequest) -> CannedResponse, _ body: (CannedResponseServer) async throws -> T
    ) async throws -> T {
        try await run(State(CannedResponse(), answer: answer), body)
    }

    /// Runs `body` with a server that answers `response`, then stops it.
    @discardableResult
    public static func with<T>(_ response: CannedResponse, _ body: (CannedResponseServer) async throws -> T) async throws -> T {
        try await run(State(response), body)
    }

    private static func run<T>(_ state: State, _ body: (CannedResponseServer) async throws -> T) async throws -> T {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 24)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = ReceivedRequest(
                method: request.method.rawValue, uri: request.uri.string, headers: headers, body: String(buffer: bytes))
            let canned = state.values.withLock { values in
                values.received.append(received)
                return values.response
            }
            let answer = state.answer?(received) ?? canned
            var fields = HTTPFields()
            for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
            guard answer.neverEnds else {
                return Response(
                    status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
            }
            return Response(status: .init(code: answer.status), headers: fields, body: .init { writer in
                try await writer.write(ByteBuffer(string: String(answer.body.prefix(answer.body.count / 2))))
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(100))
                    try await writer.write(ByteBuffer(string: " "))
                }
                try await writer.finish(nil)
            })
        }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Logger(label: "canned", factory: { _ in SwiftLogNoOpLogHandler() }))
        let runTask = Task {
            try? await app.run()
            portContinuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw SandboxHarnessError(message: "the canned response server did not start")
        }
        let server = CannedResponseServer(endpoint: URL(string: "http://127.0.0.1:\(port)/v1/")!, state: state)
        do {
            let result = try await body(server)
            runTask.cancel()
            await runTask.value
            return result
        } catch {
            runTask.cancel()
            await runTask.value
            throw error
        }
    }
}

/// A test server could not be started.
public struct SandboxHarnessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}
