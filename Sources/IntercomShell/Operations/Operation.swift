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
