/// A note written on a user, as `POST /v1/users/notes` returns it.
public struct Note: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a note object.
    public init(json: JSONObject) { self.json = json }
    /// The note rendered as HTML.
    public var html: String? { string("html") }
    /// When the note was written (Unix seconds).
    public var createdAt: Int64? { integer("created_at") }
    /// The user the note is on.
    public var user: User? { object("user").map(User.init(json:)) }
}

/// The answer to `POST /v1/users/impressions`.
public struct Impression: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps an impression answer.
    public init(json: JSONObject) { self.json = json }
    /// How many unread messages the user has.
    public var unreadMessages: Int64? { integer("unread_messages") }
}

/// A tag, as `GET /v1/tags` returns it.
public struct Tag: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a tag object.
    public init(json: JSONObject) { self.json = json }
    /// Intercom's id for the tag.
    public var id: String? { string("id") }
    /// The tag's name, which identifies it in the API.
    public var name: String? { string("name") }
    /// Whether the tag is a segment.
    public var segment: Bool? { bool("segment") }
    /// How many users carry the tag now.
    public var taggedUserCount: Int64? { integer("tagged_user_count") }
}
