import IntercomKit
import IntercomShell
import Testing

/// Completion as a pure function of (line before the cursor, known values).
@Suite("Completion")
struct CompletionEngineTests {
    static var known: KnownValues {
        var known = KnownValues()
        known.learn(from: [
            "users": [
                ["intercom_id": "1", "email": "somebody@example.com", "user_id": "123", "custom_data": ["plan": "pro", "seats": 2]],
                ["intercom_id": "2", "email": "sam@example.com", "user_id": "abc123", "custom_data": [:]],
            ],
        ])
        known.learn(from: ["id": "t", "name": "Free Trial", "tagged_user_count": 2])
        known.learn(from: ["thread_id": 5591, "messages": []])
        return known
    }

    static let cases: [(String, String, [String])] = [
        ("fi", "nd ", ["find"]),
        ("find u", "ser ", ["user"]),
        ("find t", "ag ", ["tag"]),
        ("create user em", "ail=", ["email="]),
        ("create user custom_data.p", "lan=", ["custom_data.plan="]),
        ("create user custom_data.", "", ["custom_data.plan=", "custom_data.seats="]),
        ("find user so", "mebody@example.com ", ["somebody@example.com"]),
        ("find user s", "", ["sam@example.com", "somebody@example.com"]),
        ("find user email=so", "mebody@example.com ", ["email=somebody@example.com"]),
        ("tag F", "", []),
        ("tag \"F", "ree Trial\" ", ["\"Free Trial\""]),
        ("find tag \"Fr", "ee Trial\" ", ["\"Free Trial\""]),
        ("thread 123 55", "91 ", ["5591"]),
        ("reply 123 5591 \"hi\" re", "ad=", ["read="]),
        ("reply 123 5591 read=t", "rue ", ["read=true"]),
        ("create_tag tag_or_untag=u", "ntag ", ["tag_or_untag=untag"]),
        ("api P", "", ["PATCH", "POST", "PUT"]),
        ("api GET /contacts/find", "_by_external_id/{external_id} ", ["/contacts/find_by_external_id/{external_id}"]),
        ("api DELETE /tags/", "{tag_id} ", ["/tags/{tag_id}"]),
        ("api GET /me ", "all ", ["all"]),
        ("set o", "utput ", ["output"]),
        ("set output t", "able", ["table"]),
        ("zz", "", []),
        ("users a", "ll ", ["all"]),
    ]

    @Test("completes", arguments: cases.indices)
    func completes(index: Int) {
        let (line, insertion, candidates) = Self.cases[index]
        let offer = CompletionEngine.complete(line, known: Self.known)
        #expect(offer.insertion == insertion, "\(line)")
        #expect(offer.candidates == candidates, "\(line)")
    }

    @Test("2.x objects teach company ids, conversation ids, admin names, tag names, emails and external ids")
    func restValues() {
        var known = KnownValues()
        known.learn(from: ["type": "company.list", "data": [["type": "company", "id": "c-1", "company_id": "acme-6", "name": "Acme"]]])
        known.learn(from: ["type": "conversation.list", "conversations": [["type": "conversation", "id": "5591"], ["type": "conversation", "id": "5602"]]])
        known.learn(from: ["type": "admin.list", "admins": [["type": "admin", "id": "9", "name": "Ada Admin"]]])
        known.learn(from: ["type": "list", "data": [["type": "tag", "id": "t1", "name": "Billing"]]])
        known.learn(from: ["type": "contact", "id": "k1", "email": "kim@example.com", "external_id": "kim-1"])
        let cases: [(String, [String])] = [
            ("find company a", ["acme-6"]),
            ("attach company a", ["acme-6"]),
            ("conversation 55", ["5591"]),
            ("close conversation 5", ["5591", "5602"]),
            ("tag conversation 5591 B", ["Billing"]),
            ("assign conversation 5591 to=", ["to=\"Ada Admin\"", "to=me"]),
            ("note conversation 5591 \"x\" admin=m", ["admin=me"]),
            ("find user k", ["kim-1", "kim@example.com"]),
            ("create attribute B", []),
        ]
        for (line, candidates) in cases {
            #expect(CompletionEngine.complete(line, known: known).candidates == candidates, "\(line)")
        }
    }

    @Test("keys already given are not offered again")
    func usedKeys() {
        let offer = CompletionEngine.complete("create user email=a@b.io ", known: KnownValues())
        #expect(!offer.candidates.contains("email="))
        #expect(offer.candidates.contains("name="))
    }

    @Test("what a command sets itself is not offered: after a tag's name, no name= or tag_or_untag=; set offers pager")
    func ownParameters() {
        let tag = CompletionEngine.complete("tag \"Free Trial\" ", known: KnownValues()).candidates
        #expect(!tag.contains("name=") && !tag.contains("tag_or_untag=") && tag.contains("company="), "\(tag)")
        let event = CompletionEngine.complete("event sent-invite ", known: KnownValues()).candidates
        #expect(!event.contains("event_name="), "\(event)")
        #expect(CompletionEngine.complete("set ", known: KnownValues()).candidates.contains("pager"))
        #expect(CompletionEngine.complete("set pager ", known: KnownValues()).candidates == ["off", "on"])
    }
}
