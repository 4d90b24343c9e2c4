public import IntercomKit

/// What a step of an operation gives, to be made a record: a result or a failure, and the result's JSON text when it
/// was kept as the answer wrote it (``ResultRecord/resultText``).
public struct StepOutcome: Sendable {
    /// The result or failure.
    public var outcome: Result<JSONValue, ResultRecord.Failure>
    /// The result's text as ``JSONValue/write(to:)`` writes it, when kept.
    public var text: [UInt8]?

    /// An outcome, with its result's text when kept.
    public init(_ outcome: Result<JSONValue, ResultRecord.Failure>, text: [UInt8]? = nil) {
        self.outcome = outcome
        self.text = text
    }

    /// A result, with its text when kept.
    public static func success(_ result: JSONValue, text: [UInt8]? = nil) -> StepOutcome { StepOutcome(.success(result), text: text) }

    /// A failure.
    public static func failure(_ failure: ResultRecord.Failure) -> StepOutcome { StepOutcome(.failure(failure)) }
}

/// Hands on each outcome an operation's steps give, in order.
typealias OutcomeEmitter = (StepOutcome) async throws -> Void
