import Foundation
public import IntercomKit

/// The plan of a tag operation on the REST API (2.x): `find tag`, `tag` and `untag`.
///
/// A tag's name is turned into its id by listing the tags (`GET /tags`, which names them all, so one list serves a
/// whole run); names compare without regard to case, as Intercom's do. The contacts a line names are resolved one by
/// one by a ``ContactResolver`` (an id the run knows is checked first); one the workspace does not have is skipped, as v1 skipped
/// unknown users, and listed in the result's `not_found`. Tagging is one `POST /tags` for every contact (it creates a
/// missing tag); untagging is one `DELETE /contacts/{id}/tags/{tag_id}` per contact, as 2.x offers no bulk untag.
public struct TagPlan: OperationPlan {
    /// What the operation is for.
    public enum Goal: Sendable, Equatable {
        /// `get_tag`: the tag with this name.
        case find(String)
        /// `create_tag`/`update_tag` with `tag` (or no action): create the tag if needed and put it on these users.
        case tag(String, [UserIdentifier])
        /// `create_tag`/`update_tag` with `untag`: take the tag off these users.
        case untag(String, [UserIdentifier])
        /// `delete_tag`: delete the tag with this name (found in a fresh list, never by a remembered id).
        case delete(String)
    }

    enum Phase: Sendable, Equatable {
        case idle, listing, resolving(Int, ContactResolver), tagging, untagging(Int), deleting(JSONValue)
    }

    let goal: Goal
    var tagID: String?
    /// The contact id the run's directory holds for each user, a candidate checked before use.
    let candidates: [String?]
    /// The contact id of each user, once resolved.
    var contactIDs: [String?]
    var phase = Phase.idle
    var missing: [UserIdentifier] = []
    /// Contacts the answers showed.
    public private(set) var learned: [JSONValue] = []
    /// Directory ids that no longer carry their identifier.
    public private(set) var forgotten: [String] = []
    /// Tags the answers showed.
    public private(set) var learnedTags: [JSONValue] = []
    /// The tag a delete took away.
    public private(set) var forgottenTags: [String] = []

    /// A plan for `goal`; `knownTagID` is the id the run knows for the tag's name, `knownContactIDs` the contact id
    /// it knows for each user (nil where it knows none).
    public init(_ goal: Goal, knownTagID: String? = nil, knownContactIDs: [String?] = []) {
        self.goal = goal
        self.tagID = knownTagID
        self.candidates = knownContactIDs + Array(repeating: nil, count: max(0, goal.users.count - knownContactIDs.count))
        self.contactIDs = Array(repeating: nil, count: goal.users.count)
    }

    /// The first step.
    public mutating func start() -> PlanStep {
        if case .untag = goal, tagID == nil { return list() }
        if case .find = goal { return list() }
        if case .delete = goal { return list() }
        return nextContact(from: 0)
    }

    /// The step after the outcome of the request last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        switch (phase, outcome) {
        case (.listing, .success(let response)):
            return listed(response.body)
        case (.resolving(let index, var resolver), _):
            let step = resolver.received(outcome)
            forgotten += resolver.forgotten
            return resolved(index, step, resolver)
        case (.tagging, .success(let response)):
            if let body = response.body { learnedTags.append(body) }
            return .finish(withMissing(response.body ?? .null))
        case (.untagging(let index), .success):
            return untag(from: index + 1)
        case (.untagging(let index), .failure(let failure)) where failure.type == .api(.notFound):
            return untag(from: index + 1)
        case (.deleting(let tag), .success):
            if let id = tag["id"]?.stringValue { forgottenTags.append(id) }
            guard case .object(var deleted) = tag else { return .finish(tag) }
            deleted["deleted"] = true
            return .finish(.object(deleted))
        case (_, .failure(let failure)):
            return .fail(failure)
        default:
            return .fail(ResultRecord.Failure(type: .api(.invalidResponse), message: "an answer came before any request"))
        }
    }

    private mutating func list() -> PlanStep {
        phase = .listing
        return .send(.listTags, retryAs: .read)
    }

    /// The tag list: every tag is learned; the goal's tag is found by name.
    private mutating func listed(_ body: JSONValue?) -> PlanStep {
        let tags = body?["data"]?.arrayValue ?? []
        learnedTags += tags
        let tag: JSONValue
        switch Self.tag(named: goal.name, in: tags) {
        case .success(let found): tag = found
        case .failure(let failure): return .fail(failure)
        }
        guard let id = tag["id"]?.stringValue else {
            return .fail(ResultRecord.Failure(type: .api(.invalidResponse), message: "the tag \(goal.name) has no id"))
        }
        if case .find = goal { return .finish(tag) }
        if case .delete = goal {
            phase = .deleting(tag)
            return .send(IntercomRequest(method: .delete, path: "tags/" + IntercomRequest.pathSegment(id)), retryAs: .write)
        }
        tagID = id
        return nextContact(from: 0)
    }

    /// The tag named `name` in a tag list: the one named exactly so, or else the one named so without regard to case;
    /// none is `not_found`, several without an exact one are `ambiguous` (nothing is acted on).
    static func tag(named name: String, in tags: [JSONValue]) -> Result<JSONValue, ResultRecord.Failure> {
        let folded = tags.filter { $0["name"]?.stringValue?.lowercased() == name.lowercased() }
        let exact = folded.filter { $0["name"]?.stringValue?.isSameText(as: name) == true }
        if exact.count == 1 { return .success(exact[0]) }
        switch folded.count {
        case 0: return .failure(ResultRecord.Failure(type: .api(.notFound), status: 404, message: "no tag is named \(name)"))
        case 1: return .success(folded[0])
        default:
            let names = folded.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
            return .failure(ResultRecord.Failure(type: .ambiguous, message: "\(folded.count) tags are named \(name) without regard to case (\(names)); give the exact name"))
        }
    }

    /// Resolves the next user, from `index`; once all are, tags or untags.
    private mutating func nextContact(from index: Int) -> PlanStep {
        let users = goal.users
        if index < users.count {
            var resolver = ContactResolver(users[index], candidate: candidates[index])
            return resolved(index, resolver.start(), resolver)
        }
        if case .untag = goal { return untag(from: 0) }
        phase = .tagging
        let ids = contactIDs.compactMap { $0 }
        var body: JSONObject = ["name": .string(goal.name)]
        if !users.isEmpty { body["users"] = .array(ids.map { ["id": .string($0)] }) }
        return .send(.createRestTag(body), retryAs: .idempotentWrite)
    }

    /// Where the resolution of user `index` leads: its read is sent; a contact found is kept; one not found is
    /// listed as missing; any other failure fails the line (nothing was changed yet).
    private mutating func resolved(_ index: Int, _ step: ContactResolver.Step, _ resolver: ContactResolver) -> PlanStep {
        phase = .resolving(index, resolver)
        switch step {
        case .send(let request):
            return .send(request, retryAs: .read)
        case .found(let contact):
            learned.append(contact)
            contactIDs[index] = contact["id"]?.stringValue
        case .failed(let failure) where failure.type == .api(.notFound):
            missing.append(goal.users[index])
        case .failed(let failure):
            return .fail(failure)
        }
        return nextContact(from: index + 1)
    }

    /// Takes the tag off the next contact found; once none is left, finishes.
    private mutating func untag(from index: Int) -> PlanStep {
        guard let tagID else { return .fail(ResultRecord.Failure(type: .invalidInput, message: "no tag id")) }
        if let next = (index..<contactIDs.count).first(where: { contactIDs[$0] != nil }), let contactID = contactIDs[next] {
            phase = .untagging(next)
            return .send(.untagContact(id: contactID, tagID: tagID), retryAs: .idempotentWrite)
        }
        let users = contactIDs.compactMap { $0 }.map { JSONValue.object(["id": .string($0), "tagged": false]) }
        return .finish(withMissing(["type": "tag", "id": .string(tagID), "name": .string(goal.name), "users": .array(users)]))
    }

    /// The result, with the users no contact was found for listed under `not_found`.
    private func withMissing(_ result: JSONValue) -> JSONValue {
        guard !missing.isEmpty, case .object(var object) = result else { return result }
        object["not_found"] = .array(missing.map { .string($0.description) })
        return .object(object)
    }
}

extension TagPlan.Goal {
    /// The tag's name.
    var name: String {
        switch self {
        case .find(let name), .tag(let name, _), .untag(let name, _), .delete(let name): name
        }
    }

    /// The users the tag goes on or comes off.
    public var users: [UserIdentifier] {
        switch self {
        case .find, .delete: []
        case .tag(_, let users), .untag(_, let users): users
        }
    }
}
