import ArgumentParser
import Foundation
import IntercomShell

/// `intercom-sh profile use NAME`.
struct ProfileUseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use", abstract: "Make a profile the default, used when neither --profile nor INTERCOM_PROFILE names one.")

    @Argument(help: "The profile.", completion: profileNameCompletion)
    var name: String

    func run() throws {
        try ProfileFailure.reporting {
            let path = ConfigurationFile.defaultPath()
            try ConfigurationFile.whileLocked(path) {
                let (original, file) = try ConfigurationFile.readText(path)
                guard file.profiles[name] != nil else { throw ProfileFailure.unknown(name, in: path) }
                var editor = ConfigurationFileEditor(text: original)
                try editor.setDefaultProfile(name)
                try ConfigurationFile.save(editor.text, to: path)
            }
            try? OutputWriter.standardError.write("intercom-sh: '\(name)' is the default profile\n")
        }
    }
}
