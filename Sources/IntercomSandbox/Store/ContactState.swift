import IntercomKit

/// What a contact has in the REST API (2.x) beyond the v1 user it shares the store with: its role, whether it is
/// archived, and when it was created and last changed. A user created through v1 has the defaults.
struct ContactState: Sendable, Hashable {
    var role = "user"
    var archived = false
    var phone: String?
    var createdAt: Int64
    var updatedAt: Int64

    /// The state of a contact that was never touched through 2.x: created and last updated when v1 says it signed up.
    init(defaultFor record: UserRecord) {
        createdAt = record.createdAt
        updatedAt = record.createdAt
    }

    init(createdAt: Int64) {
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    /// The state back from its stored JSON; nil if it is not such a document.
    init?(json: JSONValue) {
        guard let createdAt = json["created_at"]?.integerValue, let updatedAt = json["updated_at"]?.integerValue else { return nil }
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        role = json["role"]?.stringValue ?? "user"
        archived = json["archived"]?.boolValue ?? false
        phone = json["phone"]?.stringValue
    }

    /// The stored form.
    var json: JSONValue {
        [
            "role": .string(role), "archived": .bool(archived), "phone": phone.map(JSONValue.string) ?? .null,
            "created_at": .integer(createdAt), "updated_at": .integer(updatedAt),
        ]
    }
}
