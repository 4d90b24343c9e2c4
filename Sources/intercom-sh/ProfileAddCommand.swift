import ArgumentParser
import Foundation
import IntercomKit
import IntercomShell

/// `intercom-sh profile add NAME`.
struct ProfileAddCommand: ParsableCommand {
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

    func run() throws {
        try ProfileFailure.reporting {
            try rejectFlagsThatAreNotSettings()
            let settings: ProfileSettings
            do {
                settings = try ProfileSettings(
                    name: name, apiVersion: connection.apiVersion, region: connection.region, endpoint: connection.endpoint,
                    appID: connection.appID, timeout: connection.timeout)
            } catch let error as ConfigurationError { throw ProfileFailure(description: error.message, status: 2) }
            let path = ConfigurationFile.defaultPath()
            guard !(try ConfigurationFile.readText(path).file.profiles[name] != nil && !replace) else {
                throw ProfileFailure.exists(name, in: path)
            }
            guard let secret = SecretPrompt.read(prompt: "\(settings.secretName) for '\(name)': "), !secret.isEmpty else {
                throw ProfileFailure(
                    description: "no \(settings.secretName) given (type it at the prompt, or pipe it as the first line)", status: 2)
            }
            if let problem = Credentials.problem(in: secret) {
                throw ProfileFailure(description: "the \(settings.secretName) read \(problem); nothing was saved", status: 2)
            }
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
            try? OutputWriter.standardError.write(
                "intercom-sh: saved profile '\(name)' (\(settings.apiVersion)) in \(path.path)\(becameDefault ? ", the default profile" : "")\n")
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
