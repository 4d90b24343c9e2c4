import Foundation
import GRDB
import IntercomKit

/// Listing and searching contacts a page at a time, with opaque cursors, as the REST API (2.x) does.
extension SandboxStore {
    /// One page of contacts in creation order (archived ones left out, the page filled past them): a `list` with
    /// `pages`, whose `total_count` counts the contacts that are not archived.
    package func listContacts(perPage: Int, startingAfter: String?) throws(SandboxError) -> ContactPage {
        let cursor = try ContactCursor(startingAfter)
        return try read { db in
            let all = try Self.userCount(db)
            var parser = JSONSeriesParser()
            var shown: [(UserRecord, ContactState)] = []
            var after = cursor.afterSequence
            // One more than a page, to tell whether a next page exists; archived contacts are skipped, and filled past.
            while shown.count <= perPage {
                let wanted = perPage + 1 - shown.count
                let rows = try Row.fetchCursor(
                    db.cachedStatement(sql: "SELECT sequence, record FROM users WHERE sequence > ? ORDER BY sequence LIMIT ?"), arguments: [after, wanted])
                var records: [UserRecord] = []
                while let row = try rows.next() { records.append(try Self.record(from: (row[0], row[1]), parsing: &parser)) }
                let states = try Self.states(db, records, among: .consecutive(records.map(\.sequence)), parsing: &parser)
                for record in records {
                    after = record.sequence
                    if let state = states[record.sequence], !state.archived { shown.append((record, state)) }
                }
                if records.count < wanted { break }
            }
            // The contacts shown are those between the first and the last that are not archived.
            let sequences = shown.map(\.0.sequence)
            let contacts = Array(zip(sequences, try Self.render(db, shown, among: .consecutive(sequences))))
            return ContactPage(contacts, perPage: perPage, cursor: cursor, total: all - (try Self.archivedCount(db)))
        }
    }

    /// The first page of `perPage` contacts as the store answered it before it read contacts in batches: each
    /// contact read and rendered one at a time (four queries each) as a dictionary, and the page encoded from those,
    /// with the same counts a page makes. The reference `scripts/bench` measures
    /// ``listContacts(perPage:startingAfter:)`` (written with ``ContactPage/write(to:)``) against.
    package func firstContactsOneByOne(perPage: Int) throws(SandboxError) -> [UInt8] {
        try read { db in
            let all = try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0
            let archived = try Self.archivedCount(db)
            let rows = try Row.fetchAll(db, sql: "SELECT sequence, record FROM users ORDER BY sequence LIMIT ?", arguments: [perPage + 1])
            var contacts: [(Int, JSONObject)] = []
            for row in rows {
                let record = try Self.record(from: (row["sequence"], row["record"]))
                contacts.append((record.sequence, try Self.render(db, record, try Self.state(db, record))))
            }
            var bytes: [UInt8] = []
            Self.page(contacts, perPage: perPage, cursor: try ContactCursor(nil), total: all - archived).write(to: &bytes)
            return bytes
        }
    }

    /// How many contacts are archived.
    static func archivedCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM contacts WHERE json_extract(state, '$.archived') = 1")) ?? 0
    }

    /// One page of the contacts matching `query`, in creation order. Archived contacts, and contacts created less
    /// than `lag` seconds ago (the search index has not caught up with them), are left out. SQLite walks the contacts
    /// and counts the matches (``ContactSearchSQL``); only the page is read and rendered. A lookup by `email`,
    /// `external_id` or `id` uses its index, and a query SQL cannot judge (`segment_id`) is judged on rendered contacts.
    func searchContacts(_ query: SearchQuery, perPage: Int, startingAfter: String?, lag: Int64) throws(SandboxError) -> ContactPage {
        let cursor = try ContactCursor(startingAfter)
        let visibleBefore = clock() - lag
        guard !Self.hasIndexedLookup(query), let compiled = ContactSearchSQL(query) else {
            return try searchRendered(query, perPage: perPage, cursor: cursor, lag: lag, visibleBefore: visibleBefore)
        }
        return try read { db in
            let lagged = lag > 0 ? " AND coalesce(c.state ->> '$.created_at', u.record ->> '$.created_at') <= \(visibleBefore)" : ""
            let sequences = try Int.fetchAll(
                db,
                sql: """
                    SELECT u.sequence FROM users u LEFT JOIN contacts c ON c.sequence = u.sequence
                    WHERE u.sequence > ? AND coalesce(c.state ->> '$.archived', 0) = 0\(lagged) AND (\(compiled.condition))
                    ORDER BY u.sequence
                    """, arguments: [cursor.afterSequence] + compiled.arguments)
            let shown = try Self.contacts(db, sequences: Array(sequences.prefix(perPage + 1)))
            let page = Array(zip(shown.map(\.0.sequence), try Self.render(db, shown)))
            return ContactPage(page, perPage: perPage, cursor: cursor, total: cursor.seen + sequences.count)
        }
    }

    /// The search judged on rendered contacts, read in batches: for lookups by an indexed field, and for queries SQL
    /// cannot judge.
    func searchRendered(_ query: SearchQuery, perPage: Int, cursor: ContactCursor, lag: Int64, visibleBefore: Int64) throws(SandboxError) -> ContactPage {
        let evaluator = SearchEvaluator()
        return try read { db in
            var matches: [(Int, ContactRendering)] = []
            let visible = try Self.candidates(db, for: query, after: cursor.afterSequence).filter { _, state in
                !state.archived && (lag <= 0 || state.createdAt <= visibleBefore)
            }
            for start in stride(from: 0, to: visible.count, by: Self.batchSize) {
                let batch = Array(visible[start..<min(start + Self.batchSize, visible.count)])
                for ((record, _), contact) in zip(batch, try Self.render(db, batch)) where evaluator.matches(contact.json, query) {
                    matches.append((record.sequence, contact))
                }
            }
            return ContactPage(matches, perPage: perPage, cursor: cursor, total: cursor.seen + matches.count)
        }
    }

    /// Whether `query` is one lookup by an indexed field (`email =`, `external_id =`, `id =`).
    private static func hasIndexedLookup(_ query: SearchQuery) -> Bool {
        guard case .filter(let field, .equal, .string) = query else { return false }
        return ["email", "external_id", "id"].contains(field)
    }

    /// The contacts with these sequence numbers, in that order, with their states.
    static func contacts(_ db: Database, sequences: [Int]) throws -> [(UserRecord, ContactState)] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT sequence, record FROM users WHERE sequence IN \(questionMarks(sequences.count)) ORDER BY sequence",
            arguments: StatementArguments(sequences))
        var parser = JSONSeriesParser()
        let records = try rows.map { try record(from: ($0[0], $0[1]), parsing: &parser) }
        let states = try states(db, records, parsing: &parser)
        return records.map { ($0, states[$0.sequence] ?? ContactState(defaultFor: $0)) }
    }

    /// The contacts a query can match: one indexed lookup for `email =`, `external_id =` or `id =`, else all of
    /// them after the cursor.
    private static func candidates(_ db: Database, for query: SearchQuery, after sequence: Int) throws -> [(UserRecord, ContactState)] {
        var rows: [Row]
        switch query {
        case .filter("email", .equal, .string(let email)):
            rows = try Row.fetchAll(db, sql: "SELECT sequence, record FROM users WHERE email_key = ?", arguments: [email.lowercased()])
        case .filter("external_id", .equal, .string(let externalID)):
            rows = try Row.fetchAll(db, sql: "SELECT sequence, record FROM users WHERE user_id = ?", arguments: [externalID])
        case .filter("id", .equal, .string(let id)):
            rows = try Row.fetchAll(db, sql: "SELECT sequence, record FROM users WHERE intercom_id = ?", arguments: [id])
        default:
            rows = try Row.fetchAll(db, sql: "SELECT sequence, record FROM users WHERE sequence > ? ORDER BY sequence", arguments: [sequence])
        }
        var parser = JSONSeriesParser()
        let records = try rows.filter { ($0[0] as Int) > sequence }.map { try record(from: ($0[0], $0[1]), parsing: &parser) }
        var found: [(UserRecord, ContactState)] = []
        for start in stride(from: 0, to: records.count, by: batchSize) {
            let batch = Array(records[start..<min(start + batchSize, records.count)])
            let states = try states(db, batch, parsing: &parser)
            found += batch.map { ($0, states[$0.sequence] ?? ContactState(defaultFor: $0)) }
        }
        return found
    }

    /// How many contacts one `IN (…)` query reads.
    static let batchSize = 500

    /// A page of `items` keyed by their sequence numbers (at most `perPage` of them are shown; one more tells that a
    /// next page exists): a `type` object with the items under `member`, `total_count` and cursor ``pages(after:perPage:cursor:total:)``.
    static func page(
        _ items: [(Int, JSONObject)], perPage: Int, cursor: ContactCursor, total: Int, type: String = "list", member: String = "data"
    ) -> JSONValue {
        let shown = items.prefix(perPage)
        let pages = Self.pages(after: items.count > perPage ? shown.last?.0 : nil, perPage: perPage, cursor: cursor, total: total)
        return [
            "type": .string(type), .init(member): .array(shown.map { .object($0.1) }), "total_count": .integer(Int64(total)), "pages": .object(pages),
        ]
    }

    /// A page's `pages` object: its number, size and count of pages, and `next` when the page (a full one) is
    /// followed by more, after the item with sequence number `last`.
    static func pages(after last: Int?, perPage: Int, cursor: ContactCursor, total: Int) -> JSONObject {
        var pages: JSONObject = [
            "type": "pages", "page": .integer(Int64(cursor.page)), "per_page": .integer(Int64(perPage)),
            "total_pages": .integer(Int64(max(1, (total + perPage - 1) / perPage))),
        ]
        if let last {
            let next = ContactCursor(page: cursor.page + 1, afterSequence: last, seen: cursor.seen + perPage)
            pages["next"] = ["page": .integer(Int64(next.page)), "starting_after": .string(next.encoded)]
        }
        return pages
    }
}

/// Where a page of contacts starts: after the contact with this sequence number; opaque to clients (base64).
struct ContactCursor: Sendable, Hashable {
    var page = 1
    var afterSequence = 0
    /// How many matches the earlier pages showed.
    var seen = 0

    init(page: Int, afterSequence: Int, seen: Int) {
        self.page = page
        self.afterSequence = afterSequence
        self.seen = seen
    }

    /// The cursor a client sent back; nil or empty is the first page. Anything the sandbox did not make is a 400.
    init(_ text: String?) throws(SandboxError) {
        guard let text, !text.isEmpty else { return }
        let fields = Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) }?.split(separator: ":").compactMap { Int($0) } ?? []
        guard fields.count == 3, fields.allSatisfy({ (0...Self.largest).contains($0) }), fields[0] >= 2 else {
            throw SandboxError.restInvalid(
                "Invalid starting_after param. Please try again using a starting_after value from a paginated response")
        }
        (page, afterSequence, seen) = (fields[0], fields[1], fields[2])
    }

    /// The largest number a cursor holds: far past any store, and far from overflowing when a page is added.
    static let largest = 1 << 40

    /// The text handed to clients.
    var encoded: String { Data("\(page):\(afterSequence):\(seen)".utf8).base64EncodedString() }
}
