import IntercomKit
import IntercomShell
import NIOHTTP1
import Testing

/// The REST API (2.x) plans of `find tag`, `tag` and `untag`.
@Suite("REST API tag plans")
struct TagPlanTests {
    static func answer(_ body: JSONValue?) -> Result<IntercomResponse, ResultRecord.Failure> {
        .success(IntercomResponse(status: 200, body: body, rateLimit: nil, headers: HTTPHeaders()))
    }

    static let notFound = Result<IntercomResponse, ResultRecord.Failure>.failure(
        ResultRecord.Failure(type: .api(.notFound), status: 404, message: "User Not Found"))
    static let tags: JSONValue = ["type": "list", "data": [["type": "tag", "id": "81", "name": "Free Trial"], ["type": "tag", "id": "82", "name": "VIP"]]]

    @Test("find tag lists the tags once, matches the name without case, and learns every tag")
    func findTag() {
        var plan = TagPlan(.find("free trial"))
        #expect(plan.start() == .send(.listTags, retryAs: .read))
        #expect(plan.received(Self.answer(Self.tags)) == .finish(["type": "tag", "id": "81", "name": "Free Trial"]))
        #expect(plan.learnedTags.count == 2)
        var missing = TagPlan(.find("Nope"))
        _ = missing.start()
        guard case .fail(let failure) = missing.received(Self.answer(Self.tags)) else { Issue.record("found a tag named Nope"); return }
        #expect(failure.type == .api(.notFound) && failure.message.contains("Nope"))
    }

    @Test("tag checks the ids the run knows, resolves the others, skips unknown ones, then tags all in one POST")
    func tagInOneRequest() {
        var plan = TagPlan(.tag("VIP", [.userID("a"), .email("b@example.com"), .userID("ghost")]), knownContactIDs: ["id-a", nil, nil])
        #expect(plan.start() == .send(.contact(id: "id-a"), retryAs: .read))
        #expect(plan.received(Self.answer(["type": "contact", "id": "id-a", "external_id": "a"]))
            == .send(.searchContacts(.filter(field: "email", operator: .equal, value: "b@example.com"), perPage: ContactLookup.searchPageSize), retryAs: .read))
        #expect(plan.received(Self.answer(["type": "list", "data": [["type": "contact", "id": "id-b", "email": "b@example.com"]]]))
            == .send(.contact(externalID: "ghost"), retryAs: .read))
        #expect(plan.received(Self.notFound) == .send(.createRestTag(["name": "VIP", "users": [["id": "id-a"], ["id": "id-b"]]]), retryAs: .idempotentWrite))
        let answer: JSONValue = ["type": "tag", "id": "82", "name": "VIP", "users": [["id": "id-a", "tagged": true], ["id": "id-b", "tagged": true]]]
        guard case .finish(let result) = plan.received(Self.answer(answer)) else { Issue.record("did not finish"); return }
        #expect(result["not_found"] == ["user_id=ghost"] && result["id"] == "82")
        #expect(plan.learned.count == 2 && plan.learnedTags.count == 1)
    }

    @Test("untag finds the tag's id, then takes it off each contact, one request each")
    func untagPerContact() {
        var plan = TagPlan(.untag("Free Trial", [.userID("a"), .userID("b")]), knownContactIDs: ["id-a", "id-b"])
        #expect(plan.start() == .send(.listTags, retryAs: .read))
        #expect(plan.received(Self.answer(Self.tags)) == .send(.contact(id: "id-a"), retryAs: .read))
        #expect(plan.received(Self.answer(["type": "contact", "id": "id-a", "external_id": "a"])) == .send(.contact(id: "id-b"), retryAs: .read))
        #expect(plan.received(Self.answer(["type": "contact", "id": "id-b", "external_id": "b"])) == .send(.untagContact(id: "id-a", tagID: "81"), retryAs: .idempotentWrite))
        #expect(plan.received(Self.answer(["type": "tag", "id": "81"])) == .send(.untagContact(id: "id-b", tagID: "81"), retryAs: .idempotentWrite))
        guard case .finish(let result) = plan.received(Self.answer(["type": "tag", "id": "81"])) else { Issue.record("did not finish"); return }
        #expect(result["users"]?.arrayValue?.count == 2 && result["name"] == "Free Trial")
    }

    @Test("a known tag id skips the list; a failure other than not_found ends the plan")
    func knownTagAndFailure() {
        var plan = TagPlan(.untag("Free Trial", [.userID("a")]), knownTagID: "81")
        #expect(plan.start() == .send(.contact(externalID: "a"), retryAs: .read))
        let failure = ResultRecord.Failure(type: .api(.serviceUnavailable), status: 503, message: "down")
        #expect(plan.received(.failure(failure)) == .fail(failure))
    }
}

/// The REST API (2.x) plans of message threads, which are conversations there.
@Suite("REST API conversation plans")
struct ConversationPlanTests {
    @Test("reply with a body and read: the reply as the contact the line names, then the PUT; read alone is just the PUT")
    func replyThenMark() {
        var plan = ConversationPlan(.reply(.userID("123"), conversationID: "5591", body: "hi", read: true), knownContactID: "c1")
        #expect(plan.start() == .send(.replyAsContact(conversationID: "5591", body: "hi", contact: ["user_id": "123"]), retryAs: .write))
        #expect(plan.received(TagPlanTests.answer(["type": "conversation"])) == .send(.markConversation(id: "5591", read: true), retryAs: .write))
        #expect(plan.received(TagPlanTests.answer(["type": "conversation", "read": true])) == .finish(["type": "conversation", "read": true]))
        var markOnly = ConversationPlan(.reply(.email("a@example.com"), conversationID: "7", body: nil, read: false))
        #expect(markOnly.start() == .send(.markConversation(id: "7", read: false), retryAs: .write))
        var unknown = ConversationPlan(.reply(.email("a@example.com"), conversationID: "7", body: "x", read: nil))
        #expect(unknown.start() == .send(.replyAsContact(conversationID: "7", body: "x", contact: ["email": "a@example.com"]), retryAs: .write))
    }

    @Test("message and threads resolve the contact first; a missing contact is not_found")
    func resolveFirst() {
        var plan = ConversationPlan(.start(.userID("123"), "hello"))
        #expect(plan.start() == .send(.contact(externalID: "123"), retryAs: .read))
        #expect(plan.received(TagPlanTests.answer(["type": "contact", "id": "c1", "external_id": "123"])) == .send(.startConversation(contactID: "c1", body: "hello"), retryAs: .write))
        var missing = ConversationPlan(.list(.email("nobody@example.com")))
        _ = missing.start()
        guard case .fail(let failure) = missing.received(TagPlanTests.answer(["type": "list", "data": []])) else { Issue.record("no failure"); return }
        #expect(failure.type == .api(.notFound))
    }

    @Test("a name finds the tag named exactly so, else the one named so without case; several without an exact one are ambiguous")
    func namesThatDifferInCase() {
        let tags: JSONValue = ["type": "list", "data": [["type": "tag", "id": "1", "name": "Café"], ["type": "tag", "id": "2", "name": "CAFÉ"]]]
        var exact = TagPlan(.delete("Café"))
        _ = exact.start()
        #expect(exact.received(TagPlanTests.answer(tags)) == .send(IntercomRequest(method: .delete, path: "tags/1"), retryAs: .write))
        var folded = TagPlan(.untag("café", [.userID("a")]))
        _ = folded.start()
        guard case .fail(let failure) = folded.received(TagPlanTests.answer(tags)) else { Issue.record("picked one of two tags"); return }
        #expect(failure.type == .ambiguous && failure.message.contains("Café, CAFÉ"))
        let directory = TagDirectory()
        for tag in tags["data"]?.arrayValue ?? [] { directory.remember(tag) }
        #expect(directory.id(named: "CAFÉ") == "2" && directory.id(named: "café") == nil)
    }
}
