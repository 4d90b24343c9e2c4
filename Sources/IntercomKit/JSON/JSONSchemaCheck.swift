/// Checks JSON against an OpenAPI 3.0 schema: types, `nullable`, `required`, `enum`, `items`, `properties`,
/// `allOf`, `oneOf`/`anyOf` and `$ref`. Undeclared properties are allowed, as Intercom's description does not
/// forbid them.
public struct JSONSchemaCheck: Sendable {
    /// Finds the schema a `$ref` (`#/components/schemas/contact`) names.
    public let resolve: @Sendable (String) -> JSONValue?

    /// A check whose references `resolve` finds.
    public init(resolve: @escaping @Sendable (String) -> JSONValue?) {
        self.resolve = resolve
    }

    /// The ways `value` breaks `schema`, as `path: problem` lines; empty when it conforms.
    public func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        if let reference = schema["$ref"]?.stringValue {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return violations(of: value, against: resolved, at: path)
        }
        if value.isNull { return schema["nullable"] == true || schema["type"] == nil ? [] : ["\(path): null, but not nullable"] }
        var problems: [String] = []
        for member in schema["allOf"]?.arrayValue ?? [] { problems += violations(of: value, against: member, at: path) }
        for key in ["oneOf", "anyOf"] {
            guard let options = schema[key]?.arrayValue else { continue }
            if !options.contains(where: { violations(of: value, against: $0, at: path).isEmpty }) {
                problems.append("\(path): matches none of \(key)")
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) { problems.append("\(path): \(value) is not one of \(allowed)") }
        if let type = schema["type"]?.stringValue, !Self.has(value, type: type) {
            return problems + ["\(path): \(value.typeDescription), expected \(type)"]
        }
        if case .object(let object) = value {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                problems.append("\(path): lacks required \(name)")
            }
            for (name, property) in schema["properties"]?.objectValue ?? [:] {
                if let member = object[name] { problems += violations(of: member, against: property, at: "\(path).\(name)") }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { problems += violations(of: item, against: itemSchema, at: "\(path)[\(index)]") }
        }
        return problems
    }

    private static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer): true
        case ("number", .integer), ("number", .double): true
        default: false
        }
    }
}
