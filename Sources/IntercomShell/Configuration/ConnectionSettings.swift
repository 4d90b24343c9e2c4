public import Foundation
public import IntercomKit
import TOMLKit

/// Where requests go and with which credentials, resolved from flags, then the environment, then a profile
/// in the config file, then defaults.
public struct ConnectionSettings: Sendable {
    /// The API root.
    public var endpoint: URL
    /// The app id, if any source gave one.
    public var appID: String?
    /// The api key, if any source gave one.
    public var apiKey: APIKey?
    /// The REST API access token, if any source gave one.
    public var accessToken: APIKey?
    /// The API the settings select: explicit (`api_version`), else 2.x when there is an access token and no app id,
    /// else v1.
    public var apiVersion: APIVersion = .v1
    /// The request timeout.
    public var timeout: Duration
    /// The profile used, if any.
    public var profile: String?
    /// Warnings about the configuration (e.g. a config file others can read).
    public var warnings: [String] = []

    /// Creates settings directly (for the embedded sandbox and tests).
    public init(endpoint: URL, appID: String?, apiKey: APIKey?, timeout: Duration = .seconds(10), profile: String? = nil) {
        self.endpoint = endpoint
        self.appID = appID
        self.apiKey = apiKey
        self.timeout = timeout
        self.profile = profile
    }

    /// The credentials, or a ``ConfigurationError`` saying how to provide them.
    public func credentials() throws(ConfigurationError) -> Credentials {
        if apiVersion != .v1 {
            guard let accessToken, !accessToken.revealed.isEmpty else {
                throw ConfigurationError(
                    (profile.map { "profile '\($0)'" } ?? "the configuration") + " selects the Intercom REST API \(apiVersion) "
                        + "but gives no access token: set INTERCOM_ACCESS_TOKEN, add access_token to a profile "
                        + "(intercom-sh profile add NAME --api-version \(apiVersion)), or try the local sandbox with --sandbox")
            }
            return Credentials(accessToken: accessToken)
        }
        guard let appID, !appID.isEmpty, let apiKey, !apiKey.revealed.isEmpty else {
            throw ConfigurationError(
                "no credentials: set INTERCOM_APP_ID and INTERCOM_API_KEY, pass --app-id and --api-key, add them to a profile in "
                    + "\(ConfigurationFile.defaultPath().path), or try the local sandbox with --sandbox")
        }
        return Credentials(appID: appID, apiKey: apiKey)
    }
}

/// Values given on the command line (nil when a flag is absent).
public struct ConnectionFlags: Sendable {
    /// `--endpoint`.
    public var endpoint: String?
    /// `--app-id`.
    public var appID: String?
    /// `--api-key`.
    public var apiKey: String?
    /// `--access-token`.
    public var accessToken: String?
    /// `--api-version`.
    public var apiVersion: String?
    /// `--region`.
    public var region: String?
    /// `--timeout`, in seconds.
    public var timeout: Double?
    /// `--profile`.
    public var profile: String?
    /// `--insecure-http`: allow plain http to a host other than loopback.
    public var insecureHTTP: Bool

    /// Creates the flag values.
    public init(
        endpoint: String? = nil, appID: String? = nil, apiKey: String? = nil, accessToken: String? = nil, apiVersion: String? = nil,
        region: String? = nil, timeout: Double? = nil, profile: String? = nil, insecureHTTP: Bool = false
    ) {
        self.endpoint = endpoint
        self.appID = appID
        self.apiKey = apiKey
        self.accessToken = accessToken
        self.apiVersion = apiVersion
        self.region = region
        self.timeout = timeout
        self.profile = profile
        self.insecureHTTP = insecureHTTP
    }
}

/// The configuration is unusable: missing credentials, an unreadable config file, an unknown profile, a bad value.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

extension ConnectionSettings {
    /// Resolves settings: flags win over the environment (INTERCOM_ENDPOINT, INTERCOM_APP_ID, INTERCOM_API_KEY,
    /// INTERCOM_ACCESS_TOKEN, INTERCOM_API_VERSION, INTERCOM_REGION, INTERCOM_TIMEOUT, INTERCOM_PROFILE), which wins
    /// over the selected profile of the config file, which wins over the defaults (v1 at its public endpoint, or the
    /// REST API 2.16 in the us region; 10 s).
    public static func resolve(
        flags: ConnectionFlags, environment: [String: String], configFile: URL? = nil
    ) throws(ConfigurationError) -> ConnectionSettings {
        let path = configFile ?? ConfigurationFile.defaultPath(environment: environment)
        let file = try ConfigurationFile.load(path)
        let profileName = flags.profile ?? environment["INTERCOM_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? file?.defaultProfile
        var profile: [String: String] = file?.base ?? [:]
        if let profileName {
            guard let selected = file?.profiles[profileName] else {
                let known = file?.profiles.keys.sorted().joined(separator: ", ") ?? ""
                throw ConfigurationError(
                    "no profile '\(profileName)' in \(path.path)" + (known.isEmpty ? "" : " (profiles: \(known))"))
            }
            profile.merge(selected) { _, chosen in chosen }
        }
        func pick(_ flag: String?, _ variable: String, _ key: String) -> String? {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? profile[key]
        }
        /// A credential, checked, named by where it came from; a trailing newline is trimmed.
        func credential(_ flag: String?, _ option: String, _ variable: String, _ key: String) throws(ConfigurationError) -> String? {
            let source: String
            var value: String
            if let flag {
                (source, value) = ("--\(option)", flag)
            } else if let text = environment[variable], !text.isEmpty {
                (source, value) = ("$\(variable)", text)
            } else if let text = profile[key] {
                (source, value) = (profileName.map { "\(key) of profile '\($0)' in \(path.path)" } ?? "\(key) in \(path.path)", text)
            } else {
                return nil
            }
            // A trailing newline is trimmed; the \r of a CRLF line end is not, so the check below names it.
            while value.hasSuffix("\n") && !value.hasSuffix("\r\n") { value.removeLast() }
            if value.isEmpty { return nil }
            if let problem = Credentials.problem(in: value) { throw ConfigurationError("\(source) \(problem): it cannot be sent") }
            return value
        }
        let endpointText = pick(flags.endpoint, "INTERCOM_ENDPOINT", "endpoint")
        var endpoint = IntercomConfiguration.defaultEndpoint
        if let endpointText {
            guard let url = endpointURL(endpointText) else { throw ConfigurationError("endpoint '\(endpointText)' is not an http(s) URL") }
            endpoint = url
        }
        if endpoint.scheme?.lowercased() == "http", !flags.insecureHTTP, let host = endpoint.host, !Self.isLoopback(host) {
            throw ConfigurationError(
                "refusing to send the api key over plain http to \(host): use https, or --insecure-http if you mean it")
        }
        var timeout = Duration.seconds(10)
        if let timeoutText = flags.timeout.map({ String($0) }) ?? pick(nil, "INTERCOM_TIMEOUT", "timeout") {
            guard let seconds = Double(timeoutText), seconds > 0, seconds <= 86_400 else {
                throw ConfigurationError("timeout '\(timeoutText)' must be a number of seconds above 0")
            }
            timeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        var settings = ConnectionSettings(
            endpoint: endpoint, appID: try credential(flags.appID, "app-id", "INTERCOM_APP_ID", "app_id"),
            apiKey: try credential(flags.apiKey, "api-key", "INTERCOM_API_KEY", "api_key").map { APIKey($0) }, timeout: timeout,
            profile: profileName)
        try settings.selectAPI(
            accessToken: try credential(flags.accessToken, "access-token", "INTERCOM_ACCESS_TOKEN", "access_token"),
            version: pick(flags.apiVersion, "INTERCOM_API_VERSION", "api_version"),
            region: pick(flags.region, "INTERCOM_REGION", "region"), endpointGiven: endpointText != nil)
        if let file, file.readableByOthers {
            settings.warnings.append("\(path.path) can be read by other users; it may hold an api key: chmod 600 it")
        }
        return settings
    }
}

extension ConnectionSettings {
    /// Sets the access token and the API version; for the REST API without an endpoint, the endpoint is the
    /// region's (default us).
    mutating func selectAPI(accessToken: String?, version: String?, region: String?, endpointGiven: Bool) throws(ConfigurationError) {
        self.accessToken = accessToken.map { APIKey($0) }
        apiVersion = try Self.selectedAPIVersion(version, accessToken: self.accessToken, appID: appID)
        var chosenRegion = Region.us
        if let region {
            guard let known = Region(rawValue: region) else {
                throw ConfigurationError("region '\(region)' is not one of \(Region.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosenRegion = known
        }
        if apiVersion != .v1, !endpointGiven { endpoint = chosenRegion.restEndpoint }
    }

    /// The API an explicit version names; without one, 2.x when there is an access token and no app id, else v1.
    public static func selectedAPIVersion(_ explicit: String?, accessToken: APIKey?, appID: String?) throws(ConfigurationError) -> APIVersion {
        if let explicit {
            guard let version = APIVersion(parsing: explicit) else {
                throw ConfigurationError("api version '\(explicit)' is not v1, 2.N (such as 2.16) or Preview")
            }
            return version
        }
        if accessToken != nil, appID == nil { return APIVersion.defaultREST }
        return .v1
    }

    /// `text` as an API root: an http or https URL with a host; nil otherwise.
    public static func endpointURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil
        else { return nil }
        return url
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1, where plain http does not cross a network.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

/// The config file: `$XDG_CONFIG_HOME/intercom-sh/config.toml` (default `~/.config/intercom-sh/config.toml`).
///
/// ```toml
/// profile = "production"          # the profile used when none is named (optional)
/// timeout = 10                    # top-level keys apply to every profile
///
/// [profiles.production]
/// app_id = "pi3243fa"
/// api_key = "…"
///
/// [profiles.workspace]                # the REST API 2.x
/// access_token = "…"
/// api_version = "2.16"
/// region = "eu"
///
/// [profiles.sandbox]
/// endpoint = "http://127.0.0.1:8080/v1/"
/// app_id = "dummy-app-id"
/// api_key = "dummy-api-key"
/// ```
public struct ConfigurationFile: Sendable {
    /// Settings that apply to every profile.
    public var base: [String: String]
    /// The profiles by name.
    public var profiles: [String: [String: String]]
    /// The `profile` key: the profile used when none is named.
    public var defaultProfile: String?
    /// Whether the file's mode lets group or others read it.
    public var readableByOthers: Bool

    /// The keys a profile (or the top level) may set.
    public static let settingKeys = ["api_version", "region", "endpoint", "app_id", "api_key", "access_token", "timeout"]

    /// The keys that hold a secret, never shown.
    public static let secretKeys: Set<String> = ["api_key", "access_token"]

    /// The default path, from `XDG_CONFIG_HOME` or `HOME`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("intercom-sh/config.toml")
    }

    /// Reads the file at `path`; `nil` when there is none.
    public static func load(_ path: URL) throws(ConfigurationError) -> ConfigurationFile? {
        guard FileManager.default.fileExists(atPath: path.path) else { return nil }
        var file = try readText(path).file
        // stat(2) follows a symbolic link: what counts is the mode of the file read, not of the link.
        var status = stat()
        if stat(path.path, &status) == 0 { file.readableByOthers = status.st_mode & 0o044 != 0 }
        return file
    }

    /// Parses a config file's text; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> ConfigurationFile {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch {
            throw ConfigurationError("\(path) is not valid TOML: \(error)")
        }
        var file = ConfigurationFile(base: [:], profiles: [:], defaultProfile: nil, readableByOthers: false)
        for (key, value) in table {
            switch key {
            case "profile":
                guard let name = value.string else { throw ConfigurationError("\(path): profile must be a string") }
                file.defaultProfile = name
            case "profiles":
                guard let profiles = value.table else { throw ConfigurationError("\(path): profiles must be a table of tables") }
                for (name, profile) in profiles {
                    guard let settings = profile.table else {
                        throw ConfigurationError("\(path): profiles.\(name) must be a table")
                    }
                    file.profiles[name] = try settingsTable(settings, path: path, prefix: "profiles.\(name).")
                }
            default:
                file.base.merge(try settingsTable(TOMLTable([key: value]), path: path, prefix: "")) { _, new in new }
            }
        }
        return file
    }

    private static func settingsTable(_ table: TOMLTable, path: String, prefix: String) throws(ConfigurationError) -> [String: String] {
        var settings: [String: String] = [:]
        for (key, value) in table {
            guard settingKeys.contains(key) else {
                throw ConfigurationError("\(path): unknown key \(prefix)\(key) (known: \(settingKeys.joined(separator: ", ")))")
            }
            if let text = value.string {
                settings[key] = text
            } else if let number = value.int {
                settings[key] = String(number)
            } else if let number = value.double {
                settings[key] = String(number)
            } else {
                throw ConfigurationError("\(path): \(prefix)\(key) must be a string or a number")
            }
        }
        return settings
    }
}
