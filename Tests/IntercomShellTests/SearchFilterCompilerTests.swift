import IntercomKit
@testable import IntercomShell
import Testing

@Suite("Search filters")
struct SearchFilterCompilerTests {
    static func compile(_ text: String) throws -> SearchQuery {
        guard case .words(let words) = CommandTokenizer.split(text) else { throw InputError("does not split") }
        return try SearchFilterCompiler.compile(words)
    }

    static func compileError(_ text: String) -> String? {
        do {
            _ = try compile(text)
            return nil
        } catch { return "\(error)" }
    }

    @Test("and binds tighter than or; parentheses group; the result is the API's query")
    func precedence() throws {
        let query = try Self.compile("email ~ example.com and (role = lead or tag_id = 81)")
        #expect(query == .group(.and, [
            .filter(field: "email", operator: .contains, value: .string("example.com")),
            .group(.or, [
                .filter(field: "role", operator: .equal, value: .string("lead")),
                .filter(field: "tag_id", operator: .equal, value: .string("81")),
            ]),
        ]))
        #expect(try SearchQuery(json: query.json) == query)
        let flat = try Self.compile("name ^ A or name ^ B and email $ .io or name ^ C")
        #expect(flat == .group(.or, [
            .filter(field: "name", operator: .startsWith, value: .string("A")),
            .group(.and, [
                .filter(field: "name", operator: .startsWith, value: .string("B")),
                .filter(field: "email", operator: .endsWith, value: .string(".io")),
            ]),
            .filter(field: "name", operator: .startsWith, value: .string("C")),
        ]))
    }

    @Test("one-word filters, key=value words, side-by-side filters, typed values")
    func forms() throws {
        let query = try Self.compile(#"created_at>2026-01-01 signed_up_at<1767225600 email=ann@example.com name = "Ann (admin)""#)
        #expect(query == .group(.and, [
            .filter(field: "created_at", operator: .greater, value: .integer(1_767_225_600)),
            .filter(field: "signed_up_at", operator: .less, value: .integer(1_767_225_600)),
            .filter(field: "email", operator: .equal, value: .string("ann@example.com")),
            .filter(field: "name", operator: .equal, value: .string("Ann (admin)")),
        ]))
        let custom = try Self.compile("custom_attributes.plan in pro,team custom_attributes.seats >= 5 unsubscribed_from_emails != true")
        #expect(custom == .group(.and, [
            .filter(field: "custom_attributes.plan", operator: .within, value: .array([.string("pro"), .string("team")])),
            .filter(field: "custom_attributes.seats", operator: .greaterOrEqual, value: .integer(5)),
            .filter(field: "unsubscribed_from_emails", operator: .notEqual, value: .bool(true)),
        ]))
        #expect(try Self.compile("(((email ~ a)))") == .filter(field: "email", operator: .contains, value: .string("a")))
    }

    @Test("what the API refuses is refused here, naming the field or place")
    func refusals() {
        let cases: [(String, String)] = [
            ("created_at != 2026-01-01", "created_at takes"),
            ("tag_id ~ 5", "tag_id takes"),
            ("nope = 1", "cannot be searched on 'nope'"),
            ("(email = a", "( is not closed"),
            ("email =", "needs one value"),
            ("email", "operator"),
            ("and email = x", "comparison should come here"),
            ("", "needs a filter"),
            ("email = a )", "unexpected )"),
            ("created_at > yesterday", "YYYY-MM-DD"),
            ("created_at > 2026-02-30", "YYYY-MM-DD"),
            ("unsubscribed_from_emails = maybe", "true or false"),
            ("email ~ a and (name ~ b or (name ~ c and email ~ d))", "at most 2 levels"),
            ((1...16).map { "email ~ x\($0)" }.joined(separator: " or "), "at most 15"),
        ]
        for (text, expected) in cases {
            let error = Self.compileError(text)
            #expect(error?.contains(expected) == true, "\(text): \(error ?? "accepted")")
        }
    }
}

extension SearchFilterCompilerTests {
    @Test("key=\"quoted value\" keeps its blanks; explicit groups stay as written, each within the API's limit")
    func quotedKeysAndExplicitGroups() throws {
        #expect(try Self.compile(#"name="Ben McRedmond""#) == .filter(field: "name", operator: .equal, value: .string("Ben McRedmond")))
        #expect(try Self.compile(#"email!="a b""#) == .filter(field: "email", operator: .notEqual, value: .string("a b")))
        #expect(try Self.compile(#"custom_attributes.plan="pro""#) == .filter(field: "custom_attributes.plan", operator: .equal, value: .string("pro")))
        let eight = (1...8).map { "name = n\($0)" }.joined(separator: " and ")
        let query = try Self.compile("(\(eight)) and (\(eight))")
        guard case .group(.and, let members) = query else { Issue.record("a group of two groups: \(query)"); return }
        #expect(members.count == 2 && members.allSatisfy { $0.filters.count == 8 })
        #expect(Self.compileError("(\(eight) and \(eight))")?.contains("at most 15") == true, "one group of 16 is still refused")
    }

    @Test("custom attributes are searched as the workspace types them; one it lacks is refused, naming it")
    func customAttributesTypedByWorkspace() throws {
        let query = try Self.compile("custom_attributes.plan = pro custom_attributes.seats = 5 custom_attributes.code = 7 custom_attributes.beta = true")
        let workspace: [String: SearchRules.Kind] = ["plan": .string, "seats": .integer, "code": .string, "beta": .boolean]
        let typed = try SearchRules.contacts.typed(query) { workspace[$0] }
        #expect(typed.filters.map(\.value) == [.string("pro"), .integer(5), .string("7"), .bool(true)])
        #expect(throws: SearchQueryError.self) { try SearchRules.contacts.typed(query) { $0 == "plan" ? .integer : workspace[$0] } }
        do {
            _ = try SearchRules.contacts.typed(query) { $0 == "beta" ? nil : workspace[$0] }
            Issue.record("an attribute the workspace lacks is refused")
        } catch {
            #expect(error.message.contains("no custom attribute 'beta'"))
        }
        let ndjson = IntercomShell.Operation(
            name: .searchUsers, parameters: ["query": ["field": "custom_attributes.plan", "operator": "=", "value": "pro"]])
        #expect(throws: Never.self) { _ = try ndjson.checkedParameters() }
    }
}
