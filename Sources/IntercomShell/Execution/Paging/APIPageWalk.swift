import Foundation
public import IntercomKit

/// A walk over the pages of any list of the REST API, one answer at a time: the items of each page, and the request
/// for the next, in whichever style the answer uses. A pure state machine.
///
/// The styles: `pages.next.starting_after` (in the query of a `GET`, in the body's `pagination` of a search
/// `POST`), `scroll_param` (`/companies/scroll`, until a page comes back empty), a `pages.next` URL (events: its
/// query, on the path walked), and page numbers (`pages.page` below `pages.total_pages`, in the query). A next
/// request asked for before (however its URL was spelled), a scroll page of items all given before (the
/// repeated items of any list are left out, and counted), an item that is not an object, a page with no items that
/// names a next one, a next URL on another path, or a walk past twice the reported `total_count` ends the walk as
/// `invalid_response`: the pages would go on forever, or elsewhere. A scroll whose later page fails as an expired or
/// broken scroll does (400, 404, 410, 500) starts again from its first page (``failed(_:)``).
public struct APIPageWalk: PageWalking {
    /// The most times a scroll is started again.
    public static let maximumRestarts = 3

    /// The request for the next page; nil once the walk is over.
    public private(set) var next: IntercomRequest?
    /// The items the pages held.
    public private(set) var items = 0
    /// The `total_count` of the first page that had one.
    public private(set) var total: Int?
    private let first: IntercomRequest
    private let basePath: String
    private var seen: Set<IntercomRequest> = []
    /// The ids of the items given so far.
    private var given: Set<String> = []
    /// How many times the scroll was started again.
    public private(set) var restarts = 0
    private var pagesReceived = 0
    /// How many pages of only items given before a restarted scroll may still give.
    private var replayBudget = 0
    /// The keys of the items the last scroll page gave for the first time.
    private var lastGiven: [String] = []

    /// A walk whose first page is `first`; `basePath` is the endpoint's path (`/`), which a next-page URL repeats.
    public init(first: IntercomRequest, basePath: String = "/") {
        self.first = first
        self.next = first
        seen = [first]
        self.basePath = basePath.hasSuffix("/") ? basePath : basePath + "/"
    }

    /// Takes the answer to the request last sent: the page's items, and the failure that ends the walk after them.
    public mutating func received(_ body: JSONValue?) -> PageAnswer {
        next = nil
        guard var page = Self.listItems(body) else {
            return PageAnswer([], failure: .init(type: .api(.invalidResponse), message: "the answer holds no list to walk (all walks a list's pages)"))
        }
        if let odd = page.first(where: { $0.objectValue == nil }) {
            return PageAnswer([], failure: .init(type: .api(.invalidResponse), message: "the list holds \(odd.typeDescription) where an object belongs"))
        }
        let hasItems = !page.isEmpty
        if first.path.hasSuffix("scroll") {
            // A scroll gives each item once: an item given before is left out, and a page of nothing new ends the walk,
            // unless the scroll was started again and is still going over the pages it gave before.
            pagesReceived += 1
            let fresh = page.filter { item in Self.key(of: item).map { given.insert($0).inserted } ?? true }
            lastGiven = fresh.compactMap(Self.key(of:))
            if hasItems && fresh.isEmpty {
                guard replayBudget > 0 else {
                    return PageAnswer([], failure: .init(type: .api(.invalidResponse), message: "the scroll gave only items it had given before; the walk stopped after \(items) items"))
                }
                replayBudget -= 1
            } else if !fresh.isEmpty {
                replayBudget = 0
            }
            page = fresh
        }
        var repeated = 0
        if !first.path.hasSuffix("scroll") {
            // A list gives each item once: one given before (the list shifted, or lies) is left out.
            let before = page.count
            page = page.filter { item in Self.key(of: item).map { given.insert($0).inserted } ?? true }
            repeated = before - page.count
        }
        let onlyRepeated = !first.path.hasSuffix("scroll") && hasItems && page.isEmpty
        items += page.count
        if total == nil, let reported = body?["total_count"]?.doubleValue { total = Int(min(max(0, reported), Double(1 << 52))) }
        let candidate: IntercomRequest?
        do { candidate = try following(body, page: page, hasItems: hasItems) } catch {
            return PageAnswer(page, failure: error)
        }
        guard let candidate else { return PageAnswer(page, repeated: repeated) }
        if let total, items > 2 * total + page.count {
            return PageAnswer(page, failure: .init(type: .api(.invalidResponse), message: "the walk has given \(items) items, more than twice the \(total) the API reported, and the pages go on; it stopped"))
        }
        guard first.path.hasSuffix("scroll") || seen.insert(candidate).inserted else {
            return PageAnswer(page, failure: .init(type: .api(.invalidResponse), message: "the API named a next page it had named before, so the pages would repeat; the walk stopped after \(items) items"))
        }
        if onlyRepeated {
            // Pages that give only items given before, under new cursors, would go on forever.
            return PageAnswer([], failure: .init(type: .api(.invalidResponse), message: "a page gave only items given before, so the pages would repeat; the walk stopped after \(items - page.count) items"))
        }
        next = candidate
        return PageAnswer(page, repeated: repeated)
    }

    /// The request after a page; nil at the end.
    private mutating func following(_ body: JSONValue?, page: [JSONValue], hasItems: Bool) throws(ResultRecord.Failure) -> IntercomRequest? {
        if first.path.hasSuffix("scroll") {
            guard hasItems, let scroll = body?["scroll_param"]?.stringValue, !scroll.isEmpty else { return nil }
            return replacing("scroll_param", with: scroll)
        }
        let pages = body?["pages"]
        if let cursor = pages?["next"]?["starting_after"]?.stringValue, !cursor.isEmpty {
            try requireItems(hasItems)
            return afterCursor(cursor)
        }
        if let url = pages?["next"]?.stringValue, !url.isEmpty {
            try requireItems(hasItems)
            return try request(at: url)
        }
        if let number = pages?["page"]?.integerValue, let last = pages?["total_pages"]?.integerValue, number < last {
            try requireItems(hasItems)
            return replacing("page", with: String(number + 1))
        }
        return nil
    }

    private func requireItems(_ hasItems: Bool) throws(ResultRecord.Failure) {
        guard !hasItems else { return }
        throw .init(type: .api(.invalidResponse), message: "a page with no items names a next page; the walk stopped after \(items) items")
    }

    /// The first request with `starting_after`: in the query of a `GET`, in the body's `pagination` otherwise.
    private func afterCursor(_ cursor: String) -> IntercomRequest {
        guard first.method != .get else { return replacing("starting_after", with: cursor) }
        var request = first
        var body = request.body ?? [:]
        var pagination = body["pagination"]?.objectValue ?? [:]
        pagination["starting_after"] = .string(cursor)
        body["pagination"] = .object(pagination)
        request.body = body
        return request
    }

    /// The first request with query parameter `name` set to `value`.
    private func replacing(_ name: String, with value: String) -> IntercomRequest {
        var request = first
        request.query = request.query.filter { $0.name != name } + [(name: name, value: value)]
        return request
    }

    /// A `GET` of the query of a next-page URL, which must name the path walked (below the endpoint's path); its
    /// host is never used, so the walk stays on the configured endpoint.
    private func request(at url: String) throws(ResultRecord.Failure) -> IntercomRequest {
        let shown = SecretRedaction.cut(url, to: 120)
        guard let components = URLComponents(string: url) else {
            throw .init(type: .api(.invalidResponse), message: "the next page's URL is not a URL: \(shown)")
        }
        var path = components.percentEncodedPath
        if path.hasPrefix(basePath) { path.removeFirst(basePath.count) } else if path.hasPrefix("/") { path.removeFirst() }
        let decoded = path.split(separator: "/", omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
        guard decoded == first.path.split(separator: "/", omittingEmptySubsequences: false).map({ String($0).removingPercentEncoding ?? String($0) }) else {
            throw .init(type: .api(.invalidResponse), message: "the next page's URL leaves /\(first.path) for another path: \(shown)")
        }
        let query = (components.queryItems ?? []).map { (name: $0.name, value: $0.value ?? "") }
        return IntercomRequest(method: .get, path: first.path, query: query)
    }

    /// Whether the walk goes on after `failure` answered the request last sent: a later page of a scroll that failed
    /// as an expired or broken scroll does (400, 404, 410, 500) starts the scroll again from its first page, at most
    /// ``maximumRestarts`` times; the items it gave before are left out, so none is given twice.
    public mutating func failed(_ failure: ResultRecord.Failure) -> Bool {
        let restartable: Set<FailureType> = [.api(.clientError), .api(.notFound), .api(.gone), .api(.serverError)]
        guard first.path.hasSuffix("scroll"), let sent = next, sent != first, restartable.contains(failure.type), restarts < Self.maximumRestarts else {
            return false
        }
        restarts += 1
        replayBudget = pagesReceived + 1
        next = first
        return true
    }

    /// What tells an item from the others: its id, text or a whole number; nil when it has neither (an empty id
    /// tells nothing).
    static func key(of item: JSONValue) -> String? {
        switch item["id"] {
        case .string(let id)? where !id.isEmpty: "s" + id
        case .integer(let id)?: "s" + String(id)
        case .bigInteger(let digits)?: "s" + digits
        default: nil
        }
    }

    /// The `total_count` the first page that had one reported.
    public var reportedTotal: Int? { total }

    /// The next request (null at the end) and the counts; a scroll's checkpoint also gives the keys of its page's
    /// new items, so that a scroll started again in another run leaves them out.
    public var checkpoint: WalkCheckpoint? {
        let state: JSONValue = [
            "next": next?.checkpointJSON ?? .null, "items": .integer(Int64(items)), "total": total.map { .integer(Int64($0)) } ?? .null,
            "pages": .integer(Int64(pagesReceived)), "restarts": .integer(Int64(restarts)), "replay": .integer(Int64(replayBudget)),
        ]
        return WalkCheckpoint(state: state, given: first.path.hasSuffix("scroll") ? lastGiven : [])
    }

    /// Goes on from a checkpoint whose next request is one of this walk's (same method and path as the first).
    public mutating func resume(from checkpoint: WalkCheckpoint) -> Bool {
        let state = checkpoint.state
        guard let nextJSON = state["next"], let items = state["items"]?.integerValue, items >= 0,
            let pages = state["pages"]?.integerValue, let restarts = state["restarts"]?.integerValue, let replay = state["replay"]?.integerValue
        else { return false }
        var following: IntercomRequest?
        if !nextJSON.isNull {
            guard let request = IntercomRequest(checkpoint: nextJSON), request.method == first.method, request.path == first.path else { return false }
            following = request
        }
        next = following
        if let following { seen.insert(following) }
        self.items = Int(items)
        total = state["total"]?.integerValue.map { Int(min(max(0, $0), Int64(PageWalk.largestTotal))) }
        pagesReceived = Int(max(0, pages))
        self.restarts = Int(max(0, restarts))
        replayBudget = Int(max(0, replay))
        given.formUnion(checkpoint.given)
        return true
    }

    /// How a finished walk came short of the reported `total_count`; nil when it did not.
    public var shortfall: String? {
        guard next == nil, let total, items < total else { return nil }
        return "\(items) of the \(total) items total_count reported (the data may have changed during the walk)"
    }

    /// The items of a list answer: its `data`, or else its one array (`conversations`, `companies`, …), preferring
    /// the one its `type` names.
    static func listItems(_ body: JSONValue?) -> [JSONValue]? {
        guard case .object(let object)? = body else { return nil }
        if let data = object["data"]?.arrayValue { return data }
        let arrays = object.filter { $0.key != "errors" && $0.value.arrayValue != nil }
        if arrays.count == 1 { return arrays.first?.value.arrayValue }
        let kind = object["type"]?.stringValue.map { String($0.prefix { $0 != "." }) } ?? ""
        return arrays.first { !kind.isEmpty && $0.key.hasPrefix(kind) }?.value.arrayValue
    }
}
