public import IntercomKit

/// The plan of a company operation on the REST API (2.x): a company named by its `company_id` is found first
/// (`GET /companies?company_id=…`, whose one company must carry it), a contact by its ``ContactResolver``, then the
/// request that acts goes out. A pure state machine.
public struct CompanyPlan: OperationPlan {
    /// How a line names a company.
    public enum Company: Sendable, Equatable {
        /// By the `company_id` the workspace gave it.
        case companyID(String)
        /// By Intercom's id.
        case id(String)
    }

    /// What the operation is for.
    public enum Goal: Sendable, Equatable {
        /// Create, or update the company with this `company_id` (`POST /companies`).
        case upsert(JSONObject)
        /// One company, by `company_id`, id or name.
        case find(Company?, name: String?)
        /// Update the company's fields (`PUT /companies/{id}`).
        case update(Company, JSONObject)
        /// Delete it.
        case delete(Company)
        /// Attach the contact to it, or detach it.
        case attach(Company, UserIdentifier), detach(Company, UserIdentifier)
        /// The contacts attached to it.
        case contacts(Company)
        /// The companies the contact is attached to.
        case companies(of: UserIdentifier)
        /// One page of the companies, by page number.
        case page(Int, perPage: Int)
    }

    enum Phase: Sendable, Equatable {
        case idle, findingCompany(String), resolving(ContactResolver), acting
    }

    let goal: Goal
    let knownContactID: String?
    var companyID: String?
    /// The company the lookup found.
    var found: JSONValue?
    var phase = Phase.idle
    /// Contacts the answers showed.
    public private(set) var learned: [JSONValue] = []
    /// Directory ids that no longer carry the identifier.
    public private(set) var forgotten: [String] = []

    /// A plan for `goal`; `knownContactID` is the id the run's directory holds for its contact, checked before use.
    public init(_ goal: Goal, knownContactID: String? = nil) {
        self.goal = goal
        self.knownContactID = knownContactID
    }

    /// The company the goal names, if any.
    var company: Company? {
        switch goal {
        case .find(let company, _): company
        case .update(let company, _), .delete(let company), .attach(let company, _), .detach(let company, _), .contacts(let company): company
        case .upsert, .companies, .page: nil
        }
    }

    /// The contact the goal names, if any.
    public var user: UserIdentifier? { goal.user }

    public mutating func start() -> PlanStep {
        switch goal {
        case .upsert(let fields):
            phase = .acting
            return .send(IntercomRequest(method: .post, path: "companies", body: fields), retryAs: .idempotentWrite)
        case .find(nil, let name?):
            phase = .findingCompany(name)
            return .send(IntercomRequest(method: .get, path: "companies", query: [("name", name)]), retryAs: .read)
        case .page(let page, let perPage):
            phase = .acting
            return .send(IntercomRequest(method: .get, path: "companies", query: [("page", String(page)), ("per_page", String(perPage))]), retryAs: .read)
        default:
            break
        }
        switch company {
        case .companyID(let given)?:
            phase = .findingCompany(given)
            return .send(IntercomRequest(method: .get, path: "companies", query: [("company_id", given)]), retryAs: .read)
        case .id(let id)?:
            companyID = id
            return afterCompany()
        case nil:
            return afterCompany()
        }
    }

    public mutating func received(_ outcome: Result<IntercomResponse, ResultRecord.Failure>) -> PlanStep {
        switch phase {
        case .idle:
            return .fail(ResultRecord.Failure(type: .api(.invalidResponse), message: "an answer came before any request"))
        case .findingCompany(let given):
            switch outcome {
            case .failure(let failure) where failure.type == .api(.notFound):
                return .fail(ResultRecord.Failure(type: .api(.notFound), status: 404, message: "no company \(given)"))
            case .failure(let failure): return .fail(failure)
            case .success(let response):
                let found: JSONValue
                switch Self.company(in: response.body, given: given, byName: company == nil) {
                case .success(let company): found = company
                case .failure(let failure): return .fail(failure)
                }
                if case .find = goal { return .finish(found) }
                self.found = found
                companyID = found["id"]?.stringValue
                return afterCompany()
            }
        case .resolving(var resolver):
            return resolved(resolver.received(outcome), resolver)
        case .acting:
            switch outcome {
            case .failure(let failure) where failure.type == .api(.notFound) && found != nil && Self.isDetach(goal):
                // The contact is not attached to the company the lookup just found (a retried detach that had been
                // applied, or none to undo): detached is what was asked.
                return .finish(found ?? .null)
            case .success(let response):
                if response.body?["type"]?.stringValue == "contact", let body = response.body { learned.append(body) }
                return .finish(response.body ?? .null)
            case .failure(let failure): return .fail(failure)
            }
        }
    }

    /// The company of a lookup's answer: the one `company` object (with an id) that carries the `company_id`,
    /// compared scalar by scalar; by name, the one whose name is `given` without regard to case, or else exactly so.
    /// Another object, or none, is `invalid_response`; several are `ambiguous`.
    static func company(in body: JSONValue?, given: String, byName: Bool) -> Result<JSONValue, ResultRecord.Failure> {
        let listed = body?["type"]?.stringValue == "company" ? [body ?? .null] : body?["data"]?.arrayValue ?? []
        let companies = listed.filter { $0["type"]?.stringValue == "company" && $0["id"]?.stringValue != nil }
        var matching: [JSONValue]
        if byName {
            matching = companies.filter { $0["name"]?.stringValue?.lowercased() == given.lowercased() }
            let exact = matching.filter { $0["name"]?.stringValue?.isSameText(as: given) == true }
            if matching.count > 1, exact.count == 1 { matching = exact }
        } else {
            matching = companies.filter { $0["company_id"]?.stringValue?.isSameText(as: given) == true }
        }
        switch matching.count {
        case 1: return .success(matching[0])
        case 0:
            return .failure(.init(type: .api(.invalidResponse), message: "the company lookup for \(given) answered with no company carrying it"))
        default:
            let ids = matching.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
            return .failure(.init(type: .ambiguous, message: "\(matching.count) companies answer to \(given) (\(ids)); name one with id=…"))
        }
    }

    /// Whether the first request is the only one, whatever it answers.
    public var isSingleRequest: Bool {
        switch goal {
        case .upsert, .page, .find: true
        default: false
        }
    }

    static func isDetach(_ goal: Goal) -> Bool {
        if case .detach = goal { return true }
        return false
    }

    private mutating func afterCompany() -> PlanStep {
        if let user {
            var resolver = ContactResolver(user, candidate: knownContactID)
            return resolved(resolver.start(), resolver)
        }
        return act(contactID: nil)
    }

    private mutating func resolved(_ step: ContactResolver.Step, _ resolver: ContactResolver) -> PlanStep {
        forgotten = resolver.forgotten
        switch step {
        case .send(let request):
            phase = .resolving(resolver)
            return .send(request, retryAs: .read)
        case .found(let contact):
            learned.append(contact)
            return act(contactID: contact["id"]?.stringValue)
        case .failed(let failure):
            return .fail(failure)
        }
    }

    private mutating func act(contactID: String?) -> PlanStep {
        phase = .acting
        let company = companyID.map(IntercomRequest.pathSegment) ?? ""
        let contact = contactID.map(IntercomRequest.pathSegment) ?? ""
        switch goal {
        case .find: return .send(IntercomRequest(method: .get, path: "companies/" + company), retryAs: .read)
        case .update(_, let fields): return .send(IntercomRequest(method: .put, path: "companies/" + company, body: fields), retryAs: .idempotentWrite)
        case .delete: return .send(IntercomRequest(method: .delete, path: "companies/" + company), retryAs: .write)
        case .attach:
            return .send(IntercomRequest(method: .post, path: "contacts/\(contact)/companies", body: ["id": .string(companyID ?? "")]), retryAs: .idempotentWrite)
        case .detach: return .send(IntercomRequest(method: .delete, path: "contacts/\(contact)/companies/\(company)"), retryAs: .idempotentWrite)
        case .contacts: return .send(IntercomRequest(method: .get, path: "companies/\(company)/contacts"), retryAs: .read)
        case .companies: return .send(IntercomRequest(method: .get, path: "contacts/\(contact)/companies"), retryAs: .read)
        case .upsert, .page: return .fail(ResultRecord.Failure(type: .invalidInput, message: "nothing to do"))
        }
    }
}

extension CompanyPlan.Goal {
    /// The contact the goal names, if any.
    public var user: UserIdentifier? {
        switch self {
        case .attach(_, let user), .detach(_, let user), .companies(let user): user
        default: nil
        }
    }
}
