public import Foundation
import IntercomKit

extension ConfigurationFile {
    /// The text of the file at `path` and what it says; an empty text and file when there is none.
    public static func readText(_ path: URL) throws(ConfigurationError) -> (text: String, file: ConfigurationFile) {
        guard FileManager.default.fileExists(atPath: path.path) else {
            return ("", ConfigurationFile(base: [:], profiles: [:], defaultProfile: nil, readableByOthers: false))
        }
        let text: String
        do { text = try String(contentsOf: path, encoding: .utf8) } catch {
            throw ConfigurationError("cannot read \(path.path): \(error.localizedDescription)")
        }
        return (text, try parse(text, path: path.path))
    }

    /// A profile's API version and where its requests go, as `profile list` and `profile show` print them; top-level
    /// keys apply when the profile does not set them.
    public func summary(ofProfile name: String) -> (apiVersion: String, destination: String) {
        let settings = base.merging(profiles[name] ?? [:]) { _, own in own }
        let version = try? ConnectionSettings.selectedAPIVersion(
            settings["api_version"], accessToken: settings["access_token"].map { APIKey($0) }, appID: settings["app_id"])
        let destination: String
        if let endpoint = settings["endpoint"] {
            destination = endpoint
        } else if version == .v1 {
            destination = IntercomConfiguration.defaultEndpoint.absoluteString
        } else {
            destination = (settings["region"].flatMap(Region.init(rawValue:)) ?? .us).restEndpoint.absoluteString
        }
        return (version?.description ?? settings["api_version"] ?? "?", destination)
    }
}
