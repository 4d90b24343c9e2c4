public import IntercomKit

/// What an operation on the REST API (2.x) does next.
public enum RestStep: Sendable, Equatable {
    /// Send this request; retry it as the retry policy allows an operation of this name.
    case send(IntercomRequest, retryAs: OperationName)
    /// The operation succeeded with this result.
    case finish(JSONValue)
    /// The operation failed.
    case fail(ResultRecord.Failure)
}

/// The requests one operation takes on the REST API (2.x), decided one answer at a time: a pure state machine.
///
/// ``start()`` gives the first step; the caller sends each request and hands its outcome to ``received(_:)``,
/// which gives the next, until a step is `finish` or `fail`. What the answers taught (contact ids, tag ids) is
/// read afterwards, for the run's directories.
public protocol RestOperationPlan: Sendable {
    /// The first step.
    mutating func start() -> RestStep
    /// The step after the outcome of the request last sent.
    mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> RestStep
    /// Contacts (`contact` objects) the answers showed, to remember.
    var learned: [JSONValue] { get }
    /// Contact ids found stale or deleted, to forget.
    var forgotten: [String] { get }
    /// Tags (`tag` objects) the answers showed, to remember.
    var learnedTags: [JSONValue] { get }
    /// Whether the first request is the only one, whatever it answers.
    var isSingleRequest: Bool { get }
}

extension RestOperationPlan {
    /// No tags.
    public var learnedTags: [JSONValue] { [] }
    /// More requests may follow the first.
    public var isSingleRequest: Bool { false }
}

/// Looking a contact up by the user_id or email a command names it with.
enum ContactLookup {
    /// `find_by_external_id` for a user_id, else a search on the email; nil when there is neither.
    static func request(for user: UserIdentifier) -> IntercomRequest? {
        if let userID = user.userID { return .contact(externalID: userID) }
        guard let email = user.email else { return nil }
        return .searchContacts(.filter(field: "email", operator: .equal, value: .string(email)), perPage: 2)
    }

    /// The contact in a lookup's answer: the object itself, or the first of a search's list; nil when none.
    static func contact(in body: JSONValue?) -> JSONValue? {
        let contact = body?["type"]?.stringValue == "list" ? body?["data"]?.arrayValue?.first : body
        return contact?["id"]?.stringValue == nil ? nil : contact
    }

    /// The failure of a lookup that found no contact.
    static func notFound(_ user: UserIdentifier) -> ResultRecord.Failure {
        if let userID = user.userID {
            return ResultRecord.Failure(type: .api(.notFound), status: 404, message: "no contact has the user_id (external_id) \(userID)")
        }
        return ResultRecord.Failure(
            type: .api(.notFound), status: 404,
            message: "no contact has the email \(user.email ?? "") (one created moments ago may not be searchable yet)")
    }
}
