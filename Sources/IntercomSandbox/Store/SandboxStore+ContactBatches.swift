import GRDB
import IntercomKit

/// Reading and rendering many contacts at once, with a fixed number of queries: the states, tags, notes and
/// companies of a whole batch are each one `IN (…)` query, however many contacts the batch holds.
extension SandboxStore {
    /// The contact states of `records`, by sequence number (the defaults for users made through v1).
    static func states(_ db: Database, _ records: [UserRecord]) throws -> [Int: ContactState] {
        let sequences = records.map(\.sequence)
        var stored: [Int: ContactState] = [:]
        let sql = "SELECT sequence, state FROM contacts WHERE sequence IN \(questionMarks(sequences.count))"
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(sequences)) {
            stored[row["sequence"]] = ContactState(json: try JSONValue(parsing: row["state"] as String))
        }
        return Dictionary(uniqueKeysWithValues: records.map { ($0.sequence, stored[$0.sequence] ?? ContactState(defaultFor: $0)) })
    }

    /// The `contact` objects of `contacts`, in their order, with their tags, notes and companies.
    static func render(_ db: Database, _ contacts: [(UserRecord, ContactState)]) throws -> [ContactRendering] {
        guard !contacts.isEmpty else { return [] }
        let sequences = contacts.map(\.0.sequence)
        let inList = questionMarks(sequences.count)
        let arguments = StatementArguments(sequences)
        let tags = try grouped(db, sql: "SELECT sequence, tag_id FROM tag_members WHERE sequence IN \(inList) ORDER BY sequence, tag_id", arguments) { $0 as String }
        let notes = try grouped(db, sql: "SELECT user_sequence, id FROM notes WHERE user_sequence IN \(inList) ORDER BY user_sequence, id", arguments) { $0 as Int64 }
        let companies = try grouped(
            db, sql: "SELECT m.sequence, c.id FROM company_members m JOIN companies c ON c.sequence = m.company WHERE m.sequence IN \(inList) ORDER BY m.sequence, c.sequence",
            arguments) { $0 as String }
        return contacts.map { record, state in
            ContactRendering(
                record: record, state: state, tagIDs: tags[record.sequence] ?? [], noteIDs: notes[record.sequence] ?? [],
                companyIDs: companies[record.sequence] ?? []
            )
        }
    }

    /// The second column of `sql`'s rows, grouped by the first (a sequence number), in row order.
    private static func grouped<Value: DatabaseValueConvertible>(
        _ db: Database, sql: String, _ arguments: StatementArguments, _ type: (Value) -> Value
    ) throws -> [Int: [Value]] {
        var groups: [Int: [Value]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) { groups[row[0], default: []].append(row[1]) }
        return groups
    }

    /// `(?,?,…)` for `count` values (`(NULL)` for none, which matches nothing).
    static func questionMarks(_ count: Int) -> String {
        count == 0 ? "(NULL)" : "(" + databaseQuestionMarks(count: count) + ")"
    }
}
