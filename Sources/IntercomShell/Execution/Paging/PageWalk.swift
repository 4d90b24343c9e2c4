public import IntercomKit

/// A walk over the cursor pages of the REST API (2.x), one answer at a time: the cursor to ask for next, the items
/// seen and the `total_count` the first page reported. A pure state machine: an answer with no `data` array, a next
/// page named without a usable cursor, a cursor given twice, a page with no items that names a next page, a page of only items given before (by id) that names a next page, or a walk past
/// twice the reported total (and a page more) ends the walk as
/// `invalid_response`, since the pages would go on forever. Data that changes during a walk stays well within
/// that bound.
public struct PageWalk: Sendable {
    /// The cursor of the next page to ask for (nil inside: the first page).
    public struct Cursor: Sendable, Hashable {
        /// The `starting_after` to send; nil for the first page.
        public var value: String?
    }

    /// The page to ask for next; nil once the walk is over.
    public private(set) var nextCursor: Cursor? = Cursor(value: nil)
    private var seen: Set<String> = []
    private var given: Set<String> = []
    /// The items the pages held.
    public private(set) var items = 0
    /// The `total_count` of the first page that had one.
    public private(set) var total: Int?
    /// The positions, in the page last received, of items given before.
    public private(set) var repeatedInLastPage: Set<Int> = []

    /// The largest `total_count` taken as it is.
    static let largestTotal = 1 << 52

    /// A walk at its first page.
    public init() {}

    /// A walk at the point `checkpoint` (``checkpoint``) describes; nil when it describes none.
    public init?(checkpoint: JSONValue) {
        guard let next = checkpoint["next"], let items = checkpoint["items"]?.integerValue, items >= 0 else { return nil }
        switch next {
        case .null: nextCursor = nil
        case .object:
            guard let after = next["after"], after.isNull || after.stringValue != nil else { return nil }
            nextCursor = Cursor(value: after.stringValue)
            if let value = after.stringValue { seen = [value] }
        default: return nil
        }
        self.items = Int(items)
        total = checkpoint["total"]?.integerValue.map { Int(min(max(0, $0), Int64(Self.largestTotal))) }
    }

    /// Where the walk stands, for a journal: the cursor to ask for next (null at the end), the items and the total.
    public var checkpoint: JSONValue {
        let next: JSONValue = nextCursor.map { ["after": $0.value.map(JSONValue.string) ?? .null] } ?? .null
        return ["next": next, "items": .integer(Int64(items)), "total": total.map { .integer(Int64($0)) } ?? .null]
    }

    /// Takes a page's answer; returns the failure that ends the walk, if the answer is one.
    public mutating func received(_ body: JSONValue?) -> ResultRecord.Failure? {
        guard let page = body?["data"]?.arrayValue else {
            nextCursor = nil
            return ResultRecord.Failure(
                type: .api(.invalidResponse), message: "the answer holds no list to walk (no `data` array); \(stoppedAfter)")
        }
        let count = page.count
        repeatedInLastPage = Set(page.indices.filter { index in APIPageWalk.key(of: page[index]).map { !given.insert($0).inserted } ?? false })
        let fresh = count - repeatedInLastPage.count
        items += fresh
        if total == nil, let reported = body?["total_count"]?.doubleValue {
            // Any number counts, clamped so that the bound below cannot overflow.
            total = Int(min(max(0, reported), Double(Self.largestTotal)))
        }
        nextCursor = nil
        guard let named = body?["pages"]?["next"], !named.isNull else { return nil }
        guard let next = named["starting_after"]?.stringValue, !next.isEmpty else {
            return ResultRecord.Failure(
                type: .api(.invalidResponse),
                message: "a page names a next page with no cursor to ask for it (pages.next.starting_after); \(stoppedAfter)")
        }
        guard count > 0 else {
            return ResultRecord.Failure(
                type: .api(.invalidResponse), message: "a page with no items names a next page; \(stoppedAfter)")
        }
        guard fresh > 0 else {
            return ResultRecord.Failure(
                type: .api(.invalidResponse), message: "a page gave only items given before, so the pages would repeat; \(stoppedAfter)")
        }
        if let total, items > 2 * total + count {
            return ResultRecord.Failure(
                type: .api(.invalidResponse),
                message: "the walk has given \(items) items, more than twice the \(total) the API reported, and the pages go on; it stopped")
        }
        guard seen.insert(next).inserted else {
            return ResultRecord.Failure(
                type: .api(.invalidResponse),
                message: "the API gave a next-page cursor it had given before, so the pages would repeat; \(stoppedAfter)")
        }
        nextCursor = Cursor(value: next)
        return nil
    }

    /// `the walk stopped after 3 items` (`1 item`).
    private var stoppedAfter: String { Self.stopped(after: items, "item") }

    /// `the walk stopped after 3 users` (`1 user`), or `the walk stopped` when the count is not known.
    static func stopped(after count: Int?, _ noun: String) -> String {
        "the walk stopped" + (count.map { " after \($0.counted(noun))" } ?? "")
    }

    /// Whether the walk has been given `cursor` before: a page naming it again ends the walk.
    public func hasSeen(_ cursor: String) -> Bool {
        seen.contains(cursor)
    }

    /// Ends the walk: no next page.
    public mutating func end() {
        nextCursor = nil
    }

    /// How a walk that ended came short of the reported total (`6 of the 7 items total_count reported`); nil when
    /// it did not, or no total was reported.
    public var shortfall: String? {
        guard nextCursor == nil, let total, items < total else { return nil }
        return "\(items) of the \(total) items total_count reported (the data may have changed during the walk)"
    }
}
