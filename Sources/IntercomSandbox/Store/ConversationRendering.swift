import IntercomKit

/// Renders a v1 message thread as the REST API's `conversation` object (2.16): its first message is the source,
/// the others its parts (a teammate's with their `part_type`); its owner is its contact; its state, assignees and
/// `tags` (named) as the teammates' actions left them.
struct ConversationRendering: Sendable {
    let thread: ThreadRecord
    let owner: UserRecord
    let tags: [JSONValue]

    /// The `conversation` object.
    var json: JSONValue {
        let id = String(thread.threadID)
        let first = thread.messages.first ?? [:]
        let parts = thread.messages.dropFirst().enumerated().map { offset, message in part(message, id: "\(id)-\(offset + 1)") }
        let state = thread.conversation
        let teammates = Set(thread.messages.compactMap { $0["admin_id"]?.stringValue }).sorted().map { id -> JSONValue in
            ["type": "admin", "id": .string(id)]
        }
        return [
            "type": "conversation", "id": .string(id), "title": .null, "created_at": .integer(thread.createdAt),
            "updated_at": .integer(thread.updatedAt), "waiting_since": .null,
            "snoozed_until": state.snoozedUntil.map(JSONValue.integer) ?? .null, "open": .bool(state.state != "closed"),
            "state": .string(state.state), "read": .bool(thread.read), "priority": "none",
            "admin_assignee_id": .integer(state.adminAssigneeID), "team_assignee_id": .integer(state.teamAssigneeID),
            "tags": ["type": "tag.list", "tags": .array(tags)], "teammates": ["type": "admin.list", "admins": .array(teammates)],
            "source": [
                "type": "conversation", "id": .string(id), "delivered_as": "customer_initiated",
                "subject": first["subject"] ?? "", "body": first["html"] ?? "", "author": author(of: first), "attachments": [],
                "url": first["url"] ?? .null, "redacted": false,
            ],
            "contacts": ["type": "contact.list", "contacts": [["type": "contact", "id": .string(owner.intercomID), "external_id": ContactRendering.text(owner.userID)]]],
            "conversation_parts": ["type": "conversation_part.list", "conversation_parts": .array(parts), "total_count": .integer(Int64(parts.count))],
            "statistics": .null, "first_contact_reply": .null, "custom_attributes": [:],
            "linked_objects": ["type": "list", "data": [], "total_count": 0, "has_more": false],
        ]
    }

    private func part(_ message: JSONValue, id: String) -> JSONValue {
        let created = message["created_at"] ?? .integer(thread.createdAt)
        var part: JSONObject = [
            "type": "conversation_part", "id": .string(id), "part_type": message["part_type"] ?? "comment", "body": message["html"] ?? "",
            "created_at": created, "updated_at": created, "notified_at": created, "author": author(of: message), "attachments": [],
            "redacted": false,
        ]
        if let assignee = message["assigned_to"], assignee != .null { part["assigned_to"] = assignee }
        return .object(part)
    }

    /// The author of a message: the sandbox's admin when v1 marks it as an admin's, else the conversation's contact.
    private func author(of message: JSONValue) -> JSONValue {
        if let id = message["admin_id"]?.stringValue, let admin = SandboxAdmins.admin(id: id) {
            return ["type": "admin", "id": .string(id), "name": admin["name"] ?? .null, "email": admin["email"] ?? .null]
        }
        if message["from"]?["is_admin"] == true { return SandboxStore.adminJSON }
        return [
            "type": "user", "id": .string(owner.intercomID), "name": ContactRendering.text(owner.name),
            "email": .string(owner.email ?? ""),
        ]
    }
}
