import Foundation
import IntercomKit
@testable import IntercomSandbox
import Testing

/// Contact search in SQL (``ContactSearchSQL``) finds exactly what the evaluator finds on rendered contacts: the same
/// contacts, in the same order, with the same total, page after page.
@Suite("Contact search in SQL")
struct ContactSearchSQLTests {
    /// A store with contacts of every kind a search can tell apart: v1 users and 2.x contacts, leads, archived ones,
    /// missing and non-ASCII names and emails, custom attributes of each type, tags, phones and old sign-ups.
    static func store() throws -> SandboxStore {
        let store = SandboxStore(seed: .demo, clock: { 1_717_243_200 })
        for (index, name) in ["ÉMILE Zola", "zoë", "Ann", "", "Bob"].enumerated() {
            var user = UserChanges()
            user.userID = "v\(index)"
            user.email = index == 3 ? nil : "v\(index)@Example\(index % 2).COM"
            user.name = name.isEmpty ? nil : name
            user.createdAt = 1_700_000_000 + Int64(index) * 86_400
            user.customData = ["plan": .string(index.isMultiple(of: 2) ? "Pro" : "free"), "seats": .integer(Int64(index * 5)), "beta": .bool(index == 1)]
            user.unsubscribedFromEmails = index == 4
            if index == 0 { user.lastImpressionAt = 1_710_000_000 }
            user.userID = index == 3 ? nil : user.userID
            if index == 3 { user.email = "no-id@example.com" }
            _ = try store.upsertUser(user)
        }
        let lead = try store.createContact(try ContactChanges(RequestParameters(values: ["role": "lead", "name": "Lead Person", "phone": "+44 20 7946 0000"])))
        let archived = try store.createContact(try ContactChanges(RequestParameters(values: ["email": "gone@example.com", "name": "Gone"])))
        _ = try store.setArchived(id: archived["id"]?.stringValue ?? "", true)
        let ann = try store.searchRendered(.filter(field: "name", operator: .equal, value: "ann"), perPage: 5, cursor: ContactCursor(nil), lag: 0, visibleBefore: 0).json
        let annID = ann["data"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        _ = try store.restTagContacts(name: "VIP", contactIDs: [annID, lead["id"]?.stringValue ?? ""])
        return store
    }

    static let queries: [SearchQuery] = [
        .filter(field: "name", operator: .equal, value: "émile zola"),
        .filter(field: "name", operator: .contains, value: "ZO"),
        .filter(field: "name", operator: .startsWith, value: "b"),
        .filter(field: "name", operator: .endsWith, value: "Ë"),
        .filter(field: "name", operator: .notContains, value: "o"),
        .filter(field: "name", operator: .equal, value: nil),
        .filter(field: "name", operator: .notEqual, value: nil),
        .filter(field: "email", operator: .endsWith, value: "example1.com"),
        .filter(field: "email", operator: .contains, value: "@"),
        .filter(field: "email_domain", operator: .equal, value: "EXAMPLE0.com"),
        .filter(field: "email", operator: .equal, value: ""),
        .filter(field: "external_id", operator: .within, value: ["v1", "V2", "nobody"]),
        .filter(field: "external_id", operator: .notWithin, value: ["v1"]),
        .filter(field: "external_id", operator: .equal, value: nil),
        .filter(field: "role", operator: .equal, value: "lead"),
        .filter(field: "role", operator: .notEqual, value: "lead"),
        .filter(field: "phone", operator: .startsWith, value: "+44"),
        .filter(field: "created_at", operator: .greater, value: 1_700_100_000),
        .filter(field: "created_at", operator: .equal, value: 1_700_086_400),
        .filter(field: "signed_up_at", operator: .less, value: 1_700_200_000),
        .filter(field: "updated_at", operator: .greater, value: 1_717_000_000),
        .filter(field: "last_seen_at", operator: .notEqual, value: nil),
        .filter(field: "unsubscribed_from_emails", operator: .equal, value: true),
        .filter(field: "unsubscribed_from_emails", operator: .equal, value: "true"),
        .filter(field: "has_hard_bounced", operator: .equal, value: false),
        .filter(field: "custom_attributes.plan", operator: .equal, value: "pro"),
        .filter(field: "custom_attributes.seats", operator: .greaterOrEqual, value: 10),
        .filter(field: "custom_attributes.seats", operator: .equal, value: "15"),
        .filter(field: "custom_attributes.beta", operator: .equal, value: true),
        .filter(field: "custom_attributes.missing", operator: .equal, value: nil),
        .filter(field: "tag_id", operator: .equal, value: "VIP"),
        .filter(field: "tag_id", operator: .notWithin, value: ["VIP", "FREE TRIAL"]),
        .filter(field: "tag_id", operator: .within, value: ["vip"]),
        .filter(field: "location.country", operator: .equal, value: nil),
        .filter(field: "owner_id", operator: .notEqual, value: nil),
        .group(.and, [.filter(field: "role", operator: .equal, value: "user"), .filter(field: "email", operator: .contains, value: "example")]),
        .group(.or, [.filter(field: "name", operator: .startsWith, value: "a"), .group(.and, [.filter(field: "custom_attributes.seats", operator: .less, value: 10), .filter(field: "name", operator: .notEqual, value: nil)])]),
        .group(.or, []),
        .group(.and, []),
    ]

    /// `query` with the tag names its `tag_id` filters give (`VIP`, any case) replaced by the tags' ids.
    static func withTagIDs(_ query: SearchQuery, _ ids: [String: String]) -> SearchQuery {
        switch query {
        case .group(let connective, let members): return .group(connective, members.map { withTagIDs($0, ids) })
        case .filter("tag_id", let op, let value):
            let swap = { (name: JSONValue) -> JSONValue in name.stringValue.flatMap { ids[$0.lowercased()] }.map(JSONValue.string) ?? name }
            return .filter(field: "tag_id", operator: op, value: value.arrayValue.map { .array($0.map(swap)) } ?? swap(value))
        default: return query
        }
    }

    @Test("every query: the same contacts, order and total as the evaluator on rendered contacts, page by page", arguments: queries)
    func sameAsRendered(query: SearchQuery) throws {
        let store = try Self.store()
        let tags = try store.restTags()["data"]?.arrayValue ?? []
        let ids = Dictionary(tags.compactMap { tag in tag["name"]?.stringValue.map { ($0.lowercased(), tag["id"]?.stringValue ?? "") } }) { a, _ in a }
        #expect(ids.count == 2)
        let query = Self.withTagIDs(query, ids)
        #expect(ContactSearchSQL(query) != nil, "compiles to SQL")
        for perPage in [2, 50] {
            var cursor: String?
            var pages = 0
            repeat {
                let inSQL = try store.searchContacts(query, perPage: perPage, startingAfter: cursor, lag: 0).json
                let rendered = try store.searchRendered(query, perPage: perPage, cursor: try ContactCursor(cursor), lag: 0, visibleBefore: 0).json
                let same = inSQL == rendered
                let shown = { (page: JSONValue) in "\(page["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) of \(page["total_count"] ?? nil)" }
                #expect(same, "page \(pages + 1) of \(perPage): in SQL \(shown(inSQL)), rendered \(shown(rendered))")
                cursor = inSQL["pages"]?["next"]?["starting_after"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 20
        }
    }

    @Test("a field SQL has no expression for is judged on rendered contacts")
    func fallback() throws {
        #expect(ContactSearchSQL(.filter(field: "segment_id", operator: .equal, value: "x")) == nil)
        #expect(ContactSearchSQL(.filter(field: "custom_attributes.a\"b", operator: .equal, value: "x")) == nil)
        let store = try Self.store()
        let answer = try store.searchContacts(.filter(field: "segment_id", operator: .equal, value: "nope"), perPage: 5, startingAfter: nil, lag: 0).json
        #expect(answer["total_count"] == 0)
    }
}
