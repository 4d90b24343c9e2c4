public import IntercomKit

/// What an export pulls out on the REST API (2.x): every contact, company or conversation, or those updated in a
/// window (`since` ≤ `updated_at` < `until`), contacts and conversations also by a search filter.
///
/// Contacts come from `GET /contacts` (every page), or from `POST /contacts/search` when a filter or a window is given.
/// The search compares dates by day, so the window is sent a day wider on each side and then applied to the second
/// here. Companies come through the scroll (`GET /companies/scroll`, past 10,000); the scroll has no filter, so their
/// window is applied here alone. Conversations are listed (`GET /conversations`) or searched as contacts are, then
/// each is fetched whole (`GET /conversations/{id}`, with its parts).
public struct ExportGoal: Sendable, Equatable {
    /// What is exported.
    public enum Kind: String, Sendable, CaseIterable {
        /// Contacts (users and leads).
        case contacts
        /// Companies.
        case companies
        /// Conversations, each with its parts.
        case conversations
    }

    /// What is exported.
    public var kind: Kind
    /// Only items updated at or after this Unix time.
    public var since: Int64?
    /// Only items updated before this Unix time.
    public var until: Int64?
    /// Only contacts (or conversations) matching this search query.
    public var query: SearchQuery?

    /// An export of `kind`, narrowed by a window and (contacts) a query.
    public init(_ kind: Kind, since: Int64? = nil, until: Int64? = nil, query: SearchQuery? = nil) {
        self.kind = kind
        self.since = since
        self.until = until
        self.query = query
    }

    /// The seconds of a day: how much wider than asked the window sent to the search is.
    static let day: Int64 = 86_400

    /// The search to send: the query, with the window a day wider on each side; nil to list every item.
    /// - Throws: `invalid_input` when the query nests too deep to take the window.
    public func search() throws(ResultRecord.Failure) -> SearchQuery? {
        var window: [SearchQuery] = []
        if let since { window.append(.filter(field: "updated_at", operator: .greater, value: .integer(since - Self.day))) }
        if let until { window.append(.filter(field: "updated_at", operator: .less, value: .integer(until + Self.day))) }
        guard !window.isEmpty else { return query }
        guard let query else { return window.count == 1 ? window[0] : .group(.and, window) }
        if case .group(.and, let members) = query { return .group(.and, window + members) }
        let combined = SearchQuery.group(.and, window + [query])
        guard combined.depth <= SearchRules.maximumDepth else {
            throw .invalidInput("the filter nests too deep to add the since/until window (at most \(SearchRules.maximumDepth) levels)")
        }
        return combined
    }

    /// Whether `item` was updated inside the window (an item without `updated_at` is kept only when there is none).
    public func keeps(_ item: JSONValue) -> Bool {
        guard since != nil || until != nil else { return true }
        guard let updated = item["updated_at"]?.integerValue else { return false }
        return since.map { updated >= $0 } ?? true && until.map { updated < $0 } ?? true
    }
}
