public import IntercomKit

/// The plan of a message-thread operation on the REST API (2.x), where threads are conversations: `message` starts
/// one from the contact (`POST /conversations`), `threads` searches the contact's (`contact_ids =`), `thread` gets
/// one, and `reply` replies as the contact (`POST /conversations/{id}/reply`, naming the contact by its id when the
/// run knows it, else by the user_id or email as given) and then, with `read`, marks it (`PUT /conversations/{id}`),
/// since 2.x takes no reply without a body.
public struct ConversationPlan: RestOperationPlan {
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
        case idle, resolving, acting, replying, marking
    }

    let goal: Goal
    var contactID: String?
    var phase = Phase.idle
    /// Contacts the answers showed.
    public private(set) var learned: [JSONValue] = []
    /// A stale id is not detected here (the directory's ids come from this run's answers).
    public var forgotten: [String] { [] }

    /// A plan for `goal`; `knownContactID` is the id the run's directory holds for its user, if any.
    public init(_ goal: Goal, knownContactID: String? = nil) {
        self.goal = goal
        self.contactID = knownContactID
    }

    /// The first step.
    public mutating func start() -> RestStep {
        switch goal {
        case .start(let user, _), .list(let user):
            guard contactID == nil else { return act() }
            guard let request = ContactLookup.request(for: user) else {
                return .fail(ResultRecord.Failure(type: .invalidInput, message: "either user_id or email must be given"))
            }
            phase = .resolving
            return .send(request, retryAs: .getUser)
        case .show(let id):
            phase = .acting
            return .send(.conversation(id: id), retryAs: .getMessageThreads)
        case .reply(let user, let id, let body, let read):
            if let body {
                phase = .replying
                return .send(.replyAsContact(conversationID: id, body: body, contact: author(user)), retryAs: .replyMessageThread)
            }
            guard let read else { return .fail(ResultRecord.Failure(type: .invalidInput, message: "reply needs a body, read=true|false, or both")) }
            phase = .marking
            return .send(.markConversation(id: id, read: read), retryAs: .replyMessageThread)
        }
    }

    /// The step after the outcome of the request last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> RestStep {
        switch (phase, outcome) {
        case (.resolving, .success(let response)):
            guard let contact = ContactLookup.contact(in: response.body) else { return .fail(ContactLookup.notFound(goal.user ?? UserIdentifier())) }
            learned.append(contact)
            contactID = contact["id"]?.stringValue
            return act()
        case (.replying, .success(let response)):
            guard case .reply(_, let id, _, let read?) = goal else { return .finish(response.body ?? .null) }
            phase = .marking
            return .send(.markConversation(id: id, read: read), retryAs: .replyMessageThread)
        case (.acting, .success(let response)), (.marking, .success(let response)):
            return .finish(response.body ?? .null)
        case (_, .failure(let failure)):
            return .fail(failure)
        default:
            return .fail(ResultRecord.Failure(type: .api(.invalidResponse), message: "an answer came before any request"))
        }
    }

    private mutating func act() -> RestStep {
        guard let contactID else { return .fail(ResultRecord.Failure(type: .invalidInput, message: "no contact")) }
        phase = .acting
        switch goal {
        case .start(_, let body): return .send(.startConversation(contactID: contactID, body: body), retryAs: .createMessageThread)
        case .list: return .send(.conversations(ofContact: contactID), retryAs: .getMessageThreads)
        case .show, .reply: return .fail(ResultRecord.Failure(type: .invalidInput, message: "nothing to do on contact \(contactID)"))
        }
    }

    /// How a reply names its author: by contact id when known, else by user_id, else by email.
    private func author(_ user: UserIdentifier) -> JSONObject {
        if let contactID { return ["intercom_user_id": .string(contactID)] }
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
