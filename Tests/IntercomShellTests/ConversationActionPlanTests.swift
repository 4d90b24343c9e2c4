import IntercomKit
import IntercomShell
import NIOHTTP1
import Testing

/// The REST API (2.x) plans of a teammate's actions on conversations.
@Suite("REST API conversation action plans")
struct ConversationActionPlanTests {
    static func answer(_ body: JSONValue?) -> Result<IntercomResponse, ResultRecord.Failure> {
        .success(IntercomResponse(status: 200, body: body, rateLimit: nil, headers: HTTPHeaders()))
    }

    static let me: JSONValue = ["type": "admin", "id": "7", "name": "Ada", "email": "ada@x.io"]
    static let admins: JSONValue = ["type": "admin.list", "admins": [me, ["type": "admin", "id": "8", "name": "Bob", "email": "bob@x.io"]]]
    static let conversation: JSONValue = ["type": "conversation", "id": "55", "contacts": ["contacts": [["type": "contact", "id": "k-1"]]]]

    @Test("admin=me asks GET /me, then acts as that admin; what it learned goes back to the run")
    func meOnce() {
        var plan = ConversationActionPlan(.init("55", .reply("Hi", .admin(.me))))
        #expect(plan.start() == .send(.get("me"), retryAs: .read))
        let reply = IntercomRequest.post("conversations/55/reply", ["message_type": "comment", "type": "admin", "admin_id": "7", "body": "Hi"])
        #expect(plan.received(Self.answer(Self.me)) == .send(reply, retryAs: .write))
        #expect(plan.received(Self.answer(Self.conversation)) == .finish(Self.conversation))
        #expect(plan.learnedTeammates.me == Self.me)

        var known = ConversationActionPlan(.init("55", .note("n")), knowledge: .init(me: Self.me))
        let note = IntercomRequest.post("conversations/55/reply", ["message_type": "note", "type": "admin", "admin_id": "7", "body": "n"])
        #expect(known.start() == .send(note, retryAs: .write), "a run that knows me does not ask again")
    }

    @Test("an admin by name or email is found in GET /admins; none or several is invalid_input and nothing is sent")
    func namedAdmins() {
        var plan = ConversationActionPlan(.init("55", .open, admin: .named("BOB@x.io")))
        #expect(plan.start() == .send(.get("admins"), retryAs: .read))
        #expect(plan.received(Self.answer(Self.admins)) == .send(.post("conversations/55/parts", ["message_type": "open", "admin_id": "8"]), retryAs: .idempotentWrite))

        var unknown = ConversationActionPlan(.init("55", .open, admin: .named("Nobody")), knowledge: .init(admins: Self.admins["admins"]?.arrayValue))
        guard case .fail(let failure) = unknown.start() else { Issue.record("sent for an unknown admin"); return }
        #expect(failure.type == .invalidInput && failure.message.contains("Nobody"))

        var byID = ConversationActionPlan(.init("55", .close("bye"), admin: .id("9")))
        let close = IntercomRequest.post("conversations/55/parts", ["message_type": "close", "type": "admin", "admin_id": "9", "body": "bye"])
        #expect(byID.start() == .send(close, retryAs: .write), "an admin id is used as given; a message is posted at most once")
    }

    @Test("assign: an admin's id is an admin, another id a team, 0 nobody, me the token's admin")
    func assign() {
        let knowledge = TeammateDirectory.Knowledge(me: Self.me, admins: Self.admins["admins"]?.arrayValue)
        for (to, type, id) in [("8", "admin", "8"), ("814865", "team", "814865"), ("0", "admin", "0"), ("me", "admin", "7"), ("bob", "admin", "8")] {
            var plan = ConversationActionPlan(.init("55", .assign(to: TeammateReference(to), body: nil)), knowledge: knowledge)
            let request = IntercomRequest.post("conversations/55/parts", ["message_type": "assignment", "type": .string(type), "admin_id": "7", "assignee_id": .string(id)])
            #expect(plan.start() == .send(request, retryAs: .idempotentWrite), "to=\(to)")
        }
        var unknownAdmins = ConversationActionPlan(.init("55", .assign(to: .id("814865"), body: nil)), knowledge: .init(me: Self.me))
        #expect(unknownAdmins.start() == .send(.get("admins"), retryAs: .read), "whether an id is a team's needs the admins")
    }

    @Test("tag creates or finds the tag by POST /tags; untag finds it in GET /tags, exactly or alone regardless of case")
    func tags() {
        var tag = ConversationActionPlan(.init("55", .tag("Billing")), knowledge: .init(me: Self.me))
        #expect(tag.start() == .send(.post("tags", ["name": "Billing"]), retryAs: .idempotentWrite))
        let billing: JSONValue = ["type": "tag", "id": "t1", "name": "Billing"]
        #expect(tag.received(Self.answer(billing)) == .send(.post("conversations/55/tags", ["id": "t1", "admin_id": "7"]), retryAs: .idempotentWrite))
        #expect(tag.learnedTags.contains(billing))

        var known = ConversationActionPlan(.init("55", .untag("billing")), knowledge: .init(me: Self.me), knownTagID: "t1")
        #expect(known.start() == .send(IntercomRequest(method: .delete, path: "conversations/55/tags/t1", body: ["admin_id": "7"]), retryAs: .idempotentWrite))

        let tags: JSONValue = ["type": "list", "data": [billing, ["type": "tag", "id": "t2", "name": "billing"], ["type": "tag", "id": "t3", "name": "VIP"]]]
        var exact = ConversationActionPlan(.init("55", .untag("billing")), knowledge: .init(me: Self.me))
        #expect(exact.start() == .send(.get("tags"), retryAs: .read))
        #expect(exact.received(Self.answer(tags)) == .send(IntercomRequest(method: .delete, path: "conversations/55/tags/t2", body: ["admin_id": "7"]), retryAs: .idempotentWrite))

        var ambiguous = ConversationActionPlan(.init("55", .untag("BILLING")), knowledge: .init(me: Self.me))
        _ = ambiguous.start()
        guard case .fail(let failure) = ambiguous.received(Self.answer(tags)) else { Issue.record("picked one of two"); return }
        #expect(failure.message.contains("only in case"))

        var folded = ConversationActionPlan(.init("55", .untag("vip")), knowledge: .init(me: Self.me))
        _ = folded.start()
        #expect(folded.received(Self.answer(tags)) == .send(IntercomRequest(method: .delete, path: "conversations/55/tags/t3", body: ["admin_id": "7"]), retryAs: .idempotentWrite))
    }

    @Test("a reply as the user names the user given, or else reads the conversation for its contact")
    func replyAsUser() {
        var named = ConversationActionPlan(.init("55", .reply("Hi", .user(.email("ann@x.io")))))
        #expect(named.start() == .send(.post("conversations/55/reply", ["message_type": "comment", "type": "user", "body": "Hi", "email": "ann@x.io"]), retryAs: .write))

        var plan = ConversationActionPlan(.init("55", .reply("Hi", .user(nil))))
        #expect(plan.start() == .send(.get("conversations/55"), retryAs: .read), "as=user needs no admin")
        #expect(plan.received(Self.answer(Self.conversation)) == .send(.post("conversations/55/reply", ["message_type": "comment", "type": "user", "body": "Hi", "intercom_user_id": "k-1"]), retryAs: .write))

        var empty = ConversationActionPlan(.init("55", .reply("Hi", .user(nil))))
        _ = empty.start()
        guard case .fail(let failure) = empty.received(Self.answer(["type": "conversation", "id": "55", "contacts": ["contacts": []]])) else {
            Issue.record("replied as nobody"); return
        }
        #expect(failure.type == .invalidInput)
    }

    @Test("a conversation that does not exist is named in the failure; a failed lookup of me stops before acting")
    func failures() {
        var plan = ConversationActionPlan(.init("404", .snooze(until: 2_000_000_000)), knowledge: .init(me: Self.me))
        _ = plan.start()
        guard case .fail(let failure) = plan.received(.failure(.init(type: .api(.notFound), status: 404, message: "Resource Not Found"))) else {
            Issue.record("no failure"); return
        }
        #expect(failure.message.hasPrefix("conversation 404:"))

        var noMe = ConversationActionPlan(.init("55", .open))
        _ = noMe.start()
        let unauthorized = ResultRecord.Failure(type: .api(.authentication), status: 401, message: "Unauthorized")
        #expect(noMe.received(.failure(unauthorized)) == .fail(unauthorized))
    }
}

extension ConversationActionPlanTests {
    @Test("a remembered tag id the workspace no longer has is forgotten and the tag found again, once")
    func staleTag() {
        var plan = ConversationActionPlan(.init("55", .tag("Billing")), knowledge: .init(me: Self.me), knownTagID: "old")
        #expect(plan.start() == .send(.post("conversations/55/tags", ["id": "old", "admin_id": "7"]), retryAs: .idempotentWrite))
        let notFound = ResultRecord.Failure(type: .api(.notFound), status: 404, message: "Tag not found")
        #expect(plan.received(.failure(notFound)) == .send(.post("tags", ["name": "Billing"]), retryAs: .idempotentWrite))
        #expect(plan.forgottenTags == ["old"])
        #expect(plan.received(Self.answer(["type": "tag", "id": "new", "name": "Billing"])) == .send(.post("conversations/55/tags", ["id": "new", "admin_id": "7"]), retryAs: .idempotentWrite))
        guard case .fail(let failure) = plan.received(.failure(notFound)) else { Issue.record("looked the tag up twice"); return }
        #expect(failure.message.hasPrefix("conversation 55:"), "a fresh id not found is the conversation's 404")
    }

    @Test("answers that are not what GET /me, GET /admins or GET /tags give are invalid_response, and nothing is changed")
    func lyingTeammates() {
        for body in [["id": "7"], ["type": "admin", "id": ""], ["type": "admin", "id": ["x": 1]], ["type": "admin"], .null] as [JSONValue] {
            var plan = ConversationActionPlan(.init("55", .open))
            _ = plan.start()
            guard case .fail(let failure) = plan.received(Self.answer(body)) else { Issue.record("acted after GET /me gave \(body)"); continue }
            #expect(failure.type == .api(.invalidResponse), "\(body)")
        }
        for body in [["foo": 1], ["admins": [["name": "Bob"]]], ["admins": "x"]] as [JSONValue] {
            var plan = ConversationActionPlan(.init("55", .assign(to: .id("8"), body: nil)), knowledge: .init(me: Self.me))
            #expect(plan.start() == .send(.get("admins"), retryAs: .read))
            guard case .fail(let failure) = plan.received(Self.answer(body)) else { Issue.record("assigned after GET /admins gave \(body)"); continue }
            #expect(failure.type == .api(.invalidResponse), "\(body)")
        }
        var numeric = ConversationActionPlan(.init("55", .open, admin: .named("Bob")))
        _ = numeric.start()
        #expect(numeric.received(Self.answer(["admins": [["type": "admin", "id": 8, "name": "Bob"]]])) == .send(.post("conversations/55/parts", ["message_type": "open", "admin_id": "8"]), retryAs: .idempotentWrite))
        var untag = ConversationActionPlan(.init("55", .untag("X")), knowledge: .init(me: Self.me))
        _ = untag.start()
        guard case .fail(let failure) = untag.received(Self.answer(["type": "list"])) else { Issue.record("untagged after a list-less GET /tags"); return }
        #expect(failure.type == .api(.invalidResponse))
    }

    @Test("what a goal still needs; 0 in any spelling is nobody; a message makes close and assign writes")
    func needsAndEffects() throws {
        let goal = ConversationActionPlan.Goal("55", .assign(to: .named("Bob"), body: nil))
        #expect(goal.teammateNeeds(.init()) == ["me", "admins"])
        #expect(goal.teammateNeeds(.init(me: Self.me)) == ["admins"])
        #expect(ConversationActionPlan.Goal("55", .reply("x", .user(nil))).teammateNeeds(.init()).isEmpty)
        #expect(TeammateReference("00") == .id("0") && TeammateReference("ME") == .me && TeammateReference("Bob") == .named("Bob"))
        var close = ConversationActionPlan(.init("55", .close("bye")), knowledge: .init(me: Self.me))
        guard case .send(_, let retryAs) = close.start() else { Issue.record("no request"); return }
        #expect(retryAs == .write && close.isSingleRequest)
        let definition = try #require(OperationTable.definition(named: .closeConversation))
        #expect(definition.effectOf(["conversation_id": "55", "body": "bye"]) == .write)
        #expect(definition.effectOf(["conversation_id": "55"]) == .idempotentWrite)
        #expect(OperationTable.definition(named: .assignConversation)?.effectOf(["body": "x"]) == .write)
    }
}
