import ArgumentParser
import Foundation
import IntercomKit
import IntercomShell

/// `intercom-sh whoami` (and `intercom-sh auth status`): which workspace and admin the credentials in use belong
/// to, checked with one request.
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show the profile, API version, region, workspace and admin the credentials belong to, and the rate limit left.",
        discussion: "One request: GET /me on the REST API 2.x, one user of GET /users on v1. Exit status 3 when the secret is refused.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        throw ExitCode(await Self.report(connection))
    }

    /// Prints who the credentials of `options` are, and returns the exit status.
    static func report(_ options: ConnectionOptions) async -> Int32 {
        let (rows, failure) = await identify(options)
        if !rows.isEmpty { try? OutputWriter.standardOutput.write(table(rows)) }
        guard let failure else { return 0 }
        try? OutputWriter.standardError.write("intercom-sh: \(failure.message)\n")
        return failure.status
    }

    /// Why credentials could not be shown to work: the message and the exit status (3 for a refused secret).
    struct Failure: Error {
        let message: String
        let status: Int32
    }

    /// Who the credentials of `options` are, from one request, as `key  value` rows (the connection's own rows
    /// even when the request fails), and the failure, if any. `environment` stands for the process's.
    static func identify(
        _ options: ConnectionOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> (rows: [(String, String)], failure: Failure?) {
        guard let opened = await Connection.open(options, environment: environment) else {
            return ([], Failure(message: "no connection to check (see above)", status: 3))
        }
        defer { Task { await opened.close() } }
        let settings = opened.settings
        let rest = settings.apiVersion != .v1
        var rows: [(String, String)] = [
            ("profile", options.sandbox ? "the embedded sandbox" : settings.profile ?? "none (flags and environment)"),
            ("api", settings.apiVersion.description), ("region", Self.region(of: settings.endpoint)), ("endpoint", settings.endpoint.absoluteString),
        ]
        do {
            let response = try await opened.client.send(rest ? .get("me") : try IntercomRequest.getUsers(page: 1, perPage: 1))
            rows += Identity(rest ? .me(response.body) : .users(response.body, appID: opened.credentials.appID)).rows
            if let left = response.rateLimit?.remaining {
                rows.append(("rate limit", "\(ProgressLine.grouped(left))" + (response.rateLimit?.limit.map { " of \(ProgressLine.grouped($0))" } ?? "") + " left in this window"))
            }
            return (rows, nil)
        } catch let error as IntercomError where error.kind == .authentication {
            return (rows, Failure(message: "the \(rest ? "access token" : "app id or api key") was refused (401)", status: 3))
        } catch {
            return (rows, Failure(message: "\(error)", status: 1))
        }
    }

    /// The region an endpoint is in: `us`, `eu` or `au` for Intercom's hosts, else the host itself.
    static func region(of endpoint: URL) -> String {
        switch endpoint.host {
        case "api.intercom.io"?: "us"
        case "api.eu.intercom.io"?: "eu"
        case "api.au.intercom.io"?: "au"
        case let host?: "none (\(host))"
        case nil: "none"
        }
    }

    /// `key  value` lines, the keys padded to the longest.
    static func table(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + TerminalText.escaped($0.1) + "\n" }.joined()
    }
}

/// `intercom-sh auth status`, as gh names it: the same as `whoami`.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Credentials: `auth status` shows whom they belong to (as whoami).", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "The same as intercom-sh whoami.")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            throw ExitCode(await WhoamiCommand.report(connection))
        }
    }
}

/// Whom an answer says the credentials belong to: the workspace and admin of `GET /me`, or v1's app and its users.
struct Identity {
    /// The answer it is read from.
    enum Source {
        case me(JSONValue?)
        case users(JSONValue?, appID: String)
    }

    /// The `workspace` and `admin` (or `users`) lines.
    let rows: [(String, String)]

    init(_ source: Source) {
        switch source {
        case .me(let body):
            let app = body?["app"]
            let workspace = [app?["name"]?.stringValue, app?["id_code"]?.stringValue.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            let admin = [body?["name"]?.stringValue, body?["email"]?.stringValue.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
            rows = [("workspace", workspace.isEmpty ? "?" : workspace), ("admin", admin.isEmpty ? "?" : admin)]
        case .users(let body, let appID):
            let total = body?["total_count"]?.integerValue.map { ProgressLine.grouped(Int($0)) } ?? "?"
            rows = [("workspace", "app \(appID)"), ("users", total)]
        }
    }
}
