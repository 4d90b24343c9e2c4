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
    var json: JSONObject { Dictionary(uniqueKeysWithValues: members.lazy.map { ($0.key, $0.value) }) }

    /// Appends the `contact` object as compact JSON with sorted keys: the text `JSONValue.object(json)` writes,
    /// without building and sorting a dictionary.
    func write(to output: inout [UInt8]) {
        JSONValue.writeObject(orderedMembers: members, to: &output)
    }

    /// The `contact` object's members in key order (UTF-8 byte order), each key once: the one list ``json`` and
    /// ``write(to:)`` read. Keys the sandbox has no data for (``absentKeys``) are null.
    var members: [(key: String, value: JSONValue)] {
        let id = record.intercomID
        return [
            ("android_app_name", .null), ("android_app_version", .null), ("android_device", .null), ("android_last_seen_at", .null),
            ("android_os_version", .null), ("android_sdk_version", .null),
            ("avatar", record.avatarURL.map { ["type": "avatar", "image_url": .string($0)] } ?? .null),
            ("browser", .null), ("browser_language", .null), ("browser_version", .null),
            ("companies", Self.addressableList("company", ids: companyIDs.map(JSONValue.string), url: "/contacts/\(id)/companies")),
            ("created_at", .integer(state.createdAt)), ("custom_attributes", .object(record.customData)),
            ("email", .string(record.email ?? "")), ("email_domain", .string(record.email.map(Self.domain) ?? "")),
            ("external_id", Self.text(record.userID)), ("formatted_phone", .null), ("has_hard_bounced", false), ("id", .string(id)),
            ("ios_app_name", .null), ("ios_app_version", .null), ("ios_device", .null), ("ios_last_seen_at", .null), ("ios_os_version", .null),
            ("ios_sdk_version", .null), ("language_override", .null), ("last_contacted_at", .null), ("last_email_clicked_at", .null),
            ("last_email_opened_at", .null), ("last_replied_at", .null), ("last_seen_at", record.lastImpressionAt.map(JSONValue.integer) ?? .null),
            ("location", Self.location), ("marked_email_as_spam", false), ("name", Self.text(record.name)),
            ("notes", Self.addressableList("note", ids: noteIDs.map { .string(String($0)) }, url: "/contacts/\(id)/notes")),
            ("os", .null), ("owner_id", .null), ("phone", Self.text(state.phone)), ("role", .string(state.role)),
            ("signed_up_at", .integer(record.createdAt)), ("social_profiles", Self.socialProfiles),
            ("tags", Self.addressableList("tag", ids: tagIDs.map(JSONValue.string), url: "/contacts/\(id)/tags")),
            ("type", "contact"), ("unsubscribed_from_emails", .bool(record.unsubscribedFromEmails)), ("updated_at", .integer(state.updatedAt)),
            ("workspace_id", .string(Self.workspaceID)),
        ]
    }

    /// The contact's location: the sandbox knows none of it.
    static let location: JSONValue = ["type": "location", "country": .null, "region": .null, "city": .null, "country_code": .null, "continent_code": .null]

    /// The contact's social profiles: always none.
    static let socialProfiles: JSONValue = ["type": "list", "data": []]

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
