import ArgumentParser
import Foundation
import IntercomKit
import IntercomShell

/// `intercom-sh profile add NAME`.
struct ProfileAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store a profile; its secret is read without echo at a terminal, else as the first line of standard input.",
        discussion: """
            The profile keeps --api-version, --region, --endpoint, --app-id and --timeout as given. Its secret is the \
            access token for the REST API 2.x, or the api key for v1 (a profile with --app-id or --api-version v1); \
            it is never taken from the command line. Without --api-version, a profile with --app-id is v1 and one \
            without is 2.x.
            """)

    @Argument(help: "The profile's name: letters, digits, - and _.")
    var name: String

    @OptionGroup(title: "Connection options (a profile keeps --api-version, --region, --endpoint, --app-id and --timeout)")
    var connection: ConnectionOptions

    @Flag(help: "Replace the profile if it exists.")
    var replace = false

    @Flag(name: .customLong("no-verify"), help: "Save the secret without checking it with one request (GET /me, or one user page on v1).")
    var noVerify = false

    func run() async throws {
        let (settings, secret) = readSecretOrExit()
        var identity: [(String, String)] = []
        if !noVerify {
            // Checked with the flags alone: no config file or INTERCOM_* variable may stand in for what is added.
            var options = connection
            if settings.apiVersion == .v1 { options.apiKey = secret } else { options.accessToken = secret }
            let (rows, failure) = await WhoamiCommand.identify(options, environment: ["HOME": "/nonexistent/intercom-sh-profile-check"])
            if let failure {
                ProfileFailure(
                    description: "\(failure.message); nothing was saved (check the secret and the endpoint, or add --no-verify to save it unchecked)",
                    status: failure.status).exit()
            }
            identity = rows.filter { ["workspace", "admin", "users"].contains($0.0) }
        }
        try ProfileFailure.reporting { try save(settings: settings, secret: secret, identity: identity) }
    }

    /// ``readSecret()``, or its failure said and the process ended.
    private func readSecretOrExit() -> (ProfileSettings, String) {
        do { return try readSecret() } catch let failure as ProfileFailure {
            failure.exit()
        } catch let error as ConfigurationError {
            ProfileFailure(description: error.message, status: 3).exit()
        } catch {
            ProfileFailure(description: "\(error)", status: 3).exit()
        }
    }

    /// The profile's settings and its secret, read at the prompt or from standard input and checked for shape.
    private func readSecret() throws -> (ProfileSettings, String) {
        try rejectFlagsThatAreNotSettings()
        let settings: ProfileSettings
        do throws(ConfigurationError) {
            settings = try ProfileSettings(
                name: name, apiVersion: connection.apiVersion, region: connection.region, endpoint: connection.endpoint,
                appID: connection.appID, timeout: connection.timeout)
        } catch { throw ProfileFailure(description: error.message, status: 2) }
        let path = ConfigurationFile.defaultPath()
        guard !(try ConfigurationFile.readText(path).file.profiles[name] != nil && !replace) else {
            throw ProfileFailure.exists(name, in: path)
        }
        guard let secret = SecretPrompt.read(prompt: "\(settings.secretName) for '\(name)': "), !secret.isEmpty else {
            throw ProfileFailure(description: "no \(settings.secretName) given (type it at the prompt, or pipe it as the first line)", status: 2)
        }
        if let problem = Credentials.problem(in: secret) {
            throw ProfileFailure(description: "the \(settings.secretName) read \(problem); nothing was saved", status: 2)
        }
        return (settings, secret)
    }

    /// Writes the profile (the first one also the default) and says so, with whom the secret belongs to.
    private func save(settings: ProfileSettings, secret: String, identity: [(String, String)]) throws {
        do {
            let path = ConfigurationFile.defaultPath()
            var becameDefault = false
            try ConfigurationFile.whileLocked(path) {
                let (original, file) = try ConfigurationFile.readText(path)
                if file.profiles[name] != nil, !replace {
                    throw ProfileFailure.exists(name, in: path)
                }
                var editor = ConfigurationFileEditor(text: original)
                try editor.setProfile(name, settings: settings.withSecret(secret))
                // The first profile becomes the default, so that a plain command finds credentials.
                if file.defaultProfile == nil, file.profiles.isEmpty {
                    try editor.setDefaultProfile(name)
                    becameDefault = true
                }
                try ConfigurationFile.save(editor.text, to: path)
            }
            let belongs = identity.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            try? OutputWriter.standardError.write(
                "intercom-sh: saved profile '\(name)' (\(settings.apiVersion)) in \(path.path)\(becameDefault ? ", the default profile" : "")\n"
                    + (belongs.isEmpty ? "" : "intercom-sh: its \(settings.secretName) works: \(belongs)\n"))
        }
    }

    /// Refuses the connection flags a profile does not keep: a secret on the command line (it would stay in the
    /// shell's history and in the process list), and flags that choose a profile or the sandbox.
    private func rejectFlagsThatAreNotSettings() throws {
        let refused = [
            (connection.apiKey != nil || connection.accessToken != nil,
             "the secret is read at the prompt or from standard input, not from --api-key or --access-token"),
            (connection.sandbox, "--sandbox cannot be stored in a profile"),
            (connection.profile != nil, "--profile chooses a profile to use; name the one to add as the argument"),
        ]
        if let reason = refused.first(where: \.0)?.1 { throw ProfileFailure(description: reason, status: 2) }
    }
}
