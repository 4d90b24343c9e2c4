import AsyncHTTPClient
import Foundation
import Logging
import IntercomKit
import IntercomSandbox
import IntercomShell
import NIOCore

/// A client ready to use: against the embedded sandbox (`--sandbox`) or the configured endpoint.
struct Connection {
    let client: IntercomClient
    let settings: ConnectionSettings
    let credentials: Credentials
    let embeddedSandbox: SandboxServer?
    let httpClient: HTTPClient

    /// Resolves the configuration (or starts the sandbox); prints why and returns nil (exit status 3) when it cannot.
    /// `environment` stands for the process's (where the config file and `INTERCOM_*` are found).
    static func open(
        _ options: ConnectionOptions, connections: Int = 8, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> Connection? {
        var configuration = IntercomClient.httpConfiguration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connections))
        // A failed connect fails its request at once, and our retry policy (counted, backed off, reported) decides
        // what happens next, rather than the pool retrying it silently until the request's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            if options.sandbox {
                let version = try options.flags.apiVersion.map { text throws(ConfigurationError) in
                    try ConnectionSettings.selectedAPIVersion(text, accessToken: nil, appID: nil)
                } ?? .v1
                let server = try await SandboxServer.start(SandboxConfiguration(seed: .demo))
                let credentials = version == .v1 ? server.configuration.credentials : Credentials(accessToken: server.configuration.accessToken)
                var settings = ConnectionSettings(
                    endpoint: version == .v1 ? server.endpoint : server.restEndpoint, appID: credentials.appID, apiKey: credentials.apiKey,
                    timeout: options.timeout.map { .milliseconds(Int64($0 * 1000)) } ?? .seconds(10), profile: "sandbox")
                settings.apiVersion = version
                return Connection(
                    client: client(settings, credentials, httpClient, verbose: options.verbose), settings: settings, credentials: credentials, embeddedSandbox: server,
                    httpClient: httpClient)
            }
            let settings = try ConnectionSettings.resolve(
flags: options.flags, environment: environment)
            let credentials = try settings.credentials()
            for warning in settings.warnings { try? OutputWriter.standardError.write("intercom-sh: warning: \(warning)\n") }
            return Connection(
                client: client(settings, credentials, httpClient, verbose: options.verbose), settings: settings, credentials: credentials, embeddedSandbox: nil,
                httpClient: httpClient)
        } catch let error as ConfigurationError {
            try? OutputWriter.standardError.write("intercom-sh: \(error.message)\n")
        } catch {
            try? OutputWriter.standardError.write("intercom-sh: cannot start the sandbox: \(error)\n")
        }
        try? await httpClient.shutdown()
        return nil
    }

    private static func client(
        _ settings: ConnectionSettings, _ credentials: Credentials, _ httpClient: HTTPClient, verbose: Bool
    ) -> IntercomClient {
        var logger = Logger(label: "intercom-sh.http", factory: verbose ? StreamLogHandler.standardError : { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = verbose ? .debug : .critical
        return IntercomClient(
            configuration: IntercomConfiguration(
                endpoint: settings.endpoint, credentials: credentials, timeout: settings.timeout, apiVersion: settings.apiVersion.headerValue),
            httpClient: httpClient, logger: logger)
    }

    /// Shuts the connection pool down and stops the embedded sandbox, if any.
    func close() async {
        try? await httpClient.shutdown()
        await embeddedSandbox?.stop()
    }
}
