import IntercomKit

/// Renders a stored user as the REST API's `contact` object (2.16): every documented key, null where empty.
struct ContactRendering: Sendable {
    /// The workspace id the sandbox reports.
    static let workspaceID = "sandbox"

    let record: UserRecord
    let state: ContactState
    /// The ids of the tags on the contact, in tagging order.
    let tagIDs: [String]
    /// The ids of the contact's notes, oldest first.
    let noteIDs: [Int64]
    /// The Intercom ids of the companies the contact is attached to.
    var companyIDs: [String] = []

    /// The `contact` object.
    var json: JSONObject {
        var contact: JSONObject = [
            "type": "contact", "id": .string(record.intercomID), "workspace_id": .string(Self.workspaceID),
            "external_id": Self.text(record.userID), "role": .string(state.role), "email": .string(record.email ?? ""),
            "email_domain": .string(record.email.map(Self.domain) ?? ""), "phone": Self.text(state.phone),
            "name": Self.text(record.name), "avatar": record.avatarURL.map { ["type": "avatar", "image_url": .string($0)] } ?? .null, "owner_id": .null,
            "social_profiles": ["type": "list", "data": []], "has_hard_bounced": false, "marked_email_as_spam": false,
            "unsubscribed_from_emails": .bool(record.unsubscribedFromEmails), "created_at": .integer(state.createdAt),
            "updated_at": .integer(state.updatedAt), "signed_up_at": .integer(record.createdAt),
            "last_seen_at": record.lastImpressionAt.map(JSONValue.integer) ?? .null,
            "custom_attributes": .object(record.customData),
            "tags": Self.addressableList("tag", ids: tagIDs.map(JSONValue.string), url: "/contacts/\(record.intercomID)/tags"),
            "notes": Self.addressableList("note", ids: noteIDs.map { .string(String($0)) }, url: "/contacts/\(record.intercomID)/notes"),
            "companies": Self.addressableList("company", ids: companyIDs.map(JSONValue.string), url: "/contacts/\(record.intercomID)/companies"),
            "location": ["type": "location", "country": .null, "region": .null, "city": .null, "country_code": .null, "continent_code": .null],
        ]
        for key in Self.absentKeys { contact[key] = .null }
        return contact
    }

    /// `{type: "contact", id, external_id}`, to which a deletion or archiving adds `deleted` or `archived`.
    var reference: JSONObject {
        ["type": "contact", "id": .string(record.intercomID), "external_id": Self.text(record.userID)]
    }

    /// Keys the sandbox has no data for, always null.
    static let absentKeys = [
        "last_replied_at", "last_contacted_at", "last_email_opened_at", "last_email_clicked_at", "language_override",
        "browser", "browser_version", "browser_language", "os", "android_app_name", "android_app_version", "android_device",
        "android_os_version", "android_sdk_version", "android_last_seen_at", "ios_app_name", "ios_app_version", "ios_device",
        "ios_os_version", "ios_sdk_version", "ios_last_seen_at", "formatted_phone",
    ]

    /// A sub-list of a contact: at most 10 entries, `has_more` beyond.
    static func addressableList(_ type: String, ids: [JSONValue], url: String) -> JSONValue {
        let shown = ids.prefix(10).map { id -> JSONValue in
            ["type": .string(type), "id": id, "url": .string("/\(type == "company" ? "companies" : type + "s")/\(id.stringValue ?? "")")]
        }
        return ["type": "list", "data": .array(Array(shown)), "url": .string(url), "total_count": .integer(Int64(ids.count)), "has_more": .bool(ids.count > 10)]
    }

    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    static func domain(_ email: String) -> String {
        email.split(separator: "@", maxSplits: 1).dropFirst().first.map { String($0).lowercased() } ?? ""
    }
}
