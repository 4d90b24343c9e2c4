public import Foundation
public import IntercomKit

/// Runs operations through the API client and turns each outcome into result records.
public struct Executor: Sendable {
    /// The client requests go through.
    public let client: IntercomClient
    /// The current Unix time, for events without `created`.
    public let now: @Sendable () -> Int64

    /// Creates an executor over `client`.
    public init(client: IntercomClient, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.client = client
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
        let outcome: Result<JSONValue, ResultRecord.Failure>
        do {
            let response = try await client.send(request)
            outcome = .success(response.body ?? .null)
        } catch let error as IntercomError {
            outcome = .failure(.init(error))
        }
        try await emit(record(outcome, ContinuousClock.now - started))
    }
}
