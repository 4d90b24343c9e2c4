import Synchronization

/// The custom attributes known to be defined in the workspace during a run (`--create-attributes` on the REST API
/// 2.x): listed once, then grown by every attribute the run defines. Shared by every operation of a run.
public final class AttributeDirectory: Sendable {
    private let names = Mutex<Set<String>?>(nil)

    /// A directory that has listed nothing yet.
    public init() {}

    /// The names known to be defined; nil before the workspace's attributes were listed.
    public var known: Set<String>? { names.withLock { $0 } }

    /// Records names known to be defined (a list of the workspace's attributes, or ones just defined).
    public func remember(_ defined: [String]) {
        names.withLock { names in names = (names ?? []).union(defined) }
    }
}
