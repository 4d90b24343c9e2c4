import IntercomKit
import Testing

/// What the schema check and the example builder do with the keywords Intercom's description uses.
@Suite("JSON schema check and examples")
struct JSONSchemaCheckTests {
    static let check = JSONSchemaCheck { reference in reference == "#/components/schemas/node" ? ["type": "object", "properties": ["child": ["$ref": "#/components/schemas/node"]]] : nil }

    static func problems(_ value: JSONValue, _ schema: JSONValue, lenient: Bool = false) -> [String] {
        (lenient ? check.lenient : check).violations(of: value, against: schema)
    }

    @Test("oneOf is exactly one option; lenient, at least one")
    func oneOf() {
        let schema: JSONValue = ["oneOf": [["type": "object"], ["required": ["a"]]]]
        #expect(Self.problems(["a": 1], schema) == ["$: matches none of oneOf"])
        #expect(Self.problems(["a": 1], schema, lenient: true).isEmpty)
        #expect(Self.problems(["b": 1], schema).isEmpty, "exactly one: the object without a")
        #expect(Self.problems("text", ["oneOf": [["type": "object"], ["type": "array"]]], lenient: true) == ["$: matches none of oneOf"])
    }

    @Test("formats, bounds, additionalProperties, type null")
    func keywords() {
        #expect(Self.problems("/contacts/1/notes", ["type": "string", "format": "uri"]) == ["$: not a uri"])
        #expect(Self.problems("https://example.com/x", ["type": "string", "format": "uri"]).isEmpty)
        #expect(Self.problems("2024-06-01T12:00:00Z", ["type": "string", "format": "date-time"]).isEmpty)
        #expect(Self.problems("yesterday", ["type": "string", "format": "date-time"]) == ["$: not a date-time"])
        #expect(Self.problems("x@y", ["type": "string", "format": "email"]).isEmpty)
        #expect(Self.problems("536e564f316c83104c000020", ["type": "string", "format": "uuid"]) == ["$: not a uuid"])
        #expect(Self.problems(0, ["type": "integer", "minimum": 1]) == ["$: out of bounds (minimum 1)"])
        #expect(Self.problems([1, 2, 3], ["type": "array", "maxItems": 2]) == ["$: out of bounds (maxItems 2)"])
        #expect(Self.problems("abc", ["type": "string", "maxLength": 2]) == ["$: out of bounds (maxLength 2)"])
        #expect(Self.problems(["a": 1.5], ["type": "object", "additionalProperties": ["type": "string"]]) == ["$.a: a number, expected string"])
        #expect(Self.problems(["a": 1], ["type": "object", "properties": [:], "additionalProperties": false]) == ["$: has a, which is not allowed"])
        #expect(Self.problems(nil, ["anyOf": [["type": "string"], ["type": "null"]]]).isEmpty)
    }

    @Test("an example is built for any schema: recursive ones end, options join their base, and it conforms")
    func examples() {
        let build = JSONSchemaExample(check: Self.check)
        let schemas: [JSONValue] = [
            ["$ref": "#/components/schemas/node"],
            ["type": "object", "properties": ["id": ["type": "string"], "user_id": ["type": "string"]], "anyOf": [["required": ["id"]], ["required": ["user_id"]]]],
            ["allOf": [["type": "object", "properties": ["a": ["type": "integer", "minimum": 5]]], ["required": ["a"]]]],
            ["type": "string", "format": "date-time", "example": "not a time"],
            ["type": "array", "items": ["type": "string", "enum": ["x", "y"]]],
        ]
        for schema in schemas {
            let value = build.value(for: schema)
            #expect(value != nil)
            #expect(Self.problems(value ?? nil, schema).isEmpty, "\(value ?? nil) for \(schema)")
        }
    }
}
