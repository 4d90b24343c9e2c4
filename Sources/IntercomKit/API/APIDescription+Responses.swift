extension APIDescription {
    /// A path or query parameter of an operation.
    public struct Parameter: Sendable {
        /// Where a parameter is given.
        public enum Location: String, Sendable {
            /// A segment of the path (`{contact_id}`).
            case path
            /// The query string.
            case query
        }

        /// Its name.
        public let name: String
        /// Where it is given.
        public let location: Location
        /// Whether the operation needs it.
        public let required: Bool
        /// Its schema (`{"type":"integer"}`).
        public let schema: JSONValue
    }

    /// One documented answer of an operation.
    public struct Response: Sendable {
        /// Its status code.
        public let status: Int
        /// Its media type (`application/json`), or nil when it has no body.
        public let contentType: String?
        /// The schema of its body.
        public let schema: JSONValue?
        /// The description's first example of its body.
        public let example: JSONValue?
        /// Whether it names a `Location` (a redirect).
        public let redirects: Bool
    }

    /// The path and query parameters of `operation`, in the description's order.
    public func parameters(of operation: Operation) -> [Parameter] {
        (detail(of: operation)["parameters"]?.arrayValue ?? []).compactMap { node in
            guard let name = node["name"]?.stringValue, let location = node["in"]?.stringValue.flatMap(Parameter.Location.init) else { return nil }
            return Parameter(name: name, location: location, required: node["required"] == true, schema: node["schema"] ?? [:])
        }
    }

    /// The documented answers of `operation`, by ascending status.
    public func responses(of operation: Operation) -> [Response] {
        let documented = detail(of: operation)["responses"]?.objectValue ?? [:]
        return documented.compactMap { status, node in
            Int(status).map {
                Response(
                    status: $0, contentType: node["content_type"]?.stringValue, schema: node["schema"], example: node["example"],
                    redirects: node["location"] == true)
            }
        }.sorted { $0.status < $1.status }
    }

    /// The component schema named `name` (`contact`).
    public func schema(named name: String) -> JSONValue? { componentSchemas[name] }

    /// A schema check whose `$ref`s resolve to this description's component schemas.
    public var schemaCheck: JSONSchemaCheck {
        let components = componentSchemas
        return JSONSchemaCheck { reference in
            guard reference.hasPrefix("#/components/schemas/") else { return nil }
            return components[String(reference.dropFirst("#/components/schemas/".count))]
        }
    }

    private func detail(of operation: Operation) -> JSONValue {
        let details = version == Self.intercom216.version ? Self.intercom216Details : Self.parse(self.details)
        return details["\(operation.method) \(operation.path)"] ?? [:]
    }
}
