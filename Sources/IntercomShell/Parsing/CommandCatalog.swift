import Foundation
public import IntercomKit

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
        /// The named parameters, then a user identifier (with `@` an email, otherwise a user_id).
        case parametersThenIdentifier([String])
        /// A tag name, then user identifiers split into user_ids and emails.
        case tagNameThenIdentifiers
        /// An event name, then an optional user identifier.
        case eventNameThenIdentifier
        /// Every word but `per_page=N` is the readable search filter (``SearchFilterCompiler``), compiled into `query`
        /// and checked against these rules.
        case searchFilter(SearchRules)
        /// A method, a path, and `key=value` words for the body (POST, PUT, PATCH) or the query (GET, DELETE);
        /// `body=`/`query=` give them whole, `body.k=`/`query.k=` choose; a bare `all` walks every page (``APICall``).
        case request
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
    /// More to say in `help <command>`: rules and further examples.
    public var details: [String] = []

    /// Creates a command.
    public init(
        words: [String], operation: OperationName?, fixed: [String: String] = [:], positionals: Positionals, usage: String, summary: String,
        example: String, group: String, required: [String] = [], details: [String] = []
    ) {
        self.words = words
        self.operation = operation
        self.fixed = fixed
        self.positionals = positionals
        self.usage = usage
        self.summary = summary
        self.example = example
        self.group = group
        self.required = required
        self.details = details
    }

    /// The command's name as typed: its words joined by spaces.
    public var name: String { words.joined(separator: " ") }
}

/// Every command of the language, in help order.
public enum CommandCatalog {
    /// The commands: each operation's, in table order, then `help`.
    public static let commands: [CommandSpec] = OperationTable.definitions.flatMap(\.commands) + [
        CommandSpec(
            words: ["help"], operation: nil, positionals: .none,
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
            summary: operation.isRESTOnly
                ? "The REST API 2.x operation \(operation.rawValue) with its parameters."
                : "python-intercom's Intercom.\(operation.rawValue) with its keyword arguments.",
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
        lines.append("The language:")
        for topic in languageTopics {
            lines.append("  " + topic.usage.padding(toLength: max(topic.usage.count, 58), withPad: " ", startingAt: 0) + "  " + topic.summary)
        }
        lines.append("")
        lines.append("Every operation also runs by its python-intercom name: " + OperationName.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        lines.append("A line starting with { is an NDJSON operation: {\"op\":\"get_tag\",\"name\":\"Free Trial\"}.")
        lines.append("help <command> shows its syntax, operation and an example; help <word> lists the commands starting with it.")
        return lines.joined(separator: "\n")
    }

    /// `help <resource>` (the name of a group of several commands as `help` lists it: `conversations`, `tags`): the
    /// commands of that resource; `help <command>`: syntax, operation, parameters (a search's fields), an example,
    /// and the other commands of its resource; `help <topic>` (`set`, `as`, `${`): that part of the language;
    /// `help <word>`: the commands starting with it (`find`, `create`); another word of a resource (`company`): its
    /// commands; `nil` for none of these.
    public static func help(for words: [String]) -> String? {
        let topic = words.joined(separator: " ")
        if commands.filter({ $0.group.lowercased() == topic.lowercased() && $0.group != "Shell" }).count > 1 { return family(topic) }
        if let (spec, used) = match(words), used == words.count { return help(of: spec) }
        if words.count == 1, let language = Self.topic(words[0]) { return help(of: language) }
        if let resource = family(topic, byGroupOnly: true) { return resource }
        if let listing = commands(startingWith: words) { return listing }
        if let (spec, _) = match(words) { return help(of: spec) }
        return family(topic)
    }

    /// One command's help: syntax, summary, operation and parameters, a search's fields, example, details, see also.
    static func help(of spec: CommandSpec) -> String {
        var lines = ["usage: \(spec.usage)", spec.summary]
        if let operation = spec.operation {
            lines.append("runs: \(operation.rawValue)")
            let parameters = operation.parameters.map { "\($0.name) (\($0.kind.description))" }
            lines.append("parameters: " + (parameters.isEmpty ? "none" : parameters.joined(separator: ", ")))
        }
        if case .searchFilter(let rules) = spec.positionals { lines += searchableFields(rules) }
        lines.append("example: \(spec.example)")
        lines += spec.details
        let verbs = Set([spec.words[0], "un" + spec.words[0], String(spec.words[0].dropFirst(spec.words[0].hasPrefix("un") ? 2 : 0))])
        let related = commands.filter { ($0.group == spec.group || verbs.contains($0.words[0])) && $0.words != spec.words && $0.group != "Shell" }
        if !related.isEmpty { lines.append("see also: " + related.map(\.name).joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    /// The commands of the resource `word` names (its group, singular or plural, or a word of its commands), with
    /// their usage and summary; nil when it names none.
    static func family(_ word: String, byGroupOnly: Bool = false) -> String? {
        let word = word.lowercased()
        guard !word.isEmpty else { return nil }
        let forms = [word, word + "s", word.hasSuffix("y") ? word.dropLast() + "ies" : word]
        var members = commands.filter { forms.contains($0.group.lowercased()) && $0.group != "Shell" }
        if members.isEmpty && !byGroupOnly { members = commands.filter { $0.words.contains { forms.contains($0) } } }
        guard let first = members.first else { return nil }
        var lines = ["\(first.group):"]
        let width = min(58, members.map(\.usage.count).max() ?? 0)
        for command in members {
            lines.append("  " + command.usage.padding(toLength: max(command.usage.count, width), withPad: " ", startingAt: 0) + "  " + command.summary)
        }
        lines.append("help <command> shows one command's parameters and an example.")
        return lines.joined(separator: "\n")
    }
}
