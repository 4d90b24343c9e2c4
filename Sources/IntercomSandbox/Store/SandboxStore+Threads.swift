import GRDB
import IntercomKit

extension SandboxStore {
    /// All of the user's threads, oldest first.
    func threads(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try read { db in
            let owner = try Self.existingUser(db, userID: userID, email: email)
            return .array(try Self.threads(db, owner: owner.sequence).map(\.json))
        }
    }

    /// One of the user's threads.
    func thread(userID: String?, email: String?, threadID: Int64) throws(SandboxError) -> JSONValue {
        try read { db in
            let owner = try Self.existingUser(db, userID: userID, email: email)
            return try Self.thread(db, threadID, of: owner.sequence).json
        }
    }

    /// The user starts a thread; with `threadID`, comments on that one instead (as POST did in the v1 API).
    func createThread(userID: String?, email: String?, threadID: Int64?, body: String, url: String?) throws(SandboxError) -> JSONValue {
        if let threadID {
            return try reply(userID: userID, email: email, threadID: threadID, body: body, url: url, read: nil)
        }
        let now = clock()
        return try write { db in
            let owner = try Self.existingUser(db, userID: userID, email: email)
            let message = Self.message(by: owner, body: body, url: url, subject: "", at: now)
            let thread = ThreadRecord(
                threadID: try db.next("thread_id"), ownerSequence: owner.sequence, createdAt: now, updatedAt: now, read: true,
                messages: [message])
            try Self.save(db, thread)
            return thread.json
        }
    }

    /// The user replies to a thread (with `body`) and/or marks it read or unread (with `read`).
    func reply(userID: String?, email: String?, threadID: Int64, body: String?, url: String?, read: Bool?) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let owner = try Self.existingUser(db, userID: userID, email: email)
            var thread = try Self.thread(db, threadID, of: owner.sequence)
            if let body {
                thread.messages.append(Self.message(by: owner, body: body, url: url, subject: nil, at: now))
                thread.updatedAt = now
            }
            if let read { thread.read = read }
            try Self.save(db, thread)
            return thread.json
        }
    }

    /// The user's threads, oldest first.
    static func threads(_ db: Database, owner: Int) throws -> [ThreadRecord] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT record FROM threads WHERE owner = ? ORDER BY thread_id"), arguments: [owner])
            .compactMap { ThreadRecord(ownerSequence: owner, json: try JSONValue(parsing: $0)) }
    }

    /// Writes the thread.
    static func save(_ db: Database, _ thread: ThreadRecord) throws {
        try db.run(
            "INSERT OR REPLACE INTO threads (thread_id, owner, message_count, record) VALUES (?, ?, ?, ?)",
            [thread.threadID, thread.ownerSequence, thread.messages.count, thread.storedJSON.encodedString()])
    }

    private static func thread(_ db: Database, _ threadID: Int64, of owner: Int) throws -> ThreadRecord {
        let record = try db.json("SELECT record FROM threads WHERE thread_id = ? AND owner = ?", [threadID, owner])
        guard let record, let thread = ThreadRecord(ownerSequence: owner, json: record) else { throw SandboxError.notFound("MessageThread") }
        return thread
    }

    static func message(by user: UserRecord, body: String, url: String?, subject: String?, at time: Int64) -> JSONValue {
        var message: JSONObject = [
            "created_at": .integer(time),
            "url": url.map(JSONValue.string) ?? .null,
            "html": .string(HTML.paragraph(body)),
            "from": user.authorJSON,
        ]
        if let subject { message["subject"] = .string(subject) }
        return .object(message)
    }
}
