import IntercomKit

/// Checks a request against what the description says of its operation (path parameters, then the query, then the
/// JSON body), as the live API checks it: the first problem becomes a 400 `error.list` that names the field. A body
/// that fits several options of a `oneOf` is taken, as the live API takes it.
struct DescribedRequestCheck {
    let description: APIDescription

    /// Throws the refusal for the first way the request breaks `operation`'s description.
    /// - Parameters:
    ///   - path: the value given for each path parameter.
    ///   - query: each query key's values, in order.
    ///   - body: the JSON body, or nil when there is none.
    func check(
        _ operation: APIDescription.Operation, path: [String: String], query: [String: [String]], body: JSONValue?
    ) throws(SandboxError) {
        try checkParameters(operation, path: path, query: query)
        guard let schema = operation.body.flatMap({ try? JSONValue(parsing: $0) }) else { return }
        if let problem = description.schemaCheck.lenient.problems(of: body ?? [:], against: schema, at: "").first {
            throw Self.refusal(problem.problem, field: Self.field(problem.path))
        }
    }

    /// How much of its operation's description a request is held to.
    enum Strictness: Sendable {
        /// Every path and query parameter, as described: an operation the sandbox answers from the description.
        case described
        /// The type and bounds of each scalar query parameter given: a modelled route finds what its path names,
        /// knows which values the live API takes (some of the description's enums are narrower) and words its own
        /// refusals for what is missing.
        case modelled
    }

    /// Throws the refusal for the first parameter that breaks `operation`'s description, as far as `strictness`
    /// goes, path parameters before query parameters as the description lists them. Each value of a repeated scalar
    /// is checked.
    func checkParameters(
        _ operation: APIDescription.Operation, path: [String: String], query: [String: [String]], strictness: Strictness = .described
    ) throws(SandboxError) {
        let check = description.schemaCheck.lenient
        for parameter in description.parameters(of: operation) {
            let schema = parameter.schema["$ref"]?.stringValue.flatMap(check.resolve) ?? parameter.schema
            let scalar = !["array", "object"].contains(schema["type"]?.stringValue ?? "object")
            if strictness == .modelled, parameter.location == .path || !scalar { continue }
            let given: [JSONValue]? =
                switch parameter.location {
                case .path: path[parameter.name].map { [Self.typed([$0], schema: schema)] }
                case .query where scalar: (query[parameter.name] ?? query[parameter.name + "[]"]).map { $0.map { Self.typed([$0], schema: schema) } }
                case .query: Self.value(of: parameter.name, schema: schema, in: query).map { [$0] }
                }
            guard let given else {
                if parameter.required, strictness == .described { throw Self.refusal(.missing(parameter.name), field: "") }
                continue
            }
            for value in given {
                let problems = check.problems(of: value, against: schema, at: parameter.name)
                if let problem = problems.first(where: { if case .notAllowed = $0.problem { strictness == .described } else { true } }) {
                    throw Self.refusal(problem.problem, field: Self.field(problem.path))
                }
            }
        }
    }

    /// The query parameter `name` as the JSON its schema expects: its own key's values (`tags=a&tags=b` or
    /// `tags[]=…`), or, for a form-exploded object (`filter` of `GET /events`), an object of the keys its properties
    /// name; nil when none is given.
    static func value(of name: String, schema: JSONValue, in query: [String: [String]]) -> JSONValue? {
        if schema["type"] == "object" {
            let options = [schema] + (schema["oneOf"]?.arrayValue ?? []) + (schema["anyOf"]?.arrayValue ?? [])
            let names = Set(options.flatMap { ($0["properties"]?.objectValue ?? [:]).keys })
            let members = query.filter { names.contains($0.key) }.compactMapValues { $0.last.map(JSONValue.string) }
            return members.isEmpty ? nil : .object(members)
        }
        return (query[name] ?? query[name + "[]"]).map { typed($0, schema: schema) }
    }

    /// Query or path text as the JSON its schema expects: numbers and booleans parsed where they parse (a boolean as
    /// ``RequestParameters/boolean(_:)`` reads it), arrays item by item, anything else left as a string (which the check then refuses, naming the type it wanted).
    static func typed(_ values: [String], schema: JSONValue) -> JSONValue {
        switch schema["type"]?.stringValue {
        case "array"?: return .array(values.map { typed([$0], schema: schema["items"] ?? [:]) })
        case "integer"?: return values.last.flatMap(Int64.init).map(JSONValue.integer) ?? .string(values.last ?? "")
        case "number"?: return values.last.flatMap(Double.init).map(JSONValue.double) ?? .string(values.last ?? "")
        case "boolean"?: return values.last.flatMap(RequestParameters.boolean).map(JSONValue.bool) ?? .string(values.last ?? "")
        default: return .string(values.last ?? "")
        }
    }

    /// `field` without the checker's leading `.` (`.source.id` → `source.id`; `[0].id` stays).
    static func field(_ path: String) -> String {
        path.hasPrefix(".") ? String(path.dropFirst()) : path
    }

    /// The REST API's refusal for `problem` at `field`, worded as Intercom words it.
    static func refusal(_ problem: JSONSchemaCheck.Violation.Problem, field: String) -> SandboxError {
        let named = field.isEmpty ? "The request body" : field
        switch problem {
        case .missing(let name):
            let missing = field.isEmpty ? name : "\(field).\(name)"
            return SandboxError(status: 400, type: "parameter_not_found", message: "\(missing) is required", field: missing)
        case .wrongType(let expected, _):
            let article = ["array", "integer", "object"].contains(expected) ? "an" : "a"
            return invalid("\(named) must be \(article) \(expected)", field: field)
        case .notAllowed(_, let allowed):
            return invalid("\(named) must be one of: " + allowed.map { $0.stringValue ?? $0.encodedString() }.joined(separator: ", "), field: field)
        case .notNullable: return invalid("\(named) must not be null", field: field)
        case .matchesNone: return invalid("\(named) is not valid", field: field)
        case .outOfBounds(let bound): return invalid("\(named) is out of range (\(bound))", field: field)
        case .notFormatted(let format): return invalid("\(named) must be a valid \(format)", field: field)
        case .unexpected(let name): return invalid("\(field.isEmpty ? name : "\(field).\(name)") is not an accepted parameter", field: field)
        case .unresolvable: return SandboxError(status: 500, type: "server_error", message: "The description of this operation is incomplete")
        }
    }

    private static func invalid(_ message: String, field: String) -> SandboxError {
        SandboxError(status: 400, type: "parameter_invalid", message: message, field: field.isEmpty ? nil : field)
    }
}
