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

/// One tag as the sandbox stores it.
struct TagRecord: Sendable {
    let id: String
    let name: String
    /// Sequence numbers of the tagged users.
    var members: Set<Int> = []

    var json: JSONValue {
        ["id": .string(id), "name": .string(name), "segment": false, "tagged_user_count": .integer(Int64(members.count))]
    }
}

/// One note as the sandbox stored it.
struct NoteRecord: Sendable {
    /// The user's place in the store.
    let userSequence: Int
    let body: String
    let created: Int64
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
