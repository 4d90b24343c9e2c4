/// The fields `create_user` and `update_user` send, as python-intercom 0.2.13 names them.
///
/// Unset fields are left out of the request. `companies` is write-only: the server answers with `company_ids`.
public struct UserAttributes: Sendable, Hashable {
    /// Your application's id for the user (required when there is no email).
    public var userID: String?
    /// The user's email (required when there is no user_id).
    public var email: String?
    /// The user's full name.
    public var name: String?
    /// When the user signed up (Unix seconds).
    public var createdAt: Int64?
    /// Flat key/value data: string keys; string, number or boolean values.
    public var customData: JSONObject?
    /// The last IP address the user came from (the server derives `location_data` from it).
    public var lastSeenIP: String?
    /// The last user agent the user came with.
    public var lastSeenUserAgent: String?
    /// The companies the user belongs to: objects with at least an `id`.
    public var companies: [JSONObject]?
    /// When the user last used your application (sent as `last_request_at`).
    public var lastRequestAt: Int64?
    /// The same moment under its other name (sent as `last_impression_at`).
    public var lastImpressionAt: Int64?
    /// Whether the user unsubscribed from emails.
    public var unsubscribedFromEmails: Bool?
    /// One company the user belongs to, sent as `company` (an object with at least an `id`).
    public var company: JSONObject?
    /// Numbers to add to numeric custom_data keys (`{"logins": 2}`), sent as `increments`.
    public var increments: JSONObject?

    /// Creates a set of attributes; every field is optional.
    public init(
        userID: String? = nil,
        email: String? = nil,
        name: String? = nil,
        createdAt: Int64? = nil,
        customData: JSONObject? = nil,
        lastSeenIP: String? = nil,
        lastSeenUserAgent: String? = nil,
        companies: [JSONObject]? = nil,
        lastRequestAt: Int64? = nil,
        lastImpressionAt: Int64? = nil,
        unsubscribedFromEmails: Bool? = nil,
        company: JSONObject? = nil,
        increments: JSONObject? = nil
    ) {
        self.userID = userID
        self.email = email
        self.name = name
        self.createdAt = createdAt
        self.customData = customData
        self.lastSeenIP = lastSeenIP
        self.lastSeenUserAgent = lastSeenUserAgent
        self.companies = companies
        self.lastRequestAt = lastRequestAt
        self.lastImpressionAt = lastImpressionAt
        self.unsubscribedFromEmails = unsubscribedFromEmails
        self.company = company
        self.increments = increments
    }

    /// The JSON body, checked: an identifier is present, custom_data is flat, every company has an id, increments
    /// are numbers.
    func checkedBody() throws -> JSONObject {
        var body = try UserIdentifier(userID: userID, email: email).checkedFields(capacity: 14)
        if let name { body["name"] = .string(name) }
        if let createdAt { body["created_at"] = .integer(createdAt) }
        if let customData {
            try CustomDataRules.checkCustomData(customData)
            body["custom_data"] = .object(customData)
        }
        if let lastSeenIP { body["last_seen_ip"] = .string(lastSeenIP) }
        if let lastSeenUserAgent { body["last_seen_user_agent"] = .string(lastSeenUserAgent) }
        if let companies {
            for (index, company) in companies.enumerated() where company["id"] == nil || company["id"]?.isNull == true {
                throw ParameterError(parameter: "companies[\(index)].id", message: "companies[\(index)] has no id")
            }
            body["companies"] = .array(companies.map(JSONValue.object))
        }
        if let lastRequestAt { body["last_request_at"] = .integer(lastRequestAt) }
        if let lastImpressionAt { body["last_impression_at"] = .integer(lastImpressionAt) }
        if let unsubscribedFromEmails { body["unsubscribed_from_emails"] = .bool(unsubscribedFromEmails) }
        if let company {
            guard let id = company["id"], !id.isNull else { throw ParameterError(parameter: "company.id", message: "company has no id") }
            body["company"] = .object(company)
        }
        if let increments {
            if let (key, _) = increments.first(where: { $0.value.doubleValue == nil }) {
                throw ParameterError(parameter: "increments.\(key)", message: "increments.\(key) must be a number")
            }
            body["increments"] = .object(increments)
        }
        return body
    }
}
