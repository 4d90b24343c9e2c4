import Foundation
import IntercomKit
import IntercomSandbox
import Testing

@Suite("Contact search evaluation")
struct SearchEvaluatorTests {
    static let ann: JSONObject = [
        "type": .string("contact"), "id": .string("6a1"), "role": .string("user"), "email": .string("Ann@Example.com"),
        "name": .string("Ann Lee"), "phone": .null, "created_at": .integer(1_767_225_600 + 3_600),
        "unsubscribed_from_emails": .bool(false), "location": .object(["country": .string("Ireland")]),
        "custom_attributes": .object(["plan": .string("pro"), "seats": .integer(12)]),
        "tags": .object(["type": .string("list"), "data": .array([.object(["type": .string("tag"), "id": .string("81")])])]),
    ]

    static func filter(_ field: String, _ op: SearchOperator, _ value: JSONValue) -> SearchQuery {
        .filter(field: field, operator: op, value: value)
    }

    @Test("text ignores case; lists, nulls, numbers, dotted fields and tags")
    func filters() {
        let evaluator = SearchEvaluator()
        let matching: [SearchQuery] = [
            Self.filter("email", .equal, .string("ann@example.com")),
            Self.filter("email", .endsWith, .string("@EXAMPLE.com")),
            Self.filter("name", .startsWith, .string("ann")),
            Self.filter("name", .notContains, .string("bob")),
            Self.filter("role", .within, .array([.string("lead"), .string("user")])),
            Self.filter("phone", .equal, .null),
            Self.filter("email", .notEqual, .null),
            Self.filter("location.country", .equal, .string("ireland")),
            Self.filter("custom_attributes.seats", .greaterOrEqual, .integer(12)),
            Self.filter("custom_attributes.plan", .notWithin, .array([.string("free")])),
            Self.filter("unsubscribed_from_emails", .equal, .bool(false)),
            Self.filter("tag_id", .equal, .string("81")),
            Self.filter("tag_id", .notEqual, .string("82")),
        ]
        for query in matching { #expect(evaluator.matches(Self.ann, query), "\(query.json)") }
        let failing: [SearchQuery] = [
            Self.filter("email", .contains, .string("bob")),
            Self.filter("custom_attributes.seats", .less, .integer(12)),
            Self.filter("tag_id", .equal, .string("82")),
            Self.filter("role", .notWithin, .array([.string("user")])),
            Self.filter("location.city", .notEqual, .null),
        ]
        for query in failing { #expect(!evaluator.matches(Self.ann, query), "\(query.json)") }
    }

    @Test("dates compare by day in the workspace's time zone; AND and OR nest")
    func daysAndGroups() throws {
        let utc = SearchEvaluator()
        let sameDay = Self.filter("created_at", .equal, .integer(1_767_225_600 + 80_000))
        #expect(utc.matches(Self.ann, sameDay))
        #expect(!utc.matches(Self.ann, Self.filter("created_at", .greater, .integer(1_767_225_600))))
        #expect(utc.matches(Self.ann, Self.filter("created_at", .greater, .integer(1_767_225_600 - 86_400))))
        #expect(utc.matches(Self.ann, Self.filter("created_at", .less, .integer(1_767_225_600 + 86_400))))
        // 01:00 UTC on 1 January is still 31 December in New York.
        let newYork = SearchEvaluator(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        #expect(!newYork.matches(Self.ann, sameDay))
        #expect(newYork.matches(Self.ann, Self.filter("created_at", .less, .integer(1_767_225_600 + 80_000))))
        let nested = SearchQuery.group(.and, [
            Self.filter("role", .equal, .string("user")),
            .group(.or, [Self.filter("email", .contains, .string("nobody")), Self.filter("tag_id", .equal, .string("81"))]),
        ])
        #expect(utc.matches(Self.ann, nested))
        #expect(!utc.matches(Self.ann, .group(.and, [nested, Self.filter("name", .equal, .string("Bob"))])))
    }
}
