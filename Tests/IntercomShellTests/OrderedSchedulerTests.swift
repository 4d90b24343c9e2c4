import IntercomKit
@testable import IntercomShell
import Testing

/// The concurrent run's scheduler, driven by events alone: admission by ordering key, parking, the reorder window,
/// the lone first operation, stopping and dropping.
@Suite("Ordered scheduler")
struct OrderedSchedulerTests {
    typealias Scheduler = OrderedScheduler<String, String>

    /// What a list of actions did, as short words: `start a`, `publish a:done`, `drop a`.
    static func describe(_ actions: [Scheduler.Action]) -> [String] {
        actions.map {
            switch $0 {
            case .start(_, let job): "start \(job)"
            case .publish(_, let outcome): "publish \(outcome)"
            case .drop(_, let job): "drop \(job)"
            }
        }
    }

    /// Sequences of the jobs started by `actions`.
    static func started(_ actions: [Scheduler.Action]) -> [Int] {
        actions.compactMap { if case .start(let sequence, _) = $0 { sequence } else { nil } }
    }

    @Test("the first operation runs alone; after it, up to the limit run at once")
    func firstRunsAlone() {
        var scheduler = Scheduler(window: 64)
        for job in ["a", "b", "c", "d"] { _ = scheduler.submit(job, keys: [.userID(job)]) }
        #expect(Self.describe(scheduler.admit(limit: 3)) == ["start a"])
        #expect(scheduler.mustWait(limit: 3))
        #expect(Self.describe(scheduler.finished(0, "a:ok")) == ["publish a:ok"])
        #expect(Self.describe(scheduler.admit(limit: 3)) == ["start b", "start c", "start d"])
        #expect(scheduler.inFlight == 3)
        #expect(scheduler.mustWait(limit: 3))
        #expect(!scheduler.mustWait(limit: 4))
    }

    @Test("operations sharing a key keep their order; others overtake them")
    func keysKeepOrder() {
        var scheduler = Scheduler(window: 64)
        _ = scheduler.submit("warm-up", keys: [])
        _ = scheduler.admit(limit: 8)
        _ = scheduler.finished(0, "warm-up")
        _ = scheduler.submit("create ben", keys: [.email(normalizing: "Ben@Example.com")])
        _ = scheduler.submit("note ben", keys: [.email(normalizing: "ben@example.com"), .userID("7")])
        _ = scheduler.submit("tag 7", keys: [.userID("7"), .tag("VIP")])
        _ = scheduler.submit("create amy", keys: [.email(normalizing: "amy@example.com")])
        // The note waits for the create of the same email; the tag waits for the parked note's user_id.
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start create ben", "start create amy"])
        #expect(Self.describe(scheduler.finished(4, "amy:ok")) == [])
        #expect(Self.describe(scheduler.admit(limit: 8)) == [])
        #expect(Self.describe(scheduler.finished(1, "ben:ok")) == ["publish ben:ok"])
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start note ben"])
        #expect(Self.describe(scheduler.finished(2, "note:ok")) == ["publish note:ok"])
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start tag 7"])
        // Amy's outcome was held until everything before it was published.
        #expect(Self.describe(scheduler.finished(3, "tag:ok")) == ["publish tag:ok", "publish amy:ok"])
        #expect(scheduler.isIdle)
    }

    @Test("outcomes are published in input order, or as they finish when unordered")
    func reorderWindow() {
        for ordered in [true, false] {
            var scheduler = Scheduler(ordered: ordered, window: 64)
            _ = scheduler.submit("a", keys: [])
            _ = scheduler.admit(limit: 4)
            _ = scheduler.finished(0, "a")
            for job in ["b", "c", "d"] { _ = scheduler.submit(job, keys: [.userID(job)]) }
            #expect(Self.started(scheduler.admit(limit: 4)) == [1, 2, 3])
            let late = Self.describe(scheduler.finished(3, "d") + scheduler.finished(2, "c"))
            let first = Self.describe(scheduler.finished(1, "b"))
            if ordered {
                #expect(late.isEmpty && first == ["publish b", "publish c", "publish d"])
            } else {
                #expect(late == ["publish d", "publish c"] && first == ["publish b"])
            }
        }
    }

    @Test("outcomes known at once wait for their turn behind running operations")
    func immediateOutcomesKeepTheirPlace() {
        var scheduler = Scheduler(window: 64)
        _ = scheduler.submit("a", keys: [])
        _ = scheduler.admit(limit: 4)
        #expect(Self.describe(scheduler.submit(finished: "line 2 unreadable")) == [])
        #expect(Self.describe(scheduler.finished(0, "a")) == ["publish a", "publish line 2 unreadable"])
    }

    @Test("a full reorder window makes the reader wait, though operations could still start")
    func windowBoundsMemory() {
        var scheduler = Scheduler(window: 3)
        _ = scheduler.submit("slow", keys: [.userID("1")])
        _ = scheduler.admit(limit: 100)
        _ = scheduler.finished(0, "warm-up")
        _ = scheduler.submit("slow", keys: [.userID("1")])
        _ = scheduler.admit(limit: 100)
        for index in 0..<2 {
            _ = scheduler.submit("same user \(index)", keys: [.userID("1")])
            #expect(!scheduler.mustWait(limit: 100))
        }
        _ = scheduler.submit("same user 2", keys: [.userID("1")])
        #expect(scheduler.mustWait(limit: 100), "three parked behind one in flight fill a window of 3")
    }

    @Test("stopping drops what is parked, in order, lets running operations finish and starts nothing more")
    func stopDropsParked() {
        var scheduler = Scheduler(window: 64)
        _ = scheduler.submit("a", keys: [.userID("1")])
        _ = scheduler.submit("b", keys: [.userID("1")])
        _ = scheduler.submit("c", keys: [.userID("2")])
        #expect(Self.describe(scheduler.admit(limit: 4)) == ["start a"])
        #expect(Self.describe(scheduler.stop()) == [])
        #expect(Self.describe(scheduler.admit(limit: 4)) == [])
        #expect(Self.describe(scheduler.finished(0, "a:refused")) == ["publish a:refused", "drop b", "drop c"])
        #expect(Self.describe(scheduler.submit("d", keys: [])) == ["drop d"])
        #expect(scheduler.isIdle && scheduler.isStopped)
    }

    @Test("a second stop (a second Ctrl-C) while operations run drops nothing twice")
    func secondStop() {
        var scheduler = Scheduler(ordered: false, window: 64)
        _ = scheduler.submit("a", keys: [])
        _ = scheduler.admit(limit: 2)
        _ = scheduler.finished(0, "a")
        _ = scheduler.submit("b", keys: [])
        _ = scheduler.submit("c", keys: [])
        _ = scheduler.submit("d", keys: [])
        #expect(Self.describe(scheduler.admit(limit: 2)) == ["start b", "start c"])
        #expect(Self.describe(scheduler.stop()) == ["drop d"])
        #expect(Self.describe(scheduler.stop()) == [])
        #expect(Self.describe(scheduler.finished(2, "c")) == ["publish c"])
        #expect(Self.describe(scheduler.finished(1, "b")) == ["publish b"])
        #expect(scheduler.isIdle)
    }

    @Test("a line runs in place only when everything before it is published, and takes its turn")
    func inPlaceTurn() {
        var scheduler = Scheduler(window: 64)
        _ = scheduler.submit("a", keys: [])
        _ = scheduler.admit(limit: 2)
        #expect(!scheduler.isIdle)
        _ = scheduler.finished(0, "a")
        #expect(scheduler.isIdle)
        #expect(scheduler.takeTurnInPlace() == 1)
        #expect(Self.describe(scheduler.submit(finished: "after")) == ["publish after"])
    }

    @Test("operations on the same user, tag or thread share an ordering key; user lists run alone")
    func orderingScopes() {
        func keys(_ operation: IntercomShell.Operation) -> Set<OrderingKey>? {
            if case .keys(let keys) = operation.orderingScope { return keys }
            return nil
        }
        #expect(keys(.init(name: .createUser, parameters: ["email": "Ben@Example.com", "user_id": 7])) == [.email("ben@example.com"), .userID("7")])
        #expect(keys(.init(name: .createNote, parameters: ["email": "ben@example.com", "body": "hi"])) == [.email("ben@example.com")])
        #expect(keys(.init(name: .createTag, parameters: ["name": "VIP", "user_ids": ["7", "8"]])) == [.tag("vip"), .userID("7"), .userID("8")])
        #expect(keys(.init(name: .replyMessageThread, parameters: ["user_id": "7", "thread_id": 12])) == [.userID("7"), .thread("12")])
        #expect(keys(.init(name: .getUsers, parameters: ["tag_name": "VIP"])) == nil)
        #expect(keys(.init(name: .allUsers)) == nil)
    }
}

extension OrderedSchedulerTests {
    @Test("names given one contact are one contact's: create 920 with an email, update by that email to 921, delete 920 keep their order")
    func identityLinksNames() {
        var scheduler = Scheduler(window: 64)
        _ = scheduler.submit("warm", keys: [.userID("other")])
        _ = scheduler.admit(limit: 8)
        _ = scheduler.finished(0, "warm:ok")
        let create: Set<OrderingKey> = [.userID("920"), .email("u920@example.com")]
        let update: Set<OrderingKey> = [.email("u920@example.com"), .userID("921")]
        _ = scheduler.submit("create", keys: create, identity: create)
        _ = scheduler.submit("update", keys: update, identity: update)
        _ = scheduler.submit("delete", keys: [.userID("920")], identity: [.userID("920")])
        _ = scheduler.submit("find", keys: [.userID("921")], identity: [.userID("921")])
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start create"])
        _ = scheduler.finished(1, "create:ok")
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start update"], "delete and find wait for the update")
        _ = scheduler.finished(2, "update:ok")
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start delete"])
        _ = scheduler.finished(3, "delete:ok")
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start find"])
        _ = scheduler.finished(4, "find:ok")
        _ = scheduler.submit("later", keys: [.userID("920")], identity: [.userID("920")])
        _ = scheduler.submit("unrelated", keys: [.email("u920@example.com")], identity: [.email("u920@example.com")])
        #expect(Self.describe(scheduler.admit(limit: 8)) == ["start later", "start unrelated"], "once nothing is pending, names are not linked")
    }
}
