import Foundation

/// The REST API (2.x) requests intercom-sh sends, relative to the API root (`https://api.intercom.io/`).
extension IntercomRequest {
    /// `GET contacts/{id}`.
    public static func contact(id: String) -> IntercomRequest {
        IntercomRequest(method: .get, path: "contacts/" + pathSegment(id))
    }

    /// `GET contacts/find_by_external_id/{external_id}`: the user with this external id (user_id in v1).
    public static func contact(externalID: String) -> IntercomRequest {
        IntercomRequest(method: .get, path: "contacts/find_by_external_id/" + pathSegment(externalID))
    }

    /// `POST contacts/search`, the page size and cursor in the body.
    public static func searchContacts(_ query: SearchQuery, perPage: Int? = nil, startingAfter: String? = nil) -> IntercomRequest {
        var pagination: JSONObject = [:]
        if let perPage { pagination["per_page"] = .integer(Int64(perPage)) }
        if let startingAfter { pagination["starting_after"] = .string(startingAfter) }
        var body: JSONObject = ["query": query.json]
        if !pagination.isEmpty { body["pagination"] = .object(pagination) }
        return IntercomRequest(method: .post, path: "contacts/search", body: body)
    }

    /// `GET contacts?per_page=…&starting_after=…`.
    public static func listContacts(perPage: Int? = nil, startingAfter: String? = nil) -> IntercomRequest {
        var query: [(name: String, value: String)] = []
        if let perPage { query.append(("per_page", String(perPage))) }
        if let startingAfter { query.append(("starting_after", startingAfter)) }
        return IntercomRequest(method: .get, path: "contacts", query: query)
    }

    /// `POST contacts`: a strict create (a duplicate is a 409 conflict).
    public static func createContact(_ fields: JSONObject) -> IntercomRequest {
        IntercomRequest(method: .post, path: "contacts", body: fields)
    }

    /// `PUT contacts/{id}`.
    public static func updateContact(id: String, _ fields: JSONObject) -> IntercomRequest {
        IntercomRequest(method: .put, path: "contacts/" + pathSegment(id), body: fields)
    }

    /// `DELETE contacts/{id}`.
    public static func deleteContact(id: String) -> IntercomRequest {
        IntercomRequest(method: .delete, path: "contacts/" + pathSegment(id))
    }

    /// `POST contacts/{id}/archive`.
    public static func archiveContact(id: String) -> IntercomRequest {
        IntercomRequest(method: .post, path: "contacts/\(pathSegment(id))/archive")
    }

    /// `POST contacts/{id}/unarchive`.
    public static func unarchiveContact(id: String) -> IntercomRequest {
        IntercomRequest(method: .post, path: "contacts/\(pathSegment(id))/unarchive")
    }

    /// `POST contacts/{id}/notes`.
    public static func createContactNote(id: String, body: String) -> IntercomRequest {
        IntercomRequest(method: .post, path: "contacts/\(pathSegment(id))/notes", body: ["body": .string(body)])
    }

    /// `GET tags`: every tag of the workspace.
    public static let listTags = IntercomRequest(method: .get, path: "tags")

    /// `POST tags` on the REST API: `{"name": …}` creates the tag if needed; `"users": [{"id": contact id}…]` tags them.
    public static func createRestTag(_ body: JSONObject) -> IntercomRequest {
        IntercomRequest(method: .post, path: "tags", body: body)
    }

    /// `DELETE contacts/{id}/tags/{tag_id}`: takes one tag off one contact.
    public static func untagContact(id: String, tagID: String) -> IntercomRequest {
        IntercomRequest(method: .delete, path: "contacts/\(pathSegment(id))/tags/\(pathSegment(tagID))")
    }

    /// `POST conversations`: the contact starts a conversation (an in-app message from the contact).
    public static func startConversation(contactID: String, body: String) -> IntercomRequest {
        IntercomRequest(method: .post, path: "conversations", body: ["from": ["type": "user", "id": .string(contactID)], "body": .string(body)])
    }

    /// `POST conversations/search` for the contact's conversations (`contact_ids =`), up to 150.
    public static func conversations(ofContact contactID: String) -> IntercomRequest {
        IntercomRequest(
            method: .post, path: "conversations/search",
            body: ["query": SearchQuery.filter(field: "contact_ids", operator: .equal, value: .string(contactID)).json, "pagination": ["per_page": 150]])
    }

    /// `GET conversations/{id}`.
    public static func conversation(id: String) -> IntercomRequest {
        IntercomRequest(method: .get, path: "conversations/" + pathSegment(id))
    }

    /// `POST conversations/{id}/reply` as the contact `contact` names (`intercom_user_id`, `user_id` or `email`).
    public static func replyAsContact(conversationID: String, body: String, contact: JSONObject) -> IntercomRequest {
        var fields: JSONObject = ["message_type": "comment", "type": "user", "body": .string(body)]
        fields.merge(contact) { _, named in named }
        return IntercomRequest(method: .post, path: "conversations/\(pathSegment(conversationID))/reply", body: fields)
    }

    /// `PUT conversations/{id}` with `{"read": …}`.
    public static func markConversation(id: String, read: Bool) -> IntercomRequest {
        IntercomRequest(method: .put, path: "conversations/" + pathSegment(id), body: ["read": .bool(read)])
    }

    /// `GET data_attributes?model=contact`: the workspace's contact attributes.
    public static let listDataAttributes = listDataAttributes(model: "contact")

    /// `GET data_attributes?model=…`: the custom attributes of contacts or companies.
    public static func listDataAttributes(model: String) -> IntercomRequest {
        IntercomRequest(method: .get, path: "data_attributes", query: [("model", model)])
    }

    /// `POST data_attributes`: defines a custom attribute of contacts (or `model`).
    public static func createDataAttribute(name: String, dataType: String, model: String = "contact") -> IntercomRequest {
        IntercomRequest(
            method: .post, path: "data_attributes", body: ["name": .string(name), "model": .string(model), "data_type": .string(dataType)])
    }

    /// `GET events?type=user&user_id=…|email=…&summary=true`: the contact's events by name, with the first and last
    /// time and the count of each (the form the 2.16 description documents; the live API keeps 90 days).
    public static func listEvents(of user: UserIdentifier) -> IntercomRequest {
        var query: [(name: String, value: String)] = [("type", "user"), ("summary", "true")]
        if let userID = user.userID { query.append(("user_id", userID)) } else if let email = user.email { query.append(("email", email)) }
        return IntercomRequest(method: .get, path: "events", query: query)
    }

    /// `POST events` on the REST API: the contact by user_id or email, `created_at` in Unix seconds.
    public static func createRestEvent(name: String, user: UserIdentifier, created: Int64, metadata: JSONObject?) throws -> IntercomRequest {
        var body = try user.checkedFields(capacity: 5)
        body["event_name"] = .string(name)
        body["created_at"] = .integer(created)
        if let metadata { body["metadata"] = .object(metadata) }
        return IntercomRequest(method: .post, path: "events", body: body)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` as one path segment: everything but unreserved characters percent-encoded (a `/` included). The
    /// texts that cannot be a segment (empty, `.`, `..`) stay as they are, and ``unsendableSegment`` finds them.
    public static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Whether `text` can name a thing as one path segment: not empty, `.` or `..`, which a server or proxy would
    /// read as the folder itself or its parent.
    public static func isSendableSegment(_ text: String) -> Bool {
        !(text.isEmpty || text == "." || text == "..")
    }

    /// The first segment of the path that cannot be sent (empty, `.` or `..`, as an empty or dot identifier makes
    /// it), as `contacts/(empty)`; nil when every segment can.
    public var unsendableSegment: String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let bad = segments.firstIndex(where: { !Self.isSendableSegment($0) }) else { return nil }
        return segments[..<bad].joined(separator: "/") + "/" + (segments[bad].isEmpty ? "(empty)" : segments[bad])
    }

    /// Why the request cannot be sent (``unsendableSegment``), as a message; nil when it can.
    public var unsendableReason: String? {
        unsendableSegment.map { "\($0) cannot be sent: an identifier in a path may not be empty, '.' or '..'" }
    }
}
