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
    /// Every part, oldest first: messages, and a teammate's notes and actions (those with a `part_type` other than
    /// `comment`, which v1 does not show).
    var messages: [JSONValue]
    /// What the REST API (2.x) adds to a thread: its state, assignees and tags.
    var conversation = ConversationState()

    /// The thread as the v1 API renders it (the fixture `v1-users-message_thread.json`'s fields).
    var json: JSONValue {
        .object(v1Fields(messages: messages.compactMap(Self.v1Message)))
    }

    /// The thread as the store keeps it: the v1 fields, every part, and the conversation state.
    var storedJSON: JSONValue {
        var fields = v1Fields(messages: messages)
        fields["conversation"] = conversation.json
        return .object(fields)
    }

    private func v1Fields(messages: [JSONValue]) -> JSONObject {
        [
            "created_at": .integer(createdAt),
            "updated_at": .integer(updatedAt),
            "read": .bool(read),
            "created_by_user": .bool(createdByUser),
            "thread_id": .integer(threadID),
            "message_id": .integer(threadID),
            "message_type": "conversation",
            "interrupt": .bool(interrupt),
            "messages": .array(messages),
        ]
    }

    /// A part as a v1 message: comments only, without the REST API's keys.
    private static func v1Message(_ part: JSONValue) -> JSONValue? {
        guard case .object(var message) = part else { return part }
        let type = message.removeValue(forKey: "part_type")?.stringValue ?? "comment"
        message["admin_id"] = nil
        return type == "comment" ? .object(message) : nil
    }
}

/// A conversation's state on the REST API (2.x): open, closed or snoozed; who it is assigned to; its tags' ids.
struct ConversationState: Sendable, Equatable {
    var state = "open"
    var snoozedUntil: Int64?
    var adminAssigneeID: Int64 = 0
    var teamAssigneeID: Int64 = 0
    var tagIDs: [String] = []

    init() {}

    init(json: JSONValue?) {
        guard let json else { return }
        state = json["state"]?.stringValue ?? "open"
        snoozedUntil = json["snoozed_until"]?.integerValue
        adminAssigneeID = json["admin_assignee_id"]?.integerValue ?? 0
        teamAssigneeID = json["team_assignee_id"]?.integerValue ?? 0
        tagIDs = json["tag_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    var json: JSONValue {
        [
            "state": .string(state), "snoozed_until": snoozedUntil.map(JSONValue.integer) ?? .null,
            "admin_assignee_id": .integer(adminAssigneeID), "team_assignee_id": .integer(teamAssigneeID),
            "tag_ids": .array(tagIDs.map(JSONValue.string)),
        ]
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
        conversation = ConversationState(json: json["conversation"])
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
