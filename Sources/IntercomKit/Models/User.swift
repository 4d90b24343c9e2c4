/// An Intercom user as `GET /v1/users` returns it.
public struct User: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject

    /// Wraps a user object.
    public init(json: JSONObject) { self.json = json }

    /// Intercom's own id (24 hex digits).
    public var intercomID: String? { string("intercom_id") }
    /// Your application's id for the user.
    public var userID: String? { string("user_id") }
    /// The user's email address.
    public var email: String? { string("email") }
    /// The user's full name.
    public var name: String? { string("name") }
    /// When the user was created (Unix seconds).
    public var createdAt: Int64? { integer("created_at") }
    /// When the user last used your application (Unix seconds).
    public var lastImpressionAt: Int64? { integer("last_impression_at") }
    /// Your own flat key/value data about the user.
    public var customData: JSONObject { object("custom_data") ?? [:] }
    /// Social network profiles Intercom found for the user.
    public var socialProfiles: [SocialProfile] { models("social_profiles") }
    /// Where the user was last seen, derived from `last_seen_ip`.
    public var locationData: LocationData? { object("location_data").map(LocationData.init(json:)) }
    /// How many sessions the user has had.
    public var sessionCount: Int64? { integer("session_count") }
    /// The last IP address the user came from.
    public var lastSeenIP: String? { string("last_seen_ip") }
    /// The last user agent the user came with.
    public var lastSeenUserAgent: String? { string("last_seen_user_agent") }
    /// Whether the user unsubscribed from emails.
    public var unsubscribedFromEmails: Bool? { bool("unsubscribed_from_emails") }
    /// The user's avatar image.
    public var avatarURL: String? { string("avatar_url") }
    /// The ids of the companies the user belongs to (companies themselves are write-only).
    public var companyIDs: [JSONValue] { json["company_ids"]?.arrayValue ?? [] }
    /// Intercom's relationship score, when the server sends one.
    public var relationshipScore: Int64? { integer("relationship_score") }
}

/// One social network profile of a user.
public struct SocialProfile: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a social profile object.
    public init(json: JSONObject) { self.json = json }
    /// The network ("twitter", "facebook", ...).
    public var type: String? { string("type") }
    /// The profile's address.
    public var url: String? { string("url") }
    /// The user name on that network.
    public var username: String? { string("username") }
    /// The network's id for the user, when known.
    public var id: String? { string("id") }
}

/// Where a user was last seen.
public struct LocationData: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a location object.
    public init(json: JSONObject) { self.json = json }
    /// City.
    public var cityName: String? { string("city_name") }
    /// Two-letter continent code.
    public var continentCode: String? { string("continent_code") }
    /// Country.
    public var countryName: String? { string("country_name") }
    /// Three-letter country code.
    public var countryCode: String? { string("country_code") }
    /// Latitude in degrees.
    public var latitude: Double? { json["latitude"]?.doubleValue }
    /// Longitude in degrees.
    public var longitude: Double? { json["longitude"]?.doubleValue }
    /// Postal code.
    public var postalCode: String? { string("postal_code") }
    /// Region.
    public var regionName: String? { string("region_name") }
    /// Time zone name.
    public var timezone: String? { string("timezone") }
}

/// One page of `GET /v1/users`.
public struct UserPage: JSONModel {
    /// The whole object as the server sent it.
    public let json: JSONObject
    /// Wraps a page object.
    public init(json: JSONObject) { self.json = json }
    /// The users on this page.
    public var users: [User] { models("users") }
    /// How many users the app has (or match the tag filter).
    public var totalCount: Int64? { integer("total_count") }
    /// This page's number, from 1.
    public var page: Int64? { integer("page") }
    /// The next page's number, or `nil` on the last page.
    public var nextPage: Int64? { integer("next_page") }
    /// The previous page's number, or `nil` on the first page.
    public var previousPage: Int64? { integer("previous_page") }
    /// How many pages there are.
    public var totalPages: Int64? { integer("total_pages") }
}
