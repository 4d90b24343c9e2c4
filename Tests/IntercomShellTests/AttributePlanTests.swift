import IntercomKit
import IntercomShell
import Testing

/// `--create-attributes` on the REST API (2.x): which custom attributes get defined, and how.
@Suite("REST API attribute plans")
struct AttributePlanTests {
    @Test("lists once when nothing is known, then defines only the missing, typed from the values")
    func definesMissing() {
        var plan = AttributePlan(["plan": "pro", "seats": 3, "ratio": 0.5, "trial": true], known: nil)
        #expect(plan.start() == .send(.listDataAttributes, retryAs: .read))
        let list: JSONValue = ["type": "list", "data": [["type": "data_attribute", "name": "plan"]]]
        #expect(plan.received(TagPlanTests.answer(list)) == .send(.createDataAttribute(name: "ratio", dataType: "float"), retryAs: .idempotentWrite))
        #expect(plan.received(TagPlanTests.answer(["name": "ratio"])) == .send(.createDataAttribute(name: "seats", dataType: "integer"), retryAs: .idempotentWrite))
        let raced = ResultRecord.Failure(type: .api(.clientError), status: 400, message: "You already have 'seats' in your workspace.")
        #expect(plan.received(.failure(raced)) == .send(.createDataAttribute(name: "trial", dataType: "boolean"), retryAs: .idempotentWrite))
        #expect(plan.received(TagPlanTests.answer(["name": "trial"])) == .finish(.null))
        #expect(plan.defined == ["plan": "string", "ratio": "float", "seats": "integer", "trial": "boolean"])
    }

    @Test("known attributes send nothing; a refused definition fails the line, naming the attribute")
    func knownAndRefused() {
        var known = AttributePlan(["plan": "pro"], known: ["plan"])
        #expect(known.start() == .finish(.null))
        var refused = AttributePlan(["bad": "x"], known: [])
        _ = refused.start()
        let failure = ResultRecord.Failure(type: .api(.forbidden), status: 403, message: "Forbidden")
        guard case .fail(let reported) = refused.received(.failure(failure)) else { Issue.record("no failure"); return }
        #expect(reported.message.contains("'bad'") && reported.type == .api(.forbidden))
    }
}
