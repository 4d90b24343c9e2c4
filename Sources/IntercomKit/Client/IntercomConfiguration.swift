public import Foundation
import Crypto

/// Where and how an ``IntercomClient`` talks to the API.
public struct IntercomConfiguration: Sendable {
    /// The API root; `https://api.intercom.io/v1/` by default (the REST API's is `https://api.intercom.io/`).
    /// Paths are resolved below it.
    public var endpoint: URL
    /// The app id and api key sent with HTTP Basic auth.
    public var credentials: Credentials
    /// How long one request may take, from sending to the last byte of the answer (10 s by default).
    public var timeout: Duration
    /// The `User-Agent` header.
    public var userAgent: String
    /// The largest answer body accepted, in bytes.
    public var maximumResponseSize: Int
    /// The REST API version sent as `Intercom-Version` (`2.16`); nil speaks v1. It also decides how error answers
    /// read: v1's `{"error":…}` or the REST API's `error.list`.
    public var apiVersion: String?

    /// The API root python-intercom 0.2.13 uses.
    public static let defaultEndpoint = URL(string: "https://api.intercom.io/v1/")!

    /// Creates a configuration; an endpoint without a trailing slash gets one.
    public init(
        endpoint: URL = IntercomConfiguration.defaultEndpoint,
        credentials: Credentials,
        timeout: Duration = .seconds(10),
        userAgent: String = "intercom-sh/\(IntercomKitVersion.current)",
        maximumResponseSize: Int = 64 << 20,
        apiVersion: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.endpoint = endpoint.absoluteString.hasSuffix("/") ? endpoint : endpoint.appendingPathComponent("")
        self.credentials = credentials
        self.timeout = timeout
        self.userAgent = userAgent
        self.maximumResponseSize = maximumResponseSize
    }
}

/// The secret a connection authenticates with: an app id and api key (v1, HTTP Basic) or an access token (the REST
/// API 2.x, `Bearer`). The secret never shows in descriptions, logs or dumps.
public struct Credentials: Sendable, Hashable {
    /// How the secret is sent.
    public enum Scheme: Sendable, Hashable {
        /// `Authorization: Basic base64(app_id:api_key)` (v1).
        case basic
        /// `Authorization: Bearer TOKEN` (REST API 2.x).
        case bearer
    }

    /// The app id (the Basic auth user name); empty for an access token.
    public var appID: String
    /// The secret: the api key (the Basic auth password), or the access token.
    public var apiKey: APIKey
    /// How the secret is sent.
    public var scheme: Scheme

    /// Creates v1 credentials.
    public init(appID: String, apiKey: APIKey) {
        self.appID = appID
        self.apiKey = apiKey
        self.scheme = .basic
    }

    /// Creates REST API (2.x) credentials: an access token.
    public init(accessToken: APIKey) {
        self.appID = ""
        self.apiKey = accessToken
        self.scheme = .bearer
    }

    /// The `Authorization` header value.
    public var authorization: String {
        switch scheme {
        case .basic: basicAuthorization
        case .bearer: "Bearer " + apiKey.revealed
        }
    }

    /// The `Authorization` header value of Basic auth.
    public var basicAuthorization: String {
        "Basic " + basicToken
    }

    /// The Basic credential alone: `app_id:api_key` in base64.
    public var basicToken: String {
        Data("\(appID):\(apiKey.revealed)".utf8).base64EncodedString()
    }
}

extension Credentials {
    /// The longest secret accepted, in bytes.
    public static let maximumSecretBytes = 4096

    /// Why `text` cannot be sent as an app id, api key or access token, naming the character's position but never
    /// the text; nil when it can. Every character must be printable ASCII without spaces, as an `Authorization`
    /// header needs: whitespace and control characters (a `\r` left by a CRLF file) are refused, and so is a text
    /// empty or longer than ``maximumSecretBytes``.
    public static func problem(in text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if text.utf8.count > maximumSecretBytes { return "is longer than \(maximumSecretBytes) bytes" }
        for (offset, scalar) in text.unicodeScalars.enumerated() where !(0x21...0x7E).contains(scalar.value) {
            let what =
                scalar.value < 0x20 || scalar.value == 0x7F ? "a control character"
                : scalar.value == 0x20 || scalar.properties.isWhitespace ? "whitespace" : "a character that is not ASCII"
            return "holds \(what) (U+\(String(format: "%04X", scalar.value))) at character \(offset + 1)"
        }
        return nil
    }

    /// A one-way fingerprint of the secret (`sha256:` and the first 16 hex digits of SHA-256 over a domain label and
    /// the secret), which tells two secrets apart without revealing either: what a journal records of its token.
    public var fingerprint: String {
        let digest = SHA256.hash(data: Data("intercom-sh credential fingerprint\u{0}\(appID)\u{0}\(apiKey.revealed)".utf8))
        return "sha256:" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Why these credentials cannot be sent (see ``problem(in:)``); nil when they can.
    public var problem: String? {
        if let problem = Self.problem(in: apiKey.revealed) { return (scheme == .bearer ? "the access token " : "the api key ") + problem }
        if scheme == .basic, let problem = Self.problem(in: appID) { return "the app id " + problem }
        return nil
    }
}

/// A secret api key. Printing it, interpolating it or dumping it gives `***`.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable,
    ExpressibleByStringLiteral
{
    private let value: String

    /// Wraps a key.
    public init(_ value: String) { self.value = value }
    /// Wraps a key given as a literal.
    public init(stringLiteral value: String) { self.value = value }

    /// The key itself: only for the Authorization header and for scrubbing output.
    public var revealed: String { value }
    /// `***`.
    public var description: String { "***" }
    /// `***`.
    public var debugDescription: String { "***" }
    /// A mirror that hides the key.
    public var customMirror: Mirror { Mirror(self, children: ["value": "***"]) }
}

/// The version of intercom-sh and its libraries.
public enum IntercomKitVersion {
    /// The version string, e.g. `0.1.0`.
    public static let current = "0.1.0"
}
