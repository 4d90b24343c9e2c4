import GRDB
import IntercomKit
import Synchronization

/// A contact search compiled to SQL over `users u LEFT JOIN contacts c`, so that SQLite walks the contacts and
/// counts the matches, and only the page shown is read and rendered.
///
/// Each filter becomes a call of `contact_filter(field, operator, value, actual)`, where `actual` is an SQL
/// expression giving the field's value as the contact's JSON shows it (``ContactRendering``); the function judges it
/// with ``SearchEvaluator``, so a search in SQL matches exactly what the evaluator matches on rendered contacts.
/// AND and OR are SQL's. A query naming a field with no such expression (`segment_id`) does not compile.
struct ContactSearchSQL {
    /// The SQL condition.
    let condition: String
    /// Its arguments, in order.
    let arguments: StatementArguments

    /// The query compiled; nil when a field of it has no SQL expression.
    init?(_ query: SearchQuery) {
        var arguments = StatementArguments()
        guard let condition = Self.compile(query, into: &arguments) else { return nil }
        self.condition = condition
        self.arguments = arguments
    }

    private static func compile(_ query: SearchQuery, into arguments: inout StatementArguments) -> String? {
        switch query {
        case .group(let connective, let members):
            var parts: [String] = []
            for member in members {
                guard let part = compile(member, into: &arguments) else { return nil }
                parts.append("(" + part + ")")
            }
            guard !parts.isEmpty else { return connective == .and ? "1" : "0" }
            return parts.joined(separator: connective == .and ? " AND " : " OR ")
        case .filter(let field, let op, let value):
            guard let actual = actual(field) else { return nil }
            arguments += [field, op.rawValue, value.encodedString()]
            return "contact_filter(?, ?, ?, \(actual))"
        }
    }

    /// The field's value as JSON text, as the rendered contact has it; nil for a field with no SQL expression.
    static func actual(_ field: String) -> String? {
        if let fixed = fields[field] { return fixed }
        if field.hasPrefix("custom_attributes.") {
            let keys = field.split(separator: ".", omittingEmptySubsequences: false).dropFirst()
            guard keys.allSatisfy({ !$0.isEmpty && !$0.contains("\"") && !$0.contains("\\") && !$0.contains("'") }) else { return nil }
            return "coalesce(u.record -> '$.custom_data" + keys.map { ".\"\($0)\"" }.joined() + "', 'null')"
        }
        if field.hasPrefix("location.") || ContactRendering.absentKeys.contains(field) { return "'null'" }
        return nil
    }

    /// The fields of the `contact` object, each as JSON text (`email_domain` is given its email; the function takes
    /// the domain as ``ContactRendering`` does).
    static let fields: [String: String] = [
        "id": "json_quote(u.intercom_id)",
        "external_id": "json_quote(u.user_id)",
        "email": "json_quote(coalesce(u.record ->> '$.email', ''))",
        "email_domain": "json_quote(coalesce(u.record ->> '$.email', ''))",
        "name": "coalesce(u.record -> '$.name', 'null')",
        "role": "json_quote(coalesce(c.state ->> '$.role', 'user'))",
        "phone": "coalesce(c.state -> '$.phone', 'null')",
        "avatar": "CASE WHEN u.record ->> '$.avatar_url' IS NULL THEN 'null' ELSE json_object('type', 'avatar', 'image_url', u.record ->> '$.avatar_url') END",
        "owner_id": "'null'",
        "created_at": "coalesce(c.state -> '$.created_at', u.record -> '$.created_at')",
        "updated_at": "coalesce(c.state -> '$.updated_at', u.record -> '$.created_at')",
        "signed_up_at": "u.record -> '$.created_at'",
        "last_seen_at": "coalesce(u.record -> '$.last_impression_at', 'null')",
        "unsubscribed_from_emails": "coalesce(u.record -> '$.unsubscribed_from_emails', 'false')",
        "marked_email_as_spam": "'false'",
        "has_hard_bounced": "'false'",
        // The contact shows its first 10 tags, by id.
        "tag_id": """
            (SELECT json_group_array(json_object('id', tag_id)) FROM \
            (SELECT tag_id FROM tag_members WHERE sequence = u.sequence ORDER BY tag_id LIMIT 10))
            """,
    ]

    /// `contact_filter(field, operator, value, actual)`: whether the field's `actual` value (JSON text) meets the
    /// filter, as ``SearchEvaluator`` judges it on a rendered contact. The filter's own arguments, the same on every
    /// row of a statement, are read once (``Filter/last``).
    static let function = DatabaseFunction("contact_filter", argumentCount: 4, pure: true) { values in
        guard let field = String.fromDatabaseValue(values[0]), let op = String.fromDatabaseValue(values[1]),
            let value = String.fromDatabaseValue(values[2]), let filter = Filter.reading(field, op, value)
        else { return false }
        return filter.matches(String.fromDatabaseValue(values[3]).flatMap { try? JSONValue(parsing: $0) } ?? .null)
    }

    /// One filter of a compiled search, read from its SQL arguments.
    struct Filter: Sendable {
        let field: String
        let op: SearchOperator
        let value: JSONValue
        /// The arguments it was read from.
        let arguments: [String]
        let evaluator = SearchEvaluator()

        /// The filter most recently read.
        private static let last = Mutex<Filter?>(nil)

        /// The filter of these arguments (the last one read, when they are the same); nil when they do not read.
        static func reading(_ field: String, _ op: String, _ value: String) -> Filter? {
            let arguments = [field, op, value]
            if let last = last.withLock({ $0 }), last.arguments == arguments { return last }
            guard let op = SearchOperator(rawValue: op), let value = try? JSONValue(parsing: value) else { return nil }
            let filter = Filter(field: field, op: op, value: value, arguments: arguments)
            last.withLock { $0 = filter }
            return filter
        }

        /// Whether a contact whose field has the value `actual` matches.
        func matches(_ actual: JSONValue) -> Bool {
            if let path = SearchEvaluator.memberLists[field] {
                let contact = nested(actual, at: path.split(separator: ".").map(String.init))
                return evaluator.matches(contact, .filter(field: field, operator: op, value: value))
            }
            let actual = field == "email_domain" ? .string(actual.stringValue.map(ContactRendering.domain) ?? "") : actual
            return evaluator.matches(actual, field: field, operator: op, value: value)
        }
    }

    /// `{a: {b: value}}` for path `a.b`.
    static func nested(_ value: JSONValue, at path: [String]) -> JSONObject {
        guard let first = path.first else { return [:] }
        return path.count == 1 ? [first: value] : [first: .object(nested(value, at: Array(path.dropFirst())))]
    }
}
