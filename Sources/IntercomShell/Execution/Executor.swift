public import Foundation
public import IntercomKit

/// Runs operations through the API client and turns each outcome into result records.
public struct Executor: Sendable {
    /// The client requests go through.
    public let client: IntercomClient
    /// The current Unix time, for events without `created`.
    public let now: @Sendable () -> Int64
    /// When to retry failed requests (no retries by default).
    public var retryPolicy: RetryPolicy
    /// Pacing of request starts, shared by every operation of a run.
    public var pacing: RequestPacing?
    /// Retries and 429s counted during the run.
    public let statistics = DeliveryStatistics()

    /// Creates an executor over `client`.
    public init(
        client: IntercomClient, retryPolicy: RetryPolicy = RetryPolicy(maximumRetries: 0), pacing: RequestPacing? = nil,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.client = client
        self.retryPolicy = retryPolicy
        self.pacing = pacing
        self.now = now
    }

    /// Runs `operation` from input line `line` and hands each record to `emit`: one record, or for `all_users`
    /// one per user (and an error record if a page fails). Parameters are checked before anything is sent.
    /// Errors thrown by `emit` (a closed output) end the run and are rethrown; cancellation is rethrown too.
    public func execute(_ operation: Operation, line: Int, emit: (ResultRecord) async throws -> Void) async throws {
        let op = operation.name.rawValue
        func record(_ outcome: Result<JSONValue, ResultRecord.Failure>, _ elapsed: Duration? = nil) -> ResultRecord {
            ResultRecord(line: line, ref: operation.ref, op: op, outcome: outcome, elapsed: elapsed)
        }
        let started = ContinuousClock.now
        if operation.name == .allUsers {
            let query: (perPage: Int, tagID: String?, tagName: String?)
            do { query = try operation.allUsersQuery() } catch {
                try await emit(record(.failure(.init(error, line: line))))
                return
            }
            do {
                for try await user in client.allUsers(perPage: query.perPage, tagID: query.tagID, tagName: query.tagName) {
                    try await emit(record(.success(.object(user.json)), ContinuousClock.now - started))
                }
            } catch let error as IntercomError {
                try await emit(record(.failure(.init(error)), ContinuousClock.now - started))
            }
            return
        }
        let request: IntercomRequest
        do { request = try operation.request(now: now) } catch {
            try await emit(record(.failure(.init(error, line: line))))
            return
        }
        let outcome = try await deliver(request, operation: operation.name).map { $0.body ?? .null }
        try await emit(record(outcome, ContinuousClock.now - started))
    }

    /// Sends `request` once, or more often as the retry policy allows, pacing each attempt; the same request
    /// (an event's `created` included) goes out every time.
    func deliver(_ request: IntercomRequest, operation: OperationName) async throws -> Result<IntercomResponse, ResultRecord.Failure> {
        var attempt = 1
        var waited = Duration.zero
        while true {
            try await pacing?.waitForTurn()
            do {
                let response = try await client.send(request)
                pacing?.observe(response.rateLimit)
                return .success(response)
            } catch let error as IntercomError {
                pacing?.observe(error.rateLimit)
                if error.kind == .rateLimited { statistics.countRateLimited() }
                let decision = retryPolicy.decide(
                    after: error, operation: operation, attempt: attempt, waited: waited, now: Date().timeIntervalSince1970,
                    random: Double.random(in: 0..<1))
                switch decision {
                case .retry(let delay):
                    statistics.countRetry()
                    try await Task.sleep(for: delay)
                    waited += delay
                    attempt += 1
                case .fail:
                    return .failure(.init(error))
                case .unknownOutcome:
                    return .failure(
                        .init(
                            type: "unknown_outcome", status: error.status,
                            message: "\(error.description); the request may have been applied, so it was not sent again"))
                case .waitCapReached:
                    var failure = ResultRecord.Failure(error)
                    failure.message += " (gave up after \(attempt - 1) retries and \(waited.secondsText) of waiting)"
                    return .failure(failure)
                }
            }
        }
    }
}

extension Duration {
    /// Seconds with one decimal, e.g. `12.5 s`.
    var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return String(format: "%.1f s", seconds)
    }
}
