public import Foundation
public import IntercomKit

/// Decides whether an item (its 2.x JSON object) matches a search query, as `POST /contacts/search` and
/// `POST /conversations/search` do.
///
/// Text compares without regard to case; `IN`/`NIN` test membership of the value's array; a `null` value matches
/// a missing or null field (`=`) or a present one (`!=`). Dates compare by calendar day in `timeZone`: `=` is the
/// same day, `>` a later day, `<` an earlier one. A field naming members (`tag_id`, `contact_ids`, `tag_ids`,
/// `teammate_ids`) looks in the ids of the list the item holds (``memberLists``). `source.body` `=` matches one
/// whole word of the text. Other fields are dotted paths into the object (`location.country`, `source.author.id`).
public struct SearchEvaluator: Sendable {
    /// Where each member field's list is: a dotted path to an array of objects with an `id`.
    public static let memberLists = [
        "tag_id": "tags.data", "contact_ids": "contacts.contacts", "tag_ids": "tags.tags", "teammate_ids": "teammates.admins",
    ]
    /// The rules that give each field its kind.
    public var rules: SearchRules
    /// The workspace's time zone, which decides where a day starts.
    public var timeZone: TimeZone { didSet { calendar.timeZone = timeZone } }
    /// The Gregorian calendar in ``timeZone``.
    private var calendar: Calendar

    /// Creates an evaluator under `rules` for a workspace in `timeZone` (UTC by default).
    public init(_ rules: SearchRules = .contacts, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.rules = rules
        self.timeZone = timeZone
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
    }

    /// Whether `contact` matches `query`.
    public func matches(_ contact: JSONObject, _ query: SearchQuery) -> Bool {
        switch query {
        case .group(.and, let members): members.allSatisfy { matches(contact, $0) }
        case .group(.or, let members): members.contains { matches(contact, $0) }
        case .filter(let field, let op, let value): matches(contact, field: field, operator: op, value: value)
        }
    }

    private func matches(_ contact: JSONObject, field: String, operator op: SearchOperator, value: JSONValue) -> Bool {
        if let list = Self.memberLists[field] {
            let members = Self.value(at: list, in: contact)?.arrayValue ?? []
            let wanted = value.arrayValue ?? [value]
            let found = members.contains { member in wanted.contains { Self.same(member.objectValue?["id"] ?? .null, $0) } }
            return op == .equal || op == .within ? found : !found
        }
        return matches(Self.value(at: field, in: contact) ?? .null, field: field, operator: op, value: value)
    }

    /// Whether a field's value `actual` (null when the item lacks it) meets the filter `field op value`, for a field
    /// that does not name members (see ``memberLists``).
    func matches(_ actual: JSONValue, field: String, operator op: SearchOperator, value: JSONValue) -> Bool {
        if field == "source.body", op == .equal, let word = value.stringValue {
            return Self.words(of: actual.stringValue ?? "").contains(word.lowercased())
        }
        if value == .null {
            let missing = actual == .null
            return op == .notEqual ? !missing : missing
        }
        if rules.kind(of: field) == .date { return compareDays(actual, op, value) }
        switch op {
        case .equal: return Self.same(actual, value)
        case .notEqual: return !Self.same(actual, value)
        case .within: return (value.arrayValue ?? []).contains { Self.same(actual, $0) }
        case .notWithin: return !(value.arrayValue ?? []).contains { Self.same(actual, $0) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return Self.compareNumbers(actual, op, value)
        case .contains, .notContains, .startsWith, .endsWith: return Self.compareText(actual, op, value)
        }
    }

    /// The lowercased words of a text, its HTML tags dropped.
    static func words(of text: String) -> Set<String> {
        let plain = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression).lowercased()
        return Set(plain.split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }

    /// The member at a dotted path, or nil.
    static func value(at path: String, in object: JSONObject) -> JSONValue? {
        var current: JSONValue = .object(object)
        for key in path.split(separator: ".") {
            guard let next = current.objectValue?[String(key)] else { return nil }
            current = next
        }
        return current
    }

    /// Equality with text compared regardless of case and numbers by value.
    static func same(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        if let left = actual.stringValue, let right = expected.stringValue { return left.lowercased() == right.lowercased() }
        if let left = actual.doubleValue, let right = expected.doubleValue { return left == right }
        if let left = actual.stringValue, let right = expected.integerValue { return left == String(right) }
        return actual == expected
    }

    static func compareNumbers(_ actual: JSONValue, _ op: SearchOperator, _ expected: JSONValue) -> Bool {
        guard let left = actual.doubleValue, let right = expected.doubleValue else { return false }
        switch op {
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .greater: return left > right
        default: return left >= right
        }
    }

    static func compareText(_ actual: JSONValue, _ op: SearchOperator, _ expected: JSONValue) -> Bool {
        guard let text = actual.stringValue?.lowercased(), let part = expected.stringValue?.lowercased() else {
            return op == .notContains
        }
        switch op {
        case .contains: return text.contains(part)
        case .notContains: return !text.contains(part)
        case .startsWith: return text.hasPrefix(part)
        default: return text.hasSuffix(part)
        }
    }

    /// Dates by calendar day in the workspace's time zone.
    private func compareDays(_ actual: JSONValue, _ op: SearchOperator, _ expected: JSONValue) -> Bool {
        guard let seconds = actual.integerValue, let reference = expected.integerValue else { return false }
        let day = self.day(of: seconds)
        let referenceDay = self.day(of: reference)
        switch op {
        case .equal: return day == referenceDay
        case .greater: return day > referenceDay
        case .less: return day < referenceDay
        default: return false
        }
    }

    /// The start of the day holding `seconds`, in the workspace's time zone.
    private func day(of seconds: Int64) -> Date {
        calendar.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
