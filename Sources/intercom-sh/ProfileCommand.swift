import ArgumentParser
import Foundation
import IntercomShell

/// `intercom-sh profile`: stores, lists, shows and removes the profiles of the config file.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Store, list, choose, show and remove the profiles of the config file.",
        discussion: """
            Profiles live in $XDG_CONFIG_HOME/intercom-sh/config.toml (default ~/.config/intercom-sh/config.toml), which \
            intercom-sh keeps at mode 0600. Edits keep the file's other content and comments.
            """,
        subcommands: [ProfileAddCommand.self, ProfileListCommand.self, ProfileUseCommand.self, ProfileShowCommand.self, ProfileRemoveCommand.self])
}

/// Completion for profile names: the profiles of the config file.
let profileNameCompletion = CompletionKind.custom { _, _, _ in
    ((try? ConfigurationFile.load(ConfigurationFile.defaultPath()))??.profiles.keys.sorted()) ?? []
}
