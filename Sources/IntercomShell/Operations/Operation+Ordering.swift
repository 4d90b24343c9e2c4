import IntercomKit

extension Operation {
    /// What an operation must not overtake when operations run concurrently.
    enum OrderingScope: Hashable {
        /// Only operations sharing one of these keys (the users, tags and threads it names) keep their input order.
        case keys(Set<OrderingKey>)
        /// It reads or writes app-wide state (a user list): it runs alone, after everything before it.
        case everything
    }

    /// The operation's ordering scope: `create_user` then `update_user` of the same email (or a note for that
    /// user, or a tag naming it) never overtake each other, while operations on different users run side by side.
    var orderingScope: OrderingScope {
        guard let extra = definition.ordering.extraKeys(self) else { return .everything }
        var keys = identityKeys.union(extra)
        for userID in parameters["user_ids"]?.arrayValue ?? [] { if let userID = text(userID) { keys.insert(.userID(userID)) } }
        for email in parameters["emails"]?.arrayValue ?? [] { if let email = text(email) { keys.insert(.email(normalizing: email)) } }
        if let threadID = parameters["thread_id"].flatMap(text) { keys.insert(.thread(threadID)) }
        // A message thread list, with no thread named, follows the user's thread writes: the user key covers it.
        return .keys(keys)
    }

    /// The names the operation gives its one contact (its user_id, email and Intercom id), which are therefore one
    /// contact's; empty for an operation naming no single contact (a list, a tag of several users).
    var identityKeys: Set<OrderingKey> {
        var keys = Set<OrderingKey>()
        if let userID = parameters["user_id"].flatMap(text) { keys.insert(.userID(userID)) }
        if let email = parameters["email"].flatMap(text) { keys.insert(.email(normalizing: email)) }
        if name.parameter("id") != nil, let id = parameters["id"].flatMap(text) { keys.insert(.contactID(id)) }
        return keys
    }

    /// A parameter's value as a key's text: a string, or a number's digits.
    private func text(_ value: JSONValue) -> String? {
        value.stringValue ?? value.integerValue.map { String($0) }
    }
}
