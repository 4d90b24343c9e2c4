public import IntercomKit

/// One request whose answer, as the server sent it, is the result: a v1 call, or an `api` line.
public struct SingleRequestPlan: OperationPlan {
    /// The request.
    public let request: IntercomRequest
    /// What sending it may change, for its retries.
    public let effect: OperationEffect

    /// Sends the request.
    public func start() -> PlanStep { .send(request, retryAs: effect) }

    /// The answer's body (null when it had none), or the failure.
    public func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        switch outcome {
        case .success(let response): .finish(response.body ?? .null)
        case .failure(let failure): .fail(failure)
        }
    }

    /// Nothing to remember.
    public var learned: [JSONValue] { [] }
    /// Nothing to forget.
    public var forgotten: [String] { [] }
    /// One request, whatever it answers.
    public var isSingleRequest: Bool { true }
}
