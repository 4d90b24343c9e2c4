import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// `intercom-sh profile`: storing credentials safely, at a terminal and from a pipe.
@Suite("Profiles", .serialized)
struct ProfileTests {
    static let token = "tok-live-9f2c1e77aa51"
    static let apiKey = "sk-live-profile-3d81b0"

    /// A home folder of its own, with a commented config file.
    static func home() throws -> (directory: URL, config: URL, environment: [String: String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-profiles-\(UUID().uuidString)")
        let config = directory.appendingPathComponent(".config/intercom-sh/config.toml")
        try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "# my settings\ntimeout = 5 # seconds\n\n[profiles.old]\napp_id = \"old-app\" # kept\napi_key = \"old-key\"\n"
            .write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.path)
        let environment = ["HOME": directory.path, "XDG_CONFIG_HOME": "", "INTERCOM_PROFILE": ""]
        return (directory, config, environment)
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("add from a pipe, list, show, remove: 0600, comments kept, the secret in no output")
    func throughAPipe() async throws {
        let (directory, config, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        var outputs: [String] = []
        func run(_ arguments: [String], input: String = "") async throws -> ExecutableRunner.Outcome {
            let outcome = try await ExecutableRunner.run(arguments, input: input, environment: environment)
            outputs += [outcome.standardOutput, outcome.standardError]
            return outcome
        }
        let added = try await run(["profile", "add", "work", "--region", "eu", "--no-verify"], input: "\(Self.token)\nnot read\n")
        #expect(added.status == 0, "\(added.standardError)")
        #expect(try Self.mode(config) == 0o600)
        let v1 = try await run(["profile", "add", "legacy", "--app-id", "legacy-app", "--timeout", "3", "--no-verify"], input: Self.apiKey + "\r\n")
        #expect(v1.status == 0, "\(v1.standardError)")
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.hasPrefix("# my settings\ntimeout = 5 # seconds\n\n[profiles.old]\napp_id = \"old-app\" # kept\n"))
        #expect(text.contains(Self.token) && !text.contains("not read") && text.contains(Self.apiKey + "'"))

        let list = try await run(["profile", "list"])
        #expect(list.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) } == [
            ["PROFILE", "API", "DESTINATION"], ["legacy", "v1", "https://api.intercom.io/v1/"], ["old", "v1", "https://api.intercom.io/v1/"],
            ["work", "2.16", "https://api.eu.intercom.io/"],
            ["(no", "default:", "choose", "one", "with", "intercom-sh", "profile", "use", "NAME)"],
        ], "\(list.standardOutput)")
        let columns = list.standardOutput.split(separator: "\n").prefix(4).map { $0.range(of: "v1")?.lowerBound.utf16Offset(in: $0) ?? $0.range(of: "API")?.lowerBound.utf16Offset(in: $0) ?? $0.range(of: "2.16")?.lowerBound.utf16Offset(in: $0) }
        #expect(Set(columns).count == 1, "aligned: \(list.standardOutput)")
        let show = try await run(["profile", "show", "work"])
        #expect(show.status == 0)
        #expect(show.standardOutput.contains("region = eu") && show.standardOutput.contains("access_token = ***"))

        let again = try await run(["profile", "add", "work"], input: "other\n")
        #expect(again.status == 2 && again.standardError.contains("--replace"))
        let secretOnCommandLine = try await run(["profile", "add", "x", "--access-token", "tok-x"])
        #expect(secretOnCommandLine.status == 2)
        let empty = try await run(["profile", "add", "y"], input: "")
        #expect(empty.status == 2)

        let removed = try await run(["profile", "remove", "work"])
        #expect(removed.status == 0)
        let missing = try await run(["profile", "show", "work"])
        #expect(missing.status == 3)
        let after = try String(contentsOf: config, encoding: .utf8)
        #expect(!after.contains(Self.token) && after.contains("app_id = \"old-app\" # kept"))
        for output in outputs {
            #expect(!output.contains(Self.token) && !output.contains(Self.apiKey) && !output.contains("old-key"))
        }
    }

    @Test("a stored 2.x profile speaks 2.x with its token; a v1 profile is used")
    func usingProfiles() async throws {
        let (directory, _, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await SandboxHarness.withSandbox(SandboxConfiguration(accessToken: APIKey(Self.token), seed: .demo)) { server, _ in
            _ = try await ExecutableRunner.run(
                ["profile", "add", "work", "--endpoint", server.restEndpoint.absoluteString], input: Self.token + "\n", environment: environment)
            let rest = try await ExecutableRunner.run(["--profile", "work", "-c", "find user 123"], environment: environment)
            #expect(rest.status == 0, "\(rest.standardError)")
            #expect(rest.standardOutput.contains(#""type":"contact""#), "\(rest.standardOutput)")
            #expect(!rest.standardOutput.contains(Self.token) && !rest.standardError.contains(Self.token))
        }
        let unreachable = try await ExecutableRunner.run(
            ["--profile", "old", "--endpoint", "http://127.0.0.1:9/v1/", "--retries", "0", "-c", "find tag x"], environment: environment)
        #expect(unreachable.status == 1 && unreachable.standardOutput.contains("\"connection\""), "\(unreachable.standardOutput)")
    }

    @Test("at a terminal the secret is read without echo")
    func atATerminal() async throws {
        let (directory, config, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try await TmuxSession(
            command: "\(RepositoryPaths.executable.path) profile add typed --api-version 2.15 --no-verify; echo EXIT=$?", environment: environment)
        defer { Task { await session.kill() } }
        _ = try await session.waitFor("access token for 'typed': ")
        try await session.type(Self.token)
        try await session.send("Enter")
        let screen = try await session.waitFor("EXIT=")
        #expect(screen.contains("EXIT=0"), "\(screen)")
        #expect(!screen.contains(Self.token))
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.contains("[profiles.typed]\napi_version = '2.15'\naccess_token = '\(Self.token)'"))
        #expect(try Self.mode(config) == 0o600)
    }

    @Test("completion offers the config file's profile names")
    func profileCompletion() async throws {
        let (directory, _, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await ExecutableRunner.run(["profile", "add", "zeta-eu", "--no-verify"], input: Self.token + "\n", environment: environment)
        let script = directory.appendingPathComponent("intercom-sh.bash")
        let generated = try await ExecutableRunner.run(["--generate-completion-script", "bash"])
        try generated.standardOutput.write(to: script, atomically: true, encoding: .utf8)
        let binary = RepositoryPaths.executable.path
        #expect(try await BashCompletion.offers(script: script, words: [binary, "--profile", ""], environment: environment).sorted()
            == ["old", "zeta-eu"])
        #expect(try await BashCompletion.offers(script: script, words: [binary, "profile", "show", "z"], environment: environment)
            == ["zeta-eu"])
        #expect(try await BashCompletion.offers(script: script, words: [binary, "--output", "nd"], environment: environment) == ["ndjson"])
    }

    @Test("profiles added at the same moment are all kept")
    func concurrentAdds() async throws {
        let (directory, _, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = (1...8).map { "p\($0)" }
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for name in names {
                group.addTask {
                    try await ExecutableRunner.run(["profile", "add", name, "--no-verify"], input: "token-\(name)\n", environment: environment).status
                }
            }
            for try await status in group { #expect(status == 0) }
        }
        let list = try await ExecutableRunner.run(["profile", "list"], environment: environment)
        let listed = list.standardOutput.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("(") }.map { String($0.split(separator: " ")[0]) }
        #expect(listed == ["old"] + names, "\(list.standardOutput)")
    }

    @Test("Ctrl-C at the secret prompt exits 130, writes nothing and leaves the terminal echoing")
    func interruptedAtTheSecretPrompt() async throws {
        let (directory, config, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try String(contentsOf: config, encoding: .utf8)
        let session = try await TmuxSession(
            command: "\(RepositoryPaths.executable.path) profile add typed; echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -- '-*echo'",
            environment: environment)
        defer { Task { await session.kill() } }
        _ = try await session.waitFor("access token for 'typed': ")
        try await session.type("half-typed")
        try await session.send("C-c")
        _ = try await session.waitFor("EXIT=")
        try await Task.sleep(for: .milliseconds(500))
        let screen = try await session.screen()
        #expect(screen.contains("EXIT=130"), "\(screen)")
        #expect(screen.split(separator: "\n").contains("echo"), "the terminal was left without echo: \(screen)")
        #expect(!screen.contains("half-typed"))
        #expect(try String(contentsOf: config, encoding: .utf8) == before)
    }
}

extension ProfileTests {
    @Test("a 5 MB or CRLF-damaged secret is not saved; a symlinked 0600 config gives no warning; an inline-table profile is removed")
    func secretsAndLayouts() async throws {
        let (directory, config, environment) = try Self.home()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try String(contentsOf: config, encoding: .utf8)
        let huge = try await ExecutableRunner.run(["profile", "add", "huge"], input: String(repeating: "a", count: 5 << 20) + "\n", environment: environment)
        #expect(huge.status == 2 && huge.standardError.contains("longer than 4096 bytes"), "\(huge.standardError)")
        let spaced = try await ExecutableRunner.run(["profile", "add", "spaced"], input: "tok with blanks\n", environment: environment)
        #expect(spaced.status == 2 && spaced.standardError.contains("whitespace") && !spaced.standardError.contains("blanks"), "\(spaced.standardError)")
        #expect(try String(contentsOf: config, encoding: .utf8) == before)

        let real = directory.appendingPathComponent("real-config.toml")
        try "profile = \"ci\"\n[profiles]\nci = { access_token = \"\(Self.token)\", api_version = \"2.16\" }\n".write(to: real, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: real.path)
        try FileManager.default.removeItem(at: config)
        try FileManager.default.createSymbolicLink(at: config, withDestinationURL: real)
        let list = try await ExecutableRunner.run(["profile", "list"], environment: environment)
        #expect(list.standardOutput.contains("ci"), "\(list.standardOutput)")
        let used = try await ExecutableRunner.run(["--endpoint", "http://127.0.0.1:9/", "--dry-run", "-c", "find user 1"], environment: environment)
        #expect(!used.standardError.contains("can be read by other users"), "\(used.standardError)")
        let removed = try await ExecutableRunner.run(["profile", "remove", "ci"], environment: environment)
        #expect(removed.status == 0, "\(removed.standardError)")
        #expect(!(try String(contentsOf: real, encoding: .utf8)).contains(Self.token))
    }
}

extension ProfileTests {
    @Test("the first profile added is the default; profile use switches; list marks it; whoami says whose the token is")
    func defaultProfileAndWhoami() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-profiles-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let environment = ["HOME": directory.path, "XDG_CONFIG_HOME": "", "INTERCOM_PROFILE": "", "INTERCOM_APP_ID": "", "INTERCOM_API_KEY": "",
                "INTERCOM_ACCESS_TOKEN": "", "INTERCOM_ENDPOINT": ""]
            let rest = server.restEndpoint.absoluteString
            let first = try await ExecutableRunner.run(
                ["profile", "add", "sandbox", "--endpoint", rest, "--api-version", "2.16"], input: "dummy-access-token\n", environment: environment)
            #expect(first.status == 0 && first.standardError.contains("the default profile"), "\(first.standardError)")
            let second = try await ExecutableRunner.run(
                ["profile", "add", "other", "--endpoint", rest, "--api-version", "2.16", "--no-verify"], input: "wrong-token-0123456789\n", environment: environment)
            #expect(second.status == 0 && !second.standardError.contains("default"))
            let unchecked = try await ExecutableRunner.run(
                ["profile", "add", "third", "--endpoint", rest, "--api-version", "2.16"], input: "wrong-token-0123456789\n", environment: environment)
            #expect(unchecked.status == 3 && unchecked.standardError.contains("the access token was refused (401); nothing was saved"),
                "a secret that does not work is not saved: \(unchecked.standardError)")
            #expect(first.standardError.contains("works: workspace intercom-sh sandbox") && first.standardError.contains("admin Ada Admin"),
                "\(first.standardError)")
            let plain = try await ExecutableRunner.run(["-c", "find user 123"], environment: environment)
            #expect(plain.status == 0 && plain.standardOutput.contains("somebody@example.com"), "a plain command uses the default: \(plain.standardError)")
            let whoami = try await ExecutableRunner.run(["whoami"], environment: environment)
            #expect(whoami.status == 0 && whoami.standardOutput.contains("profile     sandbox") && whoami.standardOutput.contains("admin       Ada Admin"),
                "\(whoami.standardOutput)\(whoami.standardError)")
            #expect(whoami.standardOutput.contains("rate limit") && !whoami.standardOutput.contains("dummy-access-token"))
            let use = try await ExecutableRunner.run(["profile", "use", "other"], environment: environment)
            #expect(use.status == 0)
            let list = try await ExecutableRunner.run(["profile", "list"], environment: environment)
            #expect(list.standardOutput.contains("*  other") && list.standardOutput.contains("   sandbox"), "\(list.standardOutput)")
            let refused = try await ExecutableRunner.run(["auth", "status"], environment: environment)
            #expect(refused.status == 3 && refused.standardError.contains("the access token was refused (401)"), "\(refused.standardError)")
            let unknown = try await ExecutableRunner.run(["profile", "use", "nope"], environment: environment)
            #expect(unknown.status != 0 && unknown.standardError.contains("nope"))
            let config = directory.appendingPathComponent(".config/intercom-sh/config.toml")
            let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "profile = 'other'", with: "profile = 'gone'")
            try text.write(to: config, atomically: true, encoding: .utf8)
            let dangling = try await ExecutableRunner.run(["profile", "list"], environment: environment)
            #expect(dangling.standardOutput.contains("the default, 'gone', is no profile here"), "\(dangling.standardOutput)")
        }
    }
}
