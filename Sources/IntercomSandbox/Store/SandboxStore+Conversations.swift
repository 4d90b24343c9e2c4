import GRDB
import IntercomKit

/// Conversations as the REST API (2.x) sees them: the v1 face's message threads, the contact who started one as its
/// contact and author.
extension SandboxStore {
    /// The contact starts a conversation: the `message` object (`user_message`, in-app).
    func startConversation(contactID: String, body: String) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let (owner, _) = try Self.existingContact(db, id: contactID)
            let message = Self.message(by: owner, body: body, url: nil, subject: "", at: now)
            let thread = ThreadRecord(
                threadID: try db.next("thread_id"), ownerSequence: owner.sequence, createdAt: now, updatedAt: now, read: true,
                messages: [message])
            try Self.save(db, thread)
            return [
                "type": "user_message", "id": .string(String(thread.threadID)), "created_at": .integer(now),
                "body": .string(HTML.paragraph(body)), "message_type": "inapp", "conversation_id": .string(String(thread.threadID)),
            ]
        }
    }

    /// The conversation with this id.
    func conversation(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            let (thread, owner) = try Self.conversationThread(db, id: id)
            return try Self.render(db, thread, owner)
        }
    }

    /// The contact (`intercom_user_id`, `user_id` or `email`) replies with `body`: the conversation after it. Only the
    /// conversation's contact may reply.
    func replyToConversation(id: String, contactID: String?, userID: String?, email: String?, body: String) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            var (thread, owner) = try Self.conversationThread(db, id: id)
            let matches = contactID.map { $0 == owner.intercomID } ?? userID.map { $0 == owner.userID }
                ?? email.map { $0.lowercased() == owner.email?.lowercased() } ?? false
            guard matches else { throw SandboxError.contactNotFound }
            thread.messages.append(Self.message(by: owner, body: body, url: nil, subject: nil, at: now))
            if thread.conversation.state == "closed" { thread.conversation.state = "open" }
            thread.updatedAt = now
            try Self.save(db, thread)
            return try Self.render(db, thread, owner)
        }
    }

    /// Marks the conversation read or unread: the conversation after it.
    func markConversation(id: String, read: Bool) throws(SandboxError) -> JSONValue {
        try write { db in
            var (thread, owner) = try Self.conversationThread(db, id: id)
            thread.read = read
            try Self.save(db, thread)
            return try Self.render(db, thread, owner)
        }
    }

    /// A thread by conversation id, with the user who owns it; an unknown id is the REST API's 404.
    static func conversationThread(_ db: Database, id: String) throws -> (ThreadRecord, UserRecord) {
        guard let threadID = Int64(id), let row = try Row.fetchOne(db, sql: "SELECT owner, record FROM threads WHERE thread_id = ?", arguments: [threadID]),
            let thread = ThreadRecord(ownerSequence: row["owner"], json: try JSONValue(parsing: row["record"] as String))
        else { throw SandboxError.resourceNotFound }
        guard let stored = try Row.fetchOne(db, sql: "SELECT sequence, record FROM users WHERE sequence = ?", arguments: [thread.ownerSequence]) else {
            throw SandboxError.resourceNotFound
        }
        return (thread, try record(from: (stored["sequence"], stored["record"])))
    }
}
