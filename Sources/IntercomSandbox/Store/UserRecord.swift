public import IntercomKit

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

extension UserRecord {
    /// The user back from its ``json`` rendering, as the store keeps it; nil if `json` is not such a rendering.
    init?(sequence: Int, json: JSONValue) {
        guard let intercomID = json["intercom_id"]?.stringValue, let createdAt = json["created_at"]?.integerValue else { return nil }
        self.init(sequence: sequence, intercomID: intercomID, createdAt: createdAt)
        userID = json["user_id"]?.stringValue
        email = json["email"]?.stringValue
        name = json["name"]?.stringValue
        lastImpressionAt = json["last_impression_at"]?.integerValue
        customData = json["custom_data"]?.objectValue ?? [:]
        socialProfiles = json["social_profiles"]?.arrayValue ?? []
        locationData = json["location_data"]?.objectValue ?? [:]
        sessionCount = json["session_count"]?.integerValue ?? 0
        lastSeenIP = json["last_seen_ip"]?.stringValue
        lastSeenUserAgent = json["last_seen_user_agent"]?.stringValue
        unsubscribedFromEmails = json["unsubscribed_from_emails"]?.boolValue ?? false
        avatarURL = json["avatar_url"]?.stringValue
        companyIDs = json["company_ids"]?.arrayValue ?? []
    }
}

/// The writable fields of a user, read from a create or update request.
public struct UserChanges: Sendable {
    /// No changes: set the fields to change.
    public init() {}

    public var userID: String?
    public var email: String?
    public var name: String?
    public var createdAt: Int64?
    public var customData: JSONObject?
    public var lastSeenIP: String?
    public var lastSeenUserAgent: String?
    public var companies: [JSONObject]?
    public var lastImpressionAt: Int64?
    public var unsubscribedFromEmails: Bool?
    public var increments: [String: Double]?
}
