public import IntercomKit

/// A walk over the pages of a list, one answer at a time: the request for the next page, and the items of each
/// answer. Conformers are pure state machines: the executor sends each request and hands back its answer.
public protocol PageWalking: Sendable {
    /// The request for the next page; nil once the walk is over.
    var next: IntercomRequest? { get }
    /// Takes the answer to the request last sent: the page's items, and the failure that ends the walk after them
    /// when the answer names a next page that cannot be followed.
    mutating func received(_ body: JSONValue?) -> PageAnswer
    /// How a finished walk came short of the total the API reported; nil when it did not.
    var shortfall: String? { get }
    /// The items the walk will give, as its first page reported; nil when none reported one.
    var reportedTotal: Int? { get }
    /// Whether the walk goes on after `failure` answered the request last sent (its ``next`` then says how); when
    /// not, the failure ends it.
    mutating func failed(_ failure: ResultRecord.Failure) -> Bool
    /// Where the walk stands after the page last received, for a journal; nil when another run cannot go on from it.
    var checkpoint: WalkCheckpoint? { get }
    /// Goes on from `checkpoint`, made by a walk of the same list (its ``WalkCheckpoint/given`` those of every page
    /// before); false, and nothing changed, when the checkpoint is not one this walk reads.
    mutating func resume(from checkpoint: WalkCheckpoint) -> Bool
    /// A guess, from the unparsed text of the answer to ``next``, at the request that will follow it, so that it can
    /// be sent while the answer is parsed; nil when the walk does not guess. The guess is used only when it is the
    /// ``next`` that ``received(_:)`` then decides.
    func guessNext(fromAnswer text: UnsafeRawBufferPointer) -> IntercomRequest?
    /// Whether ``guessNext(fromAnswer:)`` may guess: the walk then reads each answer's text before it is parsed.
    var guessesNext: Bool { get }
    /// The member of an answer that holds the page's items, when the walk gives their positions
    /// (``PageAnswer/positions``), so that each item's text can be kept from the answer; nil: none.
    var itemsKey: String? { get }
}

extension PageWalking {
    /// A failure ends the walk.
    public mutating func failed(_ failure: ResultRecord.Failure) -> Bool { false }
    /// No total reported.
    public var reportedTotal: Int? { nil }
    /// No checkpoints: a resume walks the list from its first page.
    public var checkpoint: WalkCheckpoint? { nil }
    /// Reads no checkpoint.
    public mutating func resume(from checkpoint: WalkCheckpoint) -> Bool { false }
    /// No guess.
    public func guessNext(fromAnswer text: UnsafeRawBufferPointer) -> IntercomRequest? { nil }
    /// No guess.
    public var guessesNext: Bool { false }
    /// No items' text kept.
    public var itemsKey: String? { nil }
}

/// What one page of a walk gave.
public struct PageAnswer: Sendable, Equatable {
    /// The page's items, in order.
    public var items: [JSONValue]
    /// The failure that ends the walk after them, if any.
    public var failure: ResultRecord.Failure?
    /// Items of the page left out because the walk had given them before (a lying or shifting list).
    public var repeated = 0
    /// The position of each item in the answer's list (``PageWalking/itemsKey``), when the walk says.
    public var positions: [Int]?

    /// A page's items, the failure that ends the walk after them, if any, how many were left out as repeats, and
    /// where each item stands in the answer's list.
    public init(_ items: [JSONValue], failure: ResultRecord.Failure? = nil, repeated: Int = 0, positions: [Int]? = nil) {
        self.items = items
        self.failure = failure
        self.repeated = repeated
        self.positions = positions
    }
}

/// v1's `GET /users` pages, from page 1 while `next_page` goes forward; one item per user, a user given again (by
/// id) left out and counted. An answer with no `users` array, a user that is not an object, a `next_page` that is
/// not a later page, a page with no users (or only users given before) that names a next one, or more than twice
/// the items the first page's `total_count` reported while pages go on ends the walk as `invalid_response`; a walk
/// that ends short of that total says so (``shortfall``).
public struct UserPageWalk: PageWalking {
    public private(set) var next: IntercomRequest?
    private let query: (perPage: Int, tagID: String?, tagName: String?)
    private var page = 1
    /// The users the pages held, and the `total_count` of the first page that had one (nil after a resume from a
    /// checkpoint that did not keep them).
    private var items: Int? = 0
    public private(set) var reportedTotal: Int?
    /// The ids of the users given so far.
    private var given: Set<String> = []

    /// A walk from page 1 with `perPage` users a page, of the users with a tag (by id or name) when one is given.
    /// - Throws: ``ParameterError`` for a query v1 would refuse.
    public init(perPage: Int, tagID: String?, tagName: String?) throws {
        query = (perPage, tagID, tagName)
        next = try IntercomRequest.getUsers(page: 1, perPage: perPage, tagID: tagID, tagName: tagName)
    }

    public mutating func received(_ body: JSONValue?) -> PageAnswer {
        next = nil
        guard let users = body?["users"]?.arrayValue else {
            return PageAnswer([], failure: Self.invalid("the answer holds no list to walk (no `users` array)"))
        }
        if let odd = users.first(where: { $0.objectValue == nil }) {
            return PageAnswer([], failure: Self.invalid("the list holds \(odd.typeDescription) where a user belongs"))
        }
        let fresh = users.filter { user in Self.key(of: user).map { given.insert($0).inserted } ?? true }
        items = items.map { $0 + fresh.count }
        if reportedTotal == nil, let reported = body?["total_count"]?.doubleValue {
            reportedTotal = Int(min(max(0, reported), Double(PageWalk.largestTotal)))
        }
        let repeated = users.count - fresh.count
        guard let named = body?["next_page"], !named.isNull else { return PageAnswer(fresh, repeated: repeated) }
        return PageAnswer(fresh, failure: follow(named, after: users.count, fresh: fresh.count), repeated: repeated)
    }

    /// What tells a user from the others: its `id`, or v1's `intercom_id`.
    static func key(of user: JSONValue) -> String? {
        APIPageWalk.key(of: user) ?? user["intercom_id"]?.stringValue.flatMap { $0.isEmpty ? nil : "s" + $0 }
    }

    /// Moves to the page `named`, or returns the failure that ends the walk instead.
    private mutating func follow(_ named: JSONValue, after count: Int, fresh: Int) -> ResultRecord.Failure? {
        let stopped = PageWalk.stopped(after: items, "user")
        guard let following = named.integerValue, following > page else {
            return Self.invalid("a page names a next page (\(named.encodedString())) that is not a later one; \(stopped)")
        }
        guard count > 0 else { return Self.invalid("a page with no users names a next page; \(stopped)") }
        guard fresh > 0 else {
            return Self.invalid("a page gave only users given before, so the pages would repeat; \(stopped)")
        }
        if let items, let total = reportedTotal, items > 2 * total + count {
            return Self.invalid("the walk has given \(items) users, more than twice the \(total) the API reported, and the pages go on; it stopped")
        }
        guard let request = try? IntercomRequest.getUsers(
            page: Int(clamping: following), perPage: query.perPage, tagID: query.tagID, tagName: query.tagName)
        else { return Self.invalid("a page names a next page (\(following)) that cannot be asked for") }
        page = Int(clamping: following)
        next = request
        return nil
    }

    private static func invalid(_ message: String) -> ResultRecord.Failure {
        ResultRecord.Failure(type: .api(.invalidResponse), message: message)
    }

    /// How a finished walk came short of the `total_count` its first page reported.
    public var shortfall: String? {
        guard next == nil, let items, let total = reportedTotal, items < total else { return nil }
        return "\(items) of the \(total) users total_count reported (the data may have changed during the walk)"
    }

    /// The page to ask for next (null at the end), the users given and the total reported.
    public var checkpoint: WalkCheckpoint? {
        WalkCheckpoint(state: [
            "next_page": next == nil ? .null : .integer(Int64(page)), "items": items.map { .integer(Int64($0)) } ?? .null,
            "total": reportedTotal.map { .integer(Int64($0)) } ?? .null,
        ])
    }

    public mutating func resume(from checkpoint: WalkCheckpoint) -> Bool {
        guard let state = checkpoint.state["next_page"] else { return false }
        items = checkpoint.state["items"]?.integerValue.flatMap { $0 >= 0 ? Int(clamping: $0) : nil }
        reportedTotal = checkpoint.state["total"]?.integerValue.map { Int(min(max(0, $0), Int64(PageWalk.largestTotal))) }
        guard let following = state.integerValue else {
            guard state.isNull else { return false }
            next = nil
            return true
        }
        guard following >= 1, let request = try? IntercomRequest.getUsers(
            page: Int(following), perPage: query.perPage, tagID: query.tagID, tagName: query.tagName) else { return false }
        page = Int(following)
        next = request
        return true
    }
}

/// The REST API's contact lists and searches: cursor pages (``PageWalk``) of the requests `page` builds for a cursor.
public struct ContactPageWalk: PageWalking {
    private var walk = PageWalk()
    private let page: @Sendable (String?) -> IntercomRequest

    /// A walk whose page for a cursor (nil: the first) is `page(cursor)`.
    public init(page: @escaping @Sendable (String?) -> IntercomRequest) {
        self.page = page
    }

    public var next: IntercomRequest? { walk.nextCursor.map { page($0.value) } }

    public var guessesNext: Bool { true }

    public var itemsKey: String? { "data" }

    /// The page of the answer's `pages.next.starting_after`, read without parsing; none for a cursor given before,
    /// which ends the walk instead.
    public func guessNext(fromAnswer text: UnsafeRawBufferPointer) -> IntercomRequest? {
        guard let cursor = JSONPeek.string(at: ["pages", "next", "starting_after"], in: text), !walk.hasSeen(cursor) else { return nil }
        return page(cursor)
    }

    /// The page's items less those given before; a list holding what is not an object ends the walk.
    public mutating func received(_ body: JSONValue?) -> PageAnswer {
        let items = body?["data"]?.arrayValue ?? []
        if let odd = items.first(where: { $0.objectValue == nil }) {
            walk.end()
            return PageAnswer([], failure: .init(type: .api(.invalidResponse), message: "the list holds \(odd.typeDescription) where an object belongs"))
        }
        let failure = walk.received(body)
        let positions = items.indices.filter { !walk.repeatedInLastPage.contains($0) }
        return PageAnswer(positions.map { items[$0] }, failure: failure, repeated: items.count - positions.count, positions: positions)
    }

    public var shortfall: String? { walk.shortfall }

    public var reportedTotal: Int? { walk.total }

    public var checkpoint: WalkCheckpoint? { WalkCheckpoint(state: walk.checkpoint) }

    public mutating func resume(from checkpoint: WalkCheckpoint) -> Bool {
        guard let resumed = PageWalk(checkpoint: checkpoint.state) else { return false }
        walk = resumed
        return true
    }
}
