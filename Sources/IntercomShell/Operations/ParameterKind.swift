public import IntercomKit

/// The JSON type an operation parameter takes, and how command-language words are typed for it.
public enum ParameterKind: Sendable, Hashable {
    /// A string.
    case string
    /// A user_id: a string, or a number (sent as its digits).
    case identifier
    /// A whole number.
    case integer
    /// A Unix time in seconds (decimals are truncated, as python-intercom's floats were), or an ISO 8601 date or
    /// date-time (see ``TimeInput``).
    case timestamp
    /// `true` or `false`.
    case boolean
    /// A flat object (custom_data): string, number or boolean values.
    case flatObject
    /// Event metadata: flat, plus the link and amount shapes.
    case metadata
    /// An array of strings (emails); one string is an array of one.
    case stringArray
    /// An array of user_ids: strings, or numbers (sent as their digits); one is an array of one.
    case identifierArray
    /// One company: an object with an `id` (its `created_at` may be a date, as for `timestamp`).
    case company
    /// An array of companies, each as for `company`; one object is an array of one.
    case companies
    /// Numbers to add to numeric custom_data keys: `{"logins": 2}` (negative subtracts).
    case increments
    /// `tag` or `untag`.
    case tagAction
    /// A search query as the REST API takes it: `{"field", "operator", "value"}`, or
    /// `{"operator": "AND"|"OR", "value": [queries]}`; checked against these documented rules.
    case searchQuery(SearchRules)
    /// Any JSON object (an `api` body or query).
    case object

    /// Whether a command-language word for this parameter stays a string whatever it looks like.
    var keepsWordsAsStrings: Bool {
        switch self {
        case .string, .identifier, .tagAction: return true
        default: return false
        }
    }

    /// A short description for help and error messages.
    public var description: String {
        switch self {
        case .string: return "a string"
        case .identifier: return "a string or a number"
        case .integer: return "a whole number"
        case .timestamp: return "a Unix time in seconds or an ISO 8601 date"
        case .boolean: return "true or false"
        case .flatObject: return "an object of strings, numbers and booleans"
        case .metadata: return "an object of strings, numbers, booleans, links and amounts"
        case .stringArray: return "an array of strings"
        case .identifierArray: return "an array of strings or numbers"
        case .company: return "an object with an id"
        case .companies: return "an array of objects, each with an id"
        case .increments: return "an object of numbers"
        case .tagAction: return "\"tag\" or \"untag\""
        case .searchQuery: return "a search query object"
        case .object: return "an object"
        }
    }
}

/// One parameter of an operation: its keyword-argument name in python-intercom and its kind.
public struct ParameterSpec: Sendable, Hashable {
    /// The name, as python-intercom 0.2.13 spells the keyword argument.
    public let name: String
    /// The type it takes.
    public let kind: ParameterKind

    init(_ name: String, _ kind: ParameterKind) {
        self.name = name
        self.kind = kind
    }
}
