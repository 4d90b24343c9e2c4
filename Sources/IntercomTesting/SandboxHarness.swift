import Foundation
public import IntercomKit
public import IntercomSandbox

/// Runs test code against a sandbox started in-process on a free loopback port, and stops it afterwards.
public enum SandboxHarness {
    /// Starts a sandbox with `configuration`, hands `body` the server and a client pointed at it, then stops it.
    @discardableResult
    public static func withSandbox<T>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        timeout: Duration = .seconds(10),
        credentials: Credentials? = nil,
        _ body: (SandboxServer, IntercomClient) async throws -> T
    ) async throws -> T {
        let server = try await SandboxServer.start(configuration)
        let client = IntercomClient(
            configuration: IntercomConfiguration(
                endpoint: server.endpoint, credentials: credentials ?? configuration.credentials, timeout: timeout))
        do {
            let result = try await body(server, client)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

extension SandboxHarness {
    /// Starts a sandbox with `configuration`, hands `body` the server and a client of its REST API (2.x) face
    /// (bearer `token`, by default the one the sandbox accepts; `Intercom-Version: version`), then stops it.
    @discardableResult
    public static func withRestSandbox<T>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        token: APIKey? = nil,
        version: String = "2.16",
        _ body: (SandboxServer, IntercomClient) async throws -> T
    ) async throws -> T {
        try await withSandbox(configuration) { server, _ in
            let client = IntercomClient(
                configuration: IntercomConfiguration(
                    endpoint: server.restEndpoint, credentials: Credentials(accessToken: token ?? configuration.accessToken),
                    apiVersion: version))
            return try await body(server, client)
        }
    }
}

extension SandboxServer {
    /// The environment that points a child `intercom-sh` at this server's REST API (2.x) face with its access
    /// token, and away from any config file of the machine's user.
    public func restClientEnvironment(version: String = "2.16") -> [String: String] {
        [
            "INTERCOM_ENDPOINT": restEndpoint.absoluteString, "INTERCOM_ACCESS_TOKEN": configuration.accessToken.revealed,
            "INTERCOM_API_VERSION": version, "HOME": "/nonexistent",
        ]
    }

    /// The environment that points a child `intercom-sh` at this server with its credentials (or another api key),
    /// and away from any config file of the machine's user.
    public func clientEnvironment(apiKey: String? = nil) -> [String: String] {
        [
            "INTERCOM_ENDPOINT": endpoint.absoluteString, "INTERCOM_APP_ID": configuration.credentials.appID,
            "INTERCOM_API_KEY": apiKey ?? configuration.credentials.apiKey.revealed, "HOME": "/nonexistent",
        ]
    }
}
