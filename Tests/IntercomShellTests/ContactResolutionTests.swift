import IntercomKit
import NIOHTTP1
import Testing

@testable import IntercomShell

/// An identifier names the contact that carries it when the request goes out: the rules by which a lookup's answer
/// is accepted, a directory id is checked, and the directory follows renames.
@Suite("Contact resolution")
struct ContactResolutionTests {
    static func answer(_ body: JSONValue?) -> Result<IntercomResponse, ResultRecord.Failure> {
        .success(IntercomResponse(status: 200, body: body, rateLimit: nil, headers: HTTPHeaders()))
    }

    static func contact(_ id: String, external: String? = nil, email: String? = nil, role: String = "user") -> JSONValue {
        var object: JSONObject = ["type": "contact", "id": .string(id), "role": .string(role)]
        if let external { object["external_id"] = .string(external) }
        if let email { object["email"] = .string(email) }
        return .object(object)
    }

    static func list(_ contacts: [JSONValue], next: Bool = false) -> JSONValue {
        var object: JSONObject = ["type": "list", "data": .array(contacts)]
        if next { object["pages"] = ["next": ["starting_after": "c2"]] }
        return .object(object)
    }

    /// (what the lookup asked for, the answer, the failure type expected or nil when the contact `c1` is accepted)
    static let acceptance: [(UserIdentifier, JSONValue?, FailureType?)] = [
        (.userID("910"), contact("c1", external: "910"), nil),
        (.userID("910"), contact("c1", external: "911"), .api(.invalidResponse)),
        (.userID("910"), list([contact("c1", external: "910")]), .api(.invalidResponse)),
        (.userID("910"), ["type": "admin", "id": "c1", "external_id": "910"], .api(.invalidResponse)),
        (.userID("910"), nil, .api(.invalidResponse)),
        (.userID("caf\u{E9}"), contact("c1", external: "cafe\u{301}"), .api(.invalidResponse)),
        (.email("jos\u{E9}@example.com"), list([contact("c9", email: "jose\u{301}@example.com")]), .api(.notFound)),
        (.email("Ben@Example.com"), list([contact("c1", email: "ben@example.com")]), nil),
        (.email("ben@example.com"), list([contact("c9", email: "other@example.com")]), .api(.notFound)),
        (.email("ben@example.com"), list([]), .api(.notFound)),
        (.email("ben@example.com"), contact("c1", email: "ben@example.com"), .api(.invalidResponse)),
        (.email("ben@example.com"), list([contact("c2", email: "ben@example.com", role: "lead"), contact("c1", email: "ben@example.com")]), nil),
        (.email("ben@example.com"), list([contact("c1", email: "ben@example.com"), contact("c3", email: "ben@example.com")]), .ambiguous),
        (.email("ben@example.com"), list([contact("c1", email: "ben@example.com", role: "lead")]), nil),
        (.email("ben@example.com"), list([contact("c1", email: "ben@example.com", role: "lead"), contact("c2", email: "ben@example.com", role: "lead")]), .ambiguous),
        (.email("ben@example.com"), list([contact("c1", email: "ben@example.com")], next: true), .ambiguous),
    ]

    @Test("a lookup accepts only the kind of object it asked for, carrying the identifier scalar for scalar; a shared email prefers the user")
    func lookupAcceptance() {
        for (index, (user, body, expected)) in Self.acceptance.enumerated() {
            switch ContactLookup.accepted(body, for: user) {
            case .success(let contact): #expect(expected == nil && contact["id"] == "c1", "case \(index): accepted \(contact)")
            case .failure(let failure): #expect(failure.type == expected, "case \(index): \(failure.summary)")
            }
        }
    }

    @Test("a lookup answered with what is not a contact says what it got")
    func unexpectedAnswers() {
        let cases: [(JSONValue?, String)] = [
            (nil, "an empty answer"), (.null, "an empty answer"), (["id": "1"], "an object with no type, which is not a contact"),
            (["type": "company", "id": "1"], "a company, which is not a contact"), ([1], "an array with no type, which is not a contact"),
        ]
        for (body, expected) in cases {
            let message = ContactLookup.unexpected(body, asked: "user_id 7").message
            #expect(message == "the lookup of user_id 7 was answered with \(expected); nothing was changed", "\(message)")
        }
    }

    @Test("a directory id is checked first; a contact renamed since is forgotten and the identifier looked up afresh")
    func candidateIsChecked() {
        var resolver = ContactResolver(.email("keep@example.com"), candidate: "c1")
        #expect(resolver.start() == .send(.contact(id: "c1")))
        let renamed = Self.contact("c1", email: "renamed@example.com")
        let lookup = IntercomRequest.searchContacts(
            .filter(field: "email", operator: .equal, value: "keep@example.com"), perPage: ContactLookup.searchPageSize)
        #expect(resolver.received(Self.answer(renamed)) == .send(lookup))
        #expect(resolver.forgotten == ["c1"])
        #expect(resolver.received(Self.answer(Self.list([]))) == .failed(ContactLookup.notFound(.email("keep@example.com"))))

        var current = ContactResolver(.userID("920"), candidate: "c2")
        _ = current.start()
        #expect(current.received(Self.answer(Self.contact("c2", external: "920"))) == .found(Self.contact("c2", external: "920")))
        var deleted = ContactResolver(.userID("920"), candidate: "c2")
        _ = deleted.start()
        let gone = ResultRecord.Failure(type: .api(.notFound), status: 404, message: "User Not Found")
        #expect(deleted.received(.failure(gone)) == .send(.contact(externalID: "920")))
    }

    @Test("a delete by a renamed email never deletes: the plan checks the id, then finds no contact")
    func deleteRestsOnNoGuess() {
        var plan = ContactPlan(.delete(.email("keep@example.com")), knownID: "c1")
        #expect(plan.start() == .send(.contact(id: "c1"), retryAs: .read))
        guard case .send(let lookup, _) = plan.received(Self.answer(Self.contact("c1", email: "renamed@example.com"))) else {
            Issue.record("the identifier is looked up afresh")
            return
        }
        #expect(lookup.path == "contacts/search")
        guard case .fail(let failure) = plan.received(Self.answer(Self.list([]))) else { Issue.record("no contact, no delete"); return }
        #expect(failure.type == .api(.notFound))
        #expect(plan.forgotten == ["c1"])
    }

    @Test("the directory keeps the names a contact's latest answer shows: a rename drops the old email and user_id")
    func directoryFollowsRenames() {
        let directory = ContactDirectory()
        directory.remember(Self.contact("c1", external: "910", email: "keep@example.com"))
        #expect(directory.id(for: .email("KEEP@example.com")) == "c1")
        directory.remember(Self.contact("c1", external: "921", email: "renamed@example.com"))
        #expect(directory.id(for: .email("keep@example.com")) == nil)
        #expect(directory.id(for: .userID("910")) == nil)
        #expect(directory.id(for: .userID("921")) == "c1" && directory.id(for: .email("renamed@example.com")) == "c1")
        directory.remember(Self.contact("c2", external: "921"))
        #expect(directory.id(for: .userID("921")) == "c2", "a name moves to the contact that carries it now")
        directory.forget(id: "c1")
        #expect(directory.id(for: .email("renamed@example.com")) == nil && directory.count == 1)
    }

    @Test("leads are not remembered: an email a lead shares with a user names the user, and a checked id must be a user's")
    func leadsAreLookedUpAfresh() {
        let directory = ContactDirectory()
        directory.remember(Self.contact("user1", external: "u1", email: "s@example.com"))
        directory.remember(Self.contact("lead1", email: "s@example.com", role: "lead"))
        #expect(directory.id(for: .email("s@example.com")) == "user1")
        #expect(ContactLookup.verified(Self.contact("lead1", email: "s@example.com", role: "lead"), id: "lead1", for: .email("s@example.com")) == nil)
    }

    @Test("a merged contact's Link is followed by a write only as a candidate, checked to carry the identifier")
    func mergeFollowedByWriteIsChecked() {
        var plan = ContactPlan(.delete(.userID("u9")))
        _ = plan.start()
        #expect(plan.received(Self.answer(Self.contact("x1", external: "u9"))) == .send(.deleteContact(id: "x1"), retryAs: .write))
        let gone = ResultRecord.Failure(type: .api(.gone), status: 410, message: "merged (canonical: </contacts/y1>; rel=\"canonical\")")
        #expect(plan.received(.failure(gone)) == .send(.contact(id: "y1"), retryAs: .read))
        #expect(plan.received(Self.answer(Self.contact("y1", external: "other"))) == .send(.contact(externalID: "u9"), retryAs: .read))
        var explicit = ContactPlan(.archive(UserIdentifier(), id: "x1"))
        _ = explicit.start()
        #expect(explicit.received(.failure(gone)) == .fail(gone), "an id= line names no identifier to check: gone")
        #expect(ContactPlan.canonicalID("(canonical: </contacts/***>; rel=\"canonical\")") == nil)
    }

    @Test("ordering covers a contact id and every name the run knows for it")
    func orderingKeys() {
        let archive = IntercomShell.Operation(name: .archiveUser, parameters: ["id": "c1"])
        let unarchive = IntercomShell.Operation(name: .unarchiveUser, parameters: ["id": "c1"])
        guard case .keys(let first) = archive.orderingScope, case .keys(let second) = unarchive.orderingScope else {
            Issue.record("both are keyed")
            return
        }
        #expect(!first.isDisjoint(with: second))
        let directory = ContactDirectory()
        directory.remember(Self.contact("c1", external: "910", email: "keep@example.com"))
        let byUserID = directory.orderingKeys(expanding: [.userID("910")])
        #expect(byUserID.contains(.contactID("c1")))
        #expect(directory.orderingKeys(expanding: [.contactID("c1")]).contains(.email("keep@example.com")))
        #expect(directory.orderingKeys(expanding: [.email("keep@example.com")]).contains(.userID("910")))
    }
}
