/// A typed view over one JSON object the server sent.
///
/// Conforming types keep the whole object in `json`, so nothing the server adds is ever dropped,
/// and expose typed accessors for the fields the v1 API documents. A field of an unexpected type reads as `nil`.
public protocol JSONModel: Sendable, Hashable {
    /// The whole object as the server sent it.
    var json: JSONObject { get }
    /// Wraps an object without checking it.
    init(json: JSONObject)
}

extension JSONModel {
    /// Decodes the model from a response body, which must be a JSON object.
    init(body: JSONValue?, resource: String) throws(IntercomError) {
        guard let object = body?.objectValue else {
            throw IntercomError.invalidResponse(
                "expected a \(resource) object, got \(body.map { $0.typeDescription } ?? "an empty body")")
        }
        self.init(json: object)
    }

    func string(_ key: String) -> String? { json[key]?.stringValue }
    func integer(_ key: String) -> Int64? { json[key]?.integerValue }
    func bool(_ key: String) -> Bool? { json[key]?.boolValue }
    func object(_ key: String) -> JSONObject? { json[key]?.objectValue }
    func models<Model: JSONModel>(_ key: String) -> [Model] {
        (json[key]?.arrayValue ?? []).compactMap { $0.objectValue.map(Model.init(json:)) }
    }
}
