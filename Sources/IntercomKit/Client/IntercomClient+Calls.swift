import Foundation

/// The typed calls, one per python-intercom 0.2.13 `Intercom` class method, with the same parameters.
extension IntercomClient {
    /// `get_user`: the user with this email or user_id.
    public func getUser(_ user: UserIdentifier) async throws -> User {
        try User(body: try await send(.getUser(user)).body, resource: "user")
    }

    /// `get_users`: one page of users, optionally only those carrying a tag.
    public func getUsers(page: Int? = nil, perPage: Int? = nil, tagID: String? = nil, tagName: String? = nil) async throws
        -> UserPage
    {
        try UserPage(body: try await send(.getUsers(page: page, perPage: perPage, tagID: tagID, tagName: tagName)).body, resource: "user page")
    }

    /// Every user, page after page, as an async sequence: a caller can stream any number without holding them all.
    public func allUsers(perPage: Int = 500, tagID: String? = nil, tagName: String? = nil) -> AllUsersSequence {
        AllUsersSequence(client: self, perPage: perPage, tagID: tagID, tagName: tagName)
    }

    /// `create_user`: creates the user, or updates the one with the same user_id or email.
    public func createUser(_ attributes: UserAttributes) async throws -> User {
        try User(body: try await send(.createUser(attributes)).body, resource: "user")
    }

    /// `update_user`: updates the user with this user_id or email.
    public func updateUser(_ attributes: UserAttributes) async throws -> User {
        try User(body: try await send(.updateUser(attributes)).body, resource: "user")
    }

    /// `delete_user`: deletes the user and returns it as it was.
    public func deleteUser(_ user: UserIdentifier) async throws -> User {
        try User(body: try await send(.deleteUser(user)).body, resource: "user")
    }

    /// `create_impression`: records that the user used the app.
    public func createImpression(for user: UserIdentifier, userIP: String? = nil, userAgent: String? = nil, location: String? = nil)
        async throws -> Impression
    {
        let request = try IntercomRequest.createImpression(for: user, userIP: userIP, userAgent: userAgent, location: location)
        return try Impression(body: try await send(request).body, resource: "impression")
    }

    /// `create_note`: writes a note on the user.
    public func createNote(for user: UserIdentifier, body: String) async throws -> Note {
        try Note(body: try await send(.createNote(for: user, body: body)).body, resource: "note")
    }

    /// `get_message_threads` without a thread id: all of the user's threads.
    public func getMessageThreads(for user: UserIdentifier) async throws -> [MessageThread] {
        let body = try await send(.getMessageThreads(for: user)).body
        guard let array = body?.arrayValue else {
            throw IntercomError.invalidResponse("expected an array of message threads, got \(body?.typeDescription ?? "an empty body")")
        }
        return array.compactMap { $0.objectValue.map(MessageThread.init(json:)) }
    }

    /// `get_message_threads` with a thread id: that one thread.
    public func getMessageThread(for user: UserIdentifier, threadID: Int64) async throws -> MessageThread {
        try MessageThread(body: try await send(.getMessageThreads(for: user, threadID: threadID)).body, resource: "message thread")
    }

    /// `create_message_thread`: the user starts a conversation.
    public func createMessageThread(for user: UserIdentifier, body: String) async throws -> MessageThread {
        try MessageThread(body: try await send(.createMessageThread(for: user, body: body)).body, resource: "message thread")
    }

    /// `reply_message_thread`: the user replies to a thread and/or marks it read.
    public func replyMessageThread(for user: UserIdentifier, threadID: Int64, body: String? = nil, read: Bool? = nil) async throws
        -> MessageThread
    {
        let request = try IntercomRequest.replyMessageThread(for: user, threadID: threadID, body: body, read: read)
        return try MessageThread(body: try await send(request).body, resource: "message thread")
    }

    /// `get_tag`: the tag with this name.
    public func getTag(name: String) async throws -> Tag {
        try Tag(body: try await send(.getTag(name: name)).body, resource: "tag")
    }

    /// `create_tag`: creates the tag if needed, and tags or untags the users.
    public func createTag(name: String, tagOrUntag: TagAction? = nil, userIDs: [String]? = nil, emails: [String]? = nil) async throws
        -> Tag
    {
        let request = try IntercomRequest.createTag(name: name, tagOrUntag: tagOrUntag, userIDs: userIDs, emails: emails)
        return try Tag(body: try await send(request).body, resource: "tag")
    }

    /// `update_tag`: tags or untags users.
    public func updateTag(name: String, tagOrUntag: TagAction? = nil, userIDs: [String]? = nil, emails: [String]? = nil) async throws
        -> Tag
    {
        let request = try IntercomRequest.updateTag(name: name, tagOrUntag: tagOrUntag, userIDs: userIDs, emails: emails)
        return try Tag(body: try await send(request).body, resource: "tag")
    }

    /// `create_event`: records that the user did something. `created` defaults to now.
    /// Returns the server's answer, whose body is normally empty (202).
    @discardableResult
    public func createEvent(name: String, user: UserIdentifier, created: Int64? = nil, metadata: JSONObject? = nil) async throws
        -> IntercomResponse
    {
        let created = created ?? Int64(Date().timeIntervalSince1970)
        return try await send(.createEvent(name: name, user: user, created: created, metadata: metadata))
    }
}
