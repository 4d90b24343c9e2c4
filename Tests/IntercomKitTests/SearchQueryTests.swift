import IntercomKit
import Testing

@Suite("Search queries")
struct SearchQueryTests {
    @Test("the JSON form reads back; malformed queries say what is wrong")
    func jsonForm() throws {
        let query = SearchQuery.group(.or, [
            .filter(field: "email", operator: .endsWith, value: .string("@example.com")),
            .filter(field: "tag_id", operator: .notEqual, value: .string("81")),
        ])
        #expect(try SearchQuery(json: query.json) == query)
        #expect(query.depth == 1 && query.filters.count == 2)
        let malformed: [(JSONValue, String)] = [
            (.string("x"), "an object with an operator"),
            (.object(["operator": .string("AND"), "value": .array([])]), "non-empty array"),
            (.object(["operator": .string("LIKE"), "field": .string("email"), "value": .string("a")]), "unknown operator 'LIKE'"),
            (.object(["operator": .string("="), "value": .string("a")]), "needs a field"),
            (.object(["operator": .string("="), "field": .string("email")]), "needs a value"),
        ]
        for (json, expected) in malformed {
            #expect(throws: SearchQueryError.self) { try SearchQuery(json: json) }
            do { _ = try SearchQuery(json: json) } catch { #expect(error.message.contains(expected), "\(error.message)") }
        }
    }

    @Test("the contact search rules: operators by kind, value types, custom attributes, shape limits")
    func rules() throws {
        try SearchRules.contacts.check(.filter(field: "created_at", operator: .greater, value: .integer(1_767_225_600)))
        try SearchRules.contacts.check(.filter(field: "email", operator: .within, value: .array([.string("a@x.io"), .string("b@x.io")])))
        try SearchRules.contacts.check(
            .filter(field: "custom_attributes.seats", operator: .lessOrEqual, value: .integer(3)), customAttribute: { _ in .integer })
        let refused: [SearchQuery] = [
            .filter(field: "created_at", operator: .greaterOrEqual, value: .integer(1)),
            .filter(field: "created_at", operator: .greater, value: .string("yesterday")),
            .filter(field: "email", operator: .less, value: .string("a")),
            .filter(field: "email", operator: .within, value: .string("a")),
            .filter(field: "has_hard_bounced", operator: .equal, value: .string("yes")),
            .filter(field: "custom_attributes.plan", operator: .equal, value: .string("pro")),
            .group(.and, Array(repeating: .filter(field: "email", operator: .equal, value: .string("a")), count: 16)),
        ]
        for query in refused {
            #expect(throws: SearchQueryError.self, "\(query.json)") { try SearchRules.contacts.check(query) }
        }
    }
}
