public import IntercomKit

/// What an operation asks of the REST API (2.x).
public enum RestGoal: Sendable {
    /// Something on one contact, or on pages of contacts.
    case contact(ContactPlan.Goal)
    /// Something on a tag.
    case tag(TagPlan.Goal)
    /// Something on a conversation (v1's message threads).
    case conversation(ConversationPlan.Goal)
    /// Pages of the contacts that carry the tag with this name (its id is looked up first).
    case taggedPage(tagName: String, page: Int, perPage: Int)
    /// Every contact matching a search query, one record each.
    case search(SearchQuery, perPage: Int)
}

extension Operation {
    /// What the operation asks of the REST API (2.x), its parameters checked as for v1 and mapped onto contacts.
    /// - Throws: ``ResultRecord/Failure``: `invalid_input` for a bad parameter or one with no 2.x counterpart,
    ///   `unsupported` for an operation 2.x cannot carry out.
    public func restGoal(now: () -> Int64) throws(ResultRecord.Failure) -> RestGoal {
        let p: CheckedParameters
        do { p = try checkedParameters() } catch { throw ResultRecord.Failure(type: .invalidInput, message: error.message) }
        let user = p.identifier
        let userScoped: Set<OperationName> = [
            .getUser, .createUser, .updateUser, .deleteUser, .createNote, .createEvent, .createMessageThread, .replyMessageThread,
        ]
        let listsThreads = name == .getMessageThreads && p.string("thread_id") == nil
        let needsUser = (userScoped.contains(name) && !(name == .getUser && p.string("id") != nil)) || listsThreads
            || name == .listEvents || ([.archiveUser, .unarchiveUser].contains(name) && p.string("id") == nil)
        if needsUser, user.userID == nil && user.email == nil {
            throw ResultRecord.Failure(type: .invalidInput, message: "either user_id or email must be given")
        }
        switch name {
        case .getUser: return .contact(p.string("id").map { .showByID($0) } ?? .show(user))
        case .getUsers, .allUsers: return try pageGoal(p)
        case .createUser, .updateUser: return .contact(.upsert(user, try Self.contactFields(p, operation: name)))
        case .deleteUser: return .contact(.delete(user))
        case .createNote:
            do { return .contact(.note(user, try p.required("body"))) } catch { throw ResultRecord.Failure(type: .invalidInput, message: error.message) }
        case .getTag, .createTag, .updateTag:
            return .tag(try tagGoal(p))
        case .createEvent:
            let eventName: String
            do { eventName = try p.required("event_name") } catch { throw ResultRecord.Failure(type: .invalidInput, message: error.message) }
            let request: IntercomRequest
            do { request = try .createRestEvent(name: eventName, user: user, created: p.int64("created") ?? now(), metadata: p.object("metadata")) } catch {
                throw ResultRecord.Failure(type: .invalidInput, message: "\(error)")
            }
            return .contact(.single(request, .createEvent))
        case .createImpression:
            throw ResultRecord.Failure(
                type: .unsupported,
                message: "create_impression has no counterpart on the REST API (2.x): the Messenger records visits; nothing was sent")
        case .archiveUser: return .contact(.archive(user, id: p.string("id")))
        case .unarchiveUser: return .contact(.unarchive(user, id: p.string("id")))
        case .listEvents: return .contact(.single(.listEvents(of: user), .listEvents))
        case .searchUsers:
            guard let json = p.values["query"], let query = try? SearchQuery(json: json) else {
                throw ResultRecord.Failure(type: .invalidInput, message: "search_users needs a query")
            }
            let perPage = p.int("per_page") ?? 150
            guard (1...150).contains(perPage) else { throw ResultRecord.Failure(type: .invalidInput, message: "per_page must be from 1 to 150, not \(perPage)") }
            return .search(query, perPage: perPage)
        case .getMessageThreads:
            return .conversation(p.string("thread_id").map { .show($0) } ?? .list(user))
        case .createMessageThread:
            do { return .conversation(.start(user, try p.required("body"))) } catch { throw ResultRecord.Failure(type: .invalidInput, message: error.message) }
        case .replyMessageThread:
            guard let thread = p.string("thread_id") else { throw ResultRecord.Failure(type: .invalidInput, message: "reply_message_thread needs thread_id") }
            guard p.string("body") != nil || p.bool("read") != nil else {
                throw ResultRecord.Failure(type: .invalidInput, message: "reply_message_thread needs a body, read, or both")
            }
            return .conversation(.reply(user, conversationID: thread, body: p.string("body"), read: p.bool("read")))
        }
    }

    private func pageGoal(_ p: CheckedParameters) throws(ResultRecord.Failure) -> RestGoal {
        let perPage = p.int("per_page") ?? (name == .allUsers ? 150 : 50)
        guard (1...150).contains(perPage) else {
            throw ResultRecord.Failure(type: .invalidInput, message: "per_page must be from 1 to 150 on the REST API (2.x), not \(perPage)")
        }
        let page = p.int("page") ?? 1
        guard page >= 1 else { throw ResultRecord.Failure(type: .invalidInput, message: "page must be 1 or more, not \(page)") }
        if let tagName = p.string("tag_name"), p.string("tag_id") == nil { return .taggedPage(tagName: tagName, page: page, perPage: perPage) }
        return .contact(.page(page, perPage: perPage, tagID: p.string("tag_id")))
    }

    private func tagGoal(_ p: CheckedParameters) throws(ResultRecord.Failure) -> TagPlan.Goal {
        let tagName: String
        do { tagName = try p.required("name") } catch { throw ResultRecord.Failure(type: .invalidInput, message: error.message) }
        if name == .getTag { return .find(tagName) }
        let users = (p.strings("user_ids") ?? []).map(UserIdentifier.userID) + (p.strings("emails") ?? []).map(UserIdentifier.email)
        guard users.isEmpty || p.tagAction != nil else {
            throw ResultRecord.Failure(type: .invalidInput, message: "tag_or_untag (tag or untag) is required when user_ids or emails are given")
        }
        return p.tagAction == .untag ? .untag(tagName, users) : .tag(tagName, users)
    }

    /// The v1 user parameters as contact fields: user_id → external_id, created_at → signed_up_at, custom_data →
    /// custom_attributes, last_request_at (or last_impression_at) → last_seen_at. Parameters with no 2.x counterpart
    /// are refused by name rather than dropped.
    static func contactFields(_ p: CheckedParameters, operation: OperationName) throws(ResultRecord.Failure) -> JSONObject {
        let unmapped = ["last_seen_ip", "last_seen_user_agent", "companies", "company", "increments"]
        if let key = unmapped.first(where: { p.values[$0] != nil }) {
            throw ResultRecord.Failure(
                type: .invalidInput, message: "\(operation.rawValue)'s \(key) has no counterpart on the REST API (2.x); nothing was sent")
        }
        var fields: JSONObject = [:]
        if let userID = p.string("user_id") { fields["external_id"] = .string(userID) }
        if let email = p.string("email") { fields["email"] = .string(email) }
        if let name = p.string("name") { fields["name"] = .string(name) }
        if let created = p.int64("created_at") { fields["signed_up_at"] = .integer(created) }
        if let seen = p.int64("last_request_at") ?? p.int64("last_impression_at") { fields["last_seen_at"] = .integer(seen) }
        if let unsubscribed = p.bool("unsubscribed_from_emails") { fields["unsubscribed_from_emails"] = .bool(unsubscribed) }
        if let custom = p.object("custom_data") { fields["custom_attributes"] = .object(custom) }
        return fields
    }
}
