public import IntercomKit

/// What an operation asks of the REST API (2.x).
public enum RestGoal: Sendable {
    /// Something on one contact, or on pages of contacts.
    case contact(ContactPlan.Goal)
    /// Something on a tag.
    case tag(TagPlan.Goal)
    /// Something on a conversation (v1's message threads).
    case conversation(ConversationPlan.Goal)
    /// A teammate's action on a conversation.
    case conversationAction(ConversationActionPlan.Goal)
    /// Pages of the contacts that carry the tag with this name (its id is looked up first): page `page`, or
    /// (`all`) every page.
    case taggedPage(tagName: String, page: Int, perPage: Int, all: Bool)
    /// Every contact, or every one with a tag, one record each.
    case allContacts(perPage: Int, tagID: String?)
    /// Every contact matching a search query, one record each.
    case search(SearchQuery, perPage: Int)
    /// Any request (`api`): its answer as the server sent it, or every item of its pages.
    case api(APICall)
    /// One request whose answer, as sent, is the result, retried as `effect` allows.
    case request(IntercomRequest, OperationEffect)
    /// Something on a company.
    case company(CompanyPlan.Goal)
    /// `create user`/`update user` with v1's `company`/`companies`: each company upserted (`POST /companies`), the
    /// contact upserted, then attached to each.
    case upsertWithCompanies(UserIdentifier, JSONObject, companies: [JSONObject])
    /// Every item of the pages of a read, from this first request (``APIPageWalk``).
    case walk(IntercomRequest)
    /// Every item of a kind an export pulls out, one record each.
    case export(ExportGoal)
}

extension RestGoal {
    /// The custom attributes the goal sets on a contact and on companies (all of them, by name).
    public var customAttributes: (contact: JSONObject, company: JSONObject) {
        func custom(_ fields: JSONObject) -> JSONObject { fields["custom_attributes"]?.objectValue ?? [:] }
        switch self {
        case .contact(.upsert(_, let fields)): return (custom(fields), [:])
        case .upsertWithCompanies(_, let fields, let companies):
            return (custom(fields), companies.reduce(into: [:]) { all, company in all.merge(custom(company)) { first, _ in first } })
        case .company(.upsert(let fields)), .company(.update(_, let fields)): return ([:], custom(fields))
        default: return ([:], [:])
        }
    }
}

extension Operation {
    /// What the operation asks of the REST API (2.x), its parameters checked as for v1.
    /// - Throws: ``ResultRecord/Failure``: `invalid_input` for a bad parameter or one with no 2.x counterpart,
    ///   `unsupported` for an operation 2.x cannot carry out.
    public func restGoal(now: () -> Int64) throws(ResultRecord.Failure) -> RestGoal {
        let p: CheckedParameters
        do { p = try checkedParameters() } catch { throw .invalidInput(error.message) }
        guard let build = definition.rest else {
            throw ResultRecord.Failure(type: .unsupported, message: "\(name.rawValue) has no counterpart on the REST API (2.x); nothing was sent")
        }
        return try build(self, p, now)
    }
}
