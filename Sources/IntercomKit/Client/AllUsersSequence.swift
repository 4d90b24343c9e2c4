/// Every user of the app (or of one tag), fetched a page at a time as the sequence is iterated.
///
/// Only one page is held at once, so iterating 100,000 users keeps memory flat. Iteration stops after the page
/// whose `next_page` is `null`; a failed page request ends it by throwing.
public struct AllUsersSequence: AsyncSequence, Sendable {
    /// Each element is one user.
    public typealias Element = User

    let client: IntercomClient
    let perPage: Int
    let tagID: String?
    let tagName: String?

    /// Starts iterating at page 1.
    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Fetches pages on demand.
    public struct Iterator: AsyncIteratorProtocol {
        let sequence: AllUsersSequence
        var nextPage: Int? = 1
        var buffer: [User] = []
        var index = 0

        init(sequence: AllUsersSequence) {
            self.sequence = sequence
        }

        /// The next user, fetching the next page when this one is used up; `nil` after the last page.
        public mutating func next() async throws -> User? {
            while index >= buffer.count {
                guard let page = nextPage else { return nil }
                let result = try await sequence.client.getUsers(
                    page: page, perPage: sequence.perPage, tagID: sequence.tagID, tagName: sequence.tagName)
                buffer = result.users
                index = 0
                nextPage = result.nextPage.map { Int($0) }
                if let next = nextPage, next <= page { nextPage = nil }
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
