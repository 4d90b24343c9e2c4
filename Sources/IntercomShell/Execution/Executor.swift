public import Foundation
public import IntercomKit

/// Runs operations through the API client and turns each outcome into result records.
public struct Executor: Sendable {
    /// How requests are sent: pacing, retries, concurrency, statistics.
    public var delivery: Delivery
    /// The current Unix time, for events without `created`.
    public let now: @Sendable () -> Int64
    /// Check every operation and show the request it would send, sending nothing (`--dry-run`).
    public var dryRun = false
    /// The contact ids learned during the run, on the REST API (2.x): each contact is looked up once per run.
    public let contacts = ContactDirectory()
    /// The tag ids learned during the run, on the REST API (2.x): a tag's name is looked up once per run.
    public let tags = TagDirectory()
    /// The teammates learned during the run, on the REST API (2.x): `GET /me` and `GET /admins` are asked once per run.
    public let teammates = TeammateDirectory()
    /// On the REST API (2.x), define the custom attributes a create or update sets that the workspace lacks
    /// (`--create-attributes`), instead of letting the API refuse the line.
    public var createAttributes = false
    /// The custom contact attributes known to be defined during the run.
    public let attributes = AttributeDirectory()
    /// The custom company attributes known to be defined during the run.
    public let companyAttributes = AttributeDirectory()

    /// Creates an executor over `client`.
    public init(
        client: IntercomClient, retryPolicy: RetryPolicy = RetryPolicy(maximumRetries: 0), pacing: RequestPacing? = nil,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        delivery = Delivery(client: client, retryPolicy: retryPolicy, pacing: pacing)
        self.now = now
    }

    /// The client requests go through.
    public var client: IntercomClient { delivery.client }
    /// When to retry failed requests.
    public var retryPolicy: RetryPolicy {
        get { delivery.retryPolicy }
        set { delivery.retryPolicy = newValue }
    }
    /// Pacing of request starts.
    public var pacing: RequestPacing? {
        get { delivery.pacing }
        set { delivery.pacing = newValue }
    }
    /// Requests, retries and 429s counted during the run.
    public var statistics: DeliveryStatistics { delivery.statistics }
    /// How many operations may be in flight.
    public var concurrency: ConcurrencyControl? {
        get { delivery.concurrency }
        set { delivery.concurrency = newValue }
    }
    /// The run's stop request.
    public var control: RunControl? {
        get { delivery.control }
        set { delivery.control = newValue }
    }

    /// Sends `request` as ``Delivery/deliver(_:operation:effect:willSend:deferringBody:)`` does.
    func deliver(
        _ request: IntercomRequest, operation: OperationName, effect: OperationEffect, willSend: (@Sendable () -> Bool)? = nil,
        deferringBody: Bool = false
    ) async -> Result<IntercomResponse, ResultRecord.Failure> {
        await delivery.deliver(request, operation: operation, effect: effect, willSend: willSend, deferringBody: deferringBody)
    }

    /// Runs `operation` from input line `line` and hands each record to `emit`: one record, or for `all_users`
    /// one per user (and an error record if a page fails). Parameters are checked before anything is sent;
    /// `willSend` is called once, just before the first request goes out (after pacing); when it answers false
    /// (the journal could not record the start) nothing is sent and the operation ends as `interrupted`.
    ///
    /// With `journaling`, a list goes on from the checkpoint an earlier run left and saves one after each page.
    ///
    /// Cancelling the task abandons the operation: it ends with an `interrupted` record when nothing was sent,
    /// or `unknown_outcome` when a request was on its way. Errors thrown by `emit` (a closed output) are rethrown.
    public func execute(
        _ operation: Operation, line: Int, willSend: (@Sendable () -> Bool)? = nil, journaling: WalkJournaling? = nil,
        emit: (ResultRecord) async throws -> Void
    ) async throws {
        let op = operation.name.rawValue
        func record(_ outcome: Result<JSONValue, ResultRecord.Failure>, _ elapsed: Duration? = nil, text: [UInt8]? = nil) -> ResultRecord {
            ResultRecord(line: line, ref: operation.ref, op: op, outcome: outcome, elapsed: elapsed, resultText: text)
        }
        if client.configuration.apiVersion != nil {
            try await executeRest(operation, line: line, willSend: willSend, journaling: journaling, emit: emit)
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
            var applied: [String] = []
            var willSend = willSend
            switch await run(SingleRequestPlan(request: request, effect: operation.effect), for: operation.name, willSend: &willSend, applied: &applied) {
            case .finish(let result): try await emit(record(.success(result), ContinuousClock.now - started))
            case .fail(let failure): try await emit(record(.failure(failure), ContinuousClock.now - started))
            case .send: break
            }
        case .userPages(let perPage, let tagID, let tagName):
            let pages: UserPageWalk
            do { pages = try UserPageWalk(perPage: perPage, tagID: tagID, tagName: tagName) } catch {
                return try await emit(record(.failure(.init(type: .invalidInput, message: "\(error)"))))
            }
            try await walk(pages, for: operation.name, line: line, willSend: willSend, journaling: journaling) {
                try await emit(record($0.outcome, ContinuousClock.now - started, text: $0.text))
            }
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
            case .flatObject, .metadata, .increments, .object: checked.parameters[key] = [:]
            case .stringArray, .identifierArray: checked.parameters[key] = ["placeholder"]
            case .company: checked.parameters[key] = ["id": 1]
            case .companies: checked.parameters[key] = [["id": 1]]
            case .tagAction: checked.parameters[key] = "tag"
            case .searchQuery: checked.parameters[key] = ["field": "id", "operator": "=", "value": "placeholder"]
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
            return .failure(.init(error, line: 0))
        }
    }

    /// What `--dry-run` shows of a request: method, path, query and body.
    static func describe(_ request: IntercomRequest) -> JSONValue {
        var object: JSONObject = ["method": .string(request.method.rawValue), "path": .string(request.path)]
        if !request.query.isEmpty { object["query"] = .string(request.encodedQuery) }
        if let body = request.body { object["body"] = .object(body) }
        return .object(object)
    }
}
