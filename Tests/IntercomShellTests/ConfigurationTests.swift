import Foundation
import IntercomKit
import IntercomShell
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    static func configFile(_ text: String, mode: Int = 0o600) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("config.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file
    }

    static let sample = """
        profile = "staging"
        timeout = 5

        [profiles.staging]
        endpoint = "http://127.0.0.1:9/v1/"
        app_id = "staging-app"
        api_key = "staging-key"

        [profiles.production]
        app_id = "prod-app"
        api_key = "prod-key"
        timeout = 2.5
        """

    @Test("flags beat the environment, which beats the profile, which beats the defaults")
    func precedence() throws {
        let file = try Self.configFile(Self.sample)
        let fromProfile = try ConnectionSettings.resolve(flags: ConnectionFlags(), environment: [:], configFile: file)
        #expect(fromProfile.profile == "staging")
        #expect(fromProfile.appID == "staging-app")
        #expect(fromProfile.endpoint.absoluteString == "http://127.0.0.1:9/v1/")
        #expect(fromProfile.timeout == .seconds(5))
        let fromEnvironment = try ConnectionSettings.resolve(
            flags: ConnectionFlags(), environment: ["INTERCOM_APP_ID": "env-app", "INTERCOM_PROFILE": "production"], configFile: file)
        #expect(fromEnvironment.appID == "env-app")
        #expect(fromEnvironment.apiKey == APIKey("prod-key"))
        #expect(fromEnvironment.timeout == .milliseconds(2_500))
        #expect(fromEnvironment.endpoint == IntercomConfiguration.defaultEndpoint)
        let fromFlags = try ConnectionSettings.resolve(
            flags: ConnectionFlags(endpoint: "https://example.com/v1/", appID: "flag-app", timeout: 0.25, profile: "production"),
            environment: ["INTERCOM_APP_ID": "env-app"], configFile: file)
        #expect(fromFlags.appID == "flag-app")
        #expect(fromFlags.endpoint.absoluteString == "https://example.com/v1/")
        #expect(fromFlags.timeout == .milliseconds(250))
    }

    @Test("no credentials, an unknown profile, bad TOML and unknown keys are clear configuration errors")
    func errors() throws {
        let none = try ConnectionSettings.resolve(flags: ConnectionFlags(), environment: ["HOME": "/nonexistent"])
        #expect(throws: ConfigurationError.self) { try none.credentials() }
        let file = try Self.configFile(Self.sample)
        #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(flags: ConnectionFlags(profile: "nope"), environment: [:], configFile: file)
        }
        let broken = try Self.configFile("profile = ")
        #expect(throws: ConfigurationError.self) { try ConnectionSettings.resolve(flags: ConnectionFlags(), environment: [:], configFile: broken) }
        let unknown = try Self.configFile("[profiles.a]\napi_secret = \"x\"\n")
        #expect(throws: ConfigurationError.self) { try ConnectionSettings.resolve(flags: ConnectionFlags(), environment: [:], configFile: unknown) }
        #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(flags: ConnectionFlags(endpoint: "ftp://x"), environment: [:], configFile: file)
        }
    }

    @Test("a config file others can read gets a warning naming it")
    func readableWarning() throws {
        let open = try Self.configFile(Self.sample, mode: 0o644)
        let settings = try ConnectionSettings.resolve(flags: ConnectionFlags(), environment: [:], configFile: open)
        #expect(settings.warnings.first?.contains(open.path) == true)
        let closed = try Self.configFile(Self.sample, mode: 0o600)
        #expect(try ConnectionSettings.resolve(flags: ConnectionFlags(), environment: [:], configFile: closed).warnings.isEmpty)
    }

    @Test("the default path follows XDG_CONFIG_HOME, then HOME")
    func defaultPath() {
        #expect(ConfigurationFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x"]).path == "/x/intercom-sh/config.toml")
        #expect(ConfigurationFile.defaultPath(environment: ["HOME": "/home/u"]).path == "/home/u/.config/intercom-sh/config.toml")
    }

    @Test("plain http is refused for hosts other than loopback, unless --insecure-http; https always passes")
    func plainHTTP() throws {
        for host in ["localhost", "127.0.0.1", "127.8.9.10", "[::1]", "::1"] {
            #expect(ConnectionSettings.isLoopback(host), "\(host)")
        }
        for host in ["10.0.0.1", "127.0.0.1.example.com", "localhost.example.com", "::2", "127.0.0.256"] {
            #expect(!ConnectionSettings.isLoopback(host), "\(host)")
        }
        let environment = ["INTERCOM_APP_ID": "a", "INTERCOM_API_KEY": "k", "HOME": "/nonexistent"]
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(flags: ConnectionFlags(endpoint: "http://api.example.com/v1/"), environment: environment)
        }
        #expect(error?.message.contains("plain http to api.example.com") == true)
        let allowed = try ConnectionSettings.resolve(
            flags: ConnectionFlags(endpoint: "http://api.example.com/v1/", insecureHTTP: true), environment: environment)
        #expect(allowed.endpoint.host == "api.example.com")
        #expect(try ConnectionSettings.resolve(flags: ConnectionFlags(endpoint: "https://api.example.com/v1/"), environment: environment)
            .endpoint.scheme == "https")
        #expect(try ConnectionSettings.resolve(flags: ConnectionFlags(endpoint: "http://127.0.0.1:8080/v1/"), environment: environment)
            .endpoint.port == 8080)
    }
}
