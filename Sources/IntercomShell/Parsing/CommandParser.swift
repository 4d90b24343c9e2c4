import IntercomKit

/// What one line of input asks for.
public enum ParsedLine: Sendable, Hashable {
    /// Nothing: a blank or comment line.
    case empty
    /// An operation to run.
    case operation(Operation)
    /// Help text to show.
    case help(String)
    /// Run the lines of a file (`source FILE`), relative to the including file.
    case source(String)
}

/// Parses the command language into operations.
public enum CommandParser {
    /// Parses one complete line of the command language, replacing `${…}` references from `context`.
    public static func parse(_ line: String, context: ReferenceContext? = nil) -> Result<ParsedLine, InputError> {
        switch CommandTokenizer.split(line) {
        case .failed(let error), .incomplete(let error):
            return .failure(error)
        case .words(var words):
            do {
                var alias: String?
                if words.count >= 3, words[words.count - 2].text == "as", words[words.count - 2].key == nil,
                    !words[words.count - 2].valueQuoted
                {
                    let name = words[words.count - 1]
                    guard ShellNames.isValid(name.text) else {
                        throw InputError("'\(name.text)' is not a name for 'as' (letters, digits, _ and -)", column: name.column)
                    }
                    alias = name.text
                    words.removeLast(2)
                }
                if let context {
                    let apiPath = words.count > 2 && words[0].key == nil && words[0].text.lowercased() == "api" ? 2 : nil
                    words = try interpolate(words, context: context, pathAt: apiPath)
                }
                var parsed = try parse(words: words)
                if case .operation(var operation) = parsed {
                    operation.alias = alias
                    parsed = .operation(operation)
                } else if alias != nil {
                    throw InputError("only an operation can be named with 'as'")
                }
                return .success(parsed)
            } catch let error as InputError {
                return .failure(error)
            } catch {
                return .failure(InputError("\(error)"))
            }
        }
    }

    /// Replaces references in words: a word (or value) that is exactly one reference keeps the referenced type. The
    /// word at `pathAt` is an API path, whose references each become one path segment.
    static func interpolate(
        _ words: [CommandTokenizer.Word], context: ReferenceContext, pathAt: Int? = nil
    ) throws(InputError) -> [CommandTokenizer.Word] {
        var result: [CommandTokenizer.Word] = []
        for (index, var word) in words.enumerated() {
            guard word.value.contains("${") else {
                result.append(word)
                continue
            }
            if index == pathAt, word.key == nil {
                do { word.text = try context.interpolatePath(word.text) } catch { throw InputError(error.message, column: word.column) }
                word.value = word.text
                result.append(word)
                continue
            }
            let value: JSONValue
            do { value = try context.interpolate(word.value) } catch { throw InputError(error.message, column: word.column) }
            if case .string(let text) = value {
                word.value = text
                word.valueQuoted = true
            } else {
                word.value = value.encodedString()
                word.valueQuoted = false
                if value.integerValue == nil && value.doubleValue == nil { word.referenced = value }
            }
            word.text = word.key.map { $0 + "=" + word.value } ?? word.value
            result.append(word)
        }
        return result
    }

    /// The prompt's own commands, which a script, `-c` or a pipe does not take, each with what does its job there.
    static let promptOnly = [
        "set": "give --output, --time or --no-pager on the command line",
        "record": "give --record FILE on the command line",
        "exit": "the input's end ends the run", "quit": "the input's end ends the run",
    ]

    /// Parses the words of one line.
    public static func parse(words: [CommandTokenizer.Word]) throws(InputError) -> ParsedLine {
        guard let first = words.first else { return .empty }
        if first.text == "source", first.key == nil {
            guard words.count == 2 else { throw InputError("usage: source FILE", column: first.column) }
            return .source(words[1].text)
        }
        guard let (spec, used) = CommandCatalog.match(words.prefix(2).map(\.text)), first.key == nil else {
            let families = CommandCatalog.commands.filter { $0.words.count == 2 && $0.words[0] == first.text.lowercased() }
            if !families.isEmpty {
                let typed = words.prefix(2).map(\.text).joined(separator: " ")
                let suggestion = NearestWord.find(typed, in: families.map(\.name)) ?? families.map(\.name).joined(separator: " or ")
                throw InputError("unknown command '\(typed)'; did you mean \(suggestion)?", column: first.column)
            }
            if let flags = Self.promptOnly[first.text.lowercased()] {
                throw InputError("\(first.text.lowercased()) works at the interactive prompt only; here, \(flags)", column: first.column)
            }
            let suggestion = NearestWord.find(first.text, in: CommandCatalog.names.map { String($0.prefix { $0 != " " }) })
            throw InputError(
                "unknown command '\(first.text)'" + (suggestion.map { "; did you mean \($0)?" } ?? "; type help for the list"),
                column: first.column)
        }
        let arguments = Array(words.dropFirst(used))
        guard let operation = spec.operation else {
            let topic = arguments.map(\.text)
            if topic.isEmpty { return .help(CommandCatalog.overview) }
            if topic.count > 1, topic[0].lowercased() == "api" {
                switch APIHelp.topic(Array(topic.dropFirst())) {
                case .success(let text): return .help(text)
                case .failure(let error): throw InputError(error.message, column: arguments[1].column)
                }
            }
            guard let text = CommandCatalog.help(for: topic) else {
                throw InputError("no command '\(topic.joined(separator: " "))'; type help for the list", column: arguments[0].column)
            }
            return .help(text)
        }
        var parameters: JSONObject = spec.fixed.mapValues(JSONValue.string)
        var positionals: [CommandTokenizer.Word] = []
        if case .searchFilter(let rules) = spec.positionals {
            let parameters = try searchParameters(arguments, operation: operation, usage: spec, rules: rules)
            return .operation(Operation(name: operation, parameters: parameters))
        }
        if spec.positionals == .request {
            return .operation(Operation(name: operation, parameters: try requestParameters(arguments, usage: spec.usage, at: first.column)))
        }
        for word in arguments {
            if let key = word.key {
                try assign(word, key: key, into: &parameters, operation: operation)
            } else {
                positionals.append(word)
            }
        }
        try assignPositionals(positionals, spec: spec, operation: operation, into: &parameters)
        if let missing = spec.required.first(where: { parameters[$0] == nil }) {
            throw InputError("\(missing) is required (usage: \(spec.usage))", column: first.column)
        }
        return .operation(Operation(name: operation, parameters: parameters))
    }

    /// The parameters of a search command: `key=value` words naming the operation's other parameters (`per_page=N`,
    /// `since=…`), and the rest of the words compiled into `query`, which the command may require.
    static func searchParameters(
        _ words: [CommandTokenizer.Word], operation: OperationName, usage spec: CommandSpec, rules: SearchRules
    ) throws(InputError) -> JSONObject {
        var parameters: JSONObject = [:]
        func names(_ word: CommandTokenizer.Word) -> String? {
            guard let key = word.key, key != "query", operation.parameter(key) != nil else { return nil }
            return key
        }
        let filter = words.filter { names($0) == nil }
        for word in words { if let key = names(word) { try assign(word, key: key, into: &parameters, operation: operation) } }
        guard let first = filter.first else {
            if spec.required.contains("query") { throw InputError("\(spec.name) needs a filter, e.g. \(spec.example)") }
            return parameters
        }
        do { parameters["query"] = try SearchFilterCompiler.compile(filter, rules: rules).json } catch {
            throw InputError(error.message, column: error.column ?? first.column)
        }
        return parameters
    }

    /// The parameters of `api`: the method and path, `all`, and the body or query the `key=value` words build.
    static func requestParameters(_ words: [CommandTokenizer.Word], usage: String, at column: Int?) throws(InputError) -> JSONObject {
        // A path with a query (`/contacts?per_page=5`) reads like key=value, but a key never starts with `/`.
        let isPath: (CommandTokenizer.Word) -> Bool = { $0.key?.hasPrefix("/") == true }
        let positionals = words.filter { $0.key == nil || isPath($0) }
        guard positionals.count >= 2 else { throw InputError("api needs a method and a path (usage: \(usage))", column: column) }
        let method = positionals[0].text.uppercased()
        var parameters: JSONObject = ["method": .string(method), "path": .string(positionals[1].text)]
        for extra in positionals.dropFirst(2) {
            guard extra.text == "all", !extra.valueQuoted, parameters["all"] == nil else {
                throw InputError("unexpected argument '\(extra.text)' (usage: \(usage))", column: extra.column)
            }
            parameters["all"] = true
        }
        let bodyFirst = ["POST", "PUT", "PATCH"].contains(method)
        let documented = APICall.documented(method: method, path: positionals[1].text)
        var body: JSONObject = [:]
        var query: JSONObject = [:]
        for word in words where !isPath(word) {
            guard let key = word.key else { continue }
            let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty) else { throw InputError("'\(key)' is not a valid key", column: word.column) }
            try checkDepth(path, key: key, column: word.column)
            let explicit = path[0] == "body" || path[0] == "query"
            let intoBody = explicit ? path[0] == "body" : bodyFirst
            let fieldKeys = Array(path.dropFirst(explicit ? 1 : 0))
            let value: JSONValue
            let whole = explicit && path.count == 1
            let schemaString = !fieldKeys.isEmpty && documented.map { APIDescription.current.bodyFieldIsString(fieldKeys, of: $0) } == true
            if !whole && (!intoBody || schemaString) {
                // A query or path value is text as typed (`1.50` stays `1.50`); so is a body field the schema makes a string.
                value = .string(word.value)
            } else {
                do { value = try ValueTyping.type(word.value, quoted: word.valueQuoted) } catch { throw InputError(error.message, column: word.column) }
            }
            if whole {
                guard case .object(let whole) = value else { throw InputError("\(key) must be an object, e.g. \(key)={\"a\":1}", column: word.column) }
                do {
                    if path[0] == "body" { try insertAll(whole, into: &body, key: key) } else { try insertAll(whole, into: &query, key: key) }
                } catch { throw InputError(error.message, column: word.column) }
                continue
            }
            do {
                if intoBody { try insert(value, at: fieldKeys[...], into: &body, key: key) } else { try insert(value, at: fieldKeys[...], into: &query, key: key) }
            } catch { throw InputError(error.message, column: word.column) }
        }
        if !body.isEmpty { parameters["body"] = .object(body) }
        if !query.isEmpty { parameters["query"] = .object(query) }
        return parameters
    }

    /// The most levels a dotted key may name (JSON values nest at most 512 deep; no API field nests near this).
    static let maximumKeyDepth = 32

    /// Refuses a dotted key deeper than ``maximumKeyDepth``.
    static func checkDepth(_ path: [String], key: String, column: Int?) throws(InputError) {
        guard path.count > maximumKeyDepth else { return }
        throw InputError("'\(SecretRedaction.cut(key, to: 40))' nests \(path.count) levels; a key may name at most \(maximumKeyDepth)", column: column)
    }

    /// Puts every member of `whole` into `object`, each as its own key would be.
    private static func insertAll(_ whole: JSONObject, into object: inout JSONObject, key: String) throws(InputError) {
        for (name, member) in whole { try insert(member, at: [name][...], into: &object, key: "\(key).\(name)") }
    }

    /// Puts a `key=value` word into the parameters; dotted keys build objects (`custom_data.plan=pro`).
    static func assign(_ word: CommandTokenizer.Word, key: String, into parameters: inout JSONObject, operation: OperationName) throws(InputError) {
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let root = path.first, !root.isEmpty, !path.contains(where: \.isEmpty) else {
            throw InputError("'\(key)' is not a valid key", column: word.column)
        }
        try checkDepth(path, key: key, column: word.column)
        guard let spec = operation.parameter(root) else {
            let suggestion = NearestWord.find(root, in: operation.parameters.map(\.name))
            throw InputError(
                "\(operation.rawValue) has no parameter '\(root)'" + (suggestion.map { "; did you mean \($0)?" } ?? ""),
                column: word.column)
        }
        let value: JSONValue
        if let referenced = word.referenced {
            value = referenced
        } else if path.count == 1 && spec.kind.keepsWordsAsStrings {
            value = .string(word.value)
        } else {
            do {
                value = try ValueTyping.type(word.value, quoted: word.valueQuoted)
            } catch {
                throw InputError(error.message, column: word.column)
            }
        }
        do {
            try insert(value, at: path[...], into: &parameters, key: key)
        } catch {
            throw InputError(error.message, column: word.column)
        }
    }

    /// Puts `value` at `path`; objects merge (`custom_data={"a":1} custom_data.b=2`), but the same key twice
    /// (`fullKey`, for the message) is refused, as in NDJSON.
    private static func insert(
        _ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject, key fullKey: String
    ) throws(InputError) {
        let key = path.first!
        if path.count == 1 {
            switch (object[key], value) {
            case (nil, _):
                object[key] = value
            case (.object(let existing)?, .object(let new)) where Set(existing.keys).isDisjoint(with: new.keys):
                object[key] = .object(existing.merging(new) { _, newer in newer })
            default:
                throw InputError("\(fullKey) is given twice")
            }
            return
        }
        var child: JSONObject
        switch object[key] {
        case nil: child = [:]
        case .object(let existing)?: child = existing
        case let other?: throw InputError("\(key) is already \(other.typeDescription), so it cannot take .\(path.dropFirst().joined(separator: "."))")
        }
        try insert(value, at: path.dropFirst(), into: &child, key: fullKey)
        object[key] = .object(child)
    }

    /// Sets parameter `name` from a positional word, typed as the operation's parameter is.
    static func assignPositional(
        _ name: String, _ word: CommandTokenizer.Word, operation: OperationName, into parameters: inout JSONObject
    ) throws(InputError) {
        guard parameters[name] == nil else {
            throw InputError("\(name) is given twice", column: word.column)
        }
        let kind = operation.parameter(name)?.kind ?? .string
        if let referenced = word.referenced {
            parameters[name] = referenced
        } else if kind.keepsWordsAsStrings {
            parameters[name] = .string(word.text)
        } else {
            do { parameters[name] = try ValueTyping.type(word.text, quoted: word.valueQuoted) } catch {
                throw InputError(error.message, column: word.column)
            }
        }
    }

    /// Refuses a word that a reference made an object, a list, `null` or a boolean where a user identifier belongs.
    static func plainText(_ word: CommandTokenizer.Word) throws(InputError) {
        guard let value = word.referenced else { return }
        throw InputError("a user identifier is text or a number, not \(value.typeDescription)", column: word.column)
    }

    /// Fills parameters from the positional words, by the command's positional pattern.
    static func assignPositionals(
        _ words: [CommandTokenizer.Word], spec: CommandSpec, operation: OperationName, into parameters: inout JSONObject
    ) throws(InputError) {
        var remaining = words[...]
        func set(_ name: String, _ word: CommandTokenizer.Word) throws(InputError) {
            try assignPositional(name, word, operation: operation, into: &parameters)
        }
        func setIdentifier(_ word: CommandTokenizer.Word) throws(InputError) {
            try plainText(word)
            try set(word.text.contains("@") ? "email" : "user_id", word)
        }
        switch spec.positionals {
        case .none:
            break
        case .identifier(let then):
            // The first positional is the identifier unless one was given as key=value and the rest fill `then`
            // exactly (`note email=a@b.io "body"`); surplus words lead with the identifier (`create user 7902 email=…`).
            let hasIdentifier = parameters["user_id"] != nil || parameters["email"] != nil
            let open = then.filter { parameters[$0] == nil }.count
            if !hasIdentifier || remaining.count > open, let word = remaining.first {
                try setIdentifier(word)
                remaining = remaining.dropFirst()
            }
            for name in then where parameters[name] == nil {
                guard let word = remaining.first else { break }
                try set(name, word)
                remaining = remaining.dropFirst()
            }
        case .parameters(let names):
            for name in names where parameters[name] == nil {
                guard let word = remaining.first else { break }
                try set(name, word)
                remaining = remaining.dropFirst()
            }
        case .parametersThenIdentifier(let names):
            // The last word is the identifier unless one was given as key=value (`attach company id=X 123`).
            let needsIdentifier = parameters["user_id"] == nil && parameters["email"] == nil
            for name in names where parameters[name] == nil {
                guard let word = remaining.first, !(needsIdentifier && remaining.count == 1 && parameters["id"] != nil) else { break }
                try set(name, word)
                remaining = remaining.dropFirst()
            }
            if parameters["user_id"] == nil && parameters["email"] == nil, let word = remaining.first {
                try setIdentifier(word)
                remaining = remaining.dropFirst()
            }
        case .tagNameThenIdentifiers:
            if parameters["name"] == nil, let word = remaining.first {
                try set("name", word)
                remaining = remaining.dropFirst()
            }
            var userIDs = parameters["user_ids"]?.arrayValue ?? []
            var emails = parameters["emails"]?.arrayValue ?? []
            for word in remaining {
                try plainText(word)
                if word.text.contains("@") { emails.append(.string(word.text)) } else { userIDs.append(.string(word.text)) }
            }
            remaining = []
            if !userIDs.isEmpty { parameters["user_ids"] = .array(userIDs) }
            if !emails.isEmpty { parameters["emails"] = .array(emails) }
        case .searchFilter, .request:
            break
        case .eventNameThenIdentifier:
            if parameters["event_name"] == nil, let word = remaining.first {
                try set("event_name", word)
                remaining = remaining.dropFirst()
            }
            if parameters["user_id"] == nil && parameters["email"] == nil, let word = remaining.first {
                try setIdentifier(word)
                remaining = remaining.dropFirst()
            }
        }
        if let extra = remaining.first {
            throw InputError("unexpected argument '\(extra.text)' (usage: \(spec.usage))", column: extra.column)
        }
    }
}
