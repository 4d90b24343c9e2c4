import IntercomKit
import IntercomShell
import NIOHTTP1
import Testing

/// The REST API (2.x) plan of each operation: which requests, in which order, for which answers.
@Suite("REST API contact plans")
struct ContactPlanTests {
    static func answer(_ body: JSONValue?, status: Int = 200) -> Result<IntercomResponse, ResultRecord.Failure> {
        .success(IntercomResponse(status: status, body: body, rateLimit: nil, headers: HTTPHeaders()))
    }

    static func failure(_ kind: IntercomError.Kind, _ status: Int, _ message: String) -> Result<IntercomResponse, ResultRecord.Failure> {
        .failure(ResultRecord.Failure(type: .api(kind), status: status, message: message))
    }

    static let contact: JSONValue = ["type": "contact", "id": "5ba682d23d7cf92bef87bfd4", "external_id": "7902", "email": "ben@example.com"]

    @Test("create_user: POST contacts; a 409 becomes a PUT of the contact it names, remembered")
    func upsertThroughConflict() {
        var plan = ContactPlan(.upsert(.userID("7902"), ["external_id": "7902", "name": "Ben"]))
        #expect(plan.start() == .send(.createContact(["external_id": "7902", "name": "Ben", "role": "user"]), retryAs: .idempotentWrite))
        let conflict = Self.failure(.conflict, 409, "A contact matching those details already exists with id=5ba682d23d7cf92bef87bfd4")
        #expect(plan.received(conflict) == .send(.updateContact(id: "5ba682d23d7cf92bef87bfd4", ["external_id": "7902", "name": "Ben"]), retryAs: .idempotentWrite))
        #expect(plan.received(Self.answer(Self.contact)) == .finish(Self.contact))
        #expect(plan.learned == [Self.contact])
    }

    @Test("an archived duplicate is unarchived, then updated")
    func upsertOfArchived() {
        var plan = ContactPlan(.upsert(.email("ben@example.com"), ["email": "ben@example.com"]))
        _ = plan.start()
        let conflict = Self.failure(.conflict, 409, "An archived contact matching those details already exists with id=abc123")
        #expect(plan.received(conflict) == .send(.unarchiveContact(id: "abc123"), retryAs: .idempotentWrite))
        #expect(plan.received(Self.answer(["type": "contact", "id": "abc123", "archived": false])) == .send(.updateContact(id: "abc123", ["email": "ben@example.com"]), retryAs: .idempotentWrite))
    }

    @Test("a 409 that names no id, and any other failure, fail the operation as they are")
    func conflictWithoutID() {
        var plan = ContactPlan(.upsert(.userID("1"), ["external_id": "1"]))
        _ = plan.start()
        let conflict = ResultRecord.Failure(type: .api(.conflict), status: 409, message: "Conflict")
        #expect(plan.received(.failure(conflict)) == .fail(conflict))
        var other = ContactPlan(.show(.userID("1")))
        _ = other.start()
        let gone = ResultRecord.Failure(type: .api(.gone), status: 410, message: "merged")
        #expect(other.received(.failure(gone)) == .fail(gone))
    }

    @Test("a known id is checked before use; one that still carries the identifier is acted on, a stale one looked up again")
    func directoryHitAndStale() {
        var hit = ContactPlan(.note(.userID("7902"), "hi"), knownID: "5ba682d23d7cf92bef87bfd4")
        #expect(hit.start() == .send(.contact(id: "5ba682d23d7cf92bef87bfd4"), retryAs: .read))
        #expect(hit.received(Self.answer(Self.contact)) == .send(.createContactNote(id: "5ba682d23d7cf92bef87bfd4", body: "hi"), retryAs: .write))
        var plan = ContactPlan(.note(.userID("7902"), "hi"), knownID: "stale")
        #expect(plan.start() == .send(.contact(id: "stale"), retryAs: .read))
        #expect(plan.received(Self.failure(.notFound, 404, "User Not Found")) == .send(.contact(externalID: "7902"), retryAs: .read))
        #expect(plan.forgotten == ["stale"])
        #expect(plan.received(Self.answer(Self.contact)) == .send(.createContactNote(id: "5ba682d23d7cf92bef87bfd4", body: "hi"), retryAs: .write))
        #expect(plan.received(Self.answer(["type": "note", "id": "1"])) == .finish(["type": "note", "id": "1"]))
    }

    @Test("an email is resolved by a search; no match is not_found, with a word about search lag")
    func resolveByEmail() {
        var plan = ContactPlan(.delete(.email("ben@example.com")))
        #expect(plan.start() == .send(.searchContacts(.filter(field: "email", operator: .equal, value: "ben@example.com"), perPage: ContactLookup.searchPageSize), retryAs: .read))
        #expect(plan.received(Self.answer(["type": "list", "data": [Self.contact.merging(role: "user")]])) == .send(.deleteContact(id: "5ba682d23d7cf92bef87bfd4"), retryAs: .write))
        #expect(plan.received(Self.answer(["type": "contact", "id": "5ba682d23d7cf92bef87bfd4", "deleted": true])) == .finish(["type": "contact", "id": "5ba682d23d7cf92bef87bfd4", "deleted": true]))
        #expect(plan.forgotten == ["5ba682d23d7cf92bef87bfd4"])

        var missing = ContactPlan(.show(.email("nobody@example.com")))
        _ = missing.start()
        guard case .fail(let failure) = missing.received(Self.answer(["type": "list", "data": []])) else { Issue.record("no failure"); return }
        #expect(failure.type == .api(.notFound) && failure.message.contains("nobody@example.com") && failure.message.contains("searchable"))
    }

    @Test("users page=3 walks two cursors; past the last page the result is an empty page")
    func pageWalk() {
        var plan = ContactPlan(.page(3, perPage: 2, tagID: nil))
        #expect(plan.start() == .send(.listContacts(perPage: 2), retryAs: .read))
        #expect(plan.received(Self.answer(["data": [Self.contact], "pages": ["next": ["starting_after": "c2"]]])) == .send(.listContacts(perPage: 2, startingAfter: "c2"), retryAs: .read))
        #expect(plan.received(Self.answer(["data": [Self.contact], "pages": ["page": 2]])) == .finish(["data": [], "pages": ["page": 2]]))
        var tagged = ContactPlan(.page(1, perPage: 5, tagID: "81"))
        #expect(tagged.start() == .send(.searchContacts(.filter(field: "tag_id", operator: .equal, value: "81"), perPage: 5), retryAs: .read))
    }

    @Test("a merged contact (410) is followed once to its canonical contact; a second 410 fails")
    func followsMerge() {
        var plan = ContactPlan(.show(.userID("old")))
        _ = plan.start()
        let gone = ResultRecord.Failure(
            type: .api(.gone), status: 410,
            message: "This contact has been merged. (canonical: </contacts/6762f0d01bb69f9f2193bb7d>; rel=\"canonical\")")
        #expect(plan.received(.failure(gone)) == .send(.contact(id: "6762f0d01bb69f9f2193bb7d"), retryAs: .read))
        #expect(plan.received(.failure(gone)) == .fail(gone))
        #expect(ContactPlan.canonicalID("gone") == nil)
    }

    @Test("the id in a conflict message is read up to its end")
    func conflictingID() {
        #expect(ContactPlan.conflictingID("A contact matching those details already exists with id=6762f0d51bb69f9f2193bb7f") == "6762f0d51bb69f9f2193bb7f")
        #expect(ContactPlan.conflictingID("… with id=abc.") == "abc")
        #expect(ContactPlan.conflictingID("Conflict") == nil)
    }
}

extension JSONValue {
    /// This object with `role` set.
    func merging(role: String) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object["role"] = .string(role)
        return .object(object)
    }
}
