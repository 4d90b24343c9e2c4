import Foundation
import IntercomKit
import IntercomSandbox
import IntercomShell

/// A client ready to use: against the embedded sandbox (`--sandbox`) or the configured endpoint.
struct Connection {
    let client: IntercomClient
    let settings: ConnectionSettings
    let credentials: Credentials
    let embeddedSandbox: SandboxServer?

    /// Resolves the configuration (or starts the sandbox); prints why and returns nil (exit status 3) when it cannot.
    static func open(_ options: ConnectionOptions) async -> Connection? {
        let environment = ProcessInfo.processInfo.environment
        do {
            if options.sandbox {
                let server = try await SandboxServer.start(SandboxConfiguration(seed: .demo))
                let credentials = server.configuration.credentials
                let settings = ConnectionSettings(
                    endpoint: server.endpoint, appID: credentials.appID, apiKey: credentials.apiKey,
                    timeout: options.timeout.map { .milliseconds(Int64($0 * 1000)) } ?? .seconds(10), profile: "sandbox")
                return Connection(client: client(settings, credentials), settings: settings, credentials: credentials, embeddedSandbox: server)
            }
            let settings = try ConnectionSettings.resolve(
                flags: ConnectionFlags(
                    endpoint: options.endpoint, appID: options.appID, apiKey: options.apiKey, timeout: options.timeout, profile: options.profile),
                environment: environment)
            let credentials = try settings.credentials()
            for warning in settings.warnings { try? OutputWriter.standardError.write("intercom-sh: warning: \(warning)\n") }
            return Connection(client: client(settings, credentials), settings: settings, credentials: credentials, embeddedSandbox: nil)
        } catch let error as ConfigurationError {
            try? OutputWriter.standardError.write("intercom-sh: \(error.message)\n")
        } catch {
            try? OutputWriter.standardError.write("intercom-sh: cannot start the sandbox: \(error)\n")
        }
        return nil
    }

    private static func client(_ settings: ConnectionSettings, _ credentials: Credentials) -> IntercomClient {
        IntercomClient(configuration: IntercomConfiguration(endpoint: settings.endpoint, credentials: credentials, timeout: settings.timeout))
    }

    /// Stops the embedded sandbox, if any.
    func close() async {
        await embeddedSandbox?.stop()
    }
}
