import Foundation
import IntercomKit
import IntercomShell
import Testing

@Suite("Config file edits")
struct ConfigurationFileEditorTests {
    static let commented = """
        # intercom-sh settings
        profile = "staging"   # the usual one
        timeout = 5

        [profiles.staging]  # the test workspace
        app_id = "staging-app"
        # rotated 2026-11
        api_key = "staging-key"

        # production: be careful
        [profiles.production]
        app_id = "prod-app"
        api_key = "prod-key"
        """

    static func parsed(_ text: String) throws -> ConfigurationFile { try ConfigurationFile.parse(text, path: "test") }

    @Test("a new profile is appended; every comment and other profile stays")
    func addKeepsTheRest() throws {
        var editor = ConfigurationFileEditor(text: Self.commented)
        try editor.setProfile("eu", settings: [("api_version", "2.16"), ("region", "eu"), ("access_token", "tok'\"\\n")])
        #expect(editor.text.hasPrefix(Self.commented + "\n"))
        for line in Self.commented.split(separator: "\n") { #expect(editor.text.contains(line)) }
        let file = try Self.parsed(editor.text)
        #expect(file.profiles["eu"] == ["api_version": "2.16", "region": "eu", "access_token": "tok'\"\\n"])
        #expect(file.profiles["staging"] == ["app_id": "staging-app", "api_key": "staging-key"])
        #expect(file.defaultProfile == "staging")
    }

    @Test("replacing a profile rewrites its keys in place and keeps its comments")
    func replaceInPlace() throws {
        var editor = ConfigurationFileEditor(text: Self.commented)
        try editor.setProfile("staging", settings: [("app_id", "new-app"), ("api_key", "new-key"), ("endpoint", "http://127.0.0.1:9/v1/")])
        #expect(editor.text.contains("[profiles.staging]  # the test workspace"))
        #expect(editor.text.contains("# rotated 2026-11"))
        #expect(editor.text.contains("# production: be careful\n[profiles.production]"))
        #expect(!editor.text.contains("staging-key"))
        let file = try Self.parsed(editor.text)
        #expect(file.profiles["staging"] == ["app_id": "new-app", "api_key": "new-key", "endpoint": "http://127.0.0.1:9/v1/"])
        #expect(file.profiles["production"] == ["app_id": "prod-app", "api_key": "prod-key"])
    }

    @Test("removing the default profile removes the profile key too; the next table keeps its comment")
    func removeDefault() throws {
        var editor = ConfigurationFileEditor(text: Self.commented)
        #expect(try editor.removeProfile("staging"))
        let file = try Self.parsed(editor.text)
        #expect(file.profiles.keys.sorted() == ["production"])
        #expect(file.defaultProfile == nil)
        #expect(file.base == ["timeout": "5"])
        #expect(editor.text.contains("# intercom-sh settings"))
        #expect(editor.text.contains("# production: be careful\n[profiles.production]"))
        #expect(!editor.text.contains("staging-key"))
        #expect(try editor.removeProfile("production") == false)
        #expect(try Self.parsed(editor.text).profiles.isEmpty)
        #expect(throws: ConfigurationError.self) { try editor.removeProfile("production") }
    }

    @Test("an edit the file's layout cannot take is refused and changes nothing")
    func refusedEdits() throws {
        let inline = "profiles.work = { app_id = \"a\", api_key = \"k\" }\n"
        var editor = ConfigurationFileEditor(text: inline)
        #expect(throws: ConfigurationError.self) { try editor.setProfile("work", settings: [("app_id", "b"), ("api_key", "k2")]) }
        #expect(editor.text == inline)
        var empty = ConfigurationFileEditor(text: "")
        try empty.setProfile("first", settings: [("access_token", "t")])
        #expect(try Self.parsed(empty.text).profiles["first"] == ["access_token": "t"])
        #expect(ConfigurationFileEditor.isValidProfileName("prod-eu_2"))
        for bad in ["", "a b", "a.b", "x]", "é", String(repeating: "a", count: 65)] {
            #expect(!ConfigurationFileEditor.isValidProfileName(bad), "\(bad)")
        }
    }

    @Test("saving replaces the file atomically, 0600, through a symbolic link")
    func saving() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-save-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("dotfiles/config.toml")
        try ConfigurationFile.save("timeout = 1\n", to: real)
        let link = directory.appendingPathComponent("config.toml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: real.path)
        try ConfigurationFile.save("timeout = 2\n", to: link)
        #expect(try String(contentsOf: real, encoding: .utf8) == "timeout = 2\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
        let mode = try FileManager.default.attributesOfItem(atPath: real.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: real.deletingLastPathComponent().path) == ["config.toml"])
    }

    @Test("the API: explicit version, else 2.x for a token without an app id, else v1; the region picks the host")
    func apiSelection() throws {
        let file = try ConfigurationTests.configFile("""
            [profiles.v1]
            app_id = "a"
            api_key = "k"

            [profiles.rest]
            access_token = "t"
            region = "eu"
            """)
        let v1 = try ConnectionSettings.resolve(flags: ConnectionFlags(profile: "v1"), environment: [:], configFile: file)
        #expect(v1.apiVersion == .v1)
        #expect(v1.endpoint == IntercomConfiguration.defaultEndpoint)
        let rest = try ConnectionSettings.resolve(flags: ConnectionFlags(profile: "rest"), environment: [:], configFile: file)
        #expect(rest.apiVersion == .rest("2.16"))
        #expect(rest.endpoint.absoluteString == "https://api.eu.intercom.io/")
        #expect(rest.accessToken?.revealed == "t")
        let pinned = try ConnectionSettings.resolve(
            flags: ConnectionFlags(apiVersion: "2.15", region: "au", profile: "rest"), environment: ["INTERCOM_REGION": "us"], configFile: file)
        #expect(pinned.apiVersion == .rest("2.15"))
        #expect(pinned.endpoint.absoluteString == "https://api.au.intercom.io/")
        let fromEnvironment = try ConnectionSettings.resolve(
            flags: ConnectionFlags(profile: "v1"), environment: ["INTERCOM_API_VERSION": "2.16"], configFile: file)
        #expect(fromEnvironment.apiVersion == .rest("2.16"))
        #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(flags: ConnectionFlags(apiVersion: "3.0", profile: "v1"), environment: [:], configFile: file)
        }
        #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(flags: ConnectionFlags(region: "mars", profile: "rest"), environment: [:], configFile: file)
        }
        let restCredentials = try rest.credentials()
        #expect(restCredentials.scheme == .bearer && restCredentials.authorization == "Bearer t")
        #expect(APIVersion(parsing: "Unstable") == .rest("Preview"))
        #expect(APIVersion(parsing: "2.") == nil)
        #expect(APIVersion(parsing: "v2") == nil)
    }
}

@Suite("Profile settings")
struct ProfileSettingsTests {
    @Test("the API version follows the flags; the secret's key follows the version; conflicts are refused")
    func decisions() throws {
        let rest = try ProfileSettings(name: "eu", apiVersion: nil, region: .eu, endpoint: nil, appID: nil, timeout: 2.5)
        #expect(rest.apiVersion == .rest("2.16") && rest.secretKey == "access_token")
        #expect(rest.withSecret("t").map(\.key) == ["region", "timeout", "access_token"])
        #expect(rest.values.last?.value == "2.5")
        let v1 = try ProfileSettings(name: "old", apiVersion: nil, region: nil, endpoint: "http://127.0.0.1:9/v1/", appID: "a", timeout: 3)
        #expect(v1.apiVersion == .v1 && v1.secretKey == "api_key")
        #expect(v1.withSecret("k").map(\.value) == ["http://127.0.0.1:9/v1/", "a", "3", "k"])
        let pinned = try ProfileSettings(name: "p", apiVersion: "2.15", region: nil, endpoint: nil, appID: nil, timeout: nil)
        #expect(pinned.values == [ProfileSettings.Setting(key: "api_version", value: "2.15")])
        let refused: [() throws -> ProfileSettings] = [
            { try ProfileSettings(name: "a b", apiVersion: nil, region: nil, endpoint: nil, appID: nil, timeout: nil) },
            { try ProfileSettings(name: "x", apiVersion: "v1", region: nil, endpoint: nil, appID: nil, timeout: nil) },
            { try ProfileSettings(name: "x", apiVersion: "2.16", region: nil, endpoint: nil, appID: "a", timeout: nil) },
            { try ProfileSettings(name: "x", apiVersion: nil, region: .au, endpoint: nil, appID: "a", timeout: nil) },
            { try ProfileSettings(name: "x", apiVersion: "3", region: nil, endpoint: nil, appID: nil, timeout: nil) },
            { try ProfileSettings(name: "x", apiVersion: nil, region: nil, endpoint: "ftp://h", appID: nil, timeout: nil) },
            { try ProfileSettings(name: "x", apiVersion: nil, region: nil, endpoint: nil, appID: nil, timeout: 0) },
        ]
        for (index, attempt) in refused.enumerated() {
            #expect(throws: ConfigurationError.self, "case \(index)") { _ = try attempt() }
        }
    }

    @Test("the default profile is set in place, or added above the first table; comments stay; an unknown one is refused")
    func defaultProfile() throws {
        var editor = ConfigurationFileEditor(text: "# mine\ntimeout = 5\n\n[profiles.a]\napp_id = \"x\"\n\n[profiles.b]\napp_id = \"y\"\n")
        try editor.setDefaultProfile("a")
        #expect(editor.text == "profile = 'a'\n# mine\ntimeout = 5\n\n[profiles.a]\napp_id = \"x\"\n\n[profiles.b]\napp_id = \"y\"\n")
        try editor.setDefaultProfile("b")
        #expect(editor.text.hasPrefix("profile = 'b'\n# mine\n") && editor.text.components(separatedBy: "profile =").count == 2)
        #expect(throws: ConfigurationError.self) { try editor.setDefaultProfile("c") }
        var bare = ConfigurationFileEditor(text: "[profiles.a]\napp_id = \"x\"\n")
        try bare.setDefaultProfile("a")
        #expect(bare.text == "profile = 'a'\n\n[profiles.a]\napp_id = \"x\"\n")
    }
}
