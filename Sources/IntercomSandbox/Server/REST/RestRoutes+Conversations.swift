import Hummingbird
import IntercomKit

extension RestRoutes {
    /// `/conversations`: start one from a contact, list, search, get, mark read, reply as the contact or a teammate,
    /// close, open, snooze and assign, tag and untag.
    func conversations() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.post { request, _ in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let from = try p.object("from") ?? [:]
            guard let contactID = from["id"]?.stringValue, ["user", "lead", "contact"].contains(from["type"]?.stringValue ?? "") else {
                throw SandboxError.restInvalid("from must be {\"type\": \"user\", \"id\": <contact id>}")
            }
            return RestBody.response(try store.startConversation(contactID: contactID, body: try p.required(try p.string("body"), "body")))
        }
        routes.get { request, _ in
            let perPage = try RestBody.perPage(request.uri.queryParameters.get("per_page") ?? "20")
            return RestBody.response(try store.listConversations(perPage: perPage, startingAfter: request.uri.queryParameters.get("starting_after")))
        }
        routes.post("search") { request, _ in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let (query, perPage, startingAfter) = try RestBody.search(body, rules: .conversations)
            return RestBody.response(try store.searchConversations(query, perPage: perPage, startingAfter: startingAfter))
        }
        routes.get(":id") { _, context in RestBody.response(try store.conversation(id: try context.decoded("id"))) }
        routes.put(":id") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            guard let read = try p.bool("read") else { throw SandboxError.restInvalid("the sandbox updates read only") }
            return RestBody.response(try store.markConversation(id: try context.decoded("id"), read: read))
        }
        routes.post(":id/reply") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            if try p.string("type") == "admin" { return RestBody.response(try adminReply(p, conversationID: try context.decoded("id"))) }
            guard try p.string("type") == "user" else { throw SandboxError.restInvalid("type must be admin or user") }
            let contactID = try p.string("intercom_user_id")
            let (userID, email) = (try p.identifier("user_id"), try p.string("email"))
            guard contactID != nil || userID != nil || email != nil else {
                throw SandboxError.restInvalid("one of intercom_user_id, user_id or email is required")
            }
            return RestBody.response(try store.replyToConversation(
                id: try context.decoded("id"), contactID: contactID, userID: userID, email: email,
                body: try p.required(try p.string("body"), "body")))
        }
        routes.post(":id/parts") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let adminID = try p.required(try p.identifier("admin_id"), "admin_id")
            return RestBody.response(try store.manageConversation(try context.decoded("id"), try action(p), adminID: adminID))
        }
        routes.post(":id/tags") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let (tagID, adminID) = (try p.required(try p.identifier("id"), "id"), try p.required(try p.identifier("admin_id"), "admin_id"))
            return RestBody.response(try store.tagConversation(try context.decoded("id"), tagID: tagID, adminID: adminID))
        }
        routes.delete(":id/tags/:tag_id") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let adminID = try p.required(try p.identifier("admin_id"), "admin_id")
            return RestBody.response(try store.untagConversation(
                try context.decoded("id"), tagID: try context.decoded("tag_id"), adminID: adminID))
        }
        return routes
    }

    /// A teammate's reply (`comment`) or note.
    private func adminReply(_ p: RequestParameters, conversationID: String) throws(SandboxError) -> JSONValue {
        let type = try p.string("message_type")
        guard type == "comment" || type == "note" else { throw SandboxError.restInvalid("message_type must be comment or note") }
        return try store.adminReply(
            conversationID: conversationID, note: type == "note", adminID: try p.required(try p.identifier("admin_id"), "admin_id"),
            body: try p.required(try p.string("body"), "body"))
    }

    /// What a `POST /conversations/{id}/parts` body asks for.
    private func action(_ p: RequestParameters) throws(SandboxError) -> ConversationAction {
        switch try p.string("message_type") {
        case "close":
            guard try p.string("type") == "admin" else { throw SandboxError.restInvalid("type must be admin") }
            return .close(body: try p.string("body"))
        case "open": return .open
        case "snoozed":
            guard let until = try p.integer("snoozed_until") else { throw SandboxError.restInvalid("snoozed_until is required") }
            return .snooze(until: until)
        case "assignment":
            let type = try p.string("type")
            guard type == "admin" || type == "team" else { throw SandboxError.restInvalid("type must be admin or team") }
            guard let assignee = try p.identifier("assignee_id"), let id = Int64(assignee), id >= 0 else {
                throw SandboxError.restInvalid("assignee_id must be the id of an admin or a team, or 0")
            }
            return .assign(team: type == "team", assigneeID: id, body: try p.string("body"))
        default:
            throw SandboxError.restInvalid("message_type must be close, open, snoozed or assignment")
        }
    }

}
