import IntercomKit

/// Tab completion as a pure function of the text before the cursor and the values known in the session.
public enum CompletionEngine {
    /// What to offer for `line` (the text before the cursor).
    public struct Offer: Sendable, Hashable {
        /// Text to insert at the cursor.
        public var insertion: String
        /// All candidates for the current word (whole words, for listing).
        public var candidates: [String]
    }

    /// Shell words that are not operations.
    public static let shellWords = ["help", "set", "exit", "quit"]

    /// Completes the word before the cursor: command words, second words, parameter keys (with `custom_data.`
    /// keys seen), and values seen in results (emails, user_ids, tag names, thread ids).
    public static func complete(_ line: String, known: KnownValues) -> Offer {
        let (previous, current) = splitWords(line)
        var candidates: [String]
        if previous.isEmpty {
            let firsts = CommandCatalog.commands.map { $0.words[0] } + CommandCatalog.operationCommands.map { $0.words[0] } + shellWords
            candidates = unique(firsts).map { $0 + " " }
        } else if previous.count == 1, let family = secondWords(after: previous[0]) {
            candidates = family.map { $0 + " " }
            if previous[0] == "users" { candidates += parameterCandidates(for: .getUsers, used: [], known: known) }
            if let single = CommandCatalog.commands.first(where: { $0.words == [previous[0].lowercased()] }), single.operation != nil {
                candidates += positionalCandidates(spec: single, arguments: [], known: known)
            }
        } else if previous[0] == "set" {
            let values = ["output": ["pretty", "table", "json", "ndjson"], "time": ["local", "utc", "epoch"], "timing": ["on", "off"], "pager": ["on", "off"]]
            candidates = previous.count == 1 ? ["output ", "time ", "timing ", "pager "] : values[previous[1]] ?? []
        } else if let (spec, used) = CommandCatalog.match(Array(previous.prefix(2))), let operation = spec.operation {
            let arguments = Array(previous.dropFirst(used))
            if spec.positionals == .request {
                candidates = current.contains("=") ? [] : requestCandidates(arguments.filter { !$0.contains("=") })
            } else if let equals = current.firstIndex(of: "=") {
                let key = String(current[..<equals])
                candidates = valueCandidates(for: key, known: known).map { key + "=" + $0 + " " }
            } else {
                let usedKeys = Set(arguments.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
                    .union(spec.fixed.keys).union(boundKeys(spec.positionals, count: arguments.filter { !$0.contains("=") }.count))
                candidates = parameterCandidates(for: operation, used: usedKeys, known: known)
                candidates += positionalCandidates(spec: spec, arguments: arguments, known: known)
            }
        } else {
            candidates = []
        }
        let matching = candidates.filter { $0.hasPrefix(current) }.sorted()
        guard let first = matching.first else { return Offer(insertion: "", candidates: []) }
        var common = Substring(first)
        for candidate in matching.dropFirst() {
            common = common.prefix(zip(common, candidate).prefix { $0 == $1 }.count)
        }
        let insertion = String(common.dropFirst(current.count))
        return Offer(insertion: insertion, candidates: matching.map { $0.trimmingTrailingSpace })
    }

    /// The parameters `count` positional words already set (a tag's name, the identifiers after it), which are not
    /// offered again as `key=`.
    static func boundKeys(_ positionals: CommandSpec.Positionals, count: Int) -> Set<String> {
        let identifier: Set<String> = ["user_id", "email"]
        switch positionals {
        case .identifier(let then): return count == 0 ? [] : identifier.union(then.prefix(count - 1))
        case .parameters(let names): return Set(names.prefix(count))
        case .parametersThenIdentifier(let names): return Set(names.prefix(count)).union(count > names.count ? identifier : [])
        case .tagNameThenIdentifiers: return count == 0 ? [] : Set(count > 1 ? ["name", "user_ids", "emails"] : ["name"])
        case .eventNameThenIdentifier: return count == 0 ? [] : Set(["event_name"]).union(count > 1 ? identifier : [])
        case .none, .searchFilter, .request: return []
        }
    }

    static func secondWords(after first: String) -> [String]? {
        let seconds = CommandCatalog.commands.filter { $0.words.count == 2 && $0.words[0] == first }.map { $0.words[1] }
        return seconds.isEmpty ? nil : seconds
    }

    static func parameterCandidates(for operation: OperationName, used: Set<String>, known: KnownValues) -> [String] {
        var keys: [String] = []
        for parameter in operation.parameters where !used.contains(parameter.name) {
            keys.append(parameter.name + "=")
            if parameter.kind == .flatObject {
                keys += known.customDataKeys.sorted().map { "\(parameter.name).\($0)=" }
            }
            if parameter.kind == .metadata { keys.append("metadata.") }
        }
        return keys
    }

    static func valueCandidates(for key: String, known: KnownValues) -> [String] {
        switch key {
        case "email", "emails": return known.emails.sorted()
        case "user_id", "user_ids": return known.userIDs.sorted()
        case "name", "tag_name": return known.tagNames.sorted().map(quoted)
        case "thread_id": return known.threadIDs.sorted()
        case "company_id": return known.companyIDs.sorted()
        case "conversation_id": return known.conversationIDs.sorted()
        case "admin", "to": return ["me"] + known.adminNames.sorted().map(quoted)
        case "tag_or_untag": return ["tag", "untag"]
        case "read", "unsubscribed_from_emails": return ["true", "false"]
        default: return []
        }
    }

    /// `api`'s words: a method, then the documented paths that have it.
    static func requestCandidates(_ positionals: [String]) -> [String] {
        switch positionals.count {
        case 0: return APICall.methods.map { $0 + " " }
        case 1:
            let method = positionals[0].uppercased()
            return APIDescription.current.operations.filter { $0.method == method }.map(\.path).sorted().map { $0 + " " }
        default: return ["all "]
        }
    }

    static func positionalCandidates(spec: CommandSpec, arguments: [String], known: KnownValues) -> [String] {
        let positionals = arguments.filter { !$0.contains("=") }
        let identifiers = (known.emails.sorted() + known.userIDs.sorted()).map { $0 + " " }
        switch spec.positionals {
        case .identifier(let then):
            if positionals.isEmpty { return identifiers }
            if then.first == "thread_id", positionals.count == 1 { return known.threadIDs.sorted().map { $0 + " " } }
            return []
        case .tagNameThenIdentifiers:
            return positionals.isEmpty ? known.tagNames.sorted().map { quoted($0) + " " } : identifiers
        case .parameters(let names):
            guard positionals.count < names.count else { return [] }
            switch names[positionals.count] {
            case "name" where spec.words.contains("tag") || spec.words.contains("untag"):
                return known.tagNames.sorted().map { quoted($0) + " " }
            case "company_id": return known.companyIDs.sorted().map { $0 + " " }
            case "conversation_id": return known.conversationIDs.sorted().map { $0 + " " }
            default: return []
            }
        case .eventNameThenIdentifier:
            return positionals.count == 1 ? identifiers : []
        case .parametersThenIdentifier(let names):
            if positionals.count == names.count { return identifiers }
            return names.first == "company_id" && positionals.isEmpty ? known.companyIDs.sorted().map { $0 + " " } : []
        case .searchFilter(let rules):
            return positionals.isEmpty ? rules.fields.keys.sorted().map { $0 + " " } : []
        case .request:
            return requestCandidates(positionals)
        case .none:
            return []
        }
    }

    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "#" }) ? "\"" + text.replacingOccurrences("\"", "\\\"") + "\"" : text
    }

    /// The words before the current one (quotes removed) and the current word as typed (quotes kept).
    static func splitWords(_ line: String) -> (previous: [String], current: String) {
        var words: [String] = []
        var word = ""
        var raw = ""
        var quote: Character?
        for character in line {
            if let open = quote {
                raw.append(character)
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                raw.append(character)
            } else if character == " " || character == "\t" {
                if !raw.isEmpty { words.append(word) }
                word = ""
                raw = ""
            } else {
                word.append(character)
                raw.append(character)
            }
        }
        return (words.map { $0 }, raw)
    }

    private static func unique(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }
}

extension String {
    var trimmingTrailingSpace: String { hasSuffix(" ") ? String(dropLast()) : self }

    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
