public import IntercomKit
import Synchronization

/// The custom attributes known to be defined in the workspace during a run on the REST API 2.x, with their data
/// types: listed once (`GET /data_attributes`), then grown by every attribute the run defines
/// (`--create-attributes`). Shared by every operation of a run.
public final class AttributeDirectory: Sendable {
    private let types = Mutex<[String: String]?>(nil)

    /// A directory that has listed nothing yet.
    public init() {}

    /// The names known to be defined; nil before the workspace's attributes were listed.
    public var known: Set<String>? { types.withLock { $0.map { Set($0.keys) } } }

    /// Whether the workspace's attributes were listed.
    public var isListed: Bool { types.withLock { $0 != nil } }

    /// Records attributes known to be defined, by name, with their data types.
    public func remember(_ defined: [String: String]) {
        types.withLock { types in types = (types ?? [:]).merging(defined) { _, new in new } }
    }

    /// Records the attributes of a `GET /data_attributes` answer.
    public func rememberListed(_ body: JSONValue?) {
        remember(Self.types(in: body))
    }

    /// The name and data type of each attribute of a `GET /data_attributes` answer.
    public static func types(in body: JSONValue?) -> [String: String] {
        var types: [String: String] = [:]
        for attribute in body?["data"]?.arrayValue ?? [] {
            guard let name = attribute["name"]?.stringValue else { continue }
            types[name] = attribute["data_type"]?.stringValue ?? "string"
        }
        return types
    }

    /// The search kind of the attribute `name`, as its data type gives it; nil when it is not known.
    public func kind(of name: String) -> SearchRules.Kind? {
        types.withLock { $0?[name].flatMap(SearchRules.kind(dataType:)) }
    }
}
