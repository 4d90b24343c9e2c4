/// Checks JSON against an OpenAPI 3.0 schema: types (and 3.1's `"null"`), `nullable`, `required`, `enum`, `items`,
/// `properties`, `additionalProperties`, `allOf`, `oneOf` (exactly one, or at least one when ``lenientOneOf``), `anyOf`,
/// `minimum`/`maximum`,
/// `minLength`/`maxLength`, `minItems`/`maxItems`, the string formats `date-time`, `date`, `uri`, `email` and `uuid`,
/// and `$ref`. Undeclared properties are allowed unless `additionalProperties` says otherwise, as Intercom's
/// description does not forbid them.
public struct JSONSchemaCheck: Sendable {
    /// One way a value breaks a schema.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public enum Problem: Sendable, Hashable {
            /// An object lacks the required property named.
            case missing(String)
            /// The value has another type than the one expected.
            case wrongType(expected: String, found: String)
            /// The value is not one of those allowed.
            case notAllowed(JSONValue, allowed: [JSONValue])
            /// The value is null where the schema does not allow it.
            case notNullable
            /// The value matches none (or, for `oneOf`, more than one) of the options of the keyword named.
            case matchesNone(String)
            /// The value is outside a bound (`minimum 1`, `maxItems 10`).
            case outOfBounds(String)
            /// A string is not of the format named (`uri`).
            case notFormatted(String)
            /// An object has a property its schema forbids.
            case unexpected(String)
            /// A `$ref` names nothing.
            case unresolvable(String)
        }

        /// Where, as `$.a.b[0]` (or from whatever root was given).
        public let path: String
        /// What is wrong there.
        public let problem: Problem

        /// `path: problem`.
        public var description: String {
            switch problem {
            case .missing(let name): "\(path): lacks required \(name)"
            case .wrongType(let expected, let found): "\(path): \(found), expected \(expected)"
            case .notAllowed(let value, let allowed): "\(path): \(value) is not one of \(allowed)"
            case .notNullable: "\(path): null, but not nullable"
            case .matchesNone(let keyword): "\(path): matches none of \(keyword)"
            case .outOfBounds(let bound): "\(path): out of bounds (\(bound))"
            case .notFormatted(let format): "\(path): not a \(format)"
            case .unexpected(let name): "\(path): has \(name), which is not allowed"
            case .unresolvable(let reference): "\(path): unresolvable \(reference)"
            }
        }
    }

    /// Finds the schema a `$ref` (`#/components/schemas/contact`) names.
    public let resolve: @Sendable (String) -> JSONValue?
    /// Whether a value may match several options of a `oneOf`, as `anyOf`. Requests are checked so: Intercom's
    /// description has `oneOf`s whose options overlap (`POST /tags`), and the live API takes what fits any of them.
    public var lenientOneOf = false

    /// A check whose references `resolve` finds.
    public init(resolve: @escaping @Sendable (String) -> JSONValue?) {
        self.resolve = resolve
    }

    /// This check, with `oneOf` read as `anyOf` (``lenientOneOf``).
    public var lenient: JSONSchemaCheck {
        var check = self
        check.lenientOneOf = true
        return check
    }

    /// The ways `value` breaks `schema`, as `path: problem` lines; empty when it conforms.
    public func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        problems(of: value, against: schema, at: path).map(\.description)
    }

    /// The ways `value` breaks `schema`; empty when it conforms.
    public func problems(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [Violation] {
        if let reference = schema["$ref"]?.stringValue {
            guard let resolved = resolve(reference) else { return [Violation(path: path, problem: .unresolvable(reference))] }
            return problems(of: value, against: resolved, at: path)
        }
        if value.isNull {
            let allowed = schema["nullable"] == true || schema["type"] == nil || schema["type"] == "null"
            return allowed ? combinationProblems(of: value, against: schema, at: path) : [Violation(path: path, problem: .notNullable)]
        }
        var found = combinationProblems(of: value, against: schema, at: path)
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            found.append(Violation(path: path, problem: .notAllowed(value, allowed: allowed)))
        }
        if let type = schema["type"]?.stringValue, !Self.has(value, type: type) {
            return found + [Violation(path: path, problem: .wrongType(expected: type, found: value.typeDescription))]
        }
        found += boundProblems(of: value, against: schema, at: path)
        if case .string(let text) = value, let format = schema["format"]?.stringValue, !StringFormat.conforms(text, to: format) {
            found.append(Violation(path: path, problem: .notFormatted(format)))
        }
        switch value {
        case .object(let object): found += objectProblems(of: object, against: schema, at: path)
        case .array(let items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { found += problems(of: item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        default: break
        }
        return found
    }

    private func combinationProblems(of value: JSONValue, against schema: JSONValue, at path: String) -> [Violation] {
        var found: [Violation] = []
        for member in schema["allOf"]?.arrayValue ?? [] { found += problems(of: value, against: member, at: path) }
        if let options = schema["anyOf"]?.arrayValue, !options.contains(where: { problems(of: value, against: $0, at: path).isEmpty }) {
            found.append(Violation(path: path, problem: .matchesNone("anyOf")))
        }
        if let options = schema["oneOf"]?.arrayValue,
            case let matching = options.count(where: { problems(of: value, against: $0, at: path).isEmpty }), matching == 0 || (matching > 1 && !lenientOneOf)
        {
            found.append(Violation(path: path, problem: .matchesNone("oneOf")))
        }
        return found
    }

    private func objectProblems(of object: JSONObject, against schema: JSONValue, at path: String) -> [Violation] {
        var found: [Violation] = []
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            found.append(Violation(path: path, problem: .missing(name)))
        }
        let properties = schema["properties"]?.objectValue ?? [:]
        for (name, property) in properties {
            if let member = object[name] { found += problems(of: member, against: property, at: "\(path).\(name)") }
        }
        switch schema["additionalProperties"] {
        case false?:
            for name in object.keys.sorted() where properties[name] == nil { found.append(Violation(path: path, problem: .unexpected(name))) }
        case .object(let additional)?:
            for (name, member) in object.sorted(by: { $0.key < $1.key }) where properties[name] == nil {
                found += problems(of: member, against: .object(additional), at: "\(path).\(name)")
            }
        default: break
        }
        return found
    }

    private func boundProblems(of value: JSONValue, against schema: JSONValue, at path: String) -> [Violation] {
        let measured: (Double, String, String)? =
            switch value {
            case .integer, .double, .bigInteger: value.doubleValue.map { ($0, "minimum", "maximum") }
            case .string(let text): (Double(text.count), "minLength", "maxLength")
            case .array(let items): (Double(items.count), "minItems", "maxItems")
            default: nil
            }
        guard let (size, lower, upper) = measured else { return [] }
        if let bound = schema[lower], let limit = bound.doubleValue, size < limit { return [Violation(path: path, problem: .outOfBounds("\(lower) \(bound.encodedString())"))] }
        if let bound = schema[upper], let limit = bound.doubleValue, size > limit { return [Violation(path: path, problem: .outOfBounds("\(upper) \(bound.encodedString())"))] }
        return []
    }

    private static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer): true
        case ("integer", .bigInteger), ("number", .integer), ("number", .double), ("number", .bigInteger), ("null", .null): true
        default: false
        }
    }
}

/// The string formats of JSON Schema that Intercom's description uses, checked as JSON Schema validators check them.
enum StringFormat {
    /// Whether `text` is of `format`; formats not known here always conform.
    static func conforms(_ text: String, to format: String) -> Bool {
        switch format {
        case "date-time": text.wholeMatch(of: /\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})/) != nil
        case "date": text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
        case "uri": text.prefixMatch(of: /[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*/) != nil && !text.contains(where: \.isWhitespace)
        case "email": text.wholeMatch(of: /[^@\s]+@[^@\s]+/) != nil
        case "uuid": text.wholeMatch(of: /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/) != nil
        default: true
        }
    }
}
