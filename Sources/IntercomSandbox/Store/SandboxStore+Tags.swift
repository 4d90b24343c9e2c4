import GRDB
import IntercomKit

extension SandboxStore {
    /// The tag with this name.
    func tag(named name: String) throws(SandboxError) -> JSONValue {
        try read { db in
            guard let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM tags WHERE name = ?"), arguments: [name]) else {
                throw SandboxError.notFound("Tag")
            }
            return try Self.tagJSON(db, id: id, name: name)
        }
    }

    /// Creates the tag if it does not exist, then tags or untags the listed users (unknown ones are ignored).
    func upsertTag(name: String, action: TagAction?, userIDs: [String], emails: [String]) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let id: String
            if let existing = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM tags WHERE name = ?"), arguments: [name]) {
                id = existing
            } else {
                id = try Self.makeID(db, now: now)
                try db.run("INSERT INTO tags (id, name) VALUES (?, ?)", [id, name])
            }
            var sequences: [Int] = []
            for userID in userIDs {
                if let user = try Self.storedUser(db, userID: userID, email: nil) { sequences.append(user.sequence) }
            }
            for email in emails {
                if let user = try Self.storedUser(db, userID: nil, email: email) { sequences.append(user.sequence) }
            }
            for sequence in sequences {
                switch action {
                case .tag: try db.run("INSERT OR IGNORE INTO tag_members (tag_id, sequence) VALUES (?, ?)", [id, sequence])
                case .untag: try db.run("DELETE FROM tag_members WHERE tag_id = ? AND sequence = ?", [id, sequence])
                case nil: break
                }
            }
            return try Self.tagJSON(db, id: id, name: name)
        }
    }

    private static func tagJSON(_ db: Database, id: String, name: String) throws -> JSONValue {
        let members = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tag_members WHERE tag_id = ?"), arguments: [id]) ?? 0
        return TagRendering.json(id: id, name: name, taggedUsers: members)
    }
}
