public import IntercomKit
import Synchronization

/// The ids of tags learned during a run, by name (compared without case, as Intercom compares tag names), so that
/// a tag's name is turned into its id once per run on the REST API (2.x). Shared by every operation of a run.
public final class TagDirectory: Sendable {
    private let ids = Mutex<[String: String]>([:])

    /// An empty directory.
    public init() {}

    /// The id known for the tag with this name; nil when none is known.
    public func id(named name: String) -> String? {
        ids.withLock { $0[name.lowercased()] }
    }

    /// Remembers a tag's id under its name (a `tag` object of the REST API).
    public func remember(_ tag: JSONValue) {
        guard let id = tag["id"]?.stringValue, let name = tag["name"]?.stringValue else { return }
        ids.withLock { $0[name.lowercased()] = id }
    }
}
