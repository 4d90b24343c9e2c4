import IntercomKit

/// The answer the sandbox gives a valid request for an operation it does not model: the operation's first documented
/// success (2xx, else 3xx; an operation that documents none gets its first documented refusal other than 401 and 403,
/// as there is nothing to find, in a body of its own), with the description's example of it when that conforms to its schema, else a value
/// built from the schema (``JSONSchemaExample``); then each path parameter's value is echoed into the top-level member of
/// the same name, and the last one into `id`, where the type allows and the answer still conforms.
struct DescribedAnswer: Sendable {
    /// The status.
    let status: Int
    /// The media type, or nil for no body.
    let contentType: String?
    /// The body.
    let body: JSONValue?
    /// The `Location` of a redirect.
    let location: String?

    /// The answer to `operation` called with path parameter values `path`, in the template's order.
    static func make(_ operation: APIDescription.Operation, path: [(name: String, value: String)], description: APIDescription) -> DescribedAnswer {
        let responses = description.responses(of: operation)
        guard let success = chosen(responses) else { return DescribedAnswer(status: 200, contentType: nil, body: nil, location: nil) }
        if success.status >= 400 {
            let code = success.status == 404 ? "not_found" : "parameter_invalid"
            let refusal = SandboxError(status: success.status, type: code, message: success.status == 404 ? "Resource Not Found" : "The request cannot be carried out")
            return DescribedAnswer(status: success.status, contentType: "application/json", body: refusal.restBody, location: nil)
        }
        let location = success.redirects ? "https://example.com/\(operation.id)" : nil
        guard let contentType = success.contentType else { return DescribedAnswer(status: success.status, contentType: nil, body: nil, location: location) }
        guard contentType.hasSuffix("json"), let schema = success.schema else {
            return DescribedAnswer(status: success.status, contentType: contentType, body: .string(success.example?.stringValue ?? "example"), location: location)
        }
        let check = description.schemaCheck
        var body = example(success, check: check) ?? JSONSchemaExample(check: check).value(for: schema) ?? [:]
        let echoed = echo(path, into: body)
        if check.problems(of: echoed, against: schema).isEmpty { body = echoed }
        return DescribedAnswer(status: success.status, contentType: contentType, body: body, location: location)
    }

    /// The documented answer a valid request gets: the first 2xx, else the first 3xx, else the first 4xx or 5xx other
    /// than 401 and 403.
    static func chosen(_ responses: [APIDescription.Response]) -> APIDescription.Response? {
        responses.first { (200..<300).contains($0.status) } ?? responses.first { (300..<400).contains($0.status) }
            ?? responses.first { ![401, 403].contains($0.status) }
    }

    /// The documented example of `response`, if it conforms to the response's schema.
    private static func example(_ response: APIDescription.Response, check: JSONSchemaCheck) -> JSONValue? {
        guard let example = response.example, let schema = response.schema, check.problems(of: example, against: schema).isEmpty else { return nil }
        return example
    }

    /// `body` with each path value in the top-level member of its parameter's name, and the last in `id`, as the
    /// member's type (a number stays a number when the value is one).
    static func echo(_ path: [(name: String, value: String)], into body: JSONValue) -> JSONValue {
        guard case .object(var object) = body else { return body }
        var targets = path.map { ($0.name, $0.value) }
        if let last = path.last { targets.append(("id", last.value)) }
        for (name, value) in targets {
            switch object[name] {
            case .string?: object[name] = .string(value)
            case .integer?: if let number = Int64(value) { object[name] = .integer(number) }
            default: break
            }
        }
        return .object(object)
    }
}
