import Foundation

/// The commands of the command language: their words, the operation each runs, how positional arguments map
/// to parameters, and their help.
public struct CommandSpec: Sendable, Hashable {
    /// How a command's positional (non `key=value`) arguments map to parameters.
    public enum Positionals: Sendable, Hashable {
        /// No positional arguments.
        case none
        /// An optional user identifier (with `@` an email, otherwise a user_id), then the named parameters in order.
        case identifier(then: [String])
        /// The named parameters, in order.
        case parameters([String])
        /// A tag name, then user identifiers split into user_ids and emails.
        case tagNameThenIdentifiers
        /// An event name, then an optional user identifier.
        case eventNameThenIdentifier
        /// Every word but `per_page=N` is the readable search filter (``SearchFilterCompiler``), compiled into `query`.
        case searchFilter
    }

    /// The command's words, e.g. `["find", "user"]`.
    public let words: [String]
    /// The operation it runs (`nil` for `help`).
    public let operation: OperationName?
    /// Parameters the command always sets (e.g. `tag_or_untag=tag`).
    public let fixed: [String: String]
    /// How positional arguments map.
    public let positionals: Positionals
    /// The syntax, e.g. `find user <ident> | email=… | user_id=…`.
    public let usage: String
    /// One line saying what it does.
    public let summary: String
    /// A complete example.
    public let example: String
    /// The help group.
    public let group: String
    /// Parameters the command cannot run without, though its operation can (`thread` needs `thread_id`, which
    /// get_message_threads only uses to pick one thread).
    public var required: [String] = []

    /// The command's name as typed: its words joined by spaces.
    public var name: String { words.joined(separator: " ") }
}

/// Every command of the language, in help order.
public enum CommandCatalog {
    /// The commands.
    public static let commands: [CommandSpec] = [
        CommandSpec(
            words: ["find", "user"], operation: .getUser, fixed: [:], positionals: .identifier(then: []),
            usage: "find user <ident> | email=<email> | user_id=<id> | id=<contact id, 2.x>", summary: "Show one user.",
            example: "find user email=somebody@example.com", group: "Users"),
        CommandSpec(
            words: ["users", "all"], operation: .allUsers, fixed: [:], positionals: .none,
            usage: "users all [per_page=N] [tag_id=<id>] [tag_name=<name>]", summary: "List every user, page after page (one record each).",
            example: "users all tag_name=\"Free Trial\"", group: "Users"),
        CommandSpec(
            words: ["users"], operation: .getUsers, fixed: [:], positionals: .none,
            usage: "users [page=N] [per_page=N] [tag_id=<id>] [tag_name=<name>]", summary: "List one page of users.",
            example: "users page=2 per_page=50", group: "Users"),
        CommandSpec(
            words: ["create", "user"], operation: .createUser, fixed: [:], positionals: .identifier(then: []),
            usage: "create user [<ident>] <key=value…>", summary: "Create a user, or update the one with the same user_id or email.",
            example: "create user email=ben@intercom.io name=\"Ben McRedmond\" custom_data.plan=pro", group: "Users"),
        CommandSpec(
            words: ["update", "user"], operation: .updateUser, fixed: [:], positionals: .identifier(then: []),
            usage: "update user <ident> <key=value…>", summary: "Update a user.",
            example: "update user 123 name=Guido custom_data.seats=3", group: "Users"),
        CommandSpec(
            words: ["delete", "user"], operation: .deleteUser, fixed: [:], positionals: .identifier(then: []),
            usage: "delete user <ident>", summary: "Delete a user (answers with the user as it was).",
            example: "delete user somebody@example.com", group: "Users"),
        CommandSpec(
            words: ["archive", "user"], operation: .archiveUser, fixed: [:], positionals: .identifier(then: []),
            usage: "archive user <ident> | id=<contact id>", summary: "Archive a contact (REST API 2.x only).",
            example: "archive user somebody@example.com", group: "Users"),
        CommandSpec(
            words: ["unarchive", "user"], operation: .unarchiveUser, fixed: [:], positionals: .identifier(then: []),
            usage: "unarchive user id=<contact id> | <ident archived in this run>",
            summary: "Unarchive a contact, found by its Intercom id only (REST API 2.x only).",
            example: "unarchive user id=5ba682d23d7cf92bef87bfd4", group: "Users"),
        CommandSpec(
            words: ["search", "users"], operation: .searchUsers, fixed: [:], positionals: .searchFilter,
            usage: "search users <field> <op> <value> [and|or …] [per_page=N]",
            summary: "List the contacts matching a filter, one record each (REST API 2.x only); ops = != ~ !~ ^ $ < <= > >= in nin.",
            example: "search users email ~ example.com and (role = lead or created_at > 2026-11-01)", group: "Users"),
        CommandSpec(
            words: ["note"], operation: .createNote, fixed: [:], positionals: .identifier(then: ["body"]),
            usage: "note <ident> \"<body>\"", summary: "Write a note on a user.",
            example: "note somebody@example.com \"Called about the invoice\"", group: "Activity"),
        CommandSpec(
            words: ["impression"], operation: .createImpression, fixed: [:], positionals: .identifier(then: []),
            usage: "impression <ident> [user_ip=…] [user_agent=…] [location=…]", summary: "Record that a user used the app.",
            example: "impression 123 user_ip=2.3.4.5 user_agent=MyApp/1.0 location=/pricing", group: "Activity"),
        CommandSpec(
            words: ["event"], operation: .createEvent, fixed: [:], positionals: .eventNameThenIdentifier,
            usage: "event <name> <ident> | user_id=… | email=… [metadata.<key>=<value>…] [created=<unix time>]",
            summary: "Record an event (created defaults to now).",
            example: "event sent-invite user_id=314159 metadata.invite_code=ADDAFRIEND", group: "Activity"),
        CommandSpec(
            words: ["events"], operation: .listEvents, fixed: [:], positionals: .identifier(then: []),
            usage: "events <ident>", summary: "List a contact's events (REST API 2.x only; the live API keeps 90 days).",
            example: "events somebody@example.com", group: "Activity"),
        CommandSpec(
            words: ["threads"], operation: .getMessageThreads, fixed: [:], positionals: .identifier(then: []),
            usage: "threads <ident>", summary: "List a user's message threads.",
            example: "threads somebody@example.com", group: "Messages"),
        CommandSpec(
            words: ["thread"], operation: .getMessageThreads, fixed: [:], positionals: .identifier(then: ["thread_id"]),
            usage: "thread <ident> <thread_id>", summary: "Show one message thread.",
            example: "thread somebody@example.com 5591", group: "Messages", required: ["thread_id"]),
        CommandSpec(
            words: ["message"], operation: .createMessageThread, fixed: [:], positionals: .identifier(then: ["body"]),
            usage: "message <ident> \"<body>\"", summary: "Start a message thread from a user.",
            example: "message somebody@example.com \"Hey Intercom, What is up?\"", group: "Messages"),
        CommandSpec(
            words: ["reply"], operation: .replyMessageThread, fixed: [:], positionals: .identifier(then: ["thread_id", "body"]),
            usage: "reply <ident> <thread_id> [\"<body>\"] [read=true|false]", summary: "Reply to a thread and/or mark it read.",
            example: "reply somebody@example.com 5591 \"Not much\" read=true", group: "Messages"),
        CommandSpec(
            words: ["find", "tag"], operation: .getTag, fixed: [:], positionals: .parameters(["name"]),
            usage: "find tag \"<name>\"", summary: "Show a tag and how many users carry it.",
            example: "find tag \"Free Trial\"", group: "Tags"),
        CommandSpec(
            words: ["tag"], operation: .createTag, fixed: ["tag_or_untag": "tag"], positionals: .tagNameThenIdentifiers,
            usage: "tag \"<name>\" <ident…>", summary: "Create a tag if needed and tag users (idents with @ are emails).",
            example: "tag \"Free Trial\" abc123 def456 ana@example.com", group: "Tags"),
        CommandSpec(
            words: ["untag"], operation: .updateTag, fixed: ["tag_or_untag": "untag"], positionals: .tagNameThenIdentifiers,
            usage: "untag \"<name>\" <ident…>", summary: "Remove users from a tag.",
            example: "untag \"Free Trial\" abc123", group: "Tags"),
        CommandSpec(
            words: ["help"], operation: nil, fixed: [:], positionals: .none,
            usage: "help [<command>]", summary: "List the commands, or show one command's syntax and example.",
            example: "help tag", group: "Shell"),
    ]

    /// Every operation name also works as a command taking `key=value` arguments (and a user identifier).
    public static let operationCommands: [CommandSpec] = OperationName.allCases.map { operation in
        let takesIdentifier = operation.parameter("user_id") != nil
        return CommandSpec(
            words: [operation.rawValue], operation: operation, fixed: [:],
            positionals: takesIdentifier ? .identifier(then: []) : .none,
            usage: "\(operation.rawValue) \(takesIdentifier ? "[<ident>] " : "")<key=value…>",
            summary: "python-intercom's Intercom.\(operation.rawValue) with its keyword arguments.",
            example: "\(operation.rawValue) " + operation.parameters.prefix(2).map { "\($0.name)=…" }.joined(separator: " "),
            group: "Operations")
    }

    /// Other spellings people type.
    public static let aliases: [String: [String]] = [
        "get user": ["find", "user"], "show user": ["find", "user"], "user": ["find", "user"],
        "get tag": ["find", "tag"], "show tag": ["find", "tag"], "list users": ["users"], "?": ["help"],
        "add user": ["create", "user"], "remove user": ["delete", "user"], "rm user": ["delete", "user"],
    ]

    /// The command that `words` start with (longest match first), and how many words it used.
    public static func match(_ words: [String]) -> (spec: CommandSpec, wordCount: Int)? {
        let lowered = words.map { $0.lowercased() }
        for count in stride(from: min(2, lowered.count), through: 1, by: -1) {
            let prefix = Array(lowered.prefix(count))
            let target = aliases[prefix.joined(separator: " ")] ?? prefix
            if let spec = (commands + operationCommands).first(where: { $0.words == target }) {
                return (spec, count)
            }
        }
        return nil
    }

    /// The names of all commands, for suggestions and completion.
    public static var names: [String] { commands.map(\.name) + operationCommands.map(\.name) }

    /// `help`: every command, grouped.
    public static var overview: String {
        var lines = ["Commands (idents with @ are emails, otherwise user_ids; values are typed like jo):"]
        var groups: [String] = []
        for command in commands where !groups.contains(command.group) { groups.append(command.group) }
        for group in groups {
            lines.append("")
            lines.append("\(group):")
            for command in commands where command.group == group {
                lines.append("  " + command.usage.padding(toLength: max(command.usage.count, 58), withPad: " ", startingAt: 0) + "  " + command.summary)
            }
        }
        lines.append("")
        lines.append("Every operation also runs by its python-intercom name: " + OperationName.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        lines.append("A line starting with { is an NDJSON operation: {\"op\":\"get_tag\",\"name\":\"Free Trial\"}.")
        lines.append("help <command> shows its syntax, operation and an example.")
        return lines.joined(separator: "\n")
    }

    /// `help <command>`: syntax, operation, parameters and an example; `nil` for an unknown command.
    public static func help(for words: [String]) -> String? {
        guard let (spec, _) = match(words) else { return nil }
        var lines = ["usage: \(spec.usage)", spec.summary]
        if let operation = spec.operation {
            lines.append("runs: \(operation.rawValue)")
            lines.append("parameters: " + operation.parameters.map { "\($0.name) (\($0.kind.description))" }.joined(separator: ", "))
        }
        lines.append("example: \(spec.example)")
        return lines.joined(separator: "\n")
    }
}
