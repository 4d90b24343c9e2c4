/// The rules of a search endpoint (REST API 2.16): which fields can be searched, the kind of each, the operators
/// each kind takes, and the limits on a query's shape (at most two levels of groups, at most 15 members in a group).
/// The client checks a query against them before sending it, and the sandbox answers by them. ``contacts`` are the
/// rules of `POST /contacts/search`, ``conversations`` those of `POST /conversations/search`.
public struct SearchRules: Sendable, Hashable {
    /// What a searchable field holds, which decides its operators.
    public enum Kind: Sendable, Hashable {
        /// Text: `= != IN NIN ~ !~ ^ $`.
        case string
        /// A whole number: `= != IN NIN < > <= >=`.
        case integer
        /// A number with a fraction (a custom attribute of type `float`): as ``integer``.
        case float
        /// `true` or `false`: `= != IN NIN`.
        case boolean
        /// Unix seconds, compared by calendar day: `= < >`.
        case date
        /// A tag's id: `= !=`.
        case tagID
        /// The id of a member of a list the item holds (`contact_ids`, `tag_ids`): `= != IN NIN`.
        case memberID

        /// The operators this kind takes.
        public var operators: Set<SearchOperator> {
            switch self {
            case .string: [.equal, .notEqual, .within, .notWithin, .contains, .notContains, .startsWith, .endsWith]
            case .integer, .float: [.equal, .notEqual, .within, .notWithin, .less, .greater, .lessOrEqual, .greaterOrEqual]
            case .boolean, .memberID: [.equal, .notEqual, .within, .notWithin]
            case .date: [.equal, .less, .greater]
            case .tagID: [.equal, .notEqual]
            }
        }
    }

    /// What is searched, plural (`contacts`), for messages.
    public let subject: String
    /// The searchable standard fields and their kinds.
    public let fields: [String: Kind]
    /// Whether `custom_attributes.NAME` can be searched.
    public let searchesCustomAttributes: Bool

    /// Rules for `subject` over `fields`.
    public init(subject: String, fields: [String: Kind], searchesCustomAttributes: Bool) {
        self.subject = subject
        self.fields = fields
        self.searchesCustomAttributes = searchesCustomAttributes
    }

    /// The most members a group may have.
    public static let maximumGroupMembers = 15
    /// The most levels of groups a query may have.
    public static let maximumDepth = 2

    /// `POST /contacts/search`: the standard fields, and `custom_attributes.NAME` with the kind of the attribute.
    public static let contacts: SearchRules = {
        var fields: [String: Kind] = [:]
        let strings = [
            "id", "role", "name", "avatar", "owner_id", "email", "email_domain", "phone", "formatted_phone", "external_id",
            "language_override", "browser", "browser_language", "os", "location.country", "location.region", "location.city",
            "segment_id",
        ]
        let dates = [
            "created_at", "signed_up_at", "updated_at", "last_seen_at", "last_contacted_at", "last_replied_at",
            "last_email_opened_at", "last_email_clicked_at",
        ]
        for field in strings { fields[field] = .string }
        for field in dates { fields[field] = .date }
        for field in ["unsubscribed_from_emails", "marked_email_as_spam", "has_hard_bounced"] { fields[field] = .boolean }
        fields["tag_id"] = .tagID
        return SearchRules(subject: "contacts", fields: fields, searchesCustomAttributes: true)
    }()

    /// `POST /conversations/search`: the fields its description lists (`source.body` matches whole words).
    public static let conversations: SearchRules = {
        var fields: [String: Kind] = [:]
        let strings = [
            "id", "source.type", "source.id", "source.delivered_as", "source.subject", "source.body", "source.author.id",
            "source.author.type", "source.author.name", "source.author.email", "source.url", "channel_initiated", "state", "priority",
            "statistics.last_closed_by_id", "conversation_rating.remark", "conversation_rating.contact_id",
            "conversation_rating.admin_d", "ai_agent.resolution_state", "ai_agent.last_answer_type", "ai_agent.source_type",
            "ai_agent.source_title",
        ]
        let dates = [
            "created_at", "updated_at", "waiting_since", "snoozed_until", "statistics.first_contact_reply_at",
            "statistics.first_assignment_at", "statistics.first_admin_reply_at", "statistics.first_close_at",
            "statistics.last_assignment_at", "statistics.last_assignment_admin_reply_at", "statistics.last_contact_reply_at",
            "statistics.last_admin_reply_at", "statistics.last_close_at", "conversation_rating.requested_at",
            "conversation_rating.replied_at",
        ]
        let integers = [
            "admin_assignee_id", "team_assignee_id", "statistics.time_to_assignment", "statistics.time_to_admin_reply",
            "statistics.time_to_first_close", "statistics.time_to_last_close", "statistics.median_time_to_reply",
            "statistics.count_reopens", "statistics.count_assignments", "statistics.count_conversation_parts",
            "conversation_rating.score", "ai_agent.rating",
        ]
        for field in strings { fields[field] = .string }
        for field in dates { fields[field] = .date }
        for field in integers { fields[field] = .integer }
        for field in ["open", "read", "ai_agent_participated"] { fields[field] = .boolean }
        for field in ["contact_ids", "teammate_ids", "tag_ids"] { fields[field] = .memberID }
        return SearchRules(subject: "conversations", fields: fields, searchesCustomAttributes: false)
    }()

    /// The kind of `field`: a standard field's, or for `custom_attributes.NAME` the kind `customAttribute` gives
    /// (nil: unknown attribute); nil for a field that cannot be searched.
    public func kind(of field: String, customAttribute: (String) -> Kind? = { _ in nil }) -> Kind? {
        if field.hasPrefix("custom_attributes.") { return searchesCustomAttributes ? customAttribute(String(field.dropFirst("custom_attributes.".count))) : nil }
        return fields[field]
    }

    /// The kind of a custom attribute of this `data_type` (`string`, `integer`, `float`, `boolean`, `date`,
    /// `datetime`); nil for any other.
    public static func kind(dataType: String) -> Kind? {
        switch dataType {
        case "string": .string
        case "integer": .integer
        case "float": .float
        case "boolean": .boolean
        case "date", "datetime": .date
        default: nil
        }
    }

    /// `query` with the values of its custom attributes converted to the kind `customAttribute` gives each (the
    /// workspace's data attributes: `seats = 5` on a string attribute searches for `"5"`), then checked. An
    /// attribute `customAttribute` does not know, or a value that cannot take its kind, throws, naming it.
    public func typed(_ query: SearchQuery, customAttribute: (String) -> Kind?) throws(SearchQueryError) -> SearchQuery {
        let converted = try query.mappingFilters { field, op, value throws(SearchQueryError) in
            guard field.hasPrefix("custom_attributes.") else { return value }
            let name = String(field.dropFirst("custom_attributes.".count))
            guard let kind = customAttribute(name) else {
                throw SearchQueryError("the workspace has no custom attribute '\(name)' (its data attributes name the ones it has)")
            }
            if let values = value.arrayValue { return .array(values.map { Self.convert($0, to: kind) }) }
            return Self.convert(value, to: kind)
        }
        try check(converted, customAttribute: customAttribute)
        return converted
    }

    /// `value` as `kind` holds it, when it can be read so (a number's text as text, numeric text as a number,
    /// `true`/`false` as a boolean); otherwise unchanged, for ``check(_:customAttribute:)`` to refuse.
    static func convert(_ value: JSONValue, to kind: Kind) -> JSONValue {
        switch (kind, value) {
        case (.string, .integer), (.string, .double), (.string, .bool): .string(value.description)
        case (.integer, .string(let text)), (.date, .string(let text)): Int64(text).map(JSONValue.integer) ?? value
        case (.float, .string(let text)): Int64(text).map(JSONValue.integer) ?? Double(text).map(JSONValue.double) ?? value
        case (.boolean, .string(let text)): Bool(text.lowercased()).map(JSONValue.bool) ?? value
        default: value
        }
    }

    /// Checks `query`: its shape, each field, each operator against the field's kind, and each value's type.
    public func check(_ query: SearchQuery, customAttribute: (String) -> Kind? = { _ in nil }) throws(SearchQueryError) {
        guard query.depth <= Self.maximumDepth else {
            throw SearchQueryError("a query nests at most \(Self.maximumDepth) levels of AND/OR groups")
        }
        try Self.checkGroups(query)
        for filter in query.filters {
            guard let kind = kind(of: filter.field, customAttribute: customAttribute) else {
                throw SearchQueryError("\(subject) cannot be searched on '\(filter.field)'")
            }
            guard kind.operators.contains(filter.operator) else {
                throw SearchQueryError(
                    "\(filter.field) takes " + kind.operators.map(\.rawValue).sorted().joined(separator: " ")
                        + ", not \(filter.operator.rawValue)")
            }
            try Self.checkValue(filter.value, of: filter.field, kind: kind, operator: filter.operator)
        }
    }

    private static func checkGroups(_ query: SearchQuery) throws(SearchQueryError) {
        guard case .group(let connective, let members) = query else { return }
        guard members.count <= maximumGroupMembers else {
            throw SearchQueryError("an \(connective.rawValue) group holds at most \(maximumGroupMembers) queries, not \(members.count)")
        }
        for member in members { try checkGroups(member) }
    }

    private static func checkValue(_ value: JSONValue, of field: String, kind: Kind, operator op: SearchOperator) throws(SearchQueryError) {
        let values: [JSONValue]
        if op == .within || op == .notWithin {
            guard let array = value.arrayValue, !array.isEmpty else {
                throw SearchQueryError("\(field) \(op.rawValue) needs an array of values")
            }
            values = array
        } else {
            values = [value]
        }
        for value in values where !accepts(value, kind: kind) {
            throw SearchQueryError("\(field) holds \(describe(kind)), not \(value)")
        }
    }

    private static func accepts(_ value: JSONValue, kind: Kind) -> Bool {
        switch (kind, value) {
        case (_, .null): true
        case (.string, .string), (.tagID, .string), (.memberID, .string), (.boolean, .bool): true
        case (.integer, .integer), (.date, .integer), (.float, .integer), (.float, .double): true
        case (.tagID, .integer), (.memberID, .integer): true
        default: false
        }
    }

    private static func describe(_ kind: Kind) -> String {
        switch kind {
        case .string: "text"
        case .integer: "a whole number"
        case .float: "a number"
        case .boolean: "true or false"
        case .date: "a date (Unix seconds)"
        case .tagID: "a tag id"
        case .memberID: "an id"
        }
    }
}
