import GRDB
import IntercomKit

/// Which contacts a batch query reads: those with these sequence numbers (an `IN (…)` list), or every one in a range
/// of them (for a page of the list, whose contacts are consecutive in creation order: two arguments, however many
/// contacts).
enum SequenceSelection {
    case these([Int])
    case range(ClosedRange<Int>)

    /// The range from the first to the last of `sequences` (ascending): for contacts read in creation order, where
    /// any other contact in the range is one left out.
    static func consecutive(_ sequences: [Int]) -> SequenceSelection {
        guard let first = sequences.first, let last = sequences.last else { return .these([]) }
        return .range(first...last)
    }

    /// The condition that `column` is one of the sequence numbers.
    func condition(on column: String) -> String {
        switch self {
        case .these(let sequences): "\(column) IN \(SandboxStore.questionMarks(sequences.count))"
        case .range: "\(column) BETWEEN ? AND ?"
        }
    }

    /// The condition's arguments.
    var arguments: StatementArguments {
        switch self {
        case .these(let sequences): StatementArguments(sequences)
        case .range(let range): [range.lowerBound, range.upperBound]
        }
    }
}

/// Reading and rendering many contacts at once, with a fixed number of queries: the states, tags, notes and
/// companies of a whole batch are each one query, however many contacts the batch holds.
extension SandboxStore {
    /// The contact states of `records`, by sequence number (the defaults for users made through v1), parsed by
    /// `parser`; `selection` holds the records (by default, exactly them).
    static func states(
        _ db: Database, _ records: [UserRecord], among selection: SequenceSelection? = nil, parsing parser: inout JSONSeriesParser
    ) throws -> [Int: ContactState] {
        let selection = selection ?? .these(records.map(\.sequence))
        var stored: [Int: ContactState] = [:]
        let sql = "SELECT sequence, state FROM contacts WHERE \(selection.condition(on: "sequence"))"
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: selection.arguments)
        while let row = try rows.next() {
            stored[row[0]] = ContactState(json: try parser.parse((row[1] as String).utf8))
        }
        return Dictionary(uniqueKeysWithValues: records.map { ($0.sequence, stored[$0.sequence] ?? ContactState(defaultFor: $0)) })
    }

    /// The `contact` objects of `contacts`, in their order, with their tags, notes and companies; `selection` holds
    /// the contacts (by default, exactly them).
    static func render(_ db: Database, _ contacts: [(UserRecord, ContactState)], among selection: SequenceSelection? = nil) throws -> [ContactRendering] {
        guard !contacts.isEmpty else { return [] }
        let selection = selection ?? .these(contacts.map(\.0.sequence))
        let arguments = selection.arguments
        let tags = try grouped(
            db, sql: "SELECT sequence, tag_id FROM tag_members WHERE \(selection.condition(on: "sequence")) ORDER BY sequence, tag_id", arguments) { $0 as String }
        let notes = try grouped(
            db, sql: "SELECT user_sequence, id FROM notes WHERE \(selection.condition(on: "user_sequence")) ORDER BY user_sequence, id", arguments) { $0 as Int64 }
        let companies = try grouped(
            db, sql: """
                SELECT m.sequence, c.id FROM company_members m JOIN companies c ON c.sequence = m.company
                WHERE \(selection.condition(on: "m.sequence")) ORDER BY m.sequence, c.sequence
                """,
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
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() { groups[row[0], default: []].append(row[1]) }
        return groups
    }

    /// `(?,?,…)` for `count` values (`(NULL)` for none, which matches nothing).
    static func questionMarks(_ count: Int) -> String {
        count == 0 ? "(NULL)" : "(" + databaseQuestionMarks(count: count) + ")"
    }
}
