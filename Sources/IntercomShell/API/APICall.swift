import Foundation
public import IntercomKit

/// One `api` line made into a request and checked against Intercom's description: the request to send, its effect
/// (from its method, or the description's word that a `POST` only reads), and what the description would change.
public struct APICall: Sendable {
    /// The request, path parameters filled in and every segment encoded.
    public let request: IntercomRequest
    /// The documented operation it is.
    public let documented: APIDescription.Operation
    /// What sending it may change.
    public let effect: OperationEffect
    /// Walk every page of the answer, one record per item.
    public let all: Bool
    /// Where the request differs from the description (a body that breaks the schema, an undocumented or missing
    /// query parameter): warned about, never blocking.
    public let warnings: [String]

    /// The longest path taken: the API's longest is under 100 bytes, and checking a longer one costs time.
    public static let maximumPathLength = 2_000

    /// The methods `api` sends.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Builds the call of an `api` line from its checked parameters: `method`, `path` (which may hold `{name}`
    /// placeholders filled from a `name` key of the query or body, and a `?query`), `query`, `body` and `all`.
    /// - Throws: ``ResultRecord/Failure`` (`invalid_input`) for an unknown method or path, a method the path does not
    ///   have, a missing path parameter, a body on a `GET`, or `all` on a write.
    public init(method: String?, path: String?, query: JSONObject?, body: JSONObject?, all: Bool, description: APIDescription) throws(ResultRecord.Failure) {
        guard let method = method?.uppercased(), Self.methods.contains(method) else {
            throw .invalidInput("api needs a method: " + Self.methods.joined(separator: ", ") + (method.map { ", not '\($0)'" } ?? ""))
        }
        guard let path, !path.isEmpty else { throw .invalidInput("api needs a path, e.g. api GET /contacts") }
        guard path.utf8.count <= Self.maximumPathLength else {
            throw .invalidInput("a path of \(path.utf8.count) bytes is longer than any the API has (at most \(Self.maximumPathLength))")
        }
        var query = query ?? [:]
        var body = body
        let (rawSegments, pathQuery) = try Self.split(path)
        for (name, value) in pathQuery {
            guard query[name] == nil else { throw .invalidInput("query parameter \(name) is given twice") }
            query[name] = .string(value)
        }
        let bodyGiven = body != nil
        let segments = try Self.filling(rawSegments, from: &query, body: &body)
        if bodyGiven, body?.isEmpty == true, method == "GET" || method == "DELETE" { body = nil }
        let documented: APIDescription.Operation
        switch description.match(method: method, segments: segments) {
        case .unknownPath where path.contains("${"):
            throw .invalidInput("the path holds a reference only a real run knows (\(Self.shown(segments))); --dry-run cannot check it")
        case .unknownPath(let nearest):
            throw .invalidInput(
                "\(Self.shown(segments)) is not a path of the REST API \(description.version); nearest: \(nearest.joined(separator: ", ")) (help api lists them)")
        case .methodNotAllowed(let template, let allowed):
            throw .invalidInput("\(template) has no \(method); it takes \(allowed.joined(separator: ", "))")
        case .operation(let found, _):
            documented = found
        }
        if method == "GET", body != nil {
            throw .invalidInput("a GET takes no body; its key=value words and query={…} go to the query string")
        }
        let request = IntercomRequest(
            method: IntercomRequest.Method(rawValue: method) ?? .post, path: segments.map(IntercomRequest.pathSegment).joined(separator: "/"),
            query: try Self.queryItems(query), body: body)
        if let reason = request.unsendableReason { throw .invalidInput(reason) }
        let effect = Self.effect(method: method, reads: documented.reads)
        if all, effect != .read { throw .invalidInput("all walks the pages of a read; \(method) \(documented.path) writes") }
        self.request = request
        self.documented = documented
        self.effect = effect
        self.all = all
        self.warnings = Self.warnings(query: query, body: body, documented: documented, description: description)
    }

    /// The effect of `method`: a `GET`, or a `POST` the description says only reads, reads; `PUT` and `DELETE` are
    /// idempotent; any other `POST`, and `PATCH`, write.
    static func effect(method: String, reads: Bool) -> OperationEffect {
        switch method {
        case "GET": .read
        case "POST": reads ? .read : .write
        case "PUT", "DELETE": .idempotentWrite
        default: .write
        }
    }

    /// The effect of an `api` line's parameters, before any check: unknown ones count as a write.
    static func effect(of parameters: JSONObject) -> OperationEffect {
        guard let method = parameters["method"]?.stringValue?.uppercased() else { return .write }
        guard method == "POST", let path = parameters["path"]?.stringValue else { return effect(method: method, reads: false) }
        return effect(method: method, reads: documented(method: method, path: path)?.reads ?? false)
    }

    /// The documented operation `method path` is, if the path is documented with that method.
    static func documented(method: String, path: String) -> APIDescription.Operation? {
        guard let (segments, _) = try? split(path) else { return nil }
        if case .operation(let found, _) = APIDescription.current.match(method: method.uppercased(), segments: segments) { return found }
        return nil
    }

    /// The decoded segments of `path` (a leading `/` and one trailing `/` dropped) and the items of its `?query`.
    static func split(_ path: String) throws(ResultRecord.Failure) -> ([String], [(String, String)]) {
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var route = Substring(parts[0])
        if route.hasPrefix("/") { route = route.dropFirst() }
        if route.hasSuffix("/") { route = route.dropLast() }
        let segments = route.split(separator: "/", omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
        let items = parts.count > 1 ? URLComponents(string: "?" + parts[1])?.queryItems ?? [] : []
        return (segments, items.map { ($0.name, $0.value ?? "") })
    }

    /// `segments` with each `{name}` placeholder replaced by the `name` key of the query or body (taken out of it).
    static func filling(_ segments: [String], from query: inout JSONObject, body: inout JSONObject?) throws(ResultRecord.Failure) -> [String] {
        var filled: [String] = []
        for segment in segments {
            guard let name = APIDescription.Operation.parameterName(segment) else {
                filled.append(segment)
                continue
            }
            let value = query.removeValue(forKey: name) ?? body?.removeValue(forKey: name)
            guard let value, !value.isNull else {
                throw .invalidInput("path parameter \(name) is missing: put its value in the path, or give \(name)=…")
            }
            guard let text = Self.text(value) else {
                throw .invalidInput("path parameter \(name) must be text or a number, not \(value.typeDescription)")
            }
            filled.append(text)
        }
        return filled
    }

    /// The query as name–value pairs, sorted by name: arrays repeat the name, an object gives its members (form
    /// style, as `GET /events` takes `filter`), null leaves the parameter out.
    /// - Throws: ``ResultRecord/Failure`` (`invalid_input`) for an empty name, or a value a query cannot carry
    ///   (an array or object inside an array, an object inside an object).
    static func queryItems(_ query: JSONObject, inObject: Bool = false) throws(ResultRecord.Failure) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for (name, value) in query.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty else { throw .invalidInput("a query parameter needs a name") }
            switch value {
            case .null: continue
            case .array(let values):
                for item in values {
                    guard let text = Self.text(item) else { throw .invalidInput("query parameter \(name) holds \(item.typeDescription) in its array; a query takes text, numbers and booleans") }
                    items.append((name, text))
                }
            case .object(let members) where !inObject: items += try queryItems(members, inObject: true)
            case .object: throw .invalidInput("query parameter \(name) nests an object in an object; a query takes one level")
            default: if let text = Self.text(value) { items.append((name, text)) }
            }
        }
        return items
    }

    /// A scalar as query or path text.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .double, .bigInteger: value.encodedString()
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    private static func warnings(query: JSONObject, body: JSONObject?, documented: APIDescription.Operation, description: APIDescription) -> [String] {
        var warnings: [String] = []
        // Every list takes the paging parameters, documented or not (the 2.16 description leaves some out).
        let known = Set(documented.query.map(\.name) + (documented.method == "GET" ? ["per_page", "starting_after", "page"] : []))
        for name in query.keys.sorted() where !known.contains(name) {
            warnings.append("query parameter \(name) is not documented for \(documented.method) \(documented.path)")
        }
        for parameter in documented.query where parameter.required && query[parameter.name] == nil {
            warnings.append("query parameter \(parameter.name) is required by the description")
        }
        if documented.body != nil {
            warnings += description.bodyViolations(.object(body ?? [:]), of: documented)
        } else if body != nil {
            warnings.append("\(documented.method) \(documented.path) documents no body")
        }
        return warnings
    }

    private static func shown(_ segments: [String]) -> String { "/" + segments.joined(separator: "/") }
}
