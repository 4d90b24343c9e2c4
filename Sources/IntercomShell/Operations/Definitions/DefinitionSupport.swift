import IntercomKit

/// Parameter lists several operations share.
enum CommonParameters {
    /// A user's names: user_id and email.
    static let ident = [ParameterSpec("user_id", .identifier), ParameterSpec("email", .string)]
    /// The fields of a v1 user.
    static let userFields = ident + [
        ParameterSpec("name", .string), ParameterSpec("created_at", .timestamp), ParameterSpec("custom_data", .flatObject),
        ParameterSpec("last_seen_ip", .string), ParameterSpec("last_seen_user_agent", .string),
        ParameterSpec("companies", .companies), ParameterSpec("last_request_at", .timestamp),
        ParameterSpec("last_impression_at", .timestamp), ParameterSpec("unsubscribed_from_emails", .boolean),
        ParameterSpec("company", .company), ParameterSpec("increments", .increments),
    ]
}

extension CheckedParameters {
    /// The user the line names; `invalid_input` when it names none.
    func user() throws(ResultRecord.Failure) -> UserIdentifier {
        let user = identifier
        guard user.userID != nil || user.email != nil else { throw .invalidInput("either user_id or email must be given") }
        return user
    }

    /// The non-empty string parameter `key`; `invalid_input` when it is missing.
    func text(_ key: String) throws(ResultRecord.Failure) -> String {
        do { return try required(key) } catch { throw .invalidInput(error.message) }
    }
}

extension ResultRecord.Failure {
    /// An `invalid_input` failure.
    static func invalidInput(_ message: String) -> ResultRecord.Failure {
        ResultRecord.Failure(type: .invalidInput, message: message)
    }
}

extension String {
    /// Whether the two texts are the same Unicode scalars: identifiers from the API match what a line names only so,
    /// not merely when canonically equal, as Swift's `==` has it (`é` as one scalar or as `e` and an accent).
    func isSameText(as other: String) -> Bool { unicodeScalars.elementsEqual(other.unicodeScalars) }
}
