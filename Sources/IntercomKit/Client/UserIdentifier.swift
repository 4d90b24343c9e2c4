/// Who a user-scoped call is about: a `user_id`, an `email`, or both.
public struct UserIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// Your application's id for the user.
    public var userID: String?
    /// The user's email address.
    public var email: String?

    /// Identifies a user by `user_id`, `email` or both; at least one must be given when the request is built.
    public init(userID: String? = nil, email: String? = nil) {
        self.userID = userID
        self.email = email
    }

    /// A user identified by `user_id`.
    public static func userID(_ value: String) -> UserIdentifier { UserIdentifier(userID: value) }

    /// A user identified by email address.
    public static func email(_ value: String) -> UserIdentifier { UserIdentifier(email: value) }

    /// Reads a bare identifier the way people type one: with an `@` it is an email, otherwise a user_id.
    public static func guess(_ identifier: String) -> UserIdentifier {
        identifier.contains("@") ? .email(identifier) : .userID(identifier)
    }

    /// `user_id=…` or `email=…` (or both), for messages.
    public var description: String {
        [userID.map { "user_id=\($0)" }, email.map { "email=\($0)" }].compactMap { $0 }.joined(separator: " ")
    }

    /// The identifier's fields for a JSON body, or a ``ParameterError`` when neither is set.
    func checkedFields(capacity: Int = 2) throws -> JSONObject {
        var fields = JSONObject(minimumCapacity: capacity)
        if let userID, !userID.isEmpty { fields["user_id"] = .string(userID) }
        if let email, !email.isEmpty { fields["email"] = .string(email) }
        guard !fields.isEmpty else {
            throw ParameterError(parameter: "user_id", message: "either user_id or email must be given")
        }
        return fields
    }

    /// The identifier as query parameters.
    func checkedQuery() throws -> [(name: String, value: String)] {
        let fields = try checkedFields()
        return ["user_id", "email"].compactMap { key in fields[key]?.stringValue.map { (key, $0) } }
    }
}
