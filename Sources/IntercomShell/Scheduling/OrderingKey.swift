/// What two operations share when they must keep their input order: the user, contact, tag or thread they name.
public enum OrderingKey: Hashable, Sendable {
    /// A user by `user_id`.
    case userID(String)
    /// A user by email, compared without case.
    case email(String)
    /// A tag by name.
    case tag(String)
    /// A message thread by id.
    case thread(String)
    /// A contact by its Intercom id (REST API 2.x).
    case contactID(String)
    /// Another resource of the REST API by its path (`companies/6`).
    case resource(String)

    /// The key of a user named by `email`: emails are compared without case.
    public static func email(normalizing email: String) -> OrderingKey { .email(email.lowercased()) }
}
