import Foundation

/// What `profile add` stores: the settings given, checked against each other, and which secret goes with them.
///
/// The API version is the one given, else v1 with an app id, else the default REST version. A v1 profile needs an
/// app id and takes no region; a 2.x profile takes no app id. The secret is the api key for v1, the access token
/// for 2.x.
public struct ProfileSettings: Sendable, Equatable {
    /// The settings other than the secret, in the order they are written.
    public let values: [Setting]
    /// The API version the profile selects.
    public let apiVersion: APIVersion

    /// A key and its value.
    public struct Setting: Sendable, Equatable {
        /// The config file key.
        public let key: String
        /// Its value.
        public let value: String

        /// Creates a setting.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Checks and orders the settings; a ``ConfigurationError`` names the first conflict.
    public init(
        name: String, apiVersion: String?, region: Region?, endpoint: String?, appID: String?, timeout: Double?
    ) throws(ConfigurationError) {
        guard ConfigurationFileEditor.isValidProfileName(name) else {
            throw ConfigurationError("profile name '\(name)' may hold only letters, digits, - and _ (at most 64)")
        }
        let explicit = try apiVersion.map { text throws(ConfigurationError) in
            guard let version = APIVersion(parsing: text) else {
                throw ConfigurationError("api version '\(text)' is not v1, 2.N (such as 2.16) or Preview")
            }
            return version
        }
        let version = explicit ?? (appID != nil ? .v1 : APIVersion.defaultREST)
        if version == .v1, appID == nil { throw ConfigurationError("a v1 profile needs --app-id") }
        if version != .v1, appID != nil { throw ConfigurationError("--app-id belongs to v1 profiles (--api-version v1)") }
        if version == .v1, region != nil { throw ConfigurationError("--region applies to the REST API 2.x, not v1") }
        if let endpoint, ConnectionSettings.endpointURL(endpoint) == nil {
            throw ConfigurationError("--endpoint '\(endpoint)' is not an http(s) URL")
        }
        if let timeout, !(timeout > 0 && timeout <= 86_400) { throw ConfigurationError("--timeout must be above 0") }
        let given: [(String, String?)] = [
            ("api_version", explicit?.description), ("region", region?.rawValue), ("endpoint", endpoint), ("app_id", appID),
            ("timeout", timeout.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }),
        ]
        values = given.compactMap { key, value in value.map { Setting(key: key, value: $0) } }
        self.apiVersion = version
    }

    /// The key of the profile's secret: `api_key` for v1, `access_token` for 2.x.
    public var secretKey: String { apiVersion == .v1 ? "api_key" : "access_token" }

    /// The secret's name for people: "api key" or "access token".
    public var secretName: String { apiVersion == .v1 ? "api key" : "access token" }

    /// The settings plus the secret, as the config file gets them.
    public func withSecret(_ secret: String) -> [(key: String, value: String)] {
        values.map { ($0.key, $0.value) } + [(secretKey, secret)]
    }
}
