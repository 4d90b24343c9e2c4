import ArgumentParser
import Foundation
import IntercomShell

/// `intercom-sh profile list`.
struct ProfileListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the profiles: name, API version, where requests go, and which is the default.")

    func run() throws {
        try ProfileFailure.reporting {
            let path = ConfigurationFile.defaultPath()
            guard let file = try ConfigurationFile.load(path), !file.profiles.isEmpty else {
                try? OutputWriter.standardError.write("intercom-sh: no profiles in \(path.path); add one with: intercom-sh profile add NAME\n")
                return
            }
            var lines = ""
            for name in file.profiles.keys.sorted() {
                let summary = file.summary(ofProfile: name)
                lines += [name, summary.apiVersion, summary.destination].joined(separator: "\t")
                    + (file.defaultProfile == name ? "\t(default)" : "") + "\n"
            }
            try OutputWriter.standardOutput.write(lines)
        }
    }
}
