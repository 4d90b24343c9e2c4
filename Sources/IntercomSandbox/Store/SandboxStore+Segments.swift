import GRDB
import IntercomKit

/// Notes listed, tags deleted, and segments: the sandbox's two segments are the workspace's users and its leads, by
/// each contact's role.
extension SandboxStore {
    /// The segments: `{type: "segment.list", segments: [segment…]}`.
    func segments() throws(SandboxError) -> JSONValue {
        try read { db in ["type": "segment.list", "segments": .array(try Self.segmentIDs.map { try Self.segment(db, id: $0) })] }
    }

    /// The segment with this id, or a 404.
    func segment(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            guard Self.segmentIDs.contains(id) else { throw SandboxError(status: 404, type: "not_found", message: "Segment Not Found") }
            return try Self.segment(db, id: id)
        }
    }

    /// The segments the contact is in: `{type: "list", data: [segment…]}`.
    func segmentsOfContact(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            let (_, state) = try Self.existingContact(db, id: id)
            return ["type": "list", "data": [try Self.segment(db, id: state.role == "lead" ? "seg-leads" : "seg-users")]]
        }
    }

    /// The contact's notes, newest first, page `page` of `perPage`: `{type: "list", data, total_count, pages}`; a page
    /// past the end is empty.
    func notesOfContact(id: String, page: Int, perPage: Int) throws(SandboxError) -> JSONValue {
        try read { db in
            let (record, _) = try Self.existingContact(db, id: id)
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM notes WHERE user_sequence = ?", arguments: [record.sequence]) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, body, created FROM notes WHERE user_sequence = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                arguments: [record.sequence, perPage, Self.offset(page: page, perPage: perPage)])
            let notes: [JSONValue] = rows.map { row in
                [
                    "type": "note", "id": .string(String(row["id"] as Int64)), "created_at": .integer(row["created"]),
                    "contact": ["type": "contact", "id": .string(record.intercomID)], "author": SandboxStore.adminJSON,
                    "body": .string(HTML.paragraph(row["body"])),
                ]
            }
            let pages = max(1, (total + perPage - 1) / perPage)
            return [
                "type": "list", "data": .array(notes), "total_count": .integer(Int64(total)),
                "pages": ["type": "pages", "page": .integer(Int64(page)), "per_page": .integer(Int64(perPage)), "total_pages": .integer(Int64(pages))],
            ]
        }
    }

    /// Deletes the tag with this id (taking it off every contact); a 404 when there is none. The REST API answers
    /// with no body.
    func deleteTag(id: String) throws(SandboxError) {
        try write { db in
            try db.run("DELETE FROM tags WHERE id = ?", [id])
            guard db.changesCount > 0 else { throw SandboxError.resourceNotFound }
            try db.run("DELETE FROM tag_members WHERE tag_id = ?", [id])
            try db.run("DELETE FROM company_tags WHERE tag_id = ?", [id])
        }
    }

    private static let segmentIDs = ["seg-users", "seg-leads"]

    private static func segment(_ db: Database, id: String) throws -> JSONValue {
        let leads = id == "seg-leads"
        let leadCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM contacts WHERE json_extract(state, '$.role') = 'lead'") ?? 0
        let everyone = try Self.userCount(db)
        return [
            "type": "segment", "id": .string(id), "name": .string(leads ? "All leads" : "All users"), "created_at": 1_700_000_000,
            "updated_at": 1_700_000_000, "person_type": .string(leads ? "contact" : "user"),
            "count": .integer(Int64(leads ? leadCount : everyone - leadCount)),
        ]
    }
}
