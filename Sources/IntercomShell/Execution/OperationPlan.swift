public import IntercomKit

/// What an operation does next.
public enum PlanStep: Sendable, Equatable {
    /// Send this request; retry it as the retry policy allows a request with this effect.
    case send(IntercomRequest, retryAs: OperationEffect)
    /// The operation succeeded with this result.
    case finish(JSONValue)
    /// The operation failed.
    case fail(ResultRecord.Failure)
}

/// The requests one operation takes, on either API, decided one answer at a time: a pure state machine. Lists are
/// walked by a ``PageWalking`` instead.
///
/// ``start()`` gives the first step; the caller sends each request and hands its outcome to ``received(_:)``,
/// which gives the next, until a step is `finish` or `fail`. What the answers taught (contact ids, tag ids) is
/// read afterwards, for the run's directories.
public protocol OperationPlan: Sendable {
    /// The first step.
    mutating func start() -> PlanStep
    /// The step after the outcome of the request last sent.
    mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep
    /// Contacts (`contact` objects) the answers showed, to remember.
    var learned: [JSONValue] { get }
    /// Contact ids found stale or deleted, to forget.
    var forgotten: [String] { get }
    /// Tags (`tag` objects) the answers showed, to remember.
    var learnedTags: [JSONValue] { get }
    /// Tag ids found deleted or stale, to forget.
    var forgottenTags: [String] { get }
    /// Whether the first request is the only one, whatever it answers.
    var isSingleRequest: Bool { get }
    /// What the answers showed of teammates (`GET /me`, `GET /admins`), to remember.
    var learnedTeammates: TeammateDirectory.Knowledge { get }
}

extension OperationPlan {
    /// No tags.
    public var learnedTags: [JSONValue] { [] }
    /// No tags to forget.
    public var forgottenTags: [String] { [] }
    /// More requests may follow the first.
    public var isSingleRequest: Bool { false }
    /// No teammates.
    public var learnedTeammates: TeammateDirectory.Knowledge { .init() }
}
