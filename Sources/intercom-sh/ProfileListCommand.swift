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
            // An aligned table under a header; the default profile is marked with *.
            let rows = [["", "PROFILE", "API", "DESTINATION"]] + file.profiles.keys.sorted().map { name in
                let summary = file.summary(ofProfile: name)
                return [file.defaultProfile == name ? "*" : "", name, summary.apiVersion, summary.destination]
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            var lines = ""
            for row in rows {
                var line = zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                while line.last == " " { line.removeLast() }
                lines += line + "\n"
            }
            if let chosen = file.defaultProfile, file.profiles[chosen] == nil {
                lines += "(the default, '\(chosen)', is no profile here: choose one with intercom-sh profile use NAME)\n"
            } else if file.defaultProfile == nil {
                lines += "(no default: choose one with intercom-sh profile use NAME)\n"
            }
            try OutputWriter.standardOutput.write(lines)
        }
    }
}
