import Foundation
import IntercomKit
import Testing

@testable import IntercomShell

/// The checkpoints a journaled list leaves after each page, and what a resume makes of them.
@Suite("Walk checkpoints")
struct WalkCheckpointTests {
    static func page(_ ids: ClosedRange<Int>, scroll: String? = nil, after cursor: String? = nil, total: Int? = nil) -> JSONValue {
        var page: JSONObject = ["data": .array(ids.map { ["id": .string("c\($0)")] })]
        if let scroll { page["scroll_param"] = .string(scroll) }
        if let cursor { page["pages"] = ["next": ["starting_after": .string(cursor)]] }
        if let total { page["total_count"] = .integer(Int64(total)) }
        return .object(page)
    }

    @Test("a cursor walk resumed from its checkpoint asks for the page after it, and keeps its counts")
    func cursorWalk() throws {
        var walk = APIPageWalk(first: .post("contacts/search", ["query": ["field": "id", "operator": "=", "value": "1"]]))
        _ = walk.received(Self.page(1...2, after: "two", total: 4))
        let checkpoint = try #require(walk.checkpoint)
        var resumed = APIPageWalk(first: .post("contacts/search", ["query": ["field": "id", "operator": "=", "value": "1"]]))
        let resumedFromCheckpoint = resumed.resume(from: checkpoint)
        #expect(resumedFromCheckpoint)
        #expect(resumed.next == walk.next && resumed.next?.body?["pagination"]?["starting_after"] == "two")
        let last = resumed.received(Self.page(3...4, total: 4))
        #expect(last.items.count == 2 && resumed.next == nil && resumed.shortfall == nil, "4 of 4 items over both runs")
        var other = APIPageWalk(first: .get("companies"))
        let otherResumed = other.resume(from: checkpoint)
        #expect(!otherResumed, "a checkpoint of another list is refused")
        #expect(other.next == .get("companies"), "and changes nothing")
    }

    @Test("a scroll resumed after its scroll expired starts again and leaves out every item any run gave")
    func scrollWalk() throws {
        var walk = APIPageWalk(first: .get("companies/scroll"))
        _ = walk.received(Self.page(1...2, scroll: "s1"))
        let first = try #require(walk.checkpoint)
        _ = walk.received(Self.page(3...4, scroll: "s2"))
        let second = try #require(walk.checkpoint)
        #expect(first.given == ["sc1", "sc2"] && second.given == ["sc3", "sc4"], "each checkpoint gives its page's keys")
        var resumed = APIPageWalk(first: .get("companies/scroll"))
        let scrollResumed = resumed.resume(from: WalkCheckpoint(state: second.state, given: first.given + second.given))
        #expect(scrollResumed)
        #expect(resumed.next?.query.first { $0.name == "scroll_param" }?.value == "s2")
        let restarted = resumed.failed(.init(type: .api(.notFound), message: "scroll expired"))
        #expect(restarted && resumed.next == .get("companies/scroll"))
        let replayed = resumed.received(Self.page(1...3, scroll: "t1"))
        #expect(replayed.items.compactMap { $0["id"]?.stringValue } == [], "pages given before are left out")
        let fresh = resumed.received(Self.page(4...6, scroll: "t2"))
        #expect(fresh.items.compactMap { $0["id"]?.stringValue } == ["c5", "c6"] && fresh.failure == nil)
    }

    @Test("the contact list and v1's user pages go on from their checkpoints; an ended walk stays ended")
    func otherWalks() throws {
        var contacts = ContactPageWalk { ContactPlan.pageRequest(perPage: 2, tagID: nil, after: $0) }
        _ = contacts.received(Self.page(1...2, after: "abc", total: 3))
        var resumedContacts = ContactPageWalk { ContactPlan.pageRequest(perPage: 2, tagID: nil, after: $0) }
        let contactsResumed = resumedContacts.resume(from: try #require(contacts.checkpoint))
        #expect(contactsResumed && resumedContacts.next == contacts.next)
        #expect(resumedContacts.reportedTotal == 3)
        _ = contacts.received(Self.page(3...3))
        var ended = ContactPageWalk { ContactPlan.pageRequest(perPage: 2, tagID: nil, after: $0) }
        let endedResumed = ended.resume(from: try #require(contacts.checkpoint))
        #expect(endedResumed && ended.next == nil)

        var users = try UserPageWalk(perPage: 50, tagID: nil, tagName: nil)
        _ = users.received(["users": [["id": "1"]], "next_page": 2])
        var resumedUsers = try UserPageWalk(perPage: 50, tagID: nil, tagName: nil)
        let usersResumed = resumedUsers.resume(from: try #require(users.checkpoint))
        #expect(usersResumed && resumedUsers.next == users.next)
        let garbled = resumedUsers.resume(from: WalkCheckpoint(state: ["next_page": "two"]))
        #expect(!garbled)
    }

    @Test("the journal gathers a list's checkpoints: the last one's state and output, every page's keys")
    func journalPages() throws {
        let path = ImportJournalTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = ImportJournal.LineKey(line: 2)
        do {
            let journal = try ImportJournal(path: path, mode: .fresh)
            journal.page(key, text: "export companies", checkpoint: WalkCheckpoint(state: ["n": 1], given: ["a"], written: 1),
                output: OutputPosition(format: .csv, offset: 10, columns: ["id"]))
            journal.page(key, text: "export companies", checkpoint: WalkCheckpoint(state: ["n": 2], given: ["b"], written: 2),
                output: OutputPosition(format: .csv, offset: 20, columns: ["id"]))
        }
        let journal = try ImportJournal(path: path, mode: .resume)
        let progress = try #require(journal.walkProgress(key, text: "export companies"))
        #expect(progress.checkpoint == WalkCheckpoint(state: ["n": 2], given: ["a", "b"], written: 2))
        #expect(progress.output == OutputPosition(format: .csv, offset: 20, columns: ["id"]))
        #expect(journal.walkProgress(key, text: "export contacts") == nil, "another line's text has no progress")
        #expect(journal.decide(key, text: "export companies", effect: .read) == .run, "an unfinished list runs, from its checkpoint")
    }
}

extension WalkCheckpointTests {
    @Test("an item a list gives again on a later page is left out and counted; an item that is no object ends the walk")
    func repeatsAndOddItems() {
        var contacts = ContactPageWalk { ContactPlan.pageRequest(perPage: 2, tagID: nil, after: $0) }
        _ = contacts.received(Self.page(1...2, after: "a"))
        let second = contacts.received(Self.page(2...3, after: "b"))
        #expect(second.items.compactMap { $0["id"]?.stringValue } == ["c3"] && second.repeated == 1 && second.failure == nil)
        var listed = APIPageWalk(first: .get("conversations"))
        _ = listed.received(Self.page(1...2, after: "a"))
        let again = listed.received(Self.page(2...3))
        #expect(again.items.compactMap { $0["id"]?.stringValue } == ["c3"] && again.repeated == 1)
        var odd = ContactPageWalk { ContactPlan.pageRequest(perPage: 2, tagID: nil, after: $0) }
        let answer = odd.received(["data": [["id": "1"], 5], "pages": ["next": ["starting_after": "x"]]])
        #expect(answer.items.isEmpty && answer.failure?.type == .api(.invalidResponse) && odd.next == nil)
    }

    @Test("a window bound with a fraction of a second counts as the next whole second")
    func fractionalBounds() throws {
        let line = "export contacts since=2024-01-01T00:05:00.5Z until=2024-01-01T00:06:00.5Z"
        guard case .success(.operation(let operation)) = CommandParser.parse(line) else { Issue.record("\(line)"); return }
        guard case .export(let goal) = try operation.restGoal(now: { 0 }) else { Issue.record("no export goal"); return }
        #expect(goal.since == 1_704_067_200 + 301 && goal.until == 1_704_067_200 + 361)
        #expect(!goal.keeps(["updated_at": .integer(1_704_067_200 + 300)]) && goal.keeps(["updated_at": .integer(1_704_067_200 + 360)]))
        #expect(TimeInput.unixSeconds(from: "2024-01-01T00:05:00.000Z", roundingUp: true) == 1_704_067_500, "a zero fraction is none")
    }
}
