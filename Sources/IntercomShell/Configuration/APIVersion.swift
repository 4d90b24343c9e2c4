public import Foundation

/// Which Intercom API a connection speaks: v1 (app id and api key, python-intercom 0.2.13) or a version of the
/// current REST API (bearer access token, `Intercom-Version` header).
public enum APIVersion: Sendable, Hashable, CustomStringConvertible {
    /// The v1 API.
    case v1
    /// A version of the REST API: `2.N`, or `Preview` (`Unstable` is its older name).
    case rest(String)

    /// The REST API version used when only "2.x" is implied.
    public static let defaultREST = APIVersion.rest("2.16")

    /// The versions this build of intercom-sh was built and tested against (any 2.x may be named: the REST API
    /// serves each request at the version it names).
    public static let spoken: [APIVersion] = [.v1, .defaultREST]

    /// Parses `v1`, `2.N` or `Preview`/`Unstable`; nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "v1" { self = .v1; return }
        if ["preview", "unstable"].contains(trimmed.lowercased()) { self = .rest("Preview"); return }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "2", !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isASCII),
            parts[1].allSatisfy(\.isNumber)
        else { return nil }
        self = .rest(trimmed)
    }

    /// `v1`, `2.16` or `Preview`.
    public var description: String {
        switch self {
        case .v1: "v1"
        case .rest(let version): version
        }
    }

    /// The `Intercom-Version` header's value; nil for v1.
    public var headerValue: String? {
        if case .rest(let version) = self { return version }
        return nil
    }
}

/// An Intercom hosting region, which picks the REST API's host.
public enum Region: String, Sendable, CaseIterable {
    /// `api.intercom.io`.
    case us
    /// `api.eu.intercom.io`.
    case eu
    /// `api.au.intercom.io`.
    case au

    /// The REST API root in this region.
    public var restEndpoint: URL {
        switch self {
        case .us: URL(string: "https://api.intercom.io/")!
        case .eu: URL(string: "https://api.eu.intercom.io/")!
        case .au: URL(string: "https://api.au.intercom.io/")!
        }
    }
}
