import Foundation
import IntercomKit

/// What the language has besides its commands: meta-commands, naming results and references, with their help.
public struct LanguageTopic: Sendable, Hashable {
    /// The words `help` knows it by (`set`, `as`, `${`).
    public let names: [String]
    /// The syntax.
    public let usage: String
    /// One line saying what it does.
    public let summary: String
    /// Rules and examples, one line each.
    public let details: [String]
}

extension CommandCatalog {
    /// The meta-commands and the parts of the language that are no command, in help order.
    public static let languageTopics: [LanguageTopic] = [
        LanguageTopic(
            names: ["as", "name", "names"], usage: "<command> … as NAME", summary: "Name a line's result, for later lines to refer to.",
            details: ["example: find user email=ben@intercom.io as ben", "NDJSON: {\"op\":\"get_user\",\"email\":\"ben@intercom.io\",\"as\":\"ben\"}"]),
        LanguageTopic(
            names: ["${", "$", "references", "reference", "ref", "${_}", "env"], usage: "${NAME.field}  ${_}  ${env:VAR}  ${VAR}  $${  (help references)",
            summary: "Refer to a named result's field, the previous result, the environment, or a --set variable.",
            details: [
                "example: note ${ben.email} \"On the ${ben.custom_data.plan} plan\"",
                "${ben.messages[0].html} indexes arrays; a value that is exactly one reference keeps its JSON type.",
                "${env:…} and source need --trust-input when the lines come from standard input; $${ is a literal ${.",
            ]),
        LanguageTopic(
            names: ["source"], usage: "source FILE", summary: "Run a file's lines in place, relative to the including file.",
            details: ["example: source onboarding.ish", "A file that sources itself, directly or not, is an error."]),
        LanguageTopic(
            names: ["set"], usage: "set [output pretty|table|json|ndjson] [time local|utc|epoch] [timing on|off] [pager on|off|CMD]",
            summary: "At the prompt: show the settings, or change how results are shown.",
            details: ["example: set output table", "Alone, set lists the settings; CSV is for files (intercom-sh --output csv -c '…' > file.csv)."]),
        LanguageTopic(
            names: ["record"], usage: "record FILE | record off", summary: "At the prompt: append each operation and its result to FILE, for replay.",
            details: ["example: record session.ndjson", "intercom-sh replay session.ndjson --check runs it again and compares."]),
        LanguageTopic(
            names: ["exit", "quit"], usage: "exit | quit | Ctrl-D", summary: "At the prompt: leave (exit status 0).",
            details: ["Ctrl-C cancels the line being typed, or the request on its way."]),
    ]

    /// The language topic `word` names, if any.
    static func topic(_ word: String) -> LanguageTopic? {
        let word = word.lowercased()
        return languageTopics.first { $0.names.contains(word) }
    }

    /// The help of a language topic.
    static func help(of topic: LanguageTopic) -> String {
        (["usage: \(topic.usage)", topic.summary] + topic.details).joined(separator: "\n")
    }

    /// The commands whose name starts with `words` (`find`: find user, find tag, …), with usage and summary; nil
    /// when none does.
    static func commands(startingWith words: [String]) -> String? {
        let prefix = words.map { $0.lowercased() }
        let matching = commands.filter { $0.words.count >= prefix.count && zip($0.words, prefix).allSatisfy { $0.hasPrefix($1) } }
        guard !matching.isEmpty else { return nil }
        let width = min(58, matching.map(\.usage.count).max() ?? 0)
        var lines = matching.map { "  " + $0.usage.padding(toLength: max($0.usage.count, width), withPad: " ", startingAt: 0) + "  " + $0.summary }
        lines.insert("Commands starting with '\(words.joined(separator: " "))':", at: 0)
        lines.append("help <command> shows one command's parameters and an example.")
        return lines.joined(separator: "\n")
    }

    /// The fields a search command's filter takes, each with its operators, and how custom attributes are named.
    static func searchableFields(_ rules: SearchRules) -> [String] {
        let byKind = Dictionary(grouping: rules.fields.keys.sorted()) { rules.fields[$0]! }
        let order: [SearchRules.Kind] = [.string, .integer, .float, .boolean, .date, .tagID, .memberID]
        var lines = ["searchable fields of \(rules.subject), by the operators they take:"]
        for kind in order {
            guard let names = byKind[kind], !names.isEmpty else { continue }
            let operators = SearchOperator.allCases.filter(kind.operators.contains).map(\.rawValue).joined(separator: " ")
            lines.append("  \(operators): " + names.joined(separator: ", "))
        }
        if rules.searchesCustomAttributes { lines.append("  custom_attributes.NAME: the operators of the attribute's type") }
        lines.append("combine with and, or and parentheses (at most \(SearchRules.maximumDepth) levels, \(SearchRules.maximumGroupMembers) members a group)")
        return lines
    }
}
