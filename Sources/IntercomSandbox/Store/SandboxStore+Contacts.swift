import Foundation
import GRDB
import IntercomKit

/// The REST API's (2.x) view of the store: every user is a contact, addressed by its Intercom id.
extension SandboxStore {
    /// The contact with this Intercom id; archived contacts are not found, as on the live API.
    func contact(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            let (record, state) = try Self.existingContact(db, id: id)
            return .object(try Self.render(db, record, state))
        }
    }

    /// The user (role `user`) with this external id.
    func contact(externalID: String) throws(SandboxError) -> JSONValue {
        try read { db in
            guard let stored = try Self.storedUser(db, userID: externalID, email: nil) else {
                throw try Self.merged(db, externalID: externalID) ?? SandboxError.contactNotFound
            }
            let record = try Self.record(from: stored)
            let state = try Self.state(db, record)
            guard !state.archived, state.role == "user" else { throw SandboxError.contactNotFound }
            return .object(try Self.render(db, record, state))
        }
    }

    /// Creates a contact; one with the same external id or email is a conflict (409) that names its id, and says
    /// when it is archived.
    func createContact(_ changes: ContactChanges) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            guard changes.externalID != nil || changes.email != nil || changes.role != nil else {
                throw SandboxError.restInvalid("At least one of email, external_id or role is required")
            }
            try Self.checkDefined(db, changes.customAttributes)
            if let existing = try Self.storedUser(db, userID: changes.externalID, email: changes.email) {
                let record = try Self.record(from: existing)
                let archived = try Self.state(db, record).archived ? "An archived contact" : "A contact"
                throw SandboxError(
                    status: 409, type: "conflict", message: "\(archived) matching those details already exists with id=\(record.intercomID)")
            }
            let sequence = Int(try db.next("user_sequence"))
            var record = UserRecord(sequence: sequence, intercomID: try Self.makeID(db, now: now), createdAt: changes.signedUpAt ?? now)
            record.userID = changes.externalID
            record.email = changes.email
            var state = ContactState(createdAt: now)
            changes.apply(to: &record, &state)
            try Self.save(db, record)
            try Self.saveState(db, record, state)
            return .object(try Self.render(db, record, state))
        }
    }

    /// Changes the contact with this id; an external id or email that belongs to another contact is a conflict.
    func updateContact(id: String, _ changes: ContactChanges) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            var (record, state) = try Self.existingContact(db, id: id)
            try Self.checkDefined(db, changes.customAttributes)
            for (key, value) in [("external_id", changes.externalID), ("email", changes.email)] {
                guard let value, let other = try Self.storedUser(db, userID: key == "external_id" ? value : nil, email: key == "email" ? value : nil),
                    other.sequence != record.sequence
                else { continue }
                throw SandboxError(status: 409, type: "conflict", message: "A contact with this \(key) already exists")
            }
            if let externalID = changes.externalID { record.userID = externalID }
            if let email = changes.email { record.email = email }
            changes.apply(to: &record, &state)
            state.updatedAt = max(now, state.updatedAt)
            try Self.save(db, record)
            try Self.saveState(db, record, state)
            return .object(try Self.render(db, record, state))
        }
    }

    /// Deletes the contact: `{type, id, external_id, deleted: true}`; its tags, threads and notes go with it.
    func deleteContact(id: String) throws(SandboxError) -> JSONValue {
        try write { db in
            let (record, _) = try Self.existingContact(db, id: id)
            for sql in [
                "DELETE FROM users WHERE sequence = ?", "DELETE FROM tag_members WHERE sequence = ?", "DELETE FROM company_members WHERE sequence = ?",
                "DELETE FROM threads WHERE owner = ?", "DELETE FROM contacts WHERE sequence = ?",
            ] { try db.run(sql, [record.sequence]) }
            var reference = ContactRendering(record: record, state: ContactState(defaultFor: record), tagIDs: [], noteIDs: []).reference
            reference["deleted"] = true
            return .object(reference)
        }
    }

    /// Archives (`true`) or unarchives the contact: `{type, id, external_id, archived}`. Only the id finds an
    /// archived contact.
    func setArchived(id: String, _ archived: Bool) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let (record, found) = try Self.existingContact(db, id: id, includingArchived: true)
            var state = found
            state.archived = archived
            state.updatedAt = max(now, state.updatedAt)
            try Self.saveState(db, record, state)
            var reference = ContactRendering(record: record, state: state, tagIDs: [], noteIDs: []).reference
            reference["archived"] = .bool(archived)
            return .object(reference)
        }
    }

    /// Writes a note on the contact, as an admin: the `note` object.
    func createContactNote(id: String, body: String) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let (record, _) = try Self.existingContact(db, id: id)
            try db.run("INSERT INTO notes (user_sequence, body, created) VALUES (?, ?, ?)", [record.sequence, body, now])
            return [
                "type": "note", "id": .string(String(db.lastInsertedRowID)), "created_at": .integer(now),
                "contact": ["type": "contact", "id": .string(record.intercomID)], "company": .null,
                "author": SandboxStore.adminJSON, "body": .string(HTML.paragraph(body)),
            ]
        }
    }

    /// The user_id and email an event for the contact with this Intercom id is recorded under.
    func eventIdentity(contactID id: String) throws(SandboxError) -> (userID: String?, email: String?) {
        try read { db in
            let (record, _) = try Self.existingContact(db, id: id)
            return (record.userID, record.email)
        }
    }

    /// A summary of the events of the contact with this user_id or email, as `GET /events?summary=true` gives it:
    /// `{type: "event.summary", events: [{name, first, last, count, description}]}`, by name. An unknown contact is a 404.
    func eventSummary(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try read { db in
            guard let stored = try Self.storedUser(db, userID: userID, email: email) else { throw SandboxError.contactNotFound }
            let contact = try Self.record(from: stored)
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT json_extract(fingerprint, '$.event_name') AS name, MIN(json_extract(fingerprint, '$.created')) AS first,
                        MAX(json_extract(fingerprint, '$.created')) AS last, COUNT(*) AS count
                    FROM events WHERE \(Self.eventsOfContact) GROUP BY name ORDER BY name
                    """), arguments: [contact.userID, contact.email?.lowercased()])
            let items: [JSONValue] = rows.map { row in
                [
                    "name": .string(row["name"]), "first": .string(Self.isoTime(row["first"])), "last": .string(Self.isoTime(row["last"])),
                    "count": .integer(row["count"]), "description": "",
                ]
            }
            var summary: JSONObject = ["type": "event.summary", "events": .array(items), "intercom_user_id": .string(contact.intercomID)]
            if let userID = contact.userID { summary["user_id"] = .string(userID) }
            if let email = contact.email { summary["email"] = .string(email) }
            return .object(summary)
        }
    }

    /// The events of the contact whose user_id or email names them, newest first: `perPage` of them after the event
    /// `before` (a row id, from the previous page's `pages.next`), and the row id the next page starts before, if
    /// there are more.
    func events(userID: String?, email: String?, perPage: Int, before: Int64?) throws(SandboxError) -> (contact: JSONObject, events: [JSONValue], next: Int64?) {
        try read { db in
            guard let stored = try Self.storedUser(db, userID: userID, email: email) else { throw SandboxError.contactNotFound }
            let contact = try Self.record(from: stored)
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT id, fingerprint FROM events WHERE (\(Self.eventsOfContact)) AND id < ?
                    ORDER BY json_extract(fingerprint, '$.created') DESC, id DESC LIMIT ?
                    """), arguments: [contact.userID, contact.email?.lowercased(), before ?? Int64.max, perPage + 1])
            let events: [JSONValue] = try rows.prefix(perPage).map { row in
                let stored = try JSONValue(parsing: row["fingerprint"] as String)
                var event: JSONObject = [
                    "type": "event", "event_name": stored["event_name"] ?? "", "created_at": stored["created"] ?? 0,
                    "intercom_user_id": .string(contact.intercomID), "id": .string(contact.intercomID),
                ]
                if let userID = contact.userID { event["user_id"] = .string(userID) }
                if let email = contact.email { event["email"] = .string(email) }
                if case .object(let metadata)? = stored["metadata"] { event["metadata"] = .object(metadata) }
                return .object(event)
            }
            var owner: JSONObject = ["intercom_user_id": .string(contact.intercomID)]
            if let userID = contact.userID { owner["user_id"] = .string(userID) }
            if let email = contact.email { owner["email"] = .string(email) }
            return (owner, events, rows.count > perPage ? rows[perPage - 1]["id"] : nil)
        }
    }

    /// The `WHERE` condition of a contact's events (arguments: user_id, lower-cased email), on the indexed expressions.
    private static let eventsOfContact =
        "json_extract(fingerprint, '$.user_id') = ? OR lower(json_extract(fingerprint, '$.email')) = ?"

    /// `2014-01-16T23:12:21.000+00:00`, as the REST API writes event times.
    static func isoTime(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Whether a contact (archived or not) has this user_id or email.
    func hasContact(userID: String?, email: String?) throws(SandboxError) -> Bool {
        try read { db in try Self.storedUser(db, userID: userID, email: email) != nil }
    }

    /// The sandbox's one admin, author of every note.
    static let adminJSON: JSONValue = [
        "type": "admin", "id": "1", "name": "Sandbox Admin", "email": "admin@sandbox.invalid", "away_mode_enabled": false,
        "away_mode_reassign": false, "has_inbox_seat": true, "team_ids": [],
    ]
}

extension SandboxStore {
    /// Merges the contact `from` into `into` (as `POST /contacts/merge`): `from` is gone, and asking for it by id
    /// or external id answers 410 with a `Link` to `into`. Answers the `into` contact.
    func mergeContact(from: String, into: String) throws(SandboxError) -> JSONValue {
        try write { db in
            guard from != into else { throw SandboxError.restInvalid("a contact cannot be merged into itself") }
            let (source, _) = try Self.existingContact(db, id: from)
            let (target, state) = try Self.existingContact(db, id: into)
            for sql in [
                "DELETE FROM users WHERE sequence = ?", "DELETE FROM tag_members WHERE sequence = ?", "DELETE FROM company_members WHERE sequence = ?",
                "DELETE FROM contacts WHERE sequence = ?",
            ] {
                try db.run(sql, [source.sequence])
            }
            try db.run("UPDATE threads SET owner = ? WHERE owner = ?", [target.sequence, source.sequence])
            try db.run("INSERT OR REPLACE INTO merged_contacts (id, external_id, into_id) VALUES (?, ?, ?)", [from, source.userID, into])
            return .object(try Self.render(db, target, state))
        }
    }

    /// The 410 of a merged contact, by its old id or external id; nil when no merged contact had it.
    static func merged(_ db: Database, id: String? = nil, externalID: String? = nil) throws -> SandboxError? {
        let into = try String.fetchOne(
            db, sql: "SELECT into_id FROM merged_contacts WHERE id = ? OR (external_id IS NOT NULL AND external_id = ?)",
            arguments: [id, externalID])
        return into.map { into in
            SandboxError(
                status: 410, type: "contact_merged", message: "This contact has been merged. See the 'Link' header for the canonical contact.",
                link: "</contacts/\(into)>; rel=\"canonical\"")
        }
    }

    /// A contact by Intercom id, or the REST API's 404 (also for an archived one unless `includingArchived`), or its
    /// 410 for a merged one.
    static func existingContact(_ db: Database, id: String, includingArchived: Bool = false) throws -> (UserRecord, ContactState) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, record FROM users WHERE intercom_id = ?"), arguments: [id])
        else { throw try merged(db, id: id) ?? SandboxError.contactNotFound }
        let record = try record(from: (row["sequence"], row["record"]))
        let state = try state(db, record)
        if state.archived && !includingArchived { throw SandboxError.contactNotFound }
        return (record, state)
    }

    /// The contact state of a stored user: its own row, or the defaults of a user made through v1.
    static func state(_ db: Database, _ record: UserRecord) throws -> ContactState {
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT state FROM contacts WHERE sequence = ?"), arguments: [record.sequence])
        return try text.flatMap { ContactState(json: try JSONValue(parsing: $0)) } ?? ContactState(defaultFor: record)
    }

    static func saveState(_ db: Database, _ record: UserRecord, _ state: ContactState) throws {
        try db.run(
            "INSERT INTO contacts (sequence, state) VALUES (?, ?) ON CONFLICT (sequence) DO UPDATE SET state = excluded.state",
            [record.sequence, state.json.encodedString()])
    }

    /// The `contact` object of a stored user, with its tags and notes.
    static func render(_ db: Database, _ record: UserRecord, _ state: ContactState) throws -> JSONObject {
        let tags = try String.fetchAll(
            db.cachedStatement(sql: "SELECT tag_id FROM tag_members WHERE sequence = ? ORDER BY tag_id"), arguments: [record.sequence])
        let notes = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM notes WHERE user_sequence = ? ORDER BY id"), arguments: [record.sequence])
        let companies = try companyIDs(db, sequence: record.sequence)
        return ContactRendering(record: record, state: state, tagIDs: tags, noteIDs: notes, companyIDs: companies).json
    }
}

extension SandboxError {
    /// The REST API's 404 for a contact.
    static let contactNotFound = SandboxError(status: 404, type: "not_found", message: "User Not Found")

    /// The REST API's 400 for a parameter it refuses.
    static func restInvalid(_ message: String) -> SandboxError {
        SandboxError(status: 400, type: "parameter_invalid", message: message)
    }
}
