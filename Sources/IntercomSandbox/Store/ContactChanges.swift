import IntercomKit

/// The writable fields of a contact, read from a REST API (2.x) create or update body.
struct ContactChanges: Sendable {
    var externalID: String?
    var email: String?
    var role: String?
    var name: String?
    var phone: String?
    var avatar: String?
    var signedUpAt: Int64?
    var lastSeenAt: Int64?
    var unsubscribedFromEmails: Bool?
    var customAttributes: JSONObject?

    /// The keys a create or update may carry.
    static let keys: Set<String> = [
        "external_id", "email", "role", "name", "phone", "avatar", "signed_up_at", "last_seen_at", "owner_id",
        "unsubscribed_from_emails", "custom_attributes", "email_verified", "language_override",
    ]

    /// Reads the body; an unknown key, a wrong type or a role other than user or lead is a 400.
    init(_ p: RequestParameters) throws(SandboxError) {
        if let unknown = p.values.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw SandboxError.restInvalid("\(unknown) is not a contact attribute")
        }
        externalID = try p.identifier("external_id")
        email = try p.string("email").flatMap { $0.isEmpty ? nil : $0 }
        role = try p.string("role")
        if let role, role != "user" && role != "lead" { throw SandboxError.restInvalid("role must be user or lead, not \(role)") }
        name = try p.string("name")
        phone = try p.string("phone")
        avatar = try p.string("avatar")
        signedUpAt = try p.integer("signed_up_at")
        lastSeenAt = try p.integer("last_seen_at")
        unsubscribedFromEmails = try p.bool("unsubscribed_from_emails")
        customAttributes = try p.flatObject("custom_attributes")
    }

    /// Applies the fields to a stored user and its contact state; custom attributes merge.
    func apply(to record: inout UserRecord, _ state: inout ContactState) {
        if let name { record.name = name }
        if let avatar { record.avatarURL = avatar }
        if let signedUpAt { record.createdAt = signedUpAt }
        if let lastSeenAt { record.lastImpressionAt = lastSeenAt }
        if let unsubscribedFromEmails { record.unsubscribedFromEmails = unsubscribedFromEmails }
        if let customAttributes { record.customData.merge(customAttributes) { _, new in new } }
        if let role { state.role = role }
        if let phone { state.phone = phone }
    }
}
