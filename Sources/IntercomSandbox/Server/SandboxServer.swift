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
        let store = if let path = configuration.databasePath {
            try SandboxStore(path: path, seed: configuration.seed)
        } else {
            SandboxStore(seed: configuration.seed)
        }
        let responder = SandboxResponder(store: store, configuration: configuration, counters: SandboxCounters())
        let started = StartSignal()
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in started.succeed(port: channel.localAddress?.port ?? configuration.port) },
            logger: configuration.logger)
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
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let endpoint = URL(string: "http://\(host):\(port)/v1/")!
        return SandboxServer(endpoint: endpoint, port: port, store: store, configuration: configuration, runTask: runTask)
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
