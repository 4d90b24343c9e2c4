import IntercomKit
import IntercomShell
import NIOHTTP1
import Testing

/// The REST API (2.x) plans of the company commands.
@Suite("REST API company plans")
struct CompanyPlanTests {
    static func answer(_ body: JSONValue?) -> Result<IntercomResponse, ResultRecord.Failure> {
        .success(IntercomResponse(status: 200, body: body, rateLimit: nil, headers: HTTPHeaders()))
    }

    static let blueSun: JSONValue = ["type": "company", "id": "c-1", "company_id": "6", "name": "Blue Sun"]
    static let list: JSONValue = ["type": "list", "data": [blueSun], "total_count": 1]

    @Test("create company is one upsert POST; find company by company_id accepts only the company that carries it")
    func upsertAndFind() {
        var create = CompanyPlan(.upsert(["company_id": "6", "name": "Blue Sun"]))
        #expect(create.start() == .send(IntercomRequest(method: .post, path: "companies", body: ["company_id": "6", "name": "Blue Sun"]), retryAs: .idempotentWrite))
        #expect(create.received(Self.answer(Self.blueSun)) == .finish(Self.blueSun))

        var find = CompanyPlan(.find(.companyID("6"), name: nil))
        #expect(find.start() == .send(IntercomRequest(method: .get, path: "companies", query: [("company_id", "6")]), retryAs: .read))
        #expect(find.received(Self.answer(Self.list)) == .finish(Self.blueSun))

        var other = CompanyPlan(.find(.companyID("7"), name: nil))
        _ = other.start()
        guard case .fail(let failure) = other.received(Self.answer(Self.list)) else { Issue.record("accepted another company"); return }
        #expect(failure.type == .api(.invalidResponse))

        var missing = CompanyPlan(.find(.companyID("8"), name: nil))
        _ = missing.start()
        guard case .fail(let notFound) = missing.received(.failure(.init(type: .api(.notFound), status: 404, message: "Company Not Found"))) else {
            Issue.record("no failure"); return
        }
        #expect(notFound.type == .api(.notFound) && notFound.message.contains("8"))
    }

    @Test("attach finds the company, resolves the contact, then POSTs the company's Intercom id to the contact")
    func attach() {
        var plan = CompanyPlan(.attach(.companyID("6"), .email("ann@example.com")))
        _ = plan.start()
        #expect(plan.received(Self.answer(Self.list)) == .send(ContactLookup.request(for: .email("ann@example.com"))!, retryAs: .read))
        let contact: JSONValue = ["type": "contact", "id": "k-1", "email": "ann@example.com", "role": "user"]
        #expect(
            plan.received(Self.answer(["type": "list", "data": [contact]]))
                == .send(IntercomRequest(method: .post, path: "contacts/k-1/companies", body: ["id": "c-1"]), retryAs: .idempotentWrite))
        #expect(plan.received(Self.answer(Self.blueSun)) == .finish(Self.blueSun))
        #expect(plan.learned == [contact])

        var detach = CompanyPlan(.detach(.id("c 1"), .userID("7")), knownContactID: "k-7")
        #expect(detach.start() == .send(.contact(id: "k-7"), retryAs: .read))
        #expect(
            detach.received(Self.answer(["type": "contact", "id": "k-7", "external_id": "7", "role": "user"]))
                == .send(IntercomRequest(method: .delete, path: "contacts/k-7/companies/c%201"), retryAs: .idempotentWrite))
    }

    @Test("update and delete act on the Intercom id the lookup found; a page is one GET")
    func updateDeletePage() {
        var update = CompanyPlan(.update(.companyID("6"), ["plan": "enterprise"]))
        _ = update.start()
        #expect(update.received(Self.answer(Self.list)) == .send(IntercomRequest(method: .put, path: "companies/c-1", body: ["plan": "enterprise"]), retryAs: .idempotentWrite))
        var delete = CompanyPlan(.delete(.id("c-1")))
        #expect(delete.start() == .send(IntercomRequest(method: .delete, path: "companies/c-1"), retryAs: .write))
        var page = CompanyPlan(.page(2, perPage: 50))
        #expect(page.start() == .send(IntercomRequest(method: .get, path: "companies", query: [("page", "2"), ("per_page", "50")]), retryAs: .read))
    }

    @Test("several companies carrying one company_id are ambiguous; by name the exact one wins; other objects are refused")
    func lookupsThatLie() {
        func outcome(_ goal: CompanyPlan.Goal, _ answer: JSONValue) -> PlanStep {
            var plan = CompanyPlan(goal)
            _ = plan.start()
            return plan.received(Self.answer(answer))
        }
        let twins: JSONValue = ["type": "list", "data": [
            ["type": "company", "id": "x", "company_id": "999"], ["type": "company", "id": "right", "company_id": "6"],
            ["type": "company", "id": "right2", "company_id": "6"],
        ]]
        guard case .fail(let ambiguous) = outcome(.delete(.companyID("6")), twins) else { Issue.record("acted on one of two"); return }
        #expect(ambiguous.type == .ambiguous && ambiguous.message.contains("right, right2"))
        let names: JSONValue = ["type": "list", "data": [
            ["type": "company", "id": "a", "name": "Acme"], ["type": "company", "id": "b", "name": "acme"],
        ]]
        #expect(outcome(.find(nil, name: "acme"), names) == .finish(["type": "company", "id": "b", "name": "acme"]))
        guard case .fail(let two) = outcome(.find(nil, name: "ACME"), names) else { Issue.record("picked one of two"); return }
        #expect(two.type == .ambiguous)
        let contact: JSONValue = ["type": "list", "data": [["type": "contact", "id": "u-1", "name": "acme"]]]
        guard case .fail(let notCompany) = outcome(.find(nil, name: "acme"), contact) else { Issue.record("took a contact"); return }
        #expect(notCompany.type == .api(.invalidResponse))
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        guard case .fail = outcome(.delete(.companyID(composed)), ["type": "list", "data": [["type": "company", "id": "d", "company_id": .string(decomposed)]]]) else {
            Issue.record("a canonically equal company_id was taken for the one named"); return
        }
    }

    @Test("a detach whose DELETE answers 404 (not attached, or a retried detach that was applied) ends detached")
    func detachIsIdempotent() {
        var plan = CompanyPlan(.detach(.companyID("6"), .userID("7")), knownContactID: "k-7")
        _ = plan.start()
        _ = plan.received(Self.answer(Self.list))
        _ = plan.received(Self.answer(["type": "contact", "id": "k-7", "external_id": "7", "role": "user"]))
        #expect(plan.received(.failure(.init(type: .api(.notFound), status: 404, message: "Company Not Found"))) == .finish(Self.blueSun))
        var byID = CompanyPlan(.detach(.id("c-1"), .userID("7")), knownContactID: "k-7")
        _ = byID.start()
        _ = byID.received(Self.answer(["type": "contact", "id": "k-7", "external_id": "7", "role": "user"]))
        guard case .fail = byID.received(.failure(.init(type: .api(.notFound), status: 404, message: "Company Not Found"))) else {
            Issue.record("an unknown id= company ended detached"); return
        }
        #expect(CompanyPlan(.upsert([:])).isSingleRequest && CompanyPlan(.find(.companyID("6"), name: nil)).isSingleRequest)
        #expect(!CompanyPlan(.attach(.id("c"), .userID("7"))).isSingleRequest)
    }
}
