import Foundation
public import IntercomKit
import Yams

/// Intercom's OpenAPI description of the REST API (the vendored 2.16 YAML), and validation of JSON against the
/// schemas it gives an operation's request body and responses (``JSONSchemaCheck``).
public struct OpenAPIDescription: Sendable {
    private let root: JSONValue

    /// The 2.16 description, from the shared reference folder.
    public static func intercom216() throws -> OpenAPIDescription {
        let url = SharedFixtures.referenceDirectory.appendingPathComponent("intercom-openapi/api.intercom.io-2.16.yaml")
        return try OpenAPIDescription(yaml: String(contentsOf: url, encoding: .utf8))
    }

    /// A description read from YAML text.
    public init(yaml: String) throws {
        root = Self.json(from: try Yams.load(yaml: yaml) as Any)
    }

    /// The schema of the answer to `method path` (a path template such as `/contacts/{id}`) with `status`: the
    /// documented one, or, for an error status the operation does not document, the shared `error` schema.
    public func responseSchema(_ method: String, _ path: String, status: Int) -> JSONValue? {
        let responses = root["paths"]?[path]?[method.lowercased()]?["responses"]
        if let documented = responses?[String(status)]?["content"]?["application/json"]?["schema"] { return documented }
        return status >= 400 ? ["$ref": "#/components/schemas/error"] : nil
    }

    /// The schema of the request body of `method path`.
    public func requestSchema(_ method: String, _ path: String) -> JSONValue? {
        root["paths"]?[path]?[method.lowercased()]?["requestBody"]?["content"]?["application/json"]?["schema"]
    }

    /// The ways `value` breaks `schema`, as `path: problem` lines; empty when it conforms.
    public func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        let root = root
        return JSONSchemaCheck { reference in
            guard reference.hasPrefix("#/") else { return nil }
            return reference.dropFirst(2).split(separator: "/").reduce(Optional(root)) { node, key in
                node?[key.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
            }
        }.violations(of: value, against: schema, at: path)
    }

    /// A YAML document loaded by Yams, as JSON.
    static func json(from node: Any) -> JSONValue {
        switch node {
        case let map as [String: Any]: .object(JSONObject(uniqueKeysWithValues: map.map { ($0.key, json(from: $0.value)) }))
        case let map as [AnyHashable: Any]: .object(JSONObject(uniqueKeysWithValues: map.map { ("\($0.key)", json(from: $0.value)) }))
        case let list as [Any]: .array(list.map(json(from:)))
        case let flag as Bool: .bool(flag)
        case let number as Int: .integer(Int64(number))
        case let number as Double: .double(number)
        case let text as String: .string(text)
        default: .null
        }
    }
}
