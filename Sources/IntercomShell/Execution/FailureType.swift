public import IntercomKit

/// The `type` of a failed record's `error`: the documented vocabulary, and nothing else.
public enum FailureType: Sendable, Hashable, CustomStringConvertible {
    /// The line does not parse or fails validation; nothing was sent.
    case invalidInput
    /// A request that changes something may or may not have been applied; it is never sent again by itself.
    case unknownOutcome
    /// A line of several requests applied some of them, then failed; the failure's `applied` names them. It is
    /// never sent again whole.
    case partiallyApplied
    /// The identifier names several contacts (users sharing an email); nothing was changed.
    case ambiguous
    /// Abandoned by an interruption before anything was sent, or a read cut off.
    case interrupted
    /// A resumed line is not the line the journal recorded.
    case journalMismatch
    /// The API version in use cannot carry the operation out (impressions on the REST API 2.x); nothing was sent.
    case unsupported
    /// The API call failed this way.
    case api(IntercomError.Kind)

    /// Every type, in the order the README lists them.
    public static var allCases: [FailureType] {
        [.invalidInput, .unknownOutcome, .partiallyApplied, .ambiguous, .interrupted, .journalMismatch, .unsupported] + IntercomError.Kind.allCases.map(FailureType.api)
    }

    /// The type as written in records: `invalid_input`, `not_found`, …
    public var rawValue: String {
        switch self {
        case .invalidInput: "invalid_input"
        case .unknownOutcome: "unknown_outcome"
        case .partiallyApplied: "partially_applied"
        case .ambiguous: "ambiguous"
        case .interrupted: "interrupted"
        case .journalMismatch: "journal_mismatch"
        case .unsupported: "unsupported"
        case .api(let kind): kind.rawValue
        }
    }

    /// The type written as `rawValue`; nil for any other text.
    public init?(rawValue: String) {
        guard let type = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = type
    }

    /// Whether a line that failed this way may have changed something, so that it is never queued to run again
    /// whole (not by the failures file, not by `--resume-failed`): `unknown_outcome` and `partially_applied`.
    public var mayHaveApplied: Bool { self == .unknownOutcome || self == .partiallyApplied }

    /// The type as written in records.
    public var description: String { rawValue }
}
