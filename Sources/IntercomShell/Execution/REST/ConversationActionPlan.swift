public import IntercomKit

/// The plan of a teammate's action on a conversation on the REST API (2.x): reply (as the admin, or as the
/// conversation's contact), note, close, open, snooze, assign, tag and untag.
///
/// What the line names is resolved first, each at most once per run through the run's directories: `me` by
/// `GET /me`; an admin's name or email, or whether an assignee's id is an admin's or a team's, by `GET /admins`; a tag's
/// name by `POST /tags` (which creates a missing tag) to tag, or by `GET /tags` to untag; and for a reply as the user
/// with no user named, the conversation's contact by `GET /conversations/{id}`. Then the one request that acts.
public struct ConversationActionPlan: OperationPlan {
    /// Who a reply comes from.
    public enum Author: Sendable, Equatable {
        /// A teammate.
        case admin(TeammateReference)
        /// The user with this identifier, or (nil) the conversation's contact.
        case user(UserIdentifier?)
    }

    /// What is done to the conversation.
    public enum Action: Sendable, Equatable {
        /// A reply the contact sees.
        case reply(String, Author)
        /// An internal note.
        case note(String)
        /// Closed, with an optional message.
        case close(String?)
        /// Reopened.
        case open
        /// Snoozed until this Unix time.
        case snooze(until: Int64)
        /// Assigned to an admin or a team (`0`: nobody), with an optional message.
        case assign(to: TeammateReference, body: String?)
        /// Tagged with the tag of this name.
        case tag(String)
        /// The tag of this name taken off.
        case untag(String)
    }

    /// What the operation is for: an action on a conversation, done as a teammate.
    public struct Goal: Sendable, Equatable {
        /// The conversation's id.
        public var conversationID: String
        /// The action.
        public var action: Action
        /// The teammate who acts (`me` unless the line says).
        public var admin: TeammateReference

        /// `action` on conversation `conversationID`, done as `admin`.
        public init(_ conversationID: String, _ action: Action, admin: TeammateReference = .me) {
            self.conversationID = conversationID
            self.action = action
            self.admin = admin
        }
    }

    enum Phase: Sendable, Equatable { case idle, askingMe, listingAdmins, findingTag, readingConversation, acting }

    let goal: Goal
    var knowledge: TeammateDirectory.Knowledge
    var tagID: String?
    /// Whether the tag id came from the run's directory (it may be stale: the tag deleted since).
    var tagIDRemembered: Bool
    var contactID: String?
    var phase = Phase.idle
    /// What the answers taught of teammates.
    public private(set) var learnedTeammates = TeammateDirectory.Knowledge()
    /// Tags the answers showed.
    public private(set) var learnedTags: [JSONValue] = []
    /// A remembered tag id the workspace no longer has.
    public private(set) var forgottenTags: [String] = []
    /// No contacts.
    public var learned: [JSONValue] { [] }
    /// No contacts.
    public var forgotten: [String] { [] }

    /// A plan for `goal`, told what the run knows of teammates and the id it knows for the goal's tag.
    public init(_ goal: Goal, knowledge: TeammateDirectory.Knowledge = .init(), knownTagID: String? = nil) {
        self.goal = goal
        self.knowledge = knowledge
        self.tagID = knownTagID
        self.tagIDRemembered = knownTagID != nil
    }

    /// Whether the first request was the action itself (everything it names was known).
    public var isSingleRequest: Bool { phase == .acting }

    /// The first step.
    public mutating func start() -> PlanStep { next() }

    /// The step after the outcome of the request last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        let body: JSONValue
        switch outcome {
        case .failure(let failure): return failed(failure)
        case .success(let response): body = response.body ?? .null
        }
        switch phase {
        case .idle: return .fail(.init(type: .api(.invalidResponse), message: "an answer came before any request"))
        case .askingMe:
            guard let me = TeammateDirectory.Knowledge.me(in: body) else {
                return .fail(.init(type: .api(.invalidResponse), message: "GET /me answered with no admin id; nothing was changed"))
            }
            knowledge.me = me
            learnedTeammates.me = me
        case .listingAdmins:
            guard let admins = TeammateDirectory.Knowledge.admins(in: body) else {
                return .fail(.init(type: .api(.invalidResponse), message: "GET /admins answered with no list of admins with ids; nothing was changed"))
            }
            knowledge.admins = admins
            learnedTeammates.admins = admins
        case .findingTag:
            return foundTag(body)
        case .readingConversation:
            guard let id = body["contacts"]?["contacts"]?.arrayValue?.first?["id"]?.stringValue else {
                return .fail(.invalidInput("conversation \(goal.conversationID) has no contact to reply as; name one with user_id= or email="))
            }
            contactID = id
        case .acting:
            if case .tag = goal.action { learnedTags.append(body) }
            return .finish(body)
        }
        return next()
    }

    /// The next thing to find out, or the action when everything is known.
    private mutating func next() -> PlanStep {
        let adminResolution = goal.action.isUserReply ? .found(id: "", team: false) : knowledge.admin(goal.admin)
        guard case .found(let adminID, _) = adminResolution else { return resolving(adminResolution) }
        if case .assign(let to, _) = goal.action {
            let assignee = knowledge.assignee(to)
            if !assignee.isFound { return resolving(assignee) }
        }
        switch goal.action {
        case .tag(let name) where tagID == nil:
            phase = .findingTag
            return .send(.createTag(name), retryAs: .idempotentWrite)
        case .untag where tagID == nil:
            phase = .findingTag
            return .send(IntercomRequest(method: .get, path: "tags"), retryAs: .read)
        case .reply(_, .user(nil)) where contactID == nil:
            phase = .readingConversation
            return .send(IntercomRequest(method: .get, path: "conversations/" + IntercomRequest.pathSegment(goal.conversationID)), retryAs: .read)
        default:
            phase = .acting
            return act(adminID: adminID)
        }
    }

    /// The request that finds out what `resolution` lacks, or its failure.
    private mutating func resolving(_ resolution: TeammateDirectory.Knowledge.Resolution) -> PlanStep {
        switch resolution {
        case .needsMe:
            phase = .askingMe
            return .send(IntercomRequest(method: .get, path: "me"), retryAs: .read)
        case .needsAdmins:
            phase = .listingAdmins
            return .send(IntercomRequest(method: .get, path: "admins"), retryAs: .read)
        case .failed(let message): return .fail(.invalidInput(message + "; nothing was changed"))
        case .found: return .fail(.invalidInput("nothing to resolve"))
        }
    }

    /// The tag id from `POST /tags` (the tag) or `GET /tags` (every tag: the one named so, exactly or else alone
    /// without regard to case).
    private mutating func foundTag(_ body: JSONValue) -> PlanStep {
        if case .tag = goal.action {
            guard let id = body["id"]?.stringValue else { return .fail(.init(type: .api(.invalidResponse), message: "POST /tags answered with no id")) }
            learnedTags.append(body)
            tagID = id
            return next()
        }
        guard case .untag(let name) = goal.action else { return .fail(.invalidInput("no tag to find")) }
        guard let tags = body["data"]?.arrayValue else {
            return .fail(.init(type: .api(.invalidResponse), message: "GET /tags answered with no list of tags; nothing was changed"))
        }
        learnedTags += tags
        let exact = tags.filter { $0["name"]?.stringValue == name }
        let folded = tags.filter { $0["name"]?.stringValue?.lowercased() == name.lowercased() }
        guard let tag = exact.first ?? (folded.count == 1 ? folded.first : nil), let id = tag["id"]?.stringValue else {
            let message = folded.count > 1 ? "several tags differ from '\(name)' only in case; give the exact name" : "no tag named '\(name)'"
            return .fail(.init(type: .api(.notFound), message: message + "; nothing was changed"))
        }
        tagID = id
        return next()
    }

    /// The request that acts, as the admin with id `adminID`.
    private func act(adminID: String) -> PlanStep {
        let id = IntercomRequest.pathSegment(goal.conversationID)
        let admin: JSONValue = .string(adminID)
        switch goal.action {
        case .reply(let body, .admin):
            return .send(.post("conversations/\(id)/reply", ["message_type": "comment", "type": "admin", "admin_id": admin, "body": .string(body)]), retryAs: .write)
        case .reply(let body, .user(let user)):
            var fields: JSONObject = ["message_type": "comment", "type": "user", "body": .string(body)]
            if let userID = user?.userID { fields["user_id"] = .string(userID) } else if let email = user?.email { fields["email"] = .string(email) } else { fields["intercom_user_id"] = .string(contactID ?? "") }
            return .send(.post("conversations/\(id)/reply", fields), retryAs: .write)
        case .note(let body):
            return .send(.post("conversations/\(id)/reply", ["message_type": "note", "type": "admin", "admin_id": admin, "body": .string(body)]), retryAs: .write)
        case .close(let body):
            var fields: JSONObject = ["message_type": "close", "type": "admin", "admin_id": admin]
            if let body { fields["body"] = .string(body) }
            return .send(.post("conversations/\(id)/parts", fields), retryAs: body == nil ? .idempotentWrite : .write)
        case .open:
            return .send(.post("conversations/\(id)/parts", ["message_type": "open", "admin_id": admin]), retryAs: .idempotentWrite)
        case .snooze(let until):
            return .send(.post("conversations/\(id)/parts", ["message_type": "snoozed", "admin_id": admin, "snoozed_until": .integer(until)]), retryAs: .idempotentWrite)
        case .assign(let to, let body):
            guard case .found(let assignee, let team) = knowledge.assignee(to) else { return .fail(.invalidInput("no assignee")) }
            var fields: JSONObject = ["message_type": "assignment", "type": team ? "team" : "admin", "admin_id": admin, "assignee_id": .string(assignee)]
            if let body { fields["body"] = .string(body) }
            return .send(.post("conversations/\(id)/parts", fields), retryAs: body == nil ? .idempotentWrite : .write)
        case .tag:
            return .send(.post("conversations/\(id)/tags", ["id": .string(tagID ?? ""), "admin_id": admin]), retryAs: .idempotentWrite)
        case .untag:
            let request = IntercomRequest(method: .delete, path: "conversations/\(id)/tags/" + IntercomRequest.pathSegment(tagID ?? ""), body: ["admin_id": admin])
            return .send(request, retryAs: .idempotentWrite)
        }
    }

    /// A failure, said in terms of the line: an unknown conversation names it. A remembered tag id that is not found
    /// (the tag deleted since) is forgotten and the tag found again, once.
    private mutating func failed(_ failure: ResultRecord.Failure) -> PlanStep {
        if failure.type == .api(.notFound), phase == .acting, tagIDRemembered, let stale = tagID, goal.action.tagName != nil {
            forgottenTags.append(stale)
            tagID = nil
            tagIDRemembered = false
            return next()
        }
        guard failure.type == .api(.notFound), phase == .acting || phase == .readingConversation else { return .fail(failure) }
        var named = failure
        named.message = "conversation \(goal.conversationID): " + failure.message
        return .fail(named)
    }
}

extension ConversationActionPlan.Action {
    /// Whether it is a reply as the user, which no teammate makes.
    var isUserReply: Bool { if case .reply(_, .user) = self { true } else { false } }

    /// The name of the tag the action puts on or takes off.
    public var tagName: String? {
        switch self {
        case .tag(let name), .untag(let name): name
        default: nil
        }
    }
}

extension ConversationActionPlan.Goal {
    /// What of `GET /me` (`"me"`) and `GET /admins` (`"admins"`) the goal needs that `knowledge` lacks, in that order.
    public func teammateNeeds(_ knowledge: TeammateDirectory.Knowledge) -> [String] {
        var resolutions = action.isUserReply ? [] : [knowledge.admin(admin)]
        if case .assign(let to, _) = action { resolutions.append(knowledge.assignee(to)) }
        var needs: [String] = []
        if resolutions.contains(.needsMe) { needs.append("me") }
        if resolutions.contains(.needsAdmins) { needs.append("admins") }
        return needs
    }
}

extension TeammateDirectory.Knowledge.Resolution {
    /// Whether the reference is resolved.
    var isFound: Bool { if case .found = self { true } else { false } }
}

extension IntercomRequest {
    /// `POST /tags` with only a name: creates the tag if it does not exist, and answers it.
    static func createTag(_ name: String) -> IntercomRequest { post("tags", ["name": .string(name)]) }
}
