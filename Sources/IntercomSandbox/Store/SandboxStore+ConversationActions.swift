import GRDB
import IntercomKit

/// What a teammate does to a conversation through `POST /conversations/{id}/parts`.
enum ConversationAction: Sendable, Equatable {
    /// `close`, with an optional message.
    case close(body: String?)
    /// `open`: reopens a closed or snoozed conversation.
    case open
    /// `snoozed` until this Unix time.
    case snooze(until: Int64)
    /// `assignment` to an admin or a team (`0`: nobody), with an optional message.
    case assign(team: Bool, assigneeID: Int64, body: String?)
}

/// Conversations listed, searched, replied to by teammates, closed, opened, snoozed, assigned and tagged, as the
/// REST API (2.x) does.
extension SandboxStore {
    /// One page of every conversation, oldest first: a `conversation.list` with cursor `pages`.
    func listConversations(perPage: Int, startingAfter: String?) throws(SandboxError) -> JSONValue {
        try conversationPage(perPage: perPage, startingAfter: startingAfter, everything: true) { _ in true }
    }

    /// One page of the conversations matching `query` (by the rules of `POST /conversations/search`), oldest first.
    func searchConversations(_ query: SearchQuery, perPage: Int, startingAfter: String?) throws(SandboxError) -> JSONValue {
        let evaluator = SearchEvaluator(.conversations)
        return try conversationPage(perPage: perPage, startingAfter: startingAfter, everything: false) { evaluator.matches($0, query) }
    }

    /// A teammate replies (`comment`) or writes an internal note (`note`): the conversation after it.
    func adminReply(conversationID: String, note: Bool, adminID: String, body: String) throws(SandboxError) -> JSONValue {
        let admin = try Self.knownAdmin(adminID)
        let now = clock()
        return try changeConversation(conversationID) { thread in
            thread.messages.append(.object(Self.adminPart(note ? "note" : "comment", by: admin, body: body, at: now)))
            if !note, thread.conversation.state == "closed" { thread.conversation.state = "open" }
            thread.updatedAt = now
        }
    }

    /// A teammate closes, opens, snoozes or assigns the conversation: the conversation after it.
    func manageConversation(_ conversationID: String, _ action: ConversationAction, adminID: String) throws(SandboxError) -> JSONValue {
        let admin = try Self.knownAdmin(adminID)
        let now = clock()
        if case .assign(let team, let assignee, _) = action, assignee != 0 {
            let known = team ? SandboxAdmins.teamIDs.contains(assignee) : SandboxAdmins.admin(id: String(assignee)) != nil
            guard known else { throw SandboxError(status: 404, type: "not_found", message: "\(team ? "Team" : "Admin") \(assignee) not found") }
        }
        if case .snooze(let until) = action, until <= now { throw SandboxError.restInvalid("snoozed_until must be in the future") }
        return try changeConversation(conversationID) { thread in
            switch action {
            case .close(let body):
                thread.conversation.state = "closed"
                thread.conversation.snoozedUntil = nil
                thread.messages.append(.object(Self.adminPart("close", by: admin, body: body ?? "", at: now)))
            case .open:
                thread.conversation.state = "open"
                thread.conversation.snoozedUntil = nil
                thread.messages.append(.object(Self.adminPart("open", by: admin, body: "", at: now)))
            case .snooze(let until):
                thread.conversation.state = "snoozed"
                thread.conversation.snoozedUntil = until
                thread.messages.append(.object(Self.adminPart("snoozed", by: admin, body: "", at: now)))
            case .assign(let team, let assignee, let body):
                if team { thread.conversation.teamAssigneeID = assignee } else { thread.conversation.adminAssigneeID = assignee }
                var part = Self.adminPart("assignment", by: admin, body: body ?? "", at: now)
                part["assigned_to"] = assignee == 0 ? .null : ["type": team ? "team" : "admin", "id": .string(String(assignee))]
                thread.messages.append(.object(part))
            }
            thread.updatedAt = now
        }
    }

    /// Puts the tag with id `tagID` on the conversation (again is no change): the tag.
    func tagConversation(_ conversationID: String, tagID: String, adminID: String) throws(SandboxError) -> JSONValue {
        let admin = try Self.knownAdmin(adminID)
        return try changeConversation(conversationID) { db, thread in
            let tag = try Self.conversationTag(db, id: tagID, admin: admin)
            if !thread.conversation.tagIDs.contains(tagID) { thread.conversation.tagIDs.append(tagID) }
            return tag
        }
    }

    /// Takes the tag with id `tagID` off the conversation: the tag; a tag the conversation does not carry is a 404.
    func untagConversation(_ conversationID: String, tagID: String, adminID: String) throws(SandboxError) -> JSONValue {
        let admin = try Self.knownAdmin(adminID)
        return try changeConversation(conversationID) { db, thread in
            let tag = try Self.conversationTag(db, id: tagID, admin: admin)
            guard let index = thread.conversation.tagIDs.firstIndex(of: tagID) else { throw SandboxError.notFound("Tag") }
            thread.conversation.tagIDs.remove(at: index)
            return tag
        }
    }

    /// The conversation with `id` changed by `change` and saved: the conversation after it.
    private func changeConversation(_ id: String, _ change: (inout ThreadRecord) throws -> Void) throws(SandboxError) -> JSONValue {
        try write { db in
            var (thread, owner) = try Self.conversationThread(db, id: id)
            try change(&thread)
            try Self.save(db, thread)
            return try Self.render(db, thread, owner)
        }
    }

    /// The conversation with `id` changed by `change` and saved: what `change` answers.
    private func changeConversation(_ id: String, _ change: (Database, inout ThreadRecord) throws -> JSONValue) throws(SandboxError) -> JSONValue {
        try write { db in
            var (thread, _) = try Self.conversationThread(db, id: id)
            let answer = try change(db, &thread)
            try Self.save(db, thread)
            return answer
        }
    }

    /// A page of the conversations `include` keeps (`everything`: all of them), in id order after the cursor, without
    /// their parts.
    private func conversationPage(
        perPage: Int, startingAfter: String?, everything: Bool, include: (JSONObject) -> Bool
    ) throws(SandboxError) -> JSONValue {
        let cursor = try ContactCursor(startingAfter)
        return try read { db in
            var matches: [(Int, JSONObject)] = []
            let limit = everything ? perPage + 1 : -1
            let rows = try Row.fetchAll(
                db, sql: "SELECT owner, record FROM threads WHERE thread_id > ? ORDER BY thread_id LIMIT ?", arguments: [cursor.afterSequence, limit])
            var owners: [Int: UserRecord] = [:]
            for row in rows where matches.count <= perPage {
                guard let thread = ThreadRecord(ownerSequence: row["owner"], json: try JSONValue(parsing: row["record"] as String)) else { continue }
                guard let owner = try owners[thread.ownerSequence] ?? Self.owner(db, thread) else { continue }
                owners[thread.ownerSequence] = owner
                guard case .object(var conversation) = try Self.render(db, thread, owner) else { continue }
                guard include(conversation) else { continue }
                conversation["conversation_parts"] = nil
                matches.append((Int(thread.threadID), conversation))
            }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM threads") ?? 0
            return Self.page(
                matches, perPage: perPage, cursor: cursor, total: everything ? total : cursor.seen + matches.count, type: "conversation.list",
                member: "conversations")
        }
    }

    /// The conversation as the REST API shows it, its tags named.
    static func render(_ db: Database, _ thread: ThreadRecord, _ owner: UserRecord) throws -> JSONValue {
        var tags: [JSONValue] = []
        for id in thread.conversation.tagIDs {
            guard let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM tags WHERE id = ?"), arguments: [id]) else { continue }
            tags.append(["type": "tag", "id": .string(id), "name": .string(name)])
        }
        return ConversationRendering(thread: thread, owner: owner, tags: tags).json
    }

    private static func owner(_ db: Database, _ thread: ThreadRecord) throws -> UserRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT sequence, record FROM users WHERE sequence = ?", arguments: [thread.ownerSequence]) else { return nil }
        return try record(from: (row["sequence"], row["record"]))
    }

    /// A tag by id as a conversation shows it, applied by `admin`; an unknown id is a 404.
    private static func conversationTag(_ db: Database, id: String, admin: JSONValue) throws -> JSONValue {
        guard let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM tags WHERE id = ?"), arguments: [id]) else {
            throw SandboxError.notFound("Tag")
        }
        return ["type": "tag", "id": .string(id), "name": .string(name), "applied_by": ["type": "admin", "id": admin["id"] ?? .null]]
    }

    /// The admin with this id; another id is the API's 404.
    private static func knownAdmin(_ id: String) throws(SandboxError) -> JSONValue {
        guard let admin = SandboxAdmins.admin(id: id) else { throw SandboxError(status: 404, type: "admin_not_found", message: "Admin not found") }
        return admin
    }

    /// A teammate's part: its type, the admin, the body as HTML (none when empty).
    private static func adminPart(_ type: String, by admin: JSONValue, body: String, at time: Int64) -> JSONObject {
        [
            "created_at": .integer(time), "url": .null, "html": body.isEmpty ? .null : .string(HTML.paragraph(body)),
            "from": ["type": "admin", "is_admin": true], "part_type": .string(type), "admin_id": admin["id"] ?? .null,
        ]
    }
}
