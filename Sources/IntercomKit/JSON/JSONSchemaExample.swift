/// Builds a value that conforms to an OpenAPI schema, where the description gives no example (the sandbox's answers,
/// the conformance test's requests). A schema's own
/// `example` is used when it conforms; otherwise the first `enum` value, the first `oneOf`/`anyOf` option that builds a
/// conforming value, the merge of `allOf`, or a plain value of the schema's type: objects with every property, arrays
/// of one item. Below ``fullDepth`` objects get only their required properties and arrays are empty, and a `$ref`
/// already being built is not entered again, so recursive schemas end.
public struct JSONSchemaExample: Sendable {
    /// Checks values, and resolves the `$ref`s of the schemas built from.
    public let check: JSONSchemaCheck
    /// How deep objects get all their properties and arrays an item.
    public static let fullDepth = 5

    /// A builder whose values `check` checks and whose `$ref`s it resolves.
    public init(check: JSONSchemaCheck) {
        self.check = check
    }

    /// A value for `schema`; nil when none can be built without entering a `$ref` again.
    public func value(for schema: JSONValue, depth: Int = 0, building: Set<String> = []) -> JSONValue? {
        if let reference = schema["$ref"]?.stringValue {
            guard !building.contains(reference), let target = check.resolve(reference) else { return nil }
            return value(for: target, depth: depth, building: building.union([reference]))
        }
        if let example = schema["example"], check.problems(of: example, against: schema).isEmpty { return example }
        if let first = schema["enum"]?.arrayValue?.first(where: { !$0.isNull }) { return first }
        if let key = ["oneOf", "anyOf"].first(where: { schema[$0] != nil }) { return option(of: schema, key: key, depth: depth, building: building) }
        if let parts = schema["allOf"]?.arrayValue { return merged(parts, besides: schema, depth: depth, building: building) }
        switch schema["type"]?.stringValue {
        case "object"?: return object(schema, depth: depth, building: building)
        case "array"?:
            guard depth < Self.fullDepth, let items = schema["items"], let item = value(for: items, depth: depth + 1, building: building) else { return [] }
            return [item]
        case "string"?: return .string(Self.text(format: schema["format"]?.stringValue))
        case "integer"?: return .integer(Self.integer(schema))
        case "number"?: return .double(schema["minimum"]?.doubleValue.map { max($0, 1.5) } ?? 1.5)
        case "boolean"?: return true
        default: return schema["properties"] == nil ? (schema["nullable"] == true ? .null : "example") : object(schema, depth: depth, building: building)
        }
    }

    /// The first option of `schema[key]` that builds, joined with the rest of `schema` (an option may only add
    /// `required`), to a value that conforms to the whole.
    private func option(of schema: JSONValue, key: String, depth: Int, building: Set<String>) -> JSONValue? {
        var base = schema.objectValue ?? [:]
        base[key] = nil
        let hasBase = !base.keys.allSatisfy { ["nullable", "example"].contains($0) }
        return (schema[key]?.arrayValue ?? []).lazy.compactMap { option in
            self.value(for: hasBase ? ["allOf": [.object(base), option]] : option, depth: depth, building: building)
        }.first { check.problems(of: $0, against: schema).isEmpty }
    }

    private func object(_ schema: JSONValue, depth: Int, building: Set<String>) -> JSONValue? {
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var object: JSONObject = [:]
        for (name, property) in schema["properties"]?.objectValue ?? [:] where depth < Self.fullDepth || required.contains(name) {
            if let member = value(for: property, depth: depth + 1, building: building) {
                object[name] = member
            } else if required.contains(name) {
                object[name] = .null
            }
        }
        return .object(object)
    }

    private func merged(_ parts: [JSONValue], besides schema: JSONValue, depth: Int, building: Set<String>) -> JSONValue? {
        var object: JSONObject = [:]
        var own = schema.objectValue ?? [:]
        own["allOf"] = nil
        for part in parts + [.object(own)] where !Self.onlyConstrains(part) {
            guard let built = value(for: part, depth: depth, building: building) else { continue }
            guard case .object(let members) = built else { return built }
            object.merge(members) { first, _ in first }
        }
        return .object(object)
    }

    /// Whether `schema` only constrains a value (`{"required":["id"]}`) and describes none to build.
    private static func onlyConstrains(_ schema: JSONValue) -> Bool {
        let describing: Set<String> = ["type", "properties", "$ref", "allOf", "oneOf", "anyOf", "enum", "items", "example"]
        return (schema.objectValue ?? [:]).keys.allSatisfy { !describing.contains($0) }
    }

    private static func text(format: String?) -> String {
        switch format {
        case "date-time"?: "2024-06-01T12:00:00Z"
        case "date"?: "2024-06-01"
        case "uri"?, "url"?: "https://example.com/"
        case "email"?: "someone@example.com"
        case "uuid"?: "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        default: "example"
        }
    }

    private static func integer(_ schema: JSONValue) -> Int64 {
        if ["date-time", "timestamp"].contains(schema["format"]?.stringValue ?? "") { return 1_717_243_200 }
        let minimum = schema["minimum"]?.doubleValue.map { Int64($0.rounded(.up)) } ?? 1
        return max(minimum, 1)
    }
}
