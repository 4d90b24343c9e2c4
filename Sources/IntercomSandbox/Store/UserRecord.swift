import IntercomKit

/// One user as the sandbox stores it.
struct UserRecord: Sendable {
    /// Position in creation order: the key of the store's ordered user table.
    let sequence: Int
    let intercomID: String
    var userID: String?
    var email: String?
    var name: String?
    var createdAt: Int64
    var lastImpressionAt: Int64?
    var customData: JSONObject = [:]
    var socialProfiles: [JSONValue] = []
    var locationData: JSONObject = [:]
    var sessionCount: Int64 = 0
    var lastSeenIP: String?
    var lastSeenUserAgent: String?
    var unsubscribedFromEmails = false
    var avatarURL: String?
    var companyIDs: [JSONValue] = []

    /// The user as the v1 API renders it (the fixture `v1-user.json`'s fields).
    var json: JSONValue {
        .object([
            "intercom_id": .string(intercomID),
            "email": email.map(JSONValue.string) ?? .null,
            "user_id": userID.map(JSONValue.string) ?? .null,
            "name": name.map(JSONValue.string) ?? .null,
            "created_at": .integer(createdAt),
            "last_impression_at": lastImpressionAt.map(JSONValue.integer) ?? .null,
            "custom_data": .object(customData),
            "social_profiles": .array(socialProfiles),
            "location_data": .object(locationData),
            "session_count": .integer(sessionCount),
            "last_seen_ip": lastSeenIP.map(JSONValue.string) ?? .null,
            "last_seen_user_agent": lastSeenUserAgent.map(JSONValue.string) ?? .null,
            "unsubscribed_from_emails": .bool(unsubscribedFromEmails),
            "avatar_url": avatarURL.map(JSONValue.string) ?? .null,
            "company_ids": .array(companyIDs),
        ])
    }

    /// The author object of a message this user wrote.
    var authorJSON: JSONValue {
        .object([
            "email": email.map(JSONValue.string) ?? .null,
            "user_id": userID.map(JSONValue.string) ?? .null,
            "name": name.map(JSONValue.string) ?? .null,
            "is_admin": false,
            "avatar": [:],
        ])
    }
}

/// The writable fields of a user, read from a create or update request.
struct UserChanges: Sendable {
    var userID: String?
    var email: String?
    var name: String?
    var createdAt: Int64?
    var customData: JSONObject?
    var lastSeenIP: String?
    var lastSeenUserAgent: String?
    var companies: [JSONObject]?
    var lastImpressionAt: Int64?
    var unsubscribedFromEmails: Bool?
    var increments: [String: Double]?
}
