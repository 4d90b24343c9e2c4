import Foundation
import IntercomKit
import IntercomShell

/// The root command's discussion: what `--help` shows after the overview and what the man page's DESCRIPTION holds.
/// Plain ASCII (the man page generator drops other characters); an indented line stays a line of its own in the
/// man page, and a blank line starts a paragraph.
enum ManualText {
    static var rootDiscussion: String {
        [introduction, examples, commandLanguage, ndjson, configuration, exitStatus].joined(separator: "\n\n")
    }

    static let introduction = """
        On a terminal, opens an interactive prompt (line editing, history, Tab completion). Otherwise reads commands \
        from standard input, one per line, and writes one result record per operation. `run FILE` runs script files, \
        `replay FILE` runs a recording again, `sandbox` serves the local sandbox, `profile` stores credentials.
        """

    /// Every command of the language with its syntax, grouped as `help` groups them.
    static var commandLanguage: String {
        var lines = [
            "COMMAND LANGUAGE",
            "",
            "One command per line: words separated by blanks, \"double\" or 'single' quotes around a word with blanks, "
                + "key=value for a parameter (typed like JSON: 3 is a number, true a boolean), a trailing \\ to continue on "
                + "the next line. An ident with @ is an email, otherwise a user_id. `help COMMAND` shows a command's "
                + "parameters and an example.",
        ]
        var groups: [String] = []
        for command in CommandCatalog.commands where !groups.contains(command.group) { groups.append(command.group) }
        for group in groups {
            lines.append("")
            lines.append("\(group):")
            // Usage, then the summary under it, each wrapped here between words (no line left for --help to break).
            for command in CommandCatalog.commands where command.group == group {
                lines.append(WordWrap.wrap("  " + ascii(command.usage), width: 78))
                lines.append(WordWrap.wrap("      " + ascii(command.summary), width: 78))
            }
        }
        lines.append("")
        lines.append("Every operation also runs by its python-intercom name: "
            + OperationName.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        return lines.joined(separator: "\n")
    }

    static let examples = """
        EXAMPLES

          intercom-sh --sandbox
              the prompt, on the local sandbox (no account needed)
          intercom-sh --sandbox -c 'find user email=somebody@example.com'
              one command, its result as NDJSON (pretty on a terminal)
          intercom-sh --op create_user --journal import.journal < users.ndjson > out
              a bulk import; after an interruption add --resume and append with >>
          intercom-sh export contacts --since 2026-11-01 --output csv > contacts.csv
              contacts updated since a date, as CSV
          intercom-sh profile add work --region eu && intercom-sh whoami
              store an access token (checked first), then see whose it is
        """

    static let ndjson = """
        NDJSON PROTOCOL

        A line starting with { is an operation: {"op":"create_user","email":"ann@example.com"}; its other keys are \
        the operation's parameters ("ref" is echoed back, "as" names the result for later ${NAME.field} references, \
        --op names the operation of lines without "op"). Each operation gives one record on standard output, in \
        input order:
          {"line":17,"ref":"row-17","op":"create_user","ok":true,"result":{...}}
          {"line":18,"op":"create_note","ok":false,"error":{"type":"not_found",...}}

        Error types: \(FailureType.allCases.map(\.rawValue).joined(separator: ", ")). With --journal an import \
        can resume after an interruption without applying a line twice; --failures FILE keeps failed lines, ready \
        to submit again.
        """

    static let configuration = """
        CONFIGURATION

        Each setting comes from its flag, else its environment variable, else the profile of the config file \
        $XDG_CONFIG_HOME/intercom-sh/config.toml (default ~/.config/intercom-sh/config.toml; --profile, \
        INTERCOM_PROFILE, or its top-level profile key), else the default. v1 takes --app-id and --api-key \
        (INTERCOM_APP_ID, INTERCOM_API_KEY); the REST API 2.x takes --access-token (INTERCOM_ACCESS_TOKEN), \
        --api-version (INTERCOM_API_VERSION) and --region us|eu|au (INTERCOM_REGION). `intercom-sh profile add \
        NAME` stores a profile with its secret, mode 0600. --sandbox needs none of them; --sandbox --api-version \
        2.16 uses the sandbox's REST API face. On 2.x every command keeps its meaning but impression, which 2.x \
        lacks; archive user, unarchive user, search users and events exist on 2.x only.
        """

    static let exitStatus = """
        EXIT STATUS

          0    every operation succeeded
          1    at least one operation failed
          2    usage error
          3    configuration or authentication (no credentials, 401)
          4    a file could not be written (a full disk)
          130  interrupted
        """

    private static func ascii(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{2026}", with: "...")
    }
}
