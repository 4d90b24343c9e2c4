public import IntercomKit

/// Parameters that passed their checks, with typed getters.
public struct CheckedParameters: Sendable {
    /// The checked values, by parameter name.
    public let values: JSONObject

    /// Parameters already checked.
    init(values: JSONObject) { self.values = values }

    func string(_ key: String) -> String? { values[key]?.stringValue }
    func int64(_ key: String) -> Int64? { values[key]?.integerValue }
    func int(_ key: String) -> Int? { int64(key).map { Int(clamping: $0) } }
    func bool(_ key: String) -> Bool? { values[key]?.boolValue }
    func object(_ key: String) -> JSONObject? { values[key]?.objectValue }
    func strings(_ key: String) -> [String]? { values[key]?.arrayValue?.compactMap(\.stringValue) }

    func required(_ key: String) throws(InputError) -> String {
        guard let text = string(key), !text.isEmpty else { throw InputError("\(key) is required") }
        return text
    }

    var identifier: UserIdentifier { UserIdentifier(userID: string("user_id"), email: string("email")) }

    /// `thread_id` as v1 takes it: a whole number (a 2.x conversation id may be any text).
    func v1ThreadID() throws(InputError) -> Int64? {
        guard let text = string("thread_id") else { return nil }
        guard let number = Int64(text) else { throw InputError("thread_id on v1 is a whole number, not '\(text)'") }
        return number
    }

    var tagAction: TagAction? { string("tag_or_untag").flatMap(TagAction.init(rawValue:)) }

    var userAttributes: UserAttributes {
        UserAttributes(
            userID: string("user_id"), email: string("email"), name: string("name"), createdAt: int64("created_at"),
            customData: object("custom_data"), lastSeenIP: string("last_seen_ip"), lastSeenUserAgent: string("last_seen_user_agent"),
            companies: values["companies"]?.arrayValue?.compactMap(\.objectValue), lastRequestAt: int64("last_request_at"),
            lastImpressionAt: int64("last_impression_at"), unsubscribedFromEmails: bool("unsubscribed_from_emails"),
            company: object("company"), increments: object("increments"))
    }
}
