/// A query of the REST API's search endpoints (`POST /contacts/search`, `POST /conversations/search`): one filter,
/// or an AND/OR group of queries. Its JSON form is the request body's `query`.
public indirect enum SearchQuery: Sendable, Hashable {
    /// `{"field":…,"operator":…,"value":…}`.
    case filter(field: String, operator: SearchOperator, value: JSONValue)
    /// `{"operator":"AND"|"OR","value":[…]}`.
    case group(SearchConnective, [SearchQuery])

    /// The query as the API takes it.
    public var json: JSONValue {
        switch self {
        case .filter(let field, let op, let value):
            .object(["field": .string(field), "operator": .string(op.rawValue), "value": value])
        case .group(let connective, let members):
            .object(["operator": .string(connective.rawValue), "value": .array(members.map(\.json))])
        }
    }

    /// Reads a query from its JSON form; a ``SearchQueryError`` says what is malformed.
    public init(json: JSONValue) throws(SearchQueryError) {
        guard let object = json.objectValue, let operatorName = object["operator"]?.stringValue else {
            throw SearchQueryError("a query is an object with an operator")
        }
        if let connective = SearchConnective(rawValue: operatorName) {
            guard let members = object["value"]?.arrayValue, !members.isEmpty else {
                throw SearchQueryError("an \(operatorName) query needs a non-empty array of queries as its value")
            }
            var queries: [SearchQuery] = []
            for member in members { queries.append(try SearchQuery(json: member)) }
            self = .group(connective, queries)
            return
        }
        guard let op = SearchOperator(rawValue: operatorName) else {
            throw SearchQueryError("unknown operator '\(operatorName)'")
        }
        guard let field = object["field"]?.stringValue, !field.isEmpty else { throw SearchQueryError("a filter needs a field") }
        guard let value = object["value"] else { throw SearchQueryError("the filter on \(field) needs a value") }
        self = .filter(field: field, operator: op, value: value)
    }

    /// How deep groups nest: 0 for a lone filter, 1 for a group of filters.
    public var depth: Int {
        switch self {
        case .filter: 0
        case .group(_, let members): 1 + (members.map(\.depth).max() ?? 0)
        }
    }

    /// The query with each filter's value replaced by `transform(field, operator, value)`; groups kept as they are.
    public func mappingFilters<Failure: Error>(
        _ transform: (String, SearchOperator, JSONValue) throws(Failure) -> JSONValue
    ) throws(Failure) -> SearchQuery {
        switch self {
        case .filter(let field, let op, let value):
            return .filter(field: field, operator: op, value: try transform(field, op, value))
        case .group(let connective, let members):
            var mapped: [SearchQuery] = []
            for member in members { mapped.append(try member.mappingFilters(transform)) }
            return .group(connective, mapped)
        }
    }

    /// Whether a filter names a custom attribute (`custom_attributes.NAME`).
    public var hasCustomAttributes: Bool {
        filters.contains { $0.field.hasPrefix("custom_attributes.") }
    }

    /// Every filter, in order.
    public var filters: [(field: String, operator: SearchOperator, value: JSONValue)] {
        switch self {
        case .filter(let field, let op, let value): [(field, op, value)]
        case .group(_, let members): members.flatMap(\.filters)
        }
    }
}

/// A search filter's operator.
public enum SearchOperator: String, Sendable, Hashable, CaseIterable {
    /// `=`: equal (a date: the same day).
    case equal = "="
    /// `!=`.
    case notEqual = "!="
    /// `IN`: one of the values of an array.
    case within = "IN"
    /// `NIN`: none of the values of an array.
    case notWithin = "NIN"
    /// `<` (a date: an earlier day).
    case less = "<"
    /// `<=`.
    case lessOrEqual = "<="
    /// `>` (a date: a later day).
    case greater = ">"
    /// `>=`.
    case greaterOrEqual = ">="
    /// `~`: contains.
    case contains = "~"
    /// `!~`: does not contain.
    case notContains = "!~"
    /// `^`: starts with.
    case startsWith = "^"
    /// `$`: ends with.
    case endsWith = "$"
}

/// How a group joins its queries.
public enum SearchConnective: String, Sendable, Hashable, CaseIterable {
    /// Every query matches.
    case and = "AND"
    /// At least one query matches.
    case or = "OR"
}

/// A search query that is malformed or that the API refuses: its message says which part and why.
public struct SearchQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
