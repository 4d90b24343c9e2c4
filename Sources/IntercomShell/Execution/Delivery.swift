import Foundation
public import IntercomKit

/// How requests reach the API: pacing, retries as the retry policy allows, the adaptive concurrency told of every
/// answer, statistics, and the run's stop request. Plans and walks decide what to send; this sends it.
public struct Delivery: Sendable {
    /// The client requests go through.
    public let client: IntercomClient
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

    /// Delivery through `client`.
    public init(client: IntercomClient, retryPolicy: RetryPolicy, pacing: RequestPacing?) {
        self.client = client
        self.retryPolicy = retryPolicy
        self.pacing = pacing
    }

    /// Sends `request` (counted under `operation`) once, or more often as the retry policy allows a request with
    /// `effect`, pacing each attempt; the same request (an event's `created` included) goes out every time.
    /// Cancellation ends it: `interrupted` while it waits (nothing is on its way), `unknown_outcome` while a request is.
    /// With `deferringBody`, a success's body is left unparsed (``IntercomClient/send(_:deferringBody:)``).
    func deliver(
        _ request: IntercomRequest, operation: OperationName, effect: OperationEffect, willSend: (@Sendable () -> Bool)? = nil,
        deferringBody: Bool = false
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
                let response = try await client.send(request, deferringBody: deferringBody)
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
