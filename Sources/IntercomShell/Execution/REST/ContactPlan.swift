import Foundation
public import IntercomKit

/// The plan of an operation on one contact, or on pages of contacts, on the REST API (2.x). The contact is found
/// by a ``ContactResolver`` (a directory id is checked before it is used; a user_id is looked up with
/// `find_by_external_id`, an email with a search); an Intercom id the line gives is used as it is. `create_user` and
/// `update_user` keep v1's upsert: `POST contacts`, and on a 409 conflict a `PUT` of the contact it names (unarchived
/// first when it is archived).
public struct ContactPlan: OperationPlan {
    /// What the operation is for.
    public enum Goal: Sendable {
        /// `get_user`: the contact.
        case show(UserIdentifier)
        /// `get_user id=…`: the contact with this Intercom id.
        case showByID(String)
        /// `create_user` / `update_user`: create or update the contact with these fields.
        case upsert(UserIdentifier, JSONObject)
        /// `delete_user`.
        case delete(UserIdentifier)
        /// `archive_user` (`id`: the Intercom id, when given).
        case archive(UserIdentifier, id: String?)
        /// `unarchive_user`: an archived contact is found by its Intercom id only (given, or known to the run).
        case unarchive(UserIdentifier, id: String?)
        /// `create_note`: a note with this text.
        case note(UserIdentifier, String)
        /// `get_users`: page N (walking N-1 cursors), of all contacts or those with a tag id.
        case page(Int, perPage: Int, tagID: String?)
        /// One request whose answer is the result.
        case single(IntercomRequest, OperationEffect)
        /// A read of something the contact has, once it is found.
        case read(UserIdentifier, ContactReading)
    }

    /// What a contact has that a line can list.
    public enum ContactReading: Sendable, Equatable {
        /// Its notes, page `page` of `perPage` (newest first).
        case notes(page: Int, perPage: Int)
        /// The segments it is in.
        case segments

        /// The request for the contact with Intercom id `id`.
        func request(contactID id: String) -> IntercomRequest {
            let path = "contacts/" + IntercomRequest.pathSegment(id)
            switch self {
            case .notes(let page, let perPage):
                return IntercomRequest(method: .get, path: path + "/notes", query: [("page", String(page)), ("per_page", String(perPage))])
            case .segments:
                return IntercomRequest(method: .get, path: path + "/segments")
            }
        }
    }

    enum Phase: Sendable, Equatable {
        case idle
        case resolving(ContactResolver)
        case acting(id: String)
        case creating
        case unarchiving(id: String)
        case updating(id: String)
        case paging(remaining: Int)
        case single
    }

    let goal: Goal
    let knownID: String?
    var phase = Phase.idle
    /// Whether a merged contact's canonical contact was followed already (once at most).
    var followedMerge = false
    /// The pages walked so far (a repeated cursor, or a runaway walk, ends it).
    var walk = PageWalk()
    /// Contacts the answers so far showed (to remember).
    public private(set) var learned: [JSONValue] = []
    /// Ids found stale or deleted (to forget).
    public private(set) var forgotten: [String] = []

    /// A plan for `goal`. `knownID` is the contact id the run's directory holds for its user, a candidate checked
    /// before use; for an unarchive it is the id to unarchive (archived contacts cannot be read to check them).
    public init(_ goal: Goal, knownID: String? = nil) {
        self.goal = goal
        self.knownID = knownID
    }

    /// Whether the goal takes exactly one request (an event).
    public var isSingleRequest: Bool {
        if case .single = goal { return true }
        return false
    }

    /// The first step.
    public mutating func start() -> PlanStep {
        switch goal {
        case .archive(_, let id?), .unarchive(_, let id?):
            return act(on: id)
        case .unarchive(let user, nil):
            if let knownID { return act(on: knownID) }
            return resolve(ContactResolver(user))
        case .show(let user), .delete(let user), .note(let user, _), .archive(let user, nil), .read(let user, _):
            return resolve(ContactResolver(user, candidate: knownID))
        case .upsert(_, let fields):
            phase = .creating
            return .send(.createContact(fields.merging(["role": "user"]) { given, _ in given }), retryAs: .idempotentWrite)
        case .showByID(let id):
            return act(on: id)
        case .page(let number, let perPage, let tagID):
            phase = .paging(remaining: number - 1)
            return .send(Self.pageRequest(perPage: perPage, tagID: tagID, after: nil), retryAs: .read)
        case .single(let request, let name):
            phase = .single
            return .send(request, retryAs: name)
        }
    }

    /// The step after the answer (or failure) of the request last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        switch (phase, outcome) {
        case (.resolving(var resolver), _):
            let step = resolver.received(outcome)
            forgotten += resolver.forgotten.filter { !forgotten.contains($0) }
            return resolved(step, resolver)
        case (.acting, .failure(let failure)) where failure.type == .api(.gone):
            return followMerge(failure)
        case (.acting(let id), .success(let response)):
            switch goal {
            case .delete: forgotten.append(id)
            case .archive, .unarchive: if let body = response.body { learned.append(body) }
            default: break
            }
            return .finish(response.body ?? .null)
        case (.creating, .failure(let failure)) where failure.type == .api(.conflict):
            return conflicted(failure)
        case (.unarchiving(let id), .success):
            return update(id, goal.fields)
        case (.creating, .success(let response)), (.updating, .success(let response)):
            if let body = response.body { learned.append(body) }
            return .finish(response.body ?? .null)
        case (.paging(let remaining), .success(let response)):
            return paged(response.body, remaining: remaining)
        case (.single, .success(let response)):
            return .finish(response.body ?? .null)
        case (_, .failure(let failure)):
            return .fail(failure)
        case (.idle, .success):
            return .fail(ResultRecord.Failure(type: .api(.invalidResponse), message: "an answer came before any request"))
        }
    }

    private mutating func resolve(_ resolver: ContactResolver) -> PlanStep {
        var resolver = resolver
        return resolved(resolver.start(), resolver)
    }

    /// Where a resolver's step leads: its read is sent; a contact found is shown or acted on; a merged contact is
    /// followed once.
    private mutating func resolved(_ step: ContactResolver.Step, _ resolver: ContactResolver) -> PlanStep {
        phase = .resolving(resolver)
        switch step {
        case .send(let request):
            return .send(request, retryAs: .read)
        case .found(let contact):
            learned.append(contact)
            if case .show = goal { return .finish(contact) }
            return act(on: contact["id"]?.stringValue ?? "")
        case .failed(let failure) where failure.type == .api(.gone):
            return followMerge(failure)
        case .failed(let failure):
            return .fail(failure.type == .api(.notFound) ? unfound(failure) : failure)
        }
    }

    /// A merged contact (410), once: `find user` reads the canonical contact the answer's `Link` names; any other
    /// goal takes that contact only as a candidate, checked to carry the line's identifier before it acts on it
    /// (a write never rests on a server's pointer alone), and fails as `gone` when the line names no identifier.
    private mutating func followMerge(_ failure: ResultRecord.Failure) -> PlanStep {
        guard !followedMerge, let canonical = Self.canonicalID(failure.message) else { return .fail(failure) }
        followedMerge = true
        if case .acting(let stale) = phase { forgotten.append(stale) }
        switch goal {
        case .show, .showByID:
            return act(on: canonical)
        default:
            guard let user = goal.user, user.userID != nil || user.email != nil else { return .fail(failure) }
            return resolve(ContactResolver(user, candidate: canonical))
        }
    }

    /// A lookup's not_found; for an unarchive, saying that an archived contact is found by its id only.
    private func unfound(_ failure: ResultRecord.Failure) -> ResultRecord.Failure {
        guard case .unarchive = goal else { return failure }
        var failure = failure
        failure.message += "; an archived contact is found by its Intercom id only: give id=…"
        return failure
    }

    private mutating func act(on id: String) -> PlanStep {
        phase = .acting(id: id)
        switch goal {
        case .show, .showByID: return .send(.contact(id: id), retryAs: .read)
        case .delete: return .send(.deleteContact(id: id), retryAs: .write)
        case .note(_, let text): return .send(.createContactNote(id: id, body: text), retryAs: .write)
        case .archive: return .send(.archiveContact(id: id), retryAs: .idempotentWrite)
        case .unarchive: return .send(.unarchiveContact(id: id), retryAs: .idempotentWrite)
        case .read(_, let reading): return .send(reading.request(contactID: id), retryAs: .read)
        case .upsert, .page, .single: return .fail(.init(type: .invalidInput, message: "nothing to do on contact \(id)"))
        }
    }

    private mutating func update(_ id: String, _ fields: JSONObject) -> PlanStep {
        phase = .updating(id: id)
        return .send(.updateContact(id: id, fields), retryAs: .idempotentWrite)
    }

    /// A 409 on create: the contact exists; update it (unarchiving it first), by the id the message names.
    private mutating func conflicted(_ failure: ResultRecord.Failure) -> PlanStep {
        guard let id = Self.conflictingID(failure.message) else { return .fail(failure) }
        if failure.message.lowercased().hasPrefix("an archived contact") {
            phase = .unarchiving(id: id)
            return .send(.unarchiveContact(id: id), retryAs: .idempotentWrite)
        }
        return update(id, goal.fields)
    }

    /// The canonical contact's id in a 410's message, from its `Link: </contacts/ID>; rel="canonical"`: letters,
    /// digits, `-` and `_` up to the `>`; nil without one, or when anything else stands there.
    public static func canonicalID(_ message: String) -> String? {
        guard let range = message.range(of: "</contacts/", options: .backwards) else { return nil }
        let rest = message[range.upperBound...]
        let id = rest.prefix { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        guard !id.isEmpty, rest.dropFirst(id.count).first == ">" else { return nil }
        return String(id)
    }

    /// The id in `… already exists with id=ID`; nil when the message names none.
    public static func conflictingID(_ message: String) -> String? {
        guard let range = message.range(of: "id=", options: .backwards) else { return nil }
        let id = message[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return id.isEmpty ? nil : String(id)
    }

    private mutating func paged(_ body: JSONValue?, remaining: Int) -> PlanStep {
        guard remaining > 0 else { return .finish(body ?? .null) }
        if let failure = walk.received(body) { return .fail(failure) }
        guard let next = body?["pages"]?["next"]?["starting_after"]?.stringValue, case .page(_, let perPage, let tagID) = goal else {
            var empty = body?.objectValue ?? [:]
            empty["data"] = []
            return .finish(.object(empty))
        }
        phase = .paging(remaining: remaining - 1)
        return .send(Self.pageRequest(perPage: perPage, tagID: tagID, after: next), retryAs: .read)
    }

    /// One page of contacts: the list, or a search on the tag id.
    static func pageRequest(perPage: Int, tagID: String?, after cursor: String?) -> IntercomRequest {
        guard let tagID else { return .listContacts(perPage: perPage, startingAfter: cursor) }
        return .searchContacts(.filter(field: "tag_id", operator: .equal, value: .string(tagID)), perPage: perPage, startingAfter: cursor)
    }
}

extension ContactPlan.Goal {
    /// The user the goal is about, if it is about one.
    var user: UserIdentifier? {
        switch self {
        case .show(let user), .upsert(let user, _), .delete(let user), .note(let user, _), .archive(let user, _), .unarchive(let user, _),
            .read(let user, _):
            user
        case .showByID, .page, .single: nil
        }
    }

    /// The contact fields of an upsert; empty otherwise.
    var fields: JSONObject {
        if case .upsert(_, let fields) = self { return fields }
        return [:]
    }
}
