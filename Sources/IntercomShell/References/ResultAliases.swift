public import IntercomKit

/// The v1 names a reference may use for the fields of a REST API (2.x) result, so that scripts written for v1 run
/// unchanged: a field is looked up by its own name first, then by the alias its object's `type` gives it.
///
/// | result (`type`) | v1 name | 2.x field |
/// |---|---|---|
/// | `contact` | `user_id` | `external_id` |
/// | `contact` | `intercom_id` | `id` |
/// | `contact` | `custom_data` | `custom_attributes` |
/// | `contact` | `last_request_at` | `last_seen_at` |
/// | `contact` | `created_at` | `signed_up_at` (v1's created_at is the sign-up time the client sets) |
/// | `conversation` | `thread_id` | `id` |
/// | `user_message` (what `message` answers) | `thread_id` | `conversation_id` |
/// | `user_message` | `message_id` | `id` |
/// | `user_message` | `messages` | the message itself, with `html` |
/// | `conversation` | `messages` | the first message (`source`), then the parts (`conversation_parts`) |
/// | `user_message`, `conversation_part`, `note` | `html` | `body` |
/// | `conversation_part`, a conversation's `source` | `from` | `author` |
/// | `note` | `user` | `contact` |
/// | `event` | `created` | `created_at` |
public enum ResultAliases {
    /// The value a v1 name stands for in `object`, a 2.x result; nil when the name has no alias there.
    public static func value(of name: String, in object: JSONObject) -> JSONValue? {
        let type = object["type"]?.stringValue
        switch (type, name) {
        case ("contact", "user_id"): return object["external_id"]
        case ("contact", "intercom_id"): return object["id"]
        case ("contact", "custom_data"): return object["custom_attributes"]
        case ("contact", "last_request_at"): return object["last_seen_at"]
        case ("conversation", "thread_id"): return object["id"]
        case ("user_message", "thread_id"): return object["conversation_id"]
        case ("user_message", "html"): return object["body"]
        case ("user_message", "message_id"): return object["id"]
        case ("user_message", "messages"): return .array([withHTML(.object(object))])
        case ("conversation_part", "from"), ("conversation", "from"): return object["author"]
        case ("note", "user"): return object["contact"]
        case ("conversation", "messages"): return messages(of: object)
        case ("conversation_part", "html"), ("note", "html"), ("conversation", "html"): return object["body"]
        case ("event", "created"): return object["created_at"]
        default: return nil
        }
    }

    /// Names whose v1 meaning differs from the 2.x field of the same name, read as v1 meant them: a contact's
    /// `created_at` is its sign-up time (`signed_up_at`), the time v1 clients set.
    public static func overriding(_ name: String, in object: JSONObject) -> JSONValue? {
        guard object["type"]?.stringValue == "contact", name == "created_at", let signedUp = object["signed_up_at"], !signedUp.isNull else {
            return nil
        }
        return signedUp
    }

    /// A conversation's messages as v1 listed a thread's: its first message, then its parts, each with `html`.
    static func messages(of conversation: JSONObject) -> JSONValue? {
        var messages: [JSONValue] = []
        if let source = conversation["source"], !source.isNull { messages.append(withHTML(source)) }
        for part in conversation["conversation_parts"]?["conversation_parts"]?.arrayValue ?? [] { messages.append(withHTML(part)) }
        return messages.isEmpty && conversation["source"] == nil ? nil : .array(messages)
    }

    /// `message` with `html` set to its `body` when it has none.
    static func withHTML(_ message: JSONValue) -> JSONValue {
        guard case .object(var object) = message, object["html"] == nil, let body = object["body"] else { return message }
        object["html"] = body
        return .object(object)
    }
}
