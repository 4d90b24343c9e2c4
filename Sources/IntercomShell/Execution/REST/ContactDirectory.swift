public import IntercomKit
import Synchronization

/// The Intercom ids of contacts learned during a run, by the user_id and email commands name them with, so that a
/// contact is looked up once per run on the REST API (2.x), not once per line. Shared by every operation of a run.
public final class ContactDirectory: Sendable {
    private let ids = Mutex<[Key: String]>([:])
    /// Contacts this run archived, by user_id: an archived contact is found by its id only, so this is how
    /// `unarchive user <ident>` finds it.
    private let archived = Mutex<[Key: String]>([:])

    /// How a command names a contact: by user_id (external id) or by email (compared without case).
    enum Key: Hashable, Sendable {
        case userID(String)
        case email(String)
    }

    /// An empty directory.
    public init() {}

    /// The contact id known for `user`: by user_id first, then by email; nil when neither is known.
    public func id(for user: UserIdentifier) -> String? {
        ids.withLock { ids in
            user.userID.flatMap { ids[.userID($0)] } ?? user.email.flatMap { ids[.email($0.lowercased())] }
        }
    }

    /// The id of the contact with this user_id (or email) that this run archived; nil when it archived none.
    public func archivedID(for user: UserIdentifier) -> String? {
        archived.withLock { archived in
            user.userID.flatMap { archived[.userID($0)] } ?? user.email.flatMap { archived[.email($0.lowercased())] }
        }
    }

    /// Remembers the contact's id under its external id and email (a `contact` object of the REST API, or the
    /// reference an archive or unarchive answers with, which moves it to or from the archived ones).
    public func remember(_ contact: JSONValue) {
        guard let id = contact["id"]?.stringValue, !id.isEmpty else { return }
        if let isArchived = contact["archived"]?.boolValue {
            rememberArchived(id: id, isArchived)
            if isArchived { return }
        }
        ids.withLock { ids in
            if let userID = contact["external_id"]?.stringValue, !userID.isEmpty { ids[.userID(userID)] = id }
            if let email = contact["email"]?.stringValue, !email.isEmpty { ids[.email(email.lowercased())] = id }
        }
    }

    private func rememberArchived(id: String, _ isArchived: Bool) {
        let names = ids.withLock { ids in ids.filter { $0.value == id }.map(\.key) }
        archived.withLock { archived in
            if isArchived {
                for name in names { archived[name] = id }
            } else {
                archived = archived.filter { $0.value != id }
            }
        }
    }

    /// Forgets every name of the contact with this id (it was deleted, or the id turned out stale).
    public func forget(id: String) {
        ids.withLock { ids in ids = ids.filter { $0.value != id } }
    }

    /// How many names are known.
    public var count: Int { ids.withLock { $0.count } }
}
