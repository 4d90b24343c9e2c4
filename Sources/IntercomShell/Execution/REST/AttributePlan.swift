public import IntercomKit

/// With `--create-attributes`, the plan that runs before a create or update on the REST API (2.x): it defines each
/// custom attribute the line sets that the workspace lacks for its model (contact or company; `POST /data_attributes`,
/// the type read off the value: string, integer, float or boolean), after listing the workspace's attributes of that
/// model once per run. An attribute defined meanwhile by another line (`You already have …`) counts as defined.
public struct AttributePlan: OperationPlan {
    let attributes: JSONObject
    let model: String
    var known: Set<String>?
    var missing: [String] = []
    var creating: String?
    /// The attributes the answers showed to exist, with their data types.
    public private(set) var defined: [String: String] = [:]
    /// No contacts here.
    public var learned: [JSONValue] { [] }
    /// No contacts here.
    public var forgotten: [String] { [] }

    /// A plan for the custom attributes `attributes` of `model`; `known` holds the names the run has seen defined,
    /// nil before they were listed.
    public init(_ attributes: JSONObject, known: Set<String>?, model: String = "contact") {
        self.attributes = attributes
        self.known = known
        self.model = model
    }

    /// The first step.
    public mutating func start() -> PlanStep {
        guard let known else { return .send(.listDataAttributes(model: model), retryAs: .read) }
        missing = attributes.keys.sorted().filter { !known.contains($0) }
        return next()
    }

    /// The step after the outcome of the request last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        switch (creating, outcome) {
        case (nil, .success(let response)):
            let listed = AttributeDirectory.types(in: response.body)
            defined.merge(listed) { _, new in new }
            known = Set(listed.keys)
            return start()
        case (let name?, .success):
            defined[name] = DataAttributeType.of(attributes[name] ?? .null)
            return next()
        case (let name?, .failure(let failure)) where failure.message.contains("already have"):
            defined[name] = DataAttributeType.of(attributes[name] ?? .null)
            return next()
        case (_, .failure(let failure)):
            var failure = failure
            if let creating { failure.message = "could not define the custom attribute '\(creating)': " + failure.message }
            return .fail(failure)
        }
    }

    private mutating func next() -> PlanStep {
        guard !missing.isEmpty else { return .finish(.null) }
        let name = missing.removeFirst()
        creating = name
        let dataType = DataAttributeType.of(attributes[name] ?? .null)
        return .send(.createDataAttribute(name: name, dataType: dataType, model: model), retryAs: .idempotentWrite)
    }
}
