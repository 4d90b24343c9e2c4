public import IntercomKit
import Synchronization

/// The Intercom ids of contacts learned during a run, by the user_id and email commands name them with, shared by
/// every operation of a run on the REST API (2.x). A contact's names are the ones its latest answer showed: a write
/// that changes an email or external_id replaces the old names. Only users are remembered: a lead may share its
/// email with a user, whom the email names (``ContactLookup``), so a lead is always looked up afresh. An id found here is a candidate that a plan checks
/// before it acts on it (``ContactResolver``), since another client may rename a contact at any time.
public final class ContactDirectory: Sendable {
    /// How a command names a contact: by user_id (external id) or by email (compared without case).
    enum Key: Hashable, Sendable {
        case userID(String)
        case email(String)
    }

    /// The names of each id and the id of each name, kept in step.
    private struct Names: Sendable {
        var idOfName: [Key: String] = [:]
        var namesOfID: [String: Set<Key>] = [:]

        mutating func forget(id: String) {
            for name in namesOfID.removeValue(forKey: id) ?? [] where idOfName[name] == id { idOfName[name] = nil }
        }

        mutating func set(_ names: Set<Key>, of id: String) {
            forget(id: id)
            for name in names {
                if let previous = idOfName[name], previous != id { namesOfID[previous]?.remove(name) }
                idOfName[name] = id
            }
            if !names.isEmpty { namesOfID[id] = names }
        }

        func id(for user: UserIdentifier) -> String? {
            user.userID.flatMap { idOfName[.userID($0)] } ?? user.email.flatMap { idOfName[.email($0.lowercased())] }
        }
    }

    private let live = Mutex(Names())
    /// Contacts this run archived, by their names when archived: an archived contact is found by its id only, so
    /// this is how `unarchive user <ident>` finds it.
    private let archived = Mutex(Names())

    /// An empty directory.
    public init() {}

    /// The contact id known for `user`: by user_id first, then by email; nil when neither is known.
    public func id(for user: UserIdentifier) -> String? {
        live.withLock { $0.id(for: user) }
    }

    /// The id of the contact with this user_id (or email) that this run archived; nil when it archived none.
    public func archivedID(for user: UserIdentifier) -> String? {
        archived.withLock { $0.id(for: user) }
    }

    /// Remembers the contact's names as its answer shows them (a `contact` object of the REST API, or the reference
    /// an archive or unarchive answers with, which moves it to or from the archived ones).
    public func remember(_ contact: JSONValue) {
        guard let id = contact["id"]?.stringValue, !id.isEmpty else { return }
        if let isArchived = contact["archived"]?.boolValue {
            let names = live.withLock { $0.namesOfID[id] ?? [] }
            archived.withLock { archived in
                if isArchived { archived.set(names, of: id) } else { archived.forget(id: id) }
            }
            if isArchived {
                live.withLock { $0.forget(id: id) }
                return
            }
        }
        var names = Set<Key>()
        if contact["role"]?.stringValue != "lead" {
            if let userID = contact["external_id"]?.stringValue, !userID.isEmpty { names.insert(.userID(userID)) }
            if let email = contact["email"]?.stringValue, !email.isEmpty { names.insert(.email(email.lowercased())) }
        }
        live.withLock { $0.set(names, of: id) }
    }

    /// Forgets every name of the contact with this id (it was deleted, or the id turned out stale).
    public func forget(id: String) {
        live.withLock { $0.forget(id: id) }
    }

    /// `keys` with every other way the run knows of naming the same contacts: the id of a user_id or email, and the
    /// user_id and email of an id, so that operations naming one contact differently keep their order.
    public func orderingKeys(expanding keys: Set<OrderingKey>) -> Set<OrderingKey> {
        live.withLock { names in
            var expanded = keys
            for key in keys {
                switch key {
                case .userID(let userID): if let id = names.idOfName[.userID(userID)] { expanded.insert(.contactID(id)) }
                case .email(let email): if let id = names.idOfName[.email(email)] { expanded.insert(.contactID(id)) }
                case .contactID(let id): expanded.insert(.contactID(id))
                case .tag, .thread, .resource: break
                }
            }
            for case .contactID(let id) in expanded {
                for name in names.namesOfID[id] ?? [] {
                    switch name {
                    case .userID(let userID): expanded.insert(.userID(userID))
                    case .email(let email): expanded.insert(.email(email))
                    }
                }
            }
            return expanded
        }
    }

    /// How many names are known.
    public var count: Int { live.withLock { $0.idOfName.count } }
}
