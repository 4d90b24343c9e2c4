/// The request of each python-intercom 0.2.13 `Intercom` call, checked before it is sent.
extension IntercomRequest {
    /// `get_user`: `GET users?email=…|user_id=…`.
    public static func getUser(_ user: UserIdentifier) throws -> IntercomRequest {
        IntercomRequest(method: .get, path: "users", query: try user.checkedQuery())
    }

    /// `get_users`: `GET users?page=…&per_page=…&tag_id=…&tag_name=…`.
    public static func getUsers(page: Int? = nil, perPage: Int? = nil, tagID: String? = nil, tagName: String? = nil)
        throws -> IntercomRequest
    {
        if let page, page < 1 { throw ParameterError(parameter: "page", message: "page must be 1 or more, not \(page)") }
        if let perPage, !(1...500).contains(perPage) {
            throw ParameterError(parameter: "per_page", message: "per_page must be from 1 to 500, not \(perPage)")
        }
        var query: [(name: String, value: String)] = []
        if let page { query.append(("page", String(page))) }
        if let perPage { query.append(("per_page", String(perPage))) }
        if let tagID { query.append(("tag_id", tagID)) }
        if let tagName { query.append(("tag_name", tagName)) }
        return IntercomRequest(method: .get, path: "users", query: query)
    }

    /// `create_user`: `POST users` (an upsert by user_id or email).
    public static func createUser(_ attributes: UserAttributes) throws -> IntercomRequest {
        IntercomRequest(method: .post, path: "users", body: try attributes.checkedBody())
    }

    /// `update_user`: `PUT users`.
    public static func updateUser(_ attributes: UserAttributes) throws -> IntercomRequest {
        IntercomRequest(method: .put, path: "users", body: try attributes.checkedBody())
    }

    /// `delete_user`: `DELETE users` with the identifier in a JSON body.
    public static func deleteUser(_ user: UserIdentifier) throws -> IntercomRequest {
        IntercomRequest(method: .delete, path: "users", body: try user.checkedFields())
    }

    /// `create_impression`: `POST users/impressions`.
    public static func createImpression(
        for user: UserIdentifier, userIP: String? = nil, userAgent: String? = nil, location: String? = nil
    ) throws -> IntercomRequest {
        var body = try user.checkedFields()
        if let userIP { body["user_ip"] = .string(userIP) }
        if let userAgent { body["user_agent"] = .string(userAgent) }
        if let location { body["location"] = .string(location) }
        return IntercomRequest(method: .post, path: "users/impressions", body: body)
    }

    /// `create_note`: `POST users/notes`.
    public static func createNote(for user: UserIdentifier, body text: String) throws -> IntercomRequest {
        var body = try user.checkedFields()
        body["body"] = .string(try nonEmpty(text, "body"))
        return IntercomRequest(method: .post, path: "users/notes", body: body)
    }

    /// `get_message_threads`: all of a user's threads, or the one with `threadID`.
    public static func getMessageThreads(for user: UserIdentifier, threadID: Int64? = nil) throws -> IntercomRequest {
        var query = try user.checkedQuery()
        if let threadID { query.append(("thread_id", String(threadID))) }
        return IntercomRequest(method: .get, path: "users/message_threads", query: query)
    }

    /// `create_message_thread`: `POST users/message_threads`.
    public static func createMessageThread(for user: UserIdentifier, body text: String) throws -> IntercomRequest {
        var body = try user.checkedFields()
        body["body"] = .string(try nonEmpty(text, "body"))
        return IntercomRequest(method: .post, path: "users/message_threads", body: body)
    }

    /// `reply_message_thread`: `PUT users/message_threads`, with a reply `body`, a `read` flag, or both.
    public static func replyMessageThread(for user: UserIdentifier, threadID: Int64, body text: String? = nil, read: Bool? = nil)
        throws -> IntercomRequest
    {
        var body = try user.checkedFields()
        body["thread_id"] = .integer(threadID)
        if let text { body["body"] = .string(try nonEmpty(text, "body")) }
        if let read { body["read"] = .bool(read) }
        guard text != nil || read != nil else {
            throw ParameterError(parameter: "body", message: "a reply needs a body, read, or both")
        }
        return IntercomRequest(method: .put, path: "users/message_threads", body: body)
    }

    /// `get_tag`: `GET tags?name=…`.
    public static func getTag(name: String) throws -> IntercomRequest {
        IntercomRequest(method: .get, path: "tags", query: [("name", try nonEmpty(name, "name"))])
    }

    /// `create_tag`: `POST tags`, creating the tag if needed and tagging or untagging users.
    public static func createTag(name: String, tagOrUntag: TagAction? = nil, userIDs: [String]? = nil, emails: [String]? = nil)
        throws -> IntercomRequest
    {
        IntercomRequest(method: .post, path: "tags", body: try tagBody(name, tagOrUntag, userIDs, emails))
    }

    /// `update_tag`: `PUT tags`.
    public static func updateTag(name: String, tagOrUntag: TagAction? = nil, userIDs: [String]? = nil, emails: [String]? = nil)
        throws -> IntercomRequest
    {
        IntercomRequest(method: .put, path: "tags", body: try tagBody(name, tagOrUntag, userIDs, emails))
    }

    /// `create_event`: `POST events`. `created` is the Unix time of the event (pass it, or ``IntercomClient`` sets now).
    public static func createEvent(name: String, user: UserIdentifier, created: Int64, metadata: JSONObject? = nil)
        throws -> IntercomRequest
    {
        var body = try user.checkedFields()
        body["event_name"] = .string(try nonEmpty(name, "event_name"))
        body["created"] = .integer(created)
        if let metadata {
            try CustomDataRules.checkMetadata(metadata)
            body["metadata"] = .object(metadata)
        }
        return IntercomRequest(method: .post, path: "events", body: body)
    }

    private static func tagBody(_ name: String, _ action: TagAction?, _ userIDs: [String]?, _ emails: [String]?) throws -> JSONObject {
        var body: JSONObject = ["name": .string(try nonEmpty(name, "name"))]
        let hasUsers = !(userIDs ?? []).isEmpty || !(emails ?? []).isEmpty
        if hasUsers && action == nil {
            throw ParameterError(parameter: "tag_or_untag", message: "tag_or_untag (tag or untag) is required when user_ids or emails are given")
        }
        if let action { body["tag_or_untag"] = .string(action.rawValue) }
        if let userIDs { body["user_ids"] = .array(userIDs.map(JSONValue.string)) }
        if let emails { body["emails"] = .array(emails.map(JSONValue.string)) }
        return body
    }

    private static func nonEmpty(_ value: String, _ parameter: String) throws -> String {
        guard !value.isEmpty else { throw ParameterError(parameter: parameter, message: "\(parameter) must not be empty") }
        return value
    }
}

/// Whether `create_tag`/`update_tag` adds the listed users to the tag or removes them.
public enum TagAction: String, Sendable, Hashable, CaseIterable {
    /// Add the users to the tag.
    case tag
    /// Remove the users from the tag.
    case untag
}
