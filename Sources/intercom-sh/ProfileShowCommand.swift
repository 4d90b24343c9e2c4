import ArgumentParser
import Foundation
import IntercomShell

/// `intercom-sh profile show NAME`.
struct ProfileShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a profile's settings, its secret as ***.")

    @Argument(help: "The profile.", completion: profileNameCompletion)
    var name: String

    func run() throws {
        try ProfileFailure.reporting {
            let path = ConfigurationFile.defaultPath()
            guard let file = try ConfigurationFile.load(path), let profile = file.profiles[name] else {
                throw ProfileFailure.unknown(name, in: path)
            }
            var text = "[profiles.\(name)]\n"
            for key in ConfigurationFile.settingKeys where profile[key] != nil {
                let value = ConfigurationFile.secretKeys.contains(key) ? "***" : profile[key] ?? ""
                text += "\(key) = \(value)\n"
            }
            let summary = file.summary(ofProfile: name)
            text += "# API \(summary.apiVersion), requests to \(summary.destination)"
                + (file.defaultProfile == name ? ", the default profile" : "") + "\n"
            try OutputWriter.standardOutput.write(text)
        }
    }
}
