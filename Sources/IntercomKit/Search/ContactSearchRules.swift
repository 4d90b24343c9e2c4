/// The rules of `POST /contacts/search` (REST API 2.16): which fields can be searched, the kind of each, the
/// operators each kind takes, and the limits on a query's shape (at most two levels of groups, at most 15 members in a
/// group). The client checks a query against them before sending it, and the sandbox answers by them.
public enum ContactSearchRules {
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

        /// The operators this kind takes.
        public var operators: Set<SearchOperator> {
            switch self {
            case .string: [.equal, .notEqual, .within, .notWithin, .contains, .notContains, .startsWith, .endsWith]
            case .integer, .float: [.equal, .notEqual, .within, .notWithin, .less, .greater, .lessOrEqual, .greaterOrEqual]
            case .boolean: [.equal, .notEqual, .within, .notWithin]
            case .date: [.equal, .less, .greater]
            case .tagID: [.equal, .notEqual]
            }
        }
    }

    /// The most members a group may have.
    public static let maximumGroupMembers = 15
    /// The most levels of groups a query may have.
    public static let maximumDepth = 2

    /// The searchable standard fields and their kinds (`custom_attributes.NAME` takes the kind of the attribute).
    public static let fields: [String: Kind] = {
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
        return fields
    }()

    /// The kind of `field`: a standard field's, or for `custom_attributes.NAME` the kind `customAttribute` gives
    /// (nil: unknown attribute); nil for a field that cannot be searched.
    public static func kind(of field: String, customAttribute: (String) -> Kind? = { _ in nil }) -> Kind? {
        if field.hasPrefix("custom_attributes.") { return customAttribute(String(field.dropFirst("custom_attributes.".count))) }
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
    public static func typed(_ query: SearchQuery, customAttribute: (String) -> Kind?) throws(SearchQueryError) -> SearchQuery {
        let converted = try query.mappingFilters { field, op, value throws(SearchQueryError) in
            guard field.hasPrefix("custom_attributes.") else { return value }
            let name = String(field.dropFirst("custom_attributes.".count))
            guard let kind = customAttribute(name) else {
                throw SearchQueryError("the workspace has no custom attribute '\(name)' (its data attributes name the ones it has)")
            }
            if let values = value.arrayValue { return .array(values.map { convert($0, to: kind) }) }
            return convert(value, to: kind)
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
    public static func check(_ query: SearchQuery, customAttribute: (String) -> Kind? = { _ in nil }) throws(SearchQueryError) {
        guard query.depth <= maximumDepth else {
            throw SearchQueryError("a query nests at most \(maximumDepth) levels of AND/OR groups")
        }
        try checkGroups(query)
        for filter in query.filters {
            guard let kind = kind(of: filter.field, customAttribute: customAttribute) else {
                throw SearchQueryError("contacts cannot be searched on '\(filter.field)'")
            }
            guard kind.operators.contains(filter.operator) else {
                throw SearchQueryError(
                    "\(filter.field) takes " + kind.operators.map(\.rawValue).sorted().joined(separator: " ")
                        + ", not \(filter.operator.rawValue)")
            }
            try checkValue(filter.value, of: filter.field, kind: kind, operator: filter.operator)
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
        case (.string, .string), (.tagID, .string), (.boolean, .bool): true
        case (.integer, .integer), (.date, .integer), (.float, .integer), (.float, .double): true
        case (.tagID, .integer): true
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
        }
    }
}
