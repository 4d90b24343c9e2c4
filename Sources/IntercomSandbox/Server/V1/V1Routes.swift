import Hummingbird
import IntercomKit

/// The handlers of the v1 API's routes: every endpoint python-intercom 0.2.13 calls, with the semantics the protocol
/// notes recommend (upsert by user_id or email, `null` as absent, pages of at most 500). Parameters come from the
/// query and the JSON (or form) body together.
struct V1Routes: Sendable {
    let store: SandboxStore
    let bodyLimit: Int

    /// Adds the routes to `group` (the `/v1` group).
    func add(to group: RouterGroup<SandboxContext>) {
        group.get("users") { request, _ in try await answer(request, listOrFindUsers) }
        group.post("users") { request, _ in try await answer(request) { p throws(SandboxError) in try upsertUser(p, creating: true) } }
        group.put("users") { request, _ in try await answer(request) { p throws(SandboxError) in try upsertUser(p, creating: false) } }
        group.delete("users") { request, _ in
            try await answer(request) { p throws(SandboxError) in (200, try store.deleteUser(userID: try p.identifier("user_id"), email: try p.string("email"))) }
        }
        group.post("users/impressions") { request, _ in try await answer(request, recordImpression) }
        group.post("users/notes") { request, _ in
            try await answer(request) { p throws(SandboxError) in
                let body = try p.required(try p.string("body"), "body")
                return (200, try store.createNote(userID: try p.identifier("user_id"), email: try p.string("email"), body: body))
            }
        }
        group.get("users/message_threads") { request, _ in try await answer(request, threads) }
        group.post("users/message_threads") { request, _ in try await answer(request, createThread) }
        group.put("users/message_threads") { request, _ in try await answer(request, reply) }
        group.get("tags") { request, _ in
            try await answer(request) { p throws(SandboxError) in (200, try store.tag(named: try p.required(try p.string("name"), "name"))) }
        }
        group.post("tags") { request, _ in try await answer(request, upsertTag) }
        group.put("tags") { request, _ in try await answer(request, upsertTag) }
        group.post("events") { request, _ in try await answer(request, recordEvent) }
    }

    /// Reads `request`'s parameters, and answers with the status and JSON `handler` gives (no body for nil).
    private func answer(_ request: Request, _ handler: (RequestParameters) throws(SandboxError) -> (Int, JSONValue?)) async throws -> Response {
        let parameters = try await RequestParameters.of(request, limit: bodyLimit)
        let (status, body) = try handler(parameters)
        return SandboxAnswer.json(body, status: status)
    }

    private func listOrFindUsers(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let userID = try p.identifier("user_id")
        let email = try p.string("email")
        if userID != nil || email != nil { return (200, try store.user(userID: userID, email: email)) }
        let page = try p.integer("page") ?? 1
        let perPage = try p.integer("per_page") ?? 500
        guard page >= 1 else { throw SandboxError.badRequest("page must be 1 or more") }
        guard perPage >= 1 else { throw SandboxError.badRequest("per_page must be 1 or more") }
        guard page < Int64(Int32.max) else { throw SandboxError.badRequest("page is too large") }
        return (200, try store.listUsers(page: Int(page), perPage: Int(min(perPage, 500)), tagID: try p.string("tag_id"), tagName: try p.string("tag_name")))
    }

    private func upsertUser(_ p: RequestParameters, creating: Bool) throws(SandboxError) -> (Int, JSONValue?) {
        let (user, created) = try store.upsertUser(try p.userChanges())
        return (created && creating ? 201 : 200, user)
    }

    private func recordImpression(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let impression = try store.recordImpression(
            userID: try p.identifier("user_id"), email: try p.string("email"), userIP: try p.string("user_ip"), userAgent: try p.string("user_agent"))
        _ = try p.string("location")
        return (200, impression)
    }

    private func threads(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let (userID, email) = (try p.identifier("user_id"), try p.string("email"))
        if let threadID = try p.integer("thread_id") { return (200, try store.thread(userID: userID, email: email, threadID: threadID)) }
        return (200, try store.threads(userID: userID, email: email))
    }

    private func createThread(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let body = try p.required(try p.string("body"), "body")
        let thread = try store.createThread(
            userID: try p.identifier("user_id"), email: try p.string("email"), threadID: try p.integer("thread_id"), body: body, url: try p.string("url"))
        return (200, thread)
    }

    private func reply(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        guard let threadID = try p.integer("thread_id") else { throw SandboxError.badRequest("thread_id is required") }
        let thread = try store.reply(
            userID: try p.identifier("user_id"), email: try p.string("email"), threadID: threadID,
            body: try p.string("body"), url: try p.string("url"), read: try p.bool("read"))
        return (200, thread)
    }

    private func upsertTag(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let name = try p.required(try p.string("name"), "name")
        let (userIDs, emails) = (try p.strings("user_ids"), try p.strings("emails"))
        let action = try p.string("tag_or_untag")
        let tagAction = action.flatMap(TagAction.init(rawValue:))
        if action != nil && tagAction == nil { throw SandboxError.badRequest("tag_or_untag must be \"tag\" or \"untag\"") }
        if (!userIDs.isEmpty || !emails.isEmpty) && tagAction == nil {
            throw SandboxError.badRequest("tag_or_untag (\"tag\" or \"untag\") is required when user_ids or emails are given")
        }
        return (200, try store.upsertTag(name: name, action: tagAction, userIDs: userIDs, emails: emails))
    }

    private func recordEvent(_ p: RequestParameters) throws(SandboxError) -> (Int, JSONValue?) {
        let name = try p.required(try p.string("event_name"), "event_name")
        let (userID, email) = (try p.identifier("user_id"), try p.string("email"))
        guard userID != nil || email != nil else { throw SandboxError.missingIdentifier }
        let metadata = try p.object("metadata")
        if let metadata {
            do { try CustomDataRules.checkMetadata(metadata) } catch {
                throw SandboxError.badRequest((error as? ParameterError)?.message ?? "metadata is not valid")
            }
        }
        try store.recordEvent(name: name, userID: userID, email: email, created: try p.integer("created"), metadata: metadata)
        return (202, nil)
    }
}
