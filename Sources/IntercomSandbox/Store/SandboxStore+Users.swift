import GRDB
public import IntercomKit

extension SandboxStore {
    /// The user with this user_id or email.
    public func user(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try read { db in try JSONValue(parsing: Self.existingStoredUser(db, userID: userID, email: email).record) }
    }

    /// One page of users, in creation order, optionally only those carrying a tag (by id or name).
    func listUsers(page: Int, perPage: Int, tagID: String?, tagName: String?) throws(SandboxError) -> JSONValue {
        try read { db in
            let offset = (page - 1) * perPage
            let total: Int
            let records: [String]
            if tagID != nil || tagName != nil {
                let id: String? = if let tagName {
                    try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM tags WHERE name = ?"), arguments: [tagName])
                } else {
                    tagID
                }
                total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tag_members WHERE tag_id = ?"), arguments: [id]) ?? 0
                records = try String.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT u.record FROM tag_members m JOIN users u ON u.sequence = m.sequence
                        WHERE m.tag_id = ? ORDER BY m.sequence LIMIT ? OFFSET ?
                        """),
                    arguments: [id, perPage, offset])
            } else {
                total = try Self.userCount(db)
                records = try String.fetchAll(
                    db.cachedStatement(sql: "SELECT record FROM users ORDER BY sequence LIMIT ? OFFSET ?"), arguments: [perPage, offset])
            }
            return .object([
                "users": .array(try records.map { try JSONValue(parsing: $0) }),
                "total_count": .integer(Int64(total)),
                "page": .integer(Int64(page)),
                "next_page": page * perPage < total ? .integer(Int64(page + 1)) : .null,
                "previous_page": (page - 1) * perPage > 0 ? .integer(Int64(page - 1)) : .null,
                "total_pages": .integer(Int64((total + perPage - 1) / perPage)),
            ])
        }
    }

    /// Creates the user, or updates the one with the same user_id (or, failing that, email).
    /// Returns the user and whether it was created.
    public func upsertUser(_ changes: UserChanges) throws(SandboxError) -> (user: JSONValue, created: Bool) {
        let now = clock()
        return try write { db in
            guard changes.userID != nil || changes.email != nil else { throw SandboxError.missingIdentifier }
            if var record = try Self.user(db, userID: changes.userID, email: changes.email) {
                try Self.reidentify(db, &record, userID: changes.userID, email: changes.email)
                record.apply(changes)
                try Self.save(db, record)
                return (record.json, false)
            }
            let sequence = Int(try db.next("user_sequence"))
            var record = UserRecord(sequence: sequence, intercomID: try Self.makeID(db, now: now), createdAt: changes.createdAt ?? now)
            record.apply(changes)
            record.userID = changes.userID
            record.email = changes.email
            try Self.save(db, record)
            return (record.json, true)
        }
    }

    /// Deletes the user and returns it as it was; its threads go with it and it leaves every tag.
    func deleteUser(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try write { db in
            let record = try Self.existingUser(db, userID: userID, email: email)
            try db.run("DELETE FROM users WHERE sequence = ?", [record.sequence])
            try db.run("DELETE FROM tag_members WHERE sequence = ?", [record.sequence])
            try db.run("DELETE FROM company_members WHERE sequence = ?", [record.sequence])
            try db.run("DELETE FROM threads WHERE owner = ?", [record.sequence])
            return record.json
        }
    }

    /// Records an impression: updates the user's last visit, IP, agent and session count,
    /// and returns how many of their threads are unread.
    func recordImpression(userID: String?, email: String?, userIP: String?, userAgent: String?) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            var record = try Self.existingUser(db, userID: userID, email: email)
            record.lastImpressionAt = now
            record.sessionCount += 1
            if let userIP { record.lastSeenIP = userIP }
            if let userAgent { record.lastSeenUserAgent = userAgent }
            try Self.save(db, record)
            _ = try db.next("impressions")
            let unread = try Self.threads(db, owner: record.sequence).filter { !$0.read }.count
            return ["unread_messages": .integer(Int64(unread))]
        }
    }

    /// Writes a note on the user: `{"html": "<p>escaped body</p>", "created_at": now, "user": {…}}`.
    func createNote(userID: String?, email: String?, body: String) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let record = try Self.existingUser(db, userID: userID, email: email)
            try db.run("INSERT INTO notes (user_sequence, body, created) VALUES (?, ?, ?)", [record.sequence, body, now])
            return ["html": .string(HTML.paragraph(body)), "created_at": .integer(now), "user": record.json]
        }
    }

    /// Records an event. Events are accepted for any identifier, as the v1 API queued them (202). An event equal
    /// to one already received (same name, user, `created` and metadata) is taken as a repeated delivery and not
    /// stored twice: that is why a client retrying an event must keep the `created` of its first attempt.
    func recordEvent(name: String, userID: String?, email: String?, created: Int64?, metadata: JSONObject?) throws(SandboxError) {
        let event = EventRecord(name: name, userID: userID, email: email, created: created ?? clock(), metadata: metadata)
        try write { db in try db.run("INSERT OR IGNORE INTO events (fingerprint) VALUES (?)", [event.fingerprint]) }
    }
}

extension SandboxStore {
    /// The stored user a request names, by user_id first, then by email: its place and the JSON text it is
    /// answered with (parsed only by those who need it); nil if there is none.
    static func storedUser(_ db: Database, userID: String?, email: String?) throws -> (sequence: Int, record: String)? {
        var row: Row?
        if let userID {
            row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, record FROM users WHERE user_id = ?"), arguments: [userID])
        }
        if row == nil, let email {
            row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT sequence, record FROM users WHERE email_key = ?"), arguments: [email.lowercased()])
        }
        return row.map { ($0["sequence"], $0["record"]) }
    }

    /// The stored user a request names, or the v1 API's refusal: 400 without an identifier, 404 when unknown.
    static func existingStoredUser(_ db: Database, userID: String?, email: String?) throws -> (sequence: Int, record: String) {
        guard userID != nil || email != nil else { throw SandboxError.missingIdentifier }
        guard let stored = try storedUser(db, userID: userID, email: email) else { throw SandboxError.notFound("User") }
        return stored
    }

    /// The user a request names, as a record to change; nil if there is none.
    static func user(_ db: Database, userID: String?, email: String?) throws -> UserRecord? {
        try storedUser(db, userID: userID, email: email).map(record(from:))
    }

    /// The user a request names, as a record to change, or the v1 API's refusal (see ``existingStoredUser``).
    static func existingUser(_ db: Database, userID: String?, email: String?) throws -> UserRecord {
        try record(from: existingStoredUser(db, userID: userID, email: email))
    }

    static func record(from stored: (sequence: Int, record: String)) throws -> UserRecord {
        try record(stored.sequence, json: try JSONValue(parsing: stored.record))
    }

    /// The user stored as `record`, parsed by `parser` (one parser for the rows of a page).
    static func record(from stored: (sequence: Int, record: String), parsing parser: inout JSONSeriesParser) throws -> UserRecord {
        try record(stored.sequence, json: try parser.parse(stored.record.utf8))
    }

    private static func record(_ sequence: Int, json: JSONValue) throws(SandboxError) -> UserRecord {
        guard let record = UserRecord(sequence: sequence, json: json) else {
            throw SandboxError(status: 500, type: "server_error", message: "The stored user \(sequence) is damaged")
        }
        return record
    }

    /// Writes the user and its lookup keys (a key that belongs to another user fails the transaction), and defines
    /// the custom attributes it carries that are new.
    static func save(_ db: Database, _ record: UserRecord) throws {
        try defineOnFirstUse(db, record.customData)
        try db.run(
            """
            INSERT INTO users (sequence, user_id, email_key, intercom_id, record) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (sequence) DO UPDATE SET user_id = excluded.user_id, email_key = excluded.email_key, record = excluded.record
            """,
            [record.sequence, record.userID, record.email?.lowercased(), record.intercomID, record.json.encodedString()])
    }

    /// Gives the user the user_id and email of an update, refusing one that belongs to another user.
    static func reidentify(_ db: Database, _ record: inout UserRecord, userID: String?, email: String?) throws {
        if let userID, record.userID != userID {
            if let current = record.userID {
                throw SandboxError.badRequest("email \(record.email ?? "") belongs to the user with user_id \(current), not \(userID)")
            }
            record.userID = userID
        }
        guard let email else { return }
        if record.email?.lowercased() != email.lowercased() {
            let owner = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT sequence FROM users WHERE email_key = ?"), arguments: [email.lowercased()])
            if let owner, owner != record.sequence {
                throw SandboxError.badRequest("email \(email) already belongs to another user")
            }
        }
        record.email = email
    }
}

extension UserRecord {
    /// Applies the writable fields of an update: custom_data merges, increments add, last_request_at
    /// becomes last_impression_at, companies become company_ids.
    mutating func apply(_ changes: UserChanges) {
        if let name = changes.name { self.name = name }
        if let createdAt = changes.createdAt { self.createdAt = createdAt }
        if let customData = changes.customData { self.customData.merge(customData) { _, new in new } }
        if let increments = changes.increments {
            for (key, delta) in increments {
                let current = customData[key]?.doubleValue ?? 0
                let sum = current + delta
                customData[key] = sum == sum.rounded() && abs(sum) < 9e15 ? .integer(Int64(sum)) : .double(sum)
            }
        }
        if let lastSeenIP = changes.lastSeenIP { self.lastSeenIP = lastSeenIP }
        if let lastSeenUserAgent = changes.lastSeenUserAgent { self.lastSeenUserAgent = lastSeenUserAgent }
        if let companies = changes.companies {
            for id in companies.compactMap({ $0["id"] }) where !companyIDs.contains(id) { companyIDs.append(id) }
        }
        if let lastImpressionAt = changes.lastImpressionAt { self.lastImpressionAt = lastImpressionAt }
        if let unsubscribed = changes.unsubscribedFromEmails { unsubscribedFromEmails = unsubscribed }
    }
}

/// Minimal HTML rendering of user text, as the v1 API returned notes and messages.
enum HTML {
    /// `<p>` + the text with `& < > " '` escaped + `</p>`.
    static func paragraph(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 7)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return "<p>" + escaped + "</p>"
    }
}
