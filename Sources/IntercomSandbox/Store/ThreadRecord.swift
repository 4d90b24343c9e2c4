import IntercomKit

/// One message thread as the sandbox stores it.
struct ThreadRecord: Sendable {
    let threadID: Int64
    /// The owner's sequence number in the user table.
    let ownerSequence: Int
    let createdAt: Int64
    var updatedAt: Int64
    var read: Bool
    var createdByUser = true
    var interrupt = false
    var messages: [JSONValue]

    /// The thread as the v1 API renders it (the fixture `v1-users-message_thread.json`'s fields).
    var json: JSONValue {
        .object([
            "created_at": .integer(createdAt),
            "updated_at": .integer(updatedAt),
            "read": .bool(read),
            "created_by_user": .bool(createdByUser),
            "thread_id": .integer(threadID),
            "message_id": .integer(threadID),
            "message_type": "conversation",
            "interrupt": .bool(interrupt),
            "messages": .array(messages),
        ])
    }
}

extension ThreadRecord {
    /// The thread back from its ``json`` rendering, as the store keeps it; nil if `json` is not such a rendering.
    init?(ownerSequence: Int, json: JSONValue) {
        guard let threadID = json["thread_id"]?.integerValue, let createdAt = json["created_at"]?.integerValue,
            let updatedAt = json["updated_at"]?.integerValue, let messages = json["messages"]?.arrayValue
        else { return nil }
        self.init(
            threadID: threadID, ownerSequence: ownerSequence, createdAt: createdAt, updatedAt: updatedAt,
            read: json["read"]?.boolValue ?? false, createdByUser: json["created_by_user"]?.boolValue ?? true,
            interrupt: json["interrupt"]?.boolValue ?? false, messages: messages)
    }
}

/// One tag as the v1 API renders it, with the number of users carrying it.
enum TagRendering {
    static func json(id: String, name: String, taggedUsers: Int) -> JSONValue {
        ["id": .string(id), "name": .string(name), "segment": false, "tagged_user_count": .integer(Int64(taggedUsers))]
    }
}

/// One event as the sandbox received it.
struct EventRecord: Sendable {
    let name: String
    let userID: String?
    let email: String?
    let created: Int64
    let metadata: JSONObject?

    var json: JSONValue {
        .object([
            "event_name": .string(name),
            "user_id": userID.map(JSONValue.string) ?? .null,
            "email": email.map(JSONValue.string) ?? .null,
            "created": .integer(created),
            "metadata": metadata.map(JSONValue.object) ?? .null,
        ])
    }

    /// What makes two deliveries the same event.
    var fingerprint: String { json.encodedString() }
}
