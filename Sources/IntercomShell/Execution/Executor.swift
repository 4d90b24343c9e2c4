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
    /// Requests, retries and 429s counted during the run.
    public let statistics = DeliveryStatistics()
    /// How many operations may be in flight; told of every attempt's answer (nil: no adaptation, nothing told).
    public var concurrency: ConcurrencyControl?
    /// The run's stop request (the first Ctrl-C or SIGTERM): once made, an operation still waiting to be sent
    /// (held by pacing, or waiting to retry) ends at once as `interrupted` instead of waiting on.
    public var control: RunControl?
    /// Check every operation and show the request it would send, sending nothing (`--dry-run`).
    public var dryRun = false
    /// The contact ids learned during the run, on the REST API (2.x): each contact is looked up once per run.
    public let contacts = ContactDirectory()
    /// The tag ids learned during the run, on the REST API (2.x): a tag's name is looked up once per run.
    public let tags = TagDirectory()
    /// On the REST API (2.x), define the custom attributes a create or update sets that the workspace lacks
    /// (`--create-attributes`), instead of letting the API refuse the line.
    public var createAttributes = false
    /// The custom attributes known to be defined during the run.
    public let attributes = AttributeDirectory()

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
    /// one per user (and an error record if a page fails). Parameters are checked before anything is sent;
    /// `willSend` is called once, just before the first request goes out (after pacing); when it answers false
    /// (the journal could not record the start) nothing is sent and the operation ends as `interrupted`.
    ///
    /// Cancelling the task abandons the operation: it ends with an `interrupted` record when nothing was sent,
    /// or `unknown_outcome` when a request was on its way. Errors thrown by `emit` (a closed output) are rethrown.
    public func execute(
        _ operation: Operation, line: Int, willSend: (@Sendable () -> Bool)? = nil, emit: (ResultRecord) async throws -> Void
    ) async throws {
        let op = operation.name.rawValue
        func record(_ outcome: Result<JSONValue, ResultRecord.Failure>, _ elapsed: Duration? = nil) -> ResultRecord {
            ResultRecord(line: line, ref: operation.ref, op: op, outcome: outcome, elapsed: elapsed)
        }
        if client.configuration.apiVersion != nil {
            try await executeRest(operation, line: line, willSend: willSend, emit: emit)
            return
        }
        if operation.definition.v1 == nil {
            let failure = ResultRecord.Failure(
                type: .unsupported, message: "\(op) exists on the REST API 2.x only (--api-version 2.16); nothing was sent")
            try await emit(record(.failure(failure)))
            return
        }
        if dryRun {
            try await emit(record(Self.dryRun(operation, now: now)))
            return
        }
        let call: V1Call
        do { call = try operation.v1Call(now: now) } catch {
            try await emit(record(.failure(.init(error, line: line))))
            return
        }
        let started = ContinuousClock.now
        statistics.countOperation(operation.name)
        switch call {
        case .single(let request):
            let outcome = await deliver(request, operation: operation.name, effect: operation.effect, willSend: willSend).map { $0.body ?? .null }
            try await emit(record(outcome, ContinuousClock.now - started))
        case .userPages(let perPage, let tagID, let tagName):
            try await allUsers((perPage, tagID, tagName), willSend: willSend) { user in
                try await emit(record(user, ContinuousClock.now - started))
            }
        }
    }

    /// Every page of get_users, each page delivered (and retried) like any read, one user at a time to `emit`;
    /// a page that fails ends it with one failure.
    private func allUsers(
        _ query: (perPage: Int, tagID: String?, tagName: String?), willSend: (@Sendable () -> Bool)?,
        emit: (Result<JSONValue, ResultRecord.Failure>) async throws -> Void
    ) async throws {
        var page = 1
        var willSend = willSend
        while true {
            let request: IntercomRequest
            do { request = try IntercomRequest.getUsers(page: page, perPage: query.perPage, tagID: query.tagID, tagName: query.tagName) } catch {
                try await emit(.failure(.init(type: .invalidInput, message: "\(error)")))
                return
            }
            let response: IntercomResponse
            switch await deliver(request, operation: .getUsers, effect: .read, willSend: willSend) {
            case .failure(let failure):
                try await emit(.failure(failure))
                return
            case .success(let answer): response = answer
            }
            willSend = nil
            let userPage = UserPage(json: response.body?.objectValue ?? [:])
            for user in userPage.users { try await emit(.success(.object(user.json))) }
            guard let next = userPage.nextPage.map({ Int($0) }), next > page else { return }
            page = next
        }
    }

    /// Checks `operation` as a real run would and describes the request it would send. A parameter still holding a
    /// `${…}` placeholder (a result field only a real run would know) is checked for presence, not type, and shown as is.
    static func dryRun(_ operation: Operation, now: () -> Int64) -> Result<JSONValue, ResultRecord.Failure> {
        var checked = operation
        var placeholders: JSONObject = [:]
        for (key, value) in operation.parameters {
            guard let text = value.stringValue, text.hasPrefix("${"), text.hasSuffix("}"), let spec = operation.name.parameter(key) else { continue }
            placeholders[key] = value
            switch spec.kind {
            case .integer, .timestamp: checked.parameters[key] = 1
            case .boolean: checked.parameters[key] = true
            case .flatObject, .metadata, .increments: checked.parameters[key] = [:]
            case .stringArray, .identifierArray: checked.parameters[key] = ["placeholder"]
            case .company: checked.parameters[key] = ["id": 1]
            case .companies: checked.parameters[key] = [["id": 1]]
            case .tagAction: checked.parameters[key] = "tag"
            case .searchQuery: checked.parameters[key] = ["field": "email", "operator": "=", "value": "placeholder"]
            // v1 takes a thread id as a whole number; other identifiers are checked as the placeholder text.
            case .identifier where key == "thread_id": checked.parameters[key] = "1"
            case .string, .identifier: break
            }
        }
        do {
            let request = try checked.request(now: now)
            guard case .object(var described) = describe(request) else { return .success(["dry_run": describe(request)]) }
            if case .object(var body)? = described["body"] {
                for (key, value) in placeholders where body[key] != nil { body[key] = value }
                described["body"] = .object(body)
            }
            return .success(["dry_run": .object(described)])
        } catch {
            return .failure(.init(type: .invalidInput, message: error.message))
        }
    }

    /// What `--dry-run` shows of a request: method, path, query and body.
    static func describe(_ request: IntercomRequest) -> JSONValue {
        var object: JSONObject = ["method": .string(request.method.rawValue), "path": .string(request.path)]
        if !request.query.isEmpty { object["query"] = .string(request.encodedQuery) }
        if let body = request.body { object["body"] = .object(body) }
        return .object(object)
    }

    /// Sends `request` (counted under `operation`) once, or more often as the retry policy allows a request with
    /// `effect`, pacing each attempt; the same request (an event's `created` included) goes out every time.
    /// Cancellation ends it: `interrupted` while it waits (nothing is on its way), `unknown_outcome` while a request is.
    func deliver(
        _ request: IntercomRequest, operation: OperationName, effect: OperationEffect, willSend: (@Sendable () -> Bool)? = nil
    ) async -> Result<IntercomResponse, ResultRecord.Failure> {
        let kind = effect
        var attempt = 1
        var waited = Duration.zero
        var willSend = willSend
        while true {
            do { try await pacing?.waitForTurn(unless: control) } catch { return .failure(Self.interrupted) }
            if control?.isStopping == true { return .failure(attempt == 1 ? Self.interrupted : Self.notRetried) }
            if let ready = willSend, !ready() { return .failure(Self.unrecorded) }
            willSend = nil
            let failed: IntercomError
            statistics.countRequest(operation)
            concurrency?.willSend()
            let sent = ContinuousClock.now
            do {
                let response = try await client.send(request)
                let latency = ContinuousClock.now - sent
                concurrency?.didAnswer(.answered(latency: latency, rateLimit: response.rateLimit))
                pacing?.observe(response.rateLimit, latency: latency)
                return .success(response)
            } catch let error as ParameterError {
                concurrency?.didAnswer(.answered(latency: ContinuousClock.now - sent, rateLimit: nil))
                return .failure(.init(type: .invalidInput, message: error.message))
            } catch let error as IntercomError {
                concurrency?.didAnswer(Self.answer(to: error, latency: ContinuousClock.now - sent))
                if Task.isCancelled { return .failure(Self.abandoned(kind)) }
                failed = error
            } catch {
                concurrency?.didAnswer(.overloaded)
                return .failure(Self.abandoned(kind))
            }
            pacing?.observe(failed.rateLimit)
            if failed.kind == .rateLimited { statistics.countRateLimited() }
            let decision = retryPolicy.decide(
                after: failed, effect: kind, attempt: attempt, waited: waited, now: Date().timeIntervalSince1970,
                random: Double.random(in: 0..<1))
            switch decision {
            case .retry(let delay):
                statistics.countRetry()
                do { try await RunControl.sleep(until: .now + delay, unless: control) } catch { return .failure(Self.notRetried) }
                waited += delay
                attempt += 1
            case .fail:
                return .failure(.init(failed))
            case .unknownOutcome:
                return .failure(
                    .init(
                        type: .unknownOutcome, status: failed.status, cause: failed.kind,
                        message: "\(failed.description); the request may have been applied, so it was not sent again"))
            case .waitCapReached:
                var failure = ResultRecord.Failure(failed)
                failure.message += " (gave up after \(attempt - 1) retries and \(waited.secondsText) of waiting)"
                return .failure(failure)
            }
        }
    }

    /// What a failed attempt says about the server's load.
    static func answer(to error: IntercomError, latency: Duration) -> AdaptiveConcurrency.Answer {
        switch error.kind {
        case .rateLimited: return .rateLimited(rateLimit: error.rateLimit)
        case .serviceUnavailable, .timeout, .connection: return .overloaded
        default: return .answered(latency: latency, rateLimit: error.rateLimit)
        }
    }

    /// An operation abandoned by an interruption before any request of it was on its way.
    static let interrupted = ResultRecord.Failure(
        type: .interrupted, message: "not sent: the run was interrupted")

    /// An operation not sent because its start could not be recorded in the journal.
    static let unrecorded = ResultRecord.Failure(
        type: .interrupted, message: "not sent: the journal could not record that it started")

    /// An operation abandoned by an interruption while it waited to retry: a failed attempt was not sent again
    /// (only operations safe to repeat, or whose attempts provably were not processed, wait to retry).
    static let notRetried = ResultRecord.Failure(
        type: .interrupted, message: "not sent again: the run was interrupted while it waited to retry")

    /// An operation abandoned by an interruption while its request was on its way: `unknown_outcome` when it
    /// changes something, `interrupted` for a read, which applies nothing.
    static func abandoned(_ effect: OperationEffect) -> ResultRecord.Failure {
        effect == .read
            ? ResultRecord.Failure(
                type: .interrupted, message: "cancelled while its request was on its way (a read: nothing was applied)")
            : ResultRecord.Failure(
                type: .unknownOutcome,
                message: "abandoned by an interruption while its request was on its way; it may have been applied")
    }
}
