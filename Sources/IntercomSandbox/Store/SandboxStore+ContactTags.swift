import GRDB
import IntercomKit

/// Tags as the REST API (2.x) sees them: listed whole, created by name (names compare without case), and put on or
/// taken off contacts by Intercom id. They are the v1 face's tags.
extension SandboxStore {
    /// Every tag: `{type: "list", data: [tag…]}`.
    func restTags() throws(SandboxError) -> JSONValue {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, name FROM tags ORDER BY name")
            return ["type": "list", "data": .array(rows.map { Self.restTag(id: $0["id"], name: $0["name"]) })]
        }
    }

    /// The tag with this id.
    func restTag(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            guard let name = try String.fetchOne(db, sql: "SELECT name FROM tags WHERE id = ?", arguments: [id]) else {
                throw SandboxError.resourceNotFound
            }
            return Self.restTag(id: id, name: name)
        }
    }

    /// Creates the tag if no tag has this name (without regard to case), and tags the contacts with these ids;
    /// unknown ids are skipped, as 2.16 does. `{type, id, name, users: [{id, tagged}]}`.
    func restTagContacts(name: String, contactIDs: [String]) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let tagID = try Self.tagID(db, named: name, now: now)
            var users: [JSONValue] = []
            for id in contactIDs {
                guard let sequence = try Int.fetchOne(db, sql: "SELECT sequence FROM users WHERE intercom_id = ?", arguments: [id]) else { continue }
                try db.run("INSERT OR IGNORE INTO tag_members (tag_id, sequence) VALUES (?, ?)", [tagID, sequence])
                users.append(["id": .string(id), "tagged": true])
            }
            let stored = try String.fetchOne(db, sql: "SELECT name FROM tags WHERE id = ?", arguments: [tagID]) ?? name
            var tag = Self.restTag(id: tagID, name: stored).objectValue ?? [:]
            tag["users"] = .array(users)
            tag["companies"] = []
            return .object(tag)
        }
    }

    /// Puts the tag on (`true`) or takes it off the contact; answers the tag. An unknown tag or contact is a 404.
    func setContactTag(contactID: String, tagID: String, _ tagged: Bool) throws(SandboxError) -> JSONValue {
        try write { db in
            let (record, _) = try Self.existingContact(db, id: contactID)
            guard let name = try String.fetchOne(db, sql: "SELECT name FROM tags WHERE id = ?", arguments: [tagID]) else {
                throw SandboxError.resourceNotFound
            }
            if tagged {
                try db.run("INSERT OR IGNORE INTO tag_members (tag_id, sequence) VALUES (?, ?)", [tagID, record.sequence])
            } else {
                try db.run("DELETE FROM tag_members WHERE tag_id = ? AND sequence = ?", [tagID, record.sequence])
            }
            return Self.restTag(id: tagID, name: name)
        }
    }

    /// The tags on the contact: `{type: "list", data: [tag…]}`.
    func contactTags(contactID: String) throws(SandboxError) -> JSONValue {
        try read { db in
            let (record, _) = try Self.existingContact(db, id: contactID)
            let rows = try Row.fetchAll(
                db, sql: "SELECT t.id, t.name FROM tag_members m JOIN tags t ON t.id = m.tag_id WHERE m.sequence = ? ORDER BY t.name",
                arguments: [record.sequence])
            return ["type": "list", "data": .array(rows.map { Self.restTag(id: $0["id"], name: $0["name"]) })]
        }
    }

    /// The id of the tag with this name (compared without case), created if there is none.
    /// Creates the tag if no tag has this name, and puts it on (or, `untag`, takes it off) the companies each item
    /// names by `id` or `company_id`; an unknown company is a 404. Answers the tag.
    func restTagCompanies(name: String, companies: [JSONValue]) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let tagID = try Self.tagID(db, named: name, now: now)
            for item in companies {
                let sequence: Int64?
                if let id = item["id"]?.stringValue {
                    sequence = try Int64.fetchOne(db, sql: "SELECT sequence FROM companies WHERE id = ?", arguments: [id])
                } else if let companyID = item["company_id"]?.stringValue {
                    sequence = try Int64.fetchOne(db, sql: "SELECT sequence FROM companies WHERE company_id = ?", arguments: [companyID])
                } else {
                    throw SandboxError.restInvalid("each company needs an id or a company_id")
                }
                guard let sequence else { throw SandboxError.companyNotFound }
                if item["untag"]?.boolValue == true {
                    try db.run("DELETE FROM company_tags WHERE tag_id = ? AND company = ?", [tagID, sequence])
                } else {
                    try db.run("INSERT OR IGNORE INTO company_tags (tag_id, company) VALUES (?, ?)", [tagID, sequence])
                }
            }
            let stored = try String.fetchOne(db, sql: "SELECT name FROM tags WHERE id = ?", arguments: [tagID]) ?? name
            return Self.restTag(id: tagID, name: stored)
        }
    }

    private static func tagID(_ db: Database, named name: String, now: Int64) throws -> String {
        if let id = try String.fetchOne(db, sql: "SELECT id FROM tags WHERE lower(name) = lower(?)", arguments: [name]) { return id }
        let id = try makeID(db, now: now)
        try db.run("INSERT INTO tags (id, name) VALUES (?, ?)", [id, name])
        return id
    }

    static func restTag(id: String, name: String) -> JSONValue {
        ["type": "tag", "id": .string(id), "name": .string(name)]
    }
}

extension SandboxError {
    /// The REST API's 404 for a tag, note or conversation.
    static let resourceNotFound = SandboxError(status: 404, type: "not_found", message: "Resource Not Found")
}
