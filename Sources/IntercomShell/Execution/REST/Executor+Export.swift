import Foundation
import IntercomKit

extension Executor {
    /// The conversations `export` pulls out, each whole (with its parts), one record each in the order the list or
    /// search gives them: each page's conversations are fetched at once, as many in flight as the run's concurrency
    /// allows now, paced and retried as every read. One deleted meanwhile (404) is left out and noted.
    func exportConversations(
        _ export: ExportGoal, for operation: OperationName, line: Int, willSend: (@Sendable () -> Bool)?, journaling: WalkJournaling?,
        emit: OutcomeEmitter
    ) async throws {
        let search: SearchQuery?
        do { search = try export.search() } catch { return try await emit(.failure(error)) }
        let first: IntercomRequest = search.map { .post("conversations/search", ["query": $0.json, "pagination": ["per_page": 150]]) }
            ?? .get("conversations", query: [("per_page", "150")])
        let pages = APIPageWalk(first: first, basePath: client.configuration.endpoint.path)
        try await walk(pages, for: operation, line: line, willSend: willSend, journaling: journaling, keeping: export.keeps, expanding: { items in
            let ids = items.compactMap { $0["id"]?.stringValue ?? $0["id"]?.integerValue.map { String($0) } }
            return await fetchConversations(ids, for: operation).filter { outcome in
                guard case .failure(let failure) = outcome, failure.type == .api(.notFound) else { return true }
                statistics.note("line \(line), \(operation.rawValue): \(failure.message) (deleted during the export); left out")
                return false
            }
        }, emit: emit)
    }

    /// Each conversation of `ids`, whole, in the order of `ids`: at most as many requests in flight as the run's
    /// concurrency allows when each starts.
    private func fetchConversations(_ ids: [String], for operation: OperationName) async -> [Result<JSONValue, ResultRecord.Failure>] {
        var results = [Result<JSONValue, ResultRecord.Failure>?](repeating: nil, count: ids.count)
        await withTaskGroup(of: (Int, Result<JSONValue, ResultRecord.Failure>).self) { group in
            var next = 0
            var inFlight = 0
            while next < ids.count || inFlight > 0 {
                while next < ids.count, inFlight < max(1, delivery.concurrency?.limit ?? 1) {
                    let index = next
                    let request = IntercomRequest.get("conversations/" + IntercomRequest.pathSegment(ids[index]))
                    group.addTask {
                        let outcome = await deliver(request, operation: operation, effect: .read)
                        return (index, outcome.flatMap { response in
                            guard let conversation = response.body, conversation["type"] == "conversation" else {
                                return .failure(.init(type: .api(.invalidResponse), message: "GET /conversations/\(ids[index]) answered no conversation"))
                            }
                            return .success(conversation)
                        }.mapError { failure in
                            var named = failure
                            named.message = "conversation \(ids[index]): " + failure.message
                            return named
                        })
                    }
                    next += 1
                    inFlight += 1
                }
                guard let (index, outcome) = await group.next() else { break }
                results[index] = outcome
                inFlight -= 1
            }
        }
        return results.map { $0 ?? .failure(Delivery.interrupted) }
    }
}
