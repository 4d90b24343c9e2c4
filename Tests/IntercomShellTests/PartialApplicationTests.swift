import Foundation
import IntercomKit
import NIOHTTP1
import Testing

@testable import IntercomShell

/// Lines of several requests say what they applied, and are never queued to run again whole; page walks end when a
/// cursor repeats.
@Suite("Partial application and page walks")
struct PartialApplicationTests {
    @Test("a failure after applied writes is partially_applied, naming them and keeping the cause")
    func afterApplying() {
        let failure = ResultRecord.Failure(type: .api(.forbidden), status: 403, message: "Forbidden")
        #expect(failure.afterApplying([]) == failure)
        let partial = failure.afterApplying(["POST /conversations/5591/reply"])
        #expect(partial.type == .partiallyApplied && partial.cause == .forbidden && partial.status == 403)
        #expect(partial.applied == ["POST /conversations/5591/reply"] && partial.message.contains("already applied: POST /conversations/5591/reply"))
        #expect(partial.json["applied"] == ["POST /conversations/5591/reply"])
        let record = ResultRecord(line: 3, op: "reply_message_thread", outcome: .failure(partial))
        #expect(ResultRecord(json: record.json) == record, "the record reads back whole")
        #expect(FailureType.partiallyApplied.mayHaveApplied && FailureType.unknownOutcome.mayHaveApplied)
        #expect(!FailureType.api(.forbidden).mayHaveApplied && FailureType(rawValue: "partially_applied") == .partiallyApplied)
        #expect(FailureType(rawValue: "ambiguous") == .ambiguous)
    }

    @Test("a partially applied line is not written to the failures file, and a resume of its journal does not run it")
    func neverQueuedAgain() throws {
        let partial = ResultRecord.Failure(type: .api(.serverError), status: 500, message: "boom").afterApplying(["POST /conversations/1/reply"])
        let records = [ResultRecord(line: 1, op: "reply_message_thread", outcome: .failure(partial))]
        let operation = IntercomShell.Operation(name: .replyMessageThread, parameters: ["user_id": "123", "thread_id": "1", "body": "Thanks"])
        #expect(PipelineRunner.lineToSubmitAgain(raw: "reply 123 1 \"Thanks\" read=true", operation: operation, records: records) == nil)
        let path = ImportJournalTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let journal = try ImportJournal(path: path, mode: .fresh)
            journal.finished(.init(line: 1), text: "reply", operation: operation, records: records)
        }
        let resumed = try ImportJournal(path: path, mode: .resumeFailed)
        guard case .skip(let finished) = resumed.decide(.init(line: 1), text: "reply", effect: .write) else {
            Issue.record("--resume-failed must not run a partially applied line again")
            return
        }
        #expect(!finished.succeeded)
    }

    static func page(_ ids: [String], next: String?, total: Int? = nil) -> JSONValue {
        var object: JSONObject = ["type": "list", "data": .array(ids.map { ["type": "contact", "id": .string($0)] })]
        if let next { object["pages"] = ["next": ["starting_after": .string(next)]] }
        if let total { object["total_count"] = .integer(Int64(total)) }
        return .object(object)
    }

    @Test("a walk follows cursors, ends with invalid_response when one repeats or an empty page names a next one")
    func pageWalk() {
        var walk = PageWalk()
        #expect(walk.nextCursor == PageWalk.Cursor(value: nil))
        #expect(walk.received(Self.page(["1", "2"], next: "A", total: 7)) == nil && walk.nextCursor?.value == "A")
        #expect(walk.received(Self.page(["3", "4"], next: "B")) == nil && walk.nextCursor?.value == "B")
        let cycle = walk.received(Self.page(["1", "2"], next: "A"))
        #expect(cycle?.type == .api(.invalidResponse) && cycle?.message.contains("repeat") == true)
        #expect(walk.nextCursor == nil)

        var empty = PageWalk()
        #expect(empty.received(Self.page([], next: "A"))?.type == .api(.invalidResponse))

        var runaway = PageWalk()
        var failure: ResultRecord.Failure?
        for page in 0..<100 where failure == nil {
            failure = runaway.received(Self.page(["\(page)"], next: "k\(page)", total: 3))
        }
        #expect(failure?.type == .api(.invalidResponse) && runaway.items <= 8, "new cursors forever stop past twice the total")
        var huge = PageWalk()
        #expect(huge.received(["type": "list", "data": [["id": "1"]], "total_count": .double(1e30), "pages": ["next": ["starting_after": "A"]]]) == nil)

        var short = PageWalk()
        _ = short.received(Self.page(["1", "2"], next: "A", total: 7))
        _ = short.received(Self.page(["3"], next: nil))
        #expect(short.shortfall == "3 of the 7 items total_count reported (the data may have changed during the walk)")
        var whole = PageWalk()
        _ = whole.received(Self.page(["1"], next: nil, total: 1))
        #expect(whole.shortfall == nil)
    }

    @Test("an answer with no list, or a next page with no usable cursor, ends a cursor walk with invalid_response", arguments: [
        JSONValue.null, [:], [], ["type": "list"], ["data": .null], ["data": "x"], ["data": [:]],
        ["type": "contact", "id": "1"], ["data": [["id": "1"]], "pages": ["next": [:]]],
        ["data": [["id": "1"]], "pages": ["next": ["starting_after": 5]]], ["data": [["id": "1"]], "pages": ["next": ["starting_after": ""]]],
        ["data": [["id": "1"]], "pages": ["next": ["starting_after": .null]]], ["data": [["id": "1"]], "pages": ["next": "later"]],
    ])
    func unusablePages(body: JSONValue) {
        var walk = PageWalk()
        let failure = walk.received(body)
        #expect(failure?.type == .api(.invalidResponse), "\(body.encodedString())")
        #expect(walk.nextCursor == nil)
    }

    @Test("a last page ends a cursor walk: no pages, no next, or a null next")
    func lastPages() {
        for body: JSONValue in [["data": []], ["data": [["id": "1"]], "pages": [:]], ["data": [["id": "1"]], "pages": ["next": .null]]] {
            var walk = PageWalk()
            #expect(walk.received(body) == nil, "\(body.encodedString())")
            #expect(walk.nextCursor == nil)
        }
    }

    @Test("v1's user pages end with invalid_response on an answer with no list, an odd next page or an empty page naming one, and tell a short walk")
    func userPages() throws {
        let bad: [JSONValue] = [
            .null, [:], ["users": .null], ["users": "x"], ["users": ["x"]], ["users": [["id": "1"]], "next_page": 1],
            ["users": [["id": "1"]], "next_page": "2"], ["users": [], "next_page": 2, "total_count": 5],
        ]
        for body in bad {
            var walk = try UserPageWalk(perPage: 50, tagID: nil, tagName: nil)
            #expect(walk.received(body).failure?.type == .api(.invalidResponse), "\(body.encodedString())")
            #expect(walk.next == nil)
        }
        var short = try UserPageWalk(perPage: 50, tagID: nil, tagName: nil)
        #expect(short.received(["users": [["id": "1"]], "next_page": .null, "total_count": 5]).failure == nil)
        #expect(short.shortfall == "1 of the 5 users total_count reported (the data may have changed during the walk)")
        var runaway = try UserPageWalk(perPage: 1, tagID: nil, tagName: nil)
        var failure: ResultRecord.Failure?
        for page in 1..<100 where failure == nil {
            failure = runaway.received(["users": [["id": .string("\(page)")]], "next_page": .integer(Int64(page + 1)), "total_count": 3]).failure
        }
        #expect(failure?.type == .api(.invalidResponse), "pages forever stop past twice the total")

        var repeating = try UserPageWalk(perPage: 2, tagID: nil, tagName: nil)
        let first = repeating.received(["users": [["intercom_id": "a"], ["intercom_id": "b"]], "next_page": 2])
        #expect(first.items.count == 2 && first.failure == nil)
        let overlap = repeating.received(["users": [["intercom_id": "b"], ["intercom_id": "c"]], "next_page": 3])
        #expect(overlap.items == [["intercom_id": "c"]] && overlap.repeated == 1 && overlap.failure == nil)
        let loop = repeating.received(["users": [["intercom_id": "a"], ["id": "c"]], "next_page": 4])
        #expect(loop.items.isEmpty && loop.repeated == 2 && loop.failure?.type == .api(.invalidResponse), "only repeats, no total: it stops")

        var blank = try UserPageWalk(perPage: 2, tagID: nil, tagName: nil)
        let blankIDs = blank.received(["users": [["id": "", "user_id": "u1"], ["id": "", "intercom_id": "", "user_id": "u2"]], "next_page": 2])
        #expect(blankIDs.items.count == 2 && blankIDs.repeated == 0, "an empty id tells nothing: both users are kept")
        #expect(blank.received(["users": [["id": "", "user_id": "u3"]], "next_page": .null]).items.count == 1)
        #expect(APIPageWalk.key(of: ["id": ""]) == nil && APIPageWalk.key(of: ["id": "x"]) == "sx")
    }

    @Test("users page=N ends with invalid_response when a cursor repeats")
    func pagePlanCycle() {
        var plan = ContactPlan(.page(5, perPage: 2, tagID: nil))
        _ = plan.start()
        let answer = { (body: JSONValue) in
            Result<IntercomResponse, ResultRecord.Failure>.success(IntercomResponse(status: 200, body: body, rateLimit: nil, headers: HTTPHeaders()))
        }
        #expect(plan.received(answer(Self.page(["1"], next: "A"))) == .send(.listContacts(perPage: 2, startingAfter: "A"), retryAs: .read))
        #expect(plan.received(answer(Self.page(["2"], next: "B"))) == .send(.listContacts(perPage: 2, startingAfter: "B"), retryAs: .read))
        guard case .fail(let failure) = plan.received(answer(Self.page(["1"], next: "A"))) else { Issue.record("the cycle ends the walk"); return }
        #expect(failure.type == .api(.invalidResponse))
    }
}
