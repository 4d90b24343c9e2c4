public import IntercomKit
import Synchronization

/// A teammate as a line names one: `me` (the access token's own admin), an id, or a name or email.
public enum TeammateReference: Sendable, Hashable {
    /// The admin the access token belongs to (`GET /me`).
    case me
    /// An admin's or team's id.
    case id(String)
    /// An admin's name or email.
    case named(String)

    /// `me` (any case), digits as an id (`0`, however many zeros, is nobody's), anything else as a name or email.
    public init(_ text: String) {
        if text.lowercased() == "me" {
            self = .me
        } else if !text.isEmpty, text.allSatisfy(\.isASCIIDigitCharacter) {
            self = .id(text.allSatisfy { $0 == "0" } ? "0" : text)
        } else {
            self = .named(text)
        }
    }
}

/// Who the run knows: the access token's own admin (`GET /me`) and the workspace's admins (`GET /admins`), each
/// asked at most once per run on the REST API (2.x). Shared by every operation of a run.
public final class TeammateDirectory: Sendable {
    /// What is known: either may be nil until asked.
    public struct Knowledge: Sendable, Equatable {
        /// The token's own admin, as `GET /me` answers.
        public var me: JSONValue?
        /// The workspace's admins, as `GET /admins` lists them.
        public var admins: [JSONValue]?

        /// Nothing known, or what is given.
        public init(me: JSONValue? = nil, admins: [JSONValue]? = nil) {
            self.me = me
            self.admins = admins
        }
    }

    private let knowledge = Mutex(Knowledge())
    private let inFlight = Mutex<[String: Task<ResultRecord.Failure?, Never>]>([:])

    /// An empty directory.
    public init() {}

    /// Runs `fetch` (which asks for and remembers what `key` names) once for all the lines that need it at the same
    /// time: a line that comes while it runs waits for its outcome. A failure is not kept: a later line asks again.
    public func once(_ key: String, _ fetch: @escaping @Sendable () async -> ResultRecord.Failure?) async -> ResultRecord.Failure? {
        let task = inFlight.withLock { tasks in
            if let running = tasks[key] { return running }
            let task = Task { await fetch() }
            tasks[key] = task
            return task
        }
        let failure = await task.value
        if failure != nil { inFlight.withLock { tasks in if tasks[key] == task { tasks[key] = nil } } }
        return failure
    }

    /// What the run knows so far.
    public var known: Knowledge { knowledge.withLock { $0 } }

    /// Adds what a plan learned; nothing known is forgotten.
    public func remember(_ learned: Knowledge) {
        knowledge.withLock { known in
            if let me = learned.me { known.me = me }
            if let admins = learned.admins { known.admins = admins }
        }
    }
}

extension TeammateDirectory.Knowledge {
    /// How far a reference resolves with what is known.
    public enum Resolution: Sendable, Equatable {
        /// To this id, of an admin (`team` false) or a team.
        case found(id: String, team: Bool)
        /// `GET /me` must be asked first.
        case needsMe
        /// `GET /admins` must be asked first.
        case needsAdmins
        /// It names no one, or several.
        case failed(String)
    }

    /// The admin `reference` names: `me`, an id as given, or the one admin with that name or email (names compare
    /// without regard to case).
    public func admin(_ reference: TeammateReference) -> Resolution {
        switch reference {
        case .me:
            guard let me else { return .needsMe }
            guard let id = Self.id(of: me) else { return .failed("GET /me answered with no admin id") }
            return .found(id: id, team: false)
        case .id(let id):
            return .found(id: id, team: false)
        case .named(let name):
            guard let admins else { return .needsAdmins }
            let matching = admins.filter { admin in
                [admin["name"]?.stringValue, admin["email"]?.stringValue].contains { $0?.lowercased() == name.lowercased() }
            }
            guard matching.count == 1, let id = Self.id(of: matching[0]) else {
                return .failed(matching.isEmpty ? "no admin is named or has the email '\(name)' (admins lists them)" : "several admins are named '\(name)'; give an id")
            }
            return .found(id: id, team: false)
        }
    }

    /// Whom an assignment goes to: as ``admin(_:)``, except that an id no admin has is a team's, and `0` is nobody.
    public func assignee(_ reference: TeammateReference) -> Resolution {
        guard case .id(let id) = reference, id != "0" else { return admin(reference) }
        guard let admins else { return .needsAdmins }
        let isAdmin = admins.contains { Self.id(of: $0) == id }
        return .found(id: id, team: !isAdmin)
    }

    /// An admin's id as text: a non-empty string, or a whole number's digits; nil for anything else.
    public static func id(of admin: JSONValue) -> String? {
        switch admin["id"] {
        case .string(let id)? where !id.isEmpty: id
        case .integer(let id)?: String(id)
        default: nil
        }
    }

    /// The admin of a `GET /me` answer: an `admin` with an id; nil for any other answer.
    public static func me(in body: JSONValue?) -> JSONValue? {
        guard let body, body["type"] == "admin", id(of: body) != nil else { return nil }
        return body
    }

    /// The admins of a `GET /admins` answer: its `admins`, each an object with an id; nil for any other answer.
    public static func admins(in body: JSONValue?) -> [JSONValue]? {
        guard let admins = body?["admins"]?.arrayValue, admins.allSatisfy({ id(of: $0) != nil }) else { return nil }
        return admins
    }
}

extension Character {
    /// Whether this is one of `0`…`9`.
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
