/// The JSON type an operation parameter takes, and how command-language words are typed for it.
public enum ParameterKind: Sendable, Hashable {
    /// A string.
    case string
    /// A user_id: a string, or a number (sent as its digits).
    case identifier
    /// A whole number.
    case integer
    /// A Unix time in seconds; decimals are truncated, as python-intercom's floats were.
    case timestamp
    /// `true` or `false`.
    case boolean
    /// A flat object (custom_data): string, number or boolean values.
    case flatObject
    /// Event metadata: flat, plus the link and amount shapes.
    case metadata
    /// An array of strings (user_ids, emails).
    case stringArray
    /// An array of objects (companies).
    case objectArray
    /// `tag` or `untag`.
    case tagAction

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
        case .timestamp: return "a Unix time in seconds"
        case .boolean: return "true or false"
        case .flatObject: return "an object of strings, numbers and booleans"
        case .metadata: return "an object of strings, numbers, booleans, links and amounts"
        case .stringArray: return "an array of strings"
        case .objectArray: return "an array of objects"
        case .tagAction: return "\"tag\" or \"untag\""
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
