public import IntercomKit
import Synchronization

/// The ids of tags learned during a run, by name, so that a tag's name is turned into its id once per run on the
/// REST API (2.x). A name finds the tag named exactly so, or else the one tag named so without regard to case (as
/// Intercom compares tag names); when several differ only in case, none. Shared by every operation of a run.
public final class TagDirectory: Sendable {
    private struct Names {
        var exact: [String: String] = [:]
        var folded: [String: Set<String>] = [:]
    }

    private let names = Mutex(Names())

    /// An empty directory.
    public init() {}

    /// The id known for the tag with this name; nil when none is known, or several differ from it only in case.
    public func id(named name: String) -> String? {
        names.withLock { names in
            if let id = names.exact[name] { return id }
            guard let ids = names.folded[name.lowercased()], ids.count == 1 else { return nil }
            return ids.first
        }
    }

    /// Forgets the tag with this id (deleted, or found stale), under every name.
    public func forget(id: String) {
        names.withLock { names in
            names.exact = names.exact.filter { $0.value != id }
            for key in Array(names.folded.keys) {
                names.folded[key]?.remove(id)
                if names.folded[key]?.isEmpty == true { names.folded[key] = nil }
            }
        }
    }

    /// Remembers a tag's id under its name (a `tag` object of the REST API).
    public func remember(_ tag: JSONValue) {
        guard let id = tag["id"]?.stringValue, let name = tag["name"]?.stringValue else { return }
        names.withLock { names in
            names.exact[name] = id
            names.folded[name.lowercased(), default: []].insert(id)
        }
    }
}
