/// A conversation between a user and the app's admins.
public struct MessageThread: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a thread object.
    public init(json: JSONObject) { self.json = json }
    /// The thread's id, used to reply to it.
    public var threadID: Int64? { integer("thread_id") }
    /// The id of the thread's first message.
    public var messageID: Int64? { integer("message_id") }
    /// When the thread was started (Unix seconds).
    public var createdAt: Int64? { integer("created_at") }
    /// When the thread last changed (Unix seconds).
    public var updatedAt: Int64? { integer("updated_at") }
    /// Whether the user has read the latest revision of the thread.
    public var read: Bool? { bool("read") }
    /// Whether the user started the thread.
    public var createdByUser: Bool? { bool("created_by_user") }
    /// The kind of thread ("conversation").
    public var messageType: String? { string("message_type") }
    /// Whether the thread interrupts the user.
    public var interrupt: Bool? { bool("interrupt") }
    /// The messages, oldest first.
    public var messages: [Message] { models("messages") }
}

/// One message of a thread.
public struct Message: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a message object.
    public init(json: JSONObject) { self.json = json }
    /// When the message was sent (Unix seconds).
    public var createdAt: Int64? { integer("created_at") }
    /// The page the user was on, if any.
    public var url: String? { string("url") }
    /// The message rendered as HTML.
    public var html: String? { string("html") }
    /// The subject, on a thread's first message.
    public var subject: String? { string("subject") }
    /// Who wrote it; `nil` when the server leaves `from` out (as it does for some admin replies).
    public var author: MessageAuthor? { object("from").map(MessageAuthor.init(json:)) }
}

/// The author of a message: a user or an admin.
public struct MessageAuthor: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps an author object.
    public init(json: JSONObject) { self.json = json }
    /// The author's name.
    public var name: String? { string("name") }
    /// The author's email, for users.
    public var email: String? { string("email") }
    /// The author's user_id, for users.
    public var userID: String? { string("user_id") }
    /// Whether the author is one of the app's admins.
    public var isAdmin: Bool? { bool("is_admin") }
    /// The avatar images, keyed by size (`square_25`, `square_50`, `square_128`).
    public var avatar: JSONObject { object("avatar") ?? [:] }
}
