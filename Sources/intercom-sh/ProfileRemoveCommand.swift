import ArgumentParser
import Foundation
import IntercomShell

/// `intercom-sh profile remove NAME`.
struct ProfileRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a profile (and the default profile key, if it named it).")

    @Argument(help: "The profile.", completion: profileNameCompletion)
    var name: String

    func run() throws {
        try ProfileFailure.reporting {
            let path = ConfigurationFile.defaultPath()
            let wasDefault = try ConfigurationFile.whileLocked(path) {
                let (text, file) = try ConfigurationFile.readText(path)
                var editor = ConfigurationFileEditor(text: text)
                guard file.profiles[name] != nil else { throw ProfileFailure.unknown(name, in: path) }
                let wasDefault = try editor.removeProfile(name)
                try ConfigurationFile.save(editor.text, to: path)
                return wasDefault
            }
            try? OutputWriter.standardError.write(
                "intercom-sh: removed profile '\(name)'" + (wasDefault ? " and the default profile key that named it" : "") + "\n")
        }
    }
}
