public import IntercomKit

/// Finds the contact a command names by user_id or email, so that the identifier names the contact that carries it
/// when the request goes out: a pure state machine, embedded in the plans that act on contacts.
///
/// An id the run's directory holds is a candidate only: it is checked with `GET /contacts/{id}` (the contact must
/// still carry the identifier, whatever renamed it), and forgotten and looked up afresh when it does not. A lookup is
/// `find_by_external_id` for a user_id, else a search on the email; its answer is accepted by ``ContactLookup``'s rules.
public struct ContactResolver: Sendable, Equatable {
    /// What to do next.
    public enum Step: Sendable, Equatable {
        /// Send this read.
        case send(IntercomRequest)
        /// This is the contact (a `contact` object carrying the identifier).
        case found(JSONValue)
        /// No contact could be settled on.
        case failed(ResultRecord.Failure)
    }

    enum Phase: Sendable, Equatable {
        case idle
        case verifying(String)
        case lookingUp
    }

    /// The identifier to resolve.
    public let user: UserIdentifier
    var candidate: String?
    var phase = Phase.idle
    /// Candidate ids that no longer carry the identifier, to forget.
    public private(set) var forgotten: [String] = []

    /// A resolver for `user`; `candidate` is the id the run's directory holds for it, if any.
    public init(_ user: UserIdentifier, candidate: String? = nil) {
        self.user = user
        self.candidate = candidate
    }

    /// The first step: check the candidate, or look the identifier up.
    public mutating func start() -> Step {
        guard let candidate else { return lookUp() }
        phase = .verifying(candidate)
        return .send(.contact(id: candidate))
    }

    /// The step after the outcome of the read last sent.
    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> Step {
        switch (phase, outcome) {
        case (.verifying(let id), .success(let response)):
            if let contact = ContactLookup.verified(response.body, id: id, for: user) { return .found(contact) }
            forgotten.append(id)
            return lookUp()
        case (.verifying(let id), .failure(let failure)) where failure.type == .api(.notFound) || failure.type == .api(.gone):
            forgotten.append(id)
            return lookUp()
        case (.lookingUp, .success(let response)):
            switch ContactLookup.accepted(response.body, for: user) {
            case .success(let contact): return .found(contact)
            case .failure(let failure): return .failed(failure)
            }
        case (.lookingUp, .failure(let failure)) where failure.type == .api(.notFound):
            return .failed(ContactLookup.notFound(user))
        case (_, .failure(let failure)):
            return .failed(failure)
        case (.idle, .success):
            return .failed(ResultRecord.Failure(type: .api(.invalidResponse), message: "an answer came before any request"))
        }
    }

    private mutating func lookUp() -> Step {
        phase = .lookingUp
        guard let request = ContactLookup.request(for: user) else {
            return .failed(ResultRecord.Failure(type: .invalidInput, message: "either user_id or email must be given"))
        }
        return .send(request)
    }
}

/// The rules of looking a contact up by the user_id or email a command names it with, and of accepting the answer.
public enum ContactLookup {
    /// The page size of an email search: enough to see every contact that shares an email.
    public static let searchPageSize = 50

    /// `find_by_external_id` for a user_id, else a search on the email; nil when there is neither.
    public static func request(for user: UserIdentifier) -> IntercomRequest? {
        if let userID = user.userID { return .contact(externalID: userID) }
        guard let email = user.email else { return nil }
        return .searchContacts(.filter(field: "email", operator: .equal, value: .string(email)), perPage: searchPageSize)
    }

    /// The contact a lookup answered, accepted only when it is what was asked for: for a user_id, one `contact`
    /// whose `external_id` is that user_id; for an email, the contacts of a `list` whose email is that email
    /// (compared without case), of which the one user is taken, else the one lead. Several users (or, with no
    /// user, several leads) are `ambiguous`; none is `not_found`; any other answer is `invalid_response`.
    public static func accepted(_ body: JSONValue?, for user: UserIdentifier) -> Result<JSONValue, ResultRecord.Failure> {
        if let userID = user.userID {
            guard let contact = body, isContact(contact), contact["external_id"]?.stringValue?.isSameText(as: userID) == true else {
                return .failure(unexpected(body, asked: "the contact with user_id (external_id) \(userID)"))
            }
            return .success(contact)
        }
        let email = (user.email ?? "").lowercased()
        guard body?["type"]?.stringValue == "list", let data = body?["data"]?.arrayValue else {
            return .failure(unexpected(body, asked: "a list of the contacts with the email \(email)"))
        }
        let matches = data.filter { isContact($0) && $0["email"]?.stringValue?.lowercased().isSameText(as: email) == true }
        let users = matches.filter { $0["role"]?.stringValue == "user" }
        let chosen = users.isEmpty ? matches : users
        let morePages = body?["pages"]?["next"] != nil && body?["pages"]?["next"] != .null
        guard chosen.count <= 1, !(morePages && users.count <= 1 && !matches.isEmpty) else {
            let kind = users.isEmpty ? "leads" : "users"
            let ids = chosen.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
            return .failure(
                ResultRecord.Failure(
                    type: .ambiguous,
                    message: "several \(kind) have the email \(email) (\(ids)\(morePages ? ", and more" : "")): name the contact with id=…"))
        }
        guard let contact = chosen.first else { return .failure(notFound(user)) }
        return .success(contact)
    }

    /// The contact `GET /contacts/{id}` answered, when it is that contact, a user (a lead's email may name a user
    /// too), and still carries the identifier (the user_id when one is given, else the email); nil otherwise.
    public static func verified(_ body: JSONValue?, id: String, for user: UserIdentifier) -> JSONValue? {
        guard let contact = body, isContact(contact), contact["id"]?.stringValue?.isSameText(as: id) == true, contact["role"]?.stringValue != "lead" else {
            return nil
        }
        let carries: Bool
        if let userID = user.userID {
            carries = contact["external_id"]?.stringValue?.isSameText(as: userID) == true
        } else {
            carries = user.email.map { contact["email"]?.stringValue?.lowercased().isSameText(as: $0.lowercased()) == true } ?? false
        }
        guard carries else { return nil }
        return contact
    }

    /// Whether `value` is a `contact` object with an id.
    static func isContact(_ value: JSONValue) -> Bool {
        value["type"]?.stringValue == "contact" && !(value["id"]?.stringValue ?? "").isEmpty
    }

    /// The failure of a lookup answered with something other than what it asked for.
    static func unexpected(_ body: JSONValue?, asked: String) -> ResultRecord.Failure {
        let got = body?["type"]?.stringValue.map { "a \($0), which is not a contact" }
            ?? (body == nil || body?.isNull == true ? "an empty answer" : "\(body?.typeDescription ?? "a value") with no type, which is not a contact")
        return ResultRecord.Failure(
            type: .api(.invalidResponse), message: "the lookup of \(asked) was answered with \(got); nothing was changed")
    }

    /// The failure of a lookup that found no contact.
    static func notFound(_ user: UserIdentifier) -> ResultRecord.Failure {
        if let userID = user.userID {
            return ResultRecord.Failure(type: .api(.notFound), status: 404, message: "no contact has the user_id (external_id) \(userID)")
        }
        return ResultRecord.Failure(
            type: .api(.notFound), status: 404,
            message: "no contact has the email \(user.email ?? "") (one created moments ago may not be searchable yet)")
    }
}
