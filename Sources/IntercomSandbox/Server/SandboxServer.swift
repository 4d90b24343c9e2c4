public import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A running sandbox: a local HTTP server that speaks the Intercom v1 API over a ``SandboxStore``.
///
/// Start one with ``start(_:)``; it listens until ``stop()``. Tests start it in-process on port 0 and read
/// ``endpoint`` to learn where it is.
public final class SandboxServer: Sendable {
    /// The v1 API root, e.g. `http://127.0.0.1:8080/v1/`.
    public let endpoint: URL
    /// The REST API (2.x) root, e.g. `http://127.0.0.1:8080/`: the same server, store and rate limit.
    public var restEndpoint: URL { endpoint.deletingLastPathComponent() }
    /// The port the server listens on.
    public let port: Int
    /// The data the server holds.
    public let store: SandboxStore
    /// The configuration it was started with.
    public let configuration: SandboxConfiguration
    private let runTask: Task<Void, Never>

    private init(endpoint: URL, port: Int, store: SandboxStore, configuration: SandboxConfiguration, runTask: Task<Void, Never>) {
        self.endpoint = endpoint
        self.port = port
        self.store = store
        self.configuration = configuration
        self.runTask = runTask
    }

    /// Starts a server and returns once it accepts connections; throws if it cannot listen.
    /// The store is in memory unless the configuration names a database file (``SandboxConfiguration/databasePath``).
    public static func start(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws -> SandboxServer {
        let store = try makeStore(configuration)
        let started = StartSignal()
        let app = application(configuration, store: store) { port in started.succeed(port: port) }
        let runTask = Task {
            do {
                try await app.run()
                started.fail(SandboxStartError(reason: "the server stopped before it was running"))
            } catch {
                started.fail(SandboxStartError(reason: "cannot listen on \(configuration.host):\(configuration.port): \(error)"))
            }
        }
        let port: Int
        do {
            port = try await started.wait()
        } catch {
            runTask.cancel()
            throw error
        }
        return SandboxServer(endpoint: endpoint(configuration, port: port), port: port, store: store, configuration: configuration, runTask: runTask)
    }

    /// Serves in the foreground until SIGINT or SIGTERM, which shut the server down gracefully (answers in flight
    /// are sent) through Hummingbird's `runService()`; `whenReady` gets the v1 endpoint and the REST API root once
    /// it listens. Throws if the store cannot be opened or the address cannot be bound.
    public static func serve(_ configuration: SandboxConfiguration, whenReady: @escaping @Sendable (_ v1: URL, _ rest: URL) -> Void) async throws {
        let store = try makeStore(configuration)
        let app = application(configuration, store: store) { port in
            let v1 = endpoint(configuration, port: port)
            whenReady(v1, v1.deletingLastPathComponent())
        }
        do { try await app.runService() } catch {
            throw SandboxStartError(reason: "cannot serve on \(configuration.host):\(configuration.port): \(error)")
        }
    }

    private static func makeStore(_ configuration: SandboxConfiguration) throws -> SandboxStore {
        if let path = configuration.databasePath { return try SandboxStore(path: path, seed: configuration.seed) }
        return SandboxStore(seed: configuration.seed)
    }

    /// The Hummingbird application of a sandbox over `store`; `running` gets the bound port.
    private static func application(
        _ configuration: SandboxConfiguration, store: SandboxStore, running: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        Application(
            responder: SandboxResponder(store: store, configuration: configuration, counters: SandboxCounters()),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in running(channel.localAddress?.port ?? configuration.port) },
            logger: configuration.logger)
    }

    private static func endpoint(_ configuration: SandboxConfiguration, port: Int) -> URL {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return URL(string: "http://\(host):\(port)/v1/")!
    }

    /// The REST API operations the sandbox models with state, as `METHOD /path/{}` (path parameters unnamed). Every
    /// other operation of Intercom's description is answered from the description.
    public static let modelledOperations: Set<String> = {
        let configuration = SandboxConfiguration()
        let store = SandboxStore(seed: configuration.seed)
        return RestRouter.modelledOperations(RestRoutes(store: store, configuration: configuration, scroll: CompanyScroll(expiry: configuration.scrollExpiry)))
    }()

    /// `path` with every `{parameter}` written `{}`, so that templates compare whatever their parameters are named.
    public static func unnamed(_ path: String) -> String {
        let normalized = path.hasPrefix("/") ? path : "/" + path
        return normalized.replacing(/\{[^}]*\}/, with: "{}")
    }

    /// Stops listening and waits until the server has shut down.
    public func stop() async {
        runTask.cancel()
        await runTask.value
    }
}

/// The sandbox could not start.
public struct SandboxStartError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public let reason: String
    /// The reason.
    public var description: String { reason }
}

/// Hands the bound port (or the failure to bind) from the server task to ``SandboxServer/start(_:)``, once.
private final class StartSignal: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Int, any Error>])
        case done(Result<Int, any Error>)
    }

    private let state = Mutex<State>(.waiting([]))

    func succeed(port: Int) { finish(.success(port)) }
    func fail(_ error: any Error) { finish(.failure(error)) }

    private func finish(_ result: Result<Int, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<Int, any Error>? in
                switch state {
                case .waiting(let waiters):
                    state = .waiting(waiters + [continuation])
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
