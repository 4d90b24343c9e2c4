public import IntercomKit

/// One operation to run: its name, its parameters as JSON (python-intercom's keyword arguments), and the
/// caller's reference, echoed back untouched in the result record.
public struct Operation: Sendable, Hashable {
    /// Which call.
    public var name: OperationName
    /// The keyword arguments, by name.
    public var parameters: JSONObject
    /// The caller's `ref`, if any.
    public var ref: JSONValue?
    /// The name its result is remembered under (`as NAME`), for `${NAME.field}` references.
    public var alias: String?

    /// Creates an operation.
    public init(name: OperationName, parameters: JSONObject = [:], ref: JSONValue? = nil, alias: String? = nil) {
        self.name = name
        self.parameters = parameters
        self.ref = ref
        self.alias = alias
    }

    /// The operation as an NDJSON line's object: `{"op": …, …parameters, "ref": …}`.
    public var json: JSONObject {
        var object = parameters
        object["op"] = .string(name.rawValue)
        if let ref { object["ref"] = ref }
        if let alias { object["as"] = .string(alias) }
        return object
    }
}

extension Operation {
    /// The operation's row in ``OperationTable``.
    public var definition: OperationDefinition { name.definition }

    /// What running the operation with these parameters may change.
    public var effect: OperationEffect { definition.effectOf(parameters) }

    /// Whether it answers with one record per item, over pages.
    public var yieldsItems: Bool { definition.yieldsItemsOf(parameters) }

    /// The operation with an event's `created` fixed to `now()` when the input gave none: every attempt, and any
    /// later resubmission of the line, then sends the same event (the server treats events with the same user, name
    /// and `created` as one).
    public func pinningEventTime(now: () -> Int64) -> Operation {
        guard name == .createEvent, parameters["created"]?.isNull ?? true else { return self }
        var pinned = self
        pinned.parameters["created"] = .integer(now())
        return pinned
    }

    /// The line to write to the failures file for this operation's input `raw`, after `failure`: the input as it
    /// was, except for an event whose request may have gone out with a `created` the input did not give. That one
    /// is written as an NDJSON line with its `created`, so that submitting it again cannot record the event twice.
    public func resubmission(of raw: String, after failure: ResultRecord.Failure) -> String {
        guard name == .createEvent, failure.type != .invalidInput, let created = parameters["created"], created.integerValue != nil,
            !Self.input(raw, gives: "created")
        else { return raw }
        var members = json
        members["op"] = nil
        // `op` first, as people write it; the rest in the usual sorted order.
        let rest = JSONValue.object(members).encodedString().dropFirst()
        return #"{"op":"create_event","# + rest
    }

    /// Whether the input line names `key` (in either syntax), judged by the operation it gave.
    private static func input(_ raw: String, gives key: String) -> Bool {
        guard case .success(.operation(let operation)) = LineInterpreter().interpret(raw) else { return false }
        return operation.parameters[key].map { !$0.isNull } ?? false
    }
}
