/// What intercom-sh knows of one version of the REST API from Intercom's own description: its paths and methods,
/// their parameters, request schemas and documented responses. `api` checks requests against it, and the sandbox
/// answers the operations it does not model from it. The data is prepared at build time by
/// `scripts/generate-api-description`, so the binary parses no YAML and carries no file beside it.
public struct APIDescription: Sendable {
    /// A query parameter of an operation.
    public struct QueryParameter: Sendable, Hashable {
        /// Its name.
        public let name: String
        /// Whether the operation needs it.
        public let required: Bool

        init(_ name: String, required: Bool) {
            self.name = name
            self.required = required
        }
    }

    /// One documented operation.
    public struct Operation: Sendable {
        /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
        public let method: String
        /// The path template, e.g. `/contacts/{contact_id}`.
        public let path: String
        /// Its `operationId`.
        public let id: String
        /// Its one-line summary.
        public let summary: String
        /// The group (OpenAPI tag) it is listed under.
        public let group: String
        /// Its query parameters.
        public let query: [QueryParameter]
        /// Its request body schema as JSON text, if it takes a body.
        public let body: String?
        /// Whether it is a `POST` that only reads (a search or a list), and so is safe to repeat.
        public let reads: Bool
        /// The template's segments, without the leading `/`.
        public let segments: [String]

        init(
            _ method: String, _ path: String, id: String, summary: String, group: String, query: [QueryParameter], body: String?, reads: Bool
        ) {
            self.method = method
            self.path = path
            self.id = id
            self.summary = summary
            self.group = group
            self.query = query
            self.body = body
            self.reads = reads
            segments = path.split(separator: "/").map(String.init)
        }

        /// The names of its path parameters, in order (`contact_id`).
        public var pathParameters: [String] { segments.compactMap(Self.parameterName) }

        /// The parameter a template segment stands for (`{id}` → `id`), or nil for a literal segment.
        public static func parameterName(_ segment: String) -> String? {
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 else { return nil }
            return String(segment.dropFirst().dropLast())
        }
    }

    /// What a method and path are, by the description.
    public enum Match: Sendable {
        /// A documented operation, with the value given for each path parameter.
        case operation(Operation, parameters: [String: String])
        /// No documented path has these segments; the nearest documented paths.
        case unknownPath(nearest: [String])
        /// The path is documented, but not with this method; the methods it has.
        case methodNotAllowed(path: String, allowed: [String])
    }

    /// The API version described (`2.16`).
    public let version: String
    /// Every documented operation.
    public let operations: [Operation]
    /// The component schemas the request and response schemas refer to, as JSON text.
    let components: String
    /// Each operation's parameters and responses, by `METHOD path`, as JSON text.
    let details: String

    /// The description `api` checks requests against: the one the binary carries (2.16), whatever the
    /// `Intercom-Version` in use.
    public static var current: APIDescription { intercom216 }

    /// Every documented path template, sorted.
    public var paths: [String] { Array(Set(operations.map(\.path))).sorted() }

    /// The operations at path template `path`.
    public func operations(at path: String) -> [Operation] { operations.filter { $0.path == path } }

    /// The templates concrete path `segments` fits, most literal first (`/contacts/abc` → `/contacts/{contact_id}`).
    public func templates(matching segments: [String]) -> [String] {
        var fitting: [String: Int] = [:]
        for operation in operations where Self.fits(segments, operation.segments) { fitting[operation.path] = Self.literalCount(operation.segments) }
        return fitting.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }

    /// The operation `method segments` asks for: among the templates with as many segments, those whose literal
    /// segments all match, the one with the most literal segments. An unknown path comes with the nearest documented
    /// paths unless `suggestingNearest` is false (they cost an edit distance to every path).
    public func match(method: String, segments: [String], suggestingNearest: Bool = true) -> Match {
        let candidates = operations.filter { Self.fits(segments, $0.segments) }
        guard let best = candidates.map({ Self.literalCount($0.segments) }).max() else {
            return .unknownPath(nearest: suggestingNearest ? nearestPaths(to: segments) : [])
        }
        let sameTemplate = candidates.filter { Self.literalCount($0.segments) == best }
        guard let found = sameTemplate.first(where: { $0.method == method }) else {
            return .methodNotAllowed(path: sameTemplate[0].path, allowed: sameTemplate.map(\.method))
        }
        var parameters: [String: String] = [:]
        for (segment, template) in zip(segments, found.segments) {
            if let name = Operation.parameterName(template) { parameters[name] = segment }
        }
        return .operation(found, parameters: parameters)
    }

    /// The ways `body` breaks the request schema of `operation`; empty when it conforms or none is documented. A body
    /// that fits several options of a `oneOf` conforms (``JSONSchemaCheck/lenient``).
    public func bodyViolations(_ body: JSONValue, of operation: Operation) -> [String] {
        guard let text = operation.body, let schema = try? JSONValue(parsing: text) else { return [] }
        return schemaCheck.lenient.violations(of: body, against: schema, at: "body")
    }

    /// Whether the request schema of `operation` makes the body field at `keys` (`["company_id"]`) a string, so that
    /// a command-language word for it stays text (`company_id=6` sends `"6"`).
    public func bodyFieldIsString(_ keys: [String], of operation: Operation) -> Bool {
        guard let text = operation.body, var node = try? JSONValue(parsing: text) else { return false }
        let resolved = resolver()
        for key in keys {
            let current = resolved(node)
            let parts = [current] + ["allOf", "oneOf", "anyOf"].flatMap { (current[$0]?.arrayValue ?? []).map(resolved) }
            guard let next = parts.lazy.compactMap({ $0["properties"]?[key] }).first else { return false }
            node = next
        }
        return resolved(node)["type"]?.stringValue == "string"
    }

    /// The top-level fields of `operation`'s request body (required ones marked `*`), or nil when it takes none.
    public func bodyFields(of operation: Operation) -> String? {
        guard let text = operation.body, let schema = try? JSONValue(parsing: text) else { return nil }
        let resolved = resolver()
        func fields(of node: JSONValue) -> [String] {
            let parts = [node] + (node["allOf"]?.arrayValue ?? []).map(resolved)
            var names: [String] = []
            for part in parts {
                let required = Set(part["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                for name in (part["properties"]?.objectValue ?? [:]).keys.sorted() where !names.contains(name) && !names.contains(name + "*") {
                    names.append(required.contains(name) ? name + "*" : name)
                }
            }
            return names
        }
        let root = resolved(schema)
        let options = (root["oneOf"]?.arrayValue ?? root["anyOf"]?.arrayValue ?? []).map(resolved)
        if !options.isEmpty {
            return "one of: " + options.map { "(" + fields(of: $0).joined(separator: ", ") + ")" }.joined(separator: " | ")
        }
        let found = fields(of: root)
        return found.isEmpty ? "a JSON object" : found.joined(separator: ", ")
    }

    /// The component schemas, by name (2.16's parsed once, on first use).
    var componentSchemas: JSONObject {
        version == Self.intercom216.version ? Self.intercom216Components : Self.parse(components)
    }

    /// Follows a top-level `$ref` to the component schema it names; any other node is itself.
    private func resolver() -> (JSONValue) -> JSONValue {
        let components = componentSchemas
        return { node in
            guard let reference = node["$ref"]?.stringValue else { return node }
            return components[String(reference.split(separator: "/").last ?? "")] ?? node
        }
    }

    /// 2.16's component schemas, parsed once, on first use.
    private static let intercom216Components = parse(intercom216.components)
    /// 2.16's operation details, parsed once, on first use.
    static let intercom216Details = parse(intercom216.details)

    static func parse(_ text: String) -> JSONObject { (try? JSONValue(parsing: text))?.objectValue ?? [:] }

    private static func fits(_ segments: [String], _ template: [String]) -> Bool {
        segments.count == template.count && zip(segments, template).allSatisfy { given, part in Operation.parameterName(part) != nil || given == part }
    }

    private static func literalCount(_ template: [String]) -> Int { template.filter { Operation.parameterName($0) == nil }.count }

    /// The three documented paths nearest to `segments`, by edit distance once identifiers are set aside.
    public func nearestPaths(to segments: [String]) -> [String] {
        // Long enough to tell the documented paths apart (the longest is under 100 bytes), short enough to stay cheap.
        let given = String(("/" + segments.map { Self.looksLikeIdentifier($0) ? "{}" : $0 }.joined(separator: "/")).prefix(200))
        let scored = paths.map { path -> (String, Int) in
            let shape = "/" + path.split(separator: "/").map { Operation.parameterName(String($0)) == nil ? String($0) : "{}" }.joined(separator: "/")
            return (path, NearestWord.distance(given, shape))
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    private static func looksLikeIdentifier(_ segment: String) -> Bool {
        segment.contains { $0.isNumber } || segment.hasPrefix("{") || segment.contains("@")
    }
}
