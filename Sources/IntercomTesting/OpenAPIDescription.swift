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
        if let documented = responses?[String(status)].map(resolved)?["content"]?["application/json"]?["schema"] { return documented }
        return status >= 400 ? ["$ref": "#/components/schemas/error"] : nil
    }

    /// Every operation, as its method (`GET`) and path template, in the description's order of paths.
    public var operations: [(method: String, path: String)] {
        (root["paths"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.flatMap { path, item in
            ["get", "post", "put", "patch", "delete"].filter { item[$0] != nil }.map { (method: $0.uppercased(), path: path) }
        }
    }

    /// The path and query parameters of `method path` (shared ones of the path first), `$ref`s resolved.
    public func parameters(_ method: String, _ path: String) -> [JSONValue] {
        let item = root["paths"]?[path]
        let all = (item?["parameters"]?.arrayValue ?? []) + (item?[method.lowercased()]?["parameters"]?.arrayValue ?? [])
        return all.map { resolved($0) }.filter { ["path", "query"].contains($0["in"]?.stringValue ?? "") }
    }

    /// The request body examples of `method path` (its media type's `example`, then each of `examples`).
    public func requestExamples(_ method: String, _ path: String) -> [JSONValue] {
        let media = root["paths"]?[path]?[method.lowercased()]?["requestBody"]?["content"]?["application/json"]
        return (media?["example"].map { [$0] } ?? []) + (media?["examples"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.compactMap { $0.value["value"] }
    }

    /// The documented statuses of `method path`'s answers, and each one's media type (nil for no body).
    public func responses(_ method: String, _ path: String) -> [Int: String?] {
        var found: [Int: String?] = [:]
        for (status, node) in root["paths"]?[path]?[method.lowercased()]?["responses"]?.objectValue ?? [:] {
            guard let code = Int(status) else { continue }
            found.updateValue(resolved(node)["content"]?.objectValue?.keys.first, forKey: code)
        }
        return found
    }

    /// A schema check that resolves this description's `$ref`s.
    public var schemaCheck: JSONSchemaCheck {
        let root = root
        return JSONSchemaCheck { reference in Self.follow(reference, in: root) }
    }

    /// `node`, or what its `$ref` names.
    private func resolved(_ node: JSONValue) -> JSONValue {
        node["$ref"]?.stringValue.flatMap { Self.follow($0, in: root) } ?? node
    }

    private static func follow(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        return reference.dropFirst(2).split(separator: "/").reduce(Optional(root)) { node, key in
            node?[key.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
    }

    /// The schema of the request body of `method path`.
    public func requestSchema(_ method: String, _ path: String) -> JSONValue? {
        root["paths"]?[path]?[method.lowercased()]?["requestBody"]?["content"]?["application/json"]?["schema"]
    }

    /// The ways `value` breaks `schema`, as `path: problem` lines; empty when it conforms.
    public func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        schemaCheck.violations(of: value, against: schema, at: path)
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
