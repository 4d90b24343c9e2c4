import IntercomKit

/// The `contact` object's shape: its members in key order (UTF-8 byte order), each key once, as the one table
/// that ``ContactRendering/json`` and ``ContactRendering/write(to:)`` read.
extension ContactRendering {
    /// How a member's value is had: the same for every contact, read from the contact, or one of its sub-lists.
    enum MemberValue: Sendable {
        case fixed(JSONValue)
        case read(@Sendable (ContactRendering) -> JSONValue)
        case list(SubList)

        /// The value for `contact`.
        func json(of contact: ContactRendering) -> JSONValue {
            switch self {
            case .fixed(let value): value
            case .read(let read): read(contact)
            case .list(let list): list.json(of: contact)
            }
        }

        /// Appends the value for `contact`: the text ``json(of:)`` writes.
        func write(of contact: ContactRendering, to output: inout [UInt8]) {
            switch self {
            case .fixed(let value): value.write(to: &output)
            case .read(let read): read(contact).write(to: &output)
            case .list(let list): list.write(of: contact, to: &output)
            }
        }
    }

    /// The members of every contact, in key order.
    static let shape: [(key: String, value: MemberValue)] = [
        ("android_app_name", .fixed(.null)), ("android_app_version", .fixed(.null)), ("android_device", .fixed(.null)),
        ("android_last_seen_at", .fixed(.null)), ("android_os_version", .fixed(.null)), ("android_sdk_version", .fixed(.null)),
        ("avatar", .read { $0.record.avatarURL.map { ["type": "avatar", "image_url": .string($0)] } ?? .null }),
        ("browser", .fixed(.null)), ("browser_language", .fixed(.null)), ("browser_version", .fixed(.null)),
        ("companies", .list(.companies)),
        ("created_at", .read { .integer($0.state.createdAt) }), ("custom_attributes", .read { .object($0.record.customData) }),
        ("email", .read { .string($0.record.email ?? "") }), ("email_domain", .read { .string($0.record.email.map(domain) ?? "") }),
        ("external_id", .read { text($0.record.userID) }), ("formatted_phone", .fixed(.null)), ("has_hard_bounced", .fixed(false)),
        ("id", .read { .string($0.record.intercomID) }),
        ("ios_app_name", .fixed(.null)), ("ios_app_version", .fixed(.null)), ("ios_device", .fixed(.null)),
        ("ios_last_seen_at", .fixed(.null)), ("ios_os_version", .fixed(.null)), ("ios_sdk_version", .fixed(.null)),
        ("language_override", .fixed(.null)), ("last_contacted_at", .fixed(.null)), ("last_email_clicked_at", .fixed(.null)),
        ("last_email_opened_at", .fixed(.null)), ("last_replied_at", .fixed(.null)),
        ("last_seen_at", .read { $0.record.lastImpressionAt.map(JSONValue.integer) ?? .null }),
        ("location", .fixed(location)), ("marked_email_as_spam", .fixed(false)), ("name", .read { text($0.record.name) }),
        ("notes", .list(.notes)),
        ("os", .fixed(.null)), ("owner_id", .fixed(.null)), ("phone", .read { text($0.state.phone) }), ("role", .read { .string($0.state.role) }),
        ("signed_up_at", .read { .integer($0.record.createdAt) }), ("social_profiles", .fixed(socialProfiles)),
        ("tags", .list(.tags)),
        ("type", .fixed("contact")), ("unsubscribed_from_emails", .read { .bool($0.record.unsubscribedFromEmails) }),
        ("updated_at", .read { .integer($0.state.updatedAt) }), ("workspace_id", .fixed(.string(workspaceID))),
    ]

    /// Keys the sandbox has no data for, always null.
    static let absentKeys = shape.compactMap { member in
        if case .fixed(.null) = member.value { member.key } else { nil }
    }

    /// The contact's location: the sandbox knows none of it.
    static let location: JSONValue = ["type": "location", "country": .null, "region": .null, "city": .null, "country_code": .null, "continent_code": .null]

    /// The contact's social profiles: always none.
    static let socialProfiles: JSONValue = ["type": "list", "data": []]

    /// A stretch of a written contact: bytes that are the same for every contact (keys, punctuation, fixed values),
    /// or the value of the member at an index of ``shape``.
    enum Segment: Sendable {
        case bytes([UInt8])
        case member(Int)
    }

    /// ``shape`` compiled for writing: each run of keys and fixed values as one stretch of bytes.
    static let template: [Segment] = {
        var segments: [Segment] = []
        var pending: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in shape.enumerated() {
            if index > 0 { pending.append(UInt8(ascii: ",")) }
            JSONValue.string(member.key).write(to: &pending)
            pending.append(UInt8(ascii: ":"))
            if case .fixed(let value) = member.value {
                value.write(to: &pending)
            } else {
                segments.append(.bytes(pending))
                segments.append(.member(index))
                pending = []
            }
        }
        pending.append(UInt8(ascii: "}"))
        segments.append(.bytes(pending))
        return segments
    }()
}
