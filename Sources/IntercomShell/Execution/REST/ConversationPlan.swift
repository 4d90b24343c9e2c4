public import IntercomKit

/// The plan of a message-thread operation on the REST API (2.x), where threads are conversations: `message` starts
/// one from the contact (`POST /conversations`), `threads` searches the contact's (`contact_ids =`), `thread` gets
/// one, and `reply` replies as the contact (`POST /conversations/{id}/reply`, naming the contact by the user_id or
/// email as given, which the API resolves) and then, with `read`, marks it (`PUT /conversations/{id}`), since 2.x
/// takes no reply without a body. The contact of `message` and `threads` is found by a ``ContactResolver``.
public struct ConversationPlan: OperationPlan {
    /// What the operation is for.
    public enum Goal: Sendable, Equatable {
        /// `create_message_thread`: the contact starts a conversation with this body.
        case start(UserIdentifier, String)
        /// `get_message_threads` without a thread id: the contact's conversations.
        case list(UserIdentifier)
        /// `get_message_threads` with a thread id: that conversation.
        case show(String)
        /// `reply_message_thread`: a reply (when there is a body), then read or unread (when `read` is given).
        case reply(UserIdentifier, conversationID: String, body: String?, read: Bool?)
    }

    enum Phase: Sendable, Equatable {
        case idle, resolving(ContactResolver), acting, replying, marking
    }

    let goal: Goal
    let knownContactID: String?
    var contactID: String?
    var phase = Phase.idle
    /// Contacts the answers showed.
    public private(set) var learned: [JSONValue] = []
    /// Directory ids that no longer carry the identifier.
    public private(set) var forgotten: [String] = []

    /// A plan for `goal`; `knownContactID` is the id the run's directory holds for its user, a candidate checked
    /// before use.
    public init(_ goal: Goal, knownContactID: String? = nil) {
        self.goal = goal
        self.knownContactID = knownContactID
    }

    /// The first step.
    public mutating func start() -> PlanStep {
        switch goal {
        case .start(let user, _), .list(let user):
            var resolver = ContactResolver(user, candidate: knownContactID)
            return resolved(resolver.start(), resolver)
        case .show(let id):
            phase = .acting
            return .send(.conversation(id: id), retryAs: .read)
        case .reply(let user, let id, let body, let read):
            if let body {
                phase = .replying
                return .send(.replyAsContact(conversationID: id, body: body, contact: author(user)), retryAs: .write)
            }
            guard let read else { return .fail(ResultRecord.Failure(type: .invalidInput, message: "reply needs a body, read=true|false, or both")) }
            phase = .marking
            return .send(.markConversation(id: id, read: read), retryAs: .write)
        }
    }

    /// The step after the outcome of the request last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        switch (phase, outcome) {
        case (.resolving(var resolver), _):
            let step = resolver.received(outcome)
            forgotten = resolver.forgotten
            return resolved(step, resolver)
        case (.replying, .success(let response)):
            guard case .reply(_, let id, _, let read?) = goal else { return .finish(response.body ?? .null) }
            phase = .marking
            return .send(.markConversation(id: id, read: read), retryAs: .write)
        case (.acting, .success(let response)), (.marking, .success(let response)):
            return .finish(response.body ?? .null)
        case (_, .failure(let failure)):
            return .fail(failure)
        default:
            return .fail(ResultRecord.Failure(type: .api(.invalidResponse), message: "an answer came before any request"))
        }
    }

    /// Where a resolver's step leads: its read is sent; the contact found is acted on.
    private mutating func resolved(_ step: ContactResolver.Step, _ resolver: ContactResolver) -> PlanStep {
        phase = .resolving(resolver)
        switch step {
        case .send(let request): return .send(request, retryAs: .read)
        case .failed(let failure): return .fail(failure)
        case .found(let contact):
            learned.append(contact)
            contactID = contact["id"]?.stringValue
            return act()
        }
    }

    private mutating func act() -> PlanStep {
        guard let contactID else { return .fail(ResultRecord.Failure(type: .invalidInput, message: "no contact")) }
        phase = .acting
        switch goal {
        case .start(_, let body): return .send(.startConversation(contactID: contactID, body: body), retryAs: .write)
        case .list: return .send(.conversations(ofContact: contactID), retryAs: .read)
        case .show, .reply: return .fail(ResultRecord.Failure(type: .invalidInput, message: "nothing to do on contact \(contactID)"))
        }
    }

    /// How a reply names its author: by user_id, else by email, as the line gives it.
    private func author(_ user: UserIdentifier) -> JSONObject {
        if let userID = user.userID { return ["user_id": .string(userID)] }
        return ["email": .string(user.email ?? "")]
    }
}

extension ConversationPlan.Goal {
    /// The user the goal is about, if any.
    public var user: UserIdentifier? {
        switch self {
        case .start(let user, _), .list(let user), .reply(let user, _, _, _): user
        case .show: nil
        }
    }
}
