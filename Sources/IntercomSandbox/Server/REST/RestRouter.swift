import Foundation
import Hummingbird
import IntercomKit

/// The REST API (2.x) face of the sandbox: Hummingbird's router, with middleware for errors, authentication,
/// rate limiting and faults in front of one route collection per resource.
enum RestRouter {
    /// The version served to a request that names none.
    static let defaultVersion = "2.16"
    /// The router over `store`. Requests pass, in order: the error envelope, authentication, the rate limit shared
    /// with the v1 face (`limiter`), injected faults, then the modelled routes; a request none of them takes is
    /// answered from Intercom's description (``DescribedOperationsMiddleware``).
    static func build(
        store: SandboxStore, configuration: SandboxConfiguration, limiter: FixedWindowRateLimiter, counters: SandboxCounters
    ) -> Router<SandboxContext> {
        let routes = RestRoutes(store: store, configuration: configuration, scroll: CompanyScroll(expiry: configuration.scrollExpiry))
        let router = Router(context: SandboxContext.self)
        router.add(middleware: RestErrorMiddleware(defaultVersion: defaultVersion))
        router.add(middleware: BearerAuthenticationMiddleware(token: configuration.accessToken, v1: configuration.credentials, counters: counters))
        router.add(middleware: RateLimitMiddleware(limiter: limiter, counters: counters, shape: .rest))
        router.add(middleware: FaultMiddleware(faults: configuration.faults, counters: counters, shape: .rest))
        router.add(
            middleware: DescribedOperationsMiddleware(description: .current, modelled: modelledOperations(routes), bodyLimit: configuration.maximumBodySize))
        add(routes, to: router)
        return router
    }
}

extension RestRouter {
    /// The operations `routes` model, as `METHOD /path/{}` (``SandboxServer/unnamed(_:)``).
    static func modelledOperations(_ routes: RestRoutes) -> Set<String> {
        let router = Router(context: SandboxContext.self)
        add(routes, to: router)
        return Set(router.routes.map { "\($0.method.rawValue) " + SandboxServer.unnamed("\($0.path)") })
    }

    /// Adds the modelled routes, one collection per resource.
    private static func add(_ routes: RestRoutes, to router: Router<SandboxContext>) {
        router.addRoutes(routes.contacts(), atPath: "contacts")
        router.addRoutes(routes.events(), atPath: "events")
        router.addRoutes(routes.tags(), atPath: "tags")
        router.addRoutes(routes.conversations(), atPath: "conversations")
        router.addRoutes(routes.dataAttributes(), atPath: "data_attributes")
        router.addRoutes(routes.admins(), atPath: "admins")
        router.addRoutes(routes.companies(), atPath: "companies")
        router.addRoutes(routes.segments(), atPath: "segments")
        router.addRoutes(routes.me(), atPath: "me")
        router.addRoutes(routes.teams(), atPath: "teams")
    }
}

extension RestRoutes {
    /// `GET /events` without `summary=true`: an `event.list` of the contact's events, newest first, whose
    /// `pages.next` is the full URL of the next page (`before=` the last event's place), as the live API answers: on
    /// the sandbox's own host and `port`, whatever the request's `Host` said.
    func eventList(_ request: Request, identity: (String?, String?), port: Int) throws(SandboxError) -> JSONValue {
        let query = request.uri.queryParameters
        let perPage = try RestBody.perPage(query.get("per_page"))
        var before: Int64?
        if let text = query.get("before") {
            guard let value = Int64(text), value > 0 else { throw SandboxError.restInvalid("before must be the cursor of a pages.next URL") }
            before = value
        }
        let page = try store.events(userID: identity.0, email: identity.1, perPage: perPage, before: before)
        var answer: JSONObject = page.contact
        answer["type"] = "event.list"
        answer["events"] = .array(page.events)
        var pages: JSONObject = [:]
        if let next = page.next {
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
            let authority = "\(host):\(port)"
            var items: [URLQueryItem] = []
            for (name, value) in query where name != "before" { items.append(URLQueryItem(name: String(name), value: String(value))) }
            items.append(URLQueryItem(name: "before", value: String(next)))
            var components = URLComponents(string: "http://\(authority)/events") ?? URLComponents()
            components.queryItems = items
            pages["next"] = .string(components.url?.absoluteString ?? "")
        }
        answer["pages"] = .object(pages)
        return .object(answer)
    }
}

/// The handlers of the REST API's routes.
struct RestRoutes: Sendable {
    let store: SandboxStore
    let configuration: SandboxConfiguration
    /// The company scroll's expiry.
    let scroll: CompanyScroll

    /// `/contacts`: create, list, search, get, update, delete, find by external id, archive, unarchive, tags, notes.
    func contacts() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.post { request, _ in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            return RestBody.response(try store.createContact(try ContactChanges(body)))
        }
        routes.get { request, _ in
            let perPage = try RestBody.perPage(request.uri.queryParameters.get("per_page"))
            return RestBody.response(try store.listContacts(perPage: perPage, startingAfter: request.uri.queryParameters.get("starting_after")))
        }
        routes.post("search") { request, _ in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let types = try store.dataAttributeTypes()
            let (query, perPage, startingAfter) = try RestBody.search(body) { types[$0].flatMap(SearchRules.kind(dataType:)) }
            let lag = Int64((configuration.searchDelay / .seconds(1)).rounded(.up))
            return RestBody.response(try store.searchContacts(query, perPage: perPage, startingAfter: startingAfter, lag: lag))
        }
        routes.post("merge") { request, _ in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let (from, into) = (try p.required(try p.string("from"), "from"), try p.required(try p.string("into"), "into"))
            return RestBody.response(try store.mergeContact(from: from, into: into))
        }
        routes.get("find_by_external_id/:external_id") { _, context in
            RestBody.response(try store.contact(externalID: try context.decoded("external_id")))
        }
        routes.get(":id") { _, context in RestBody.response(try store.contact(id: try context.decoded("id"))) }
        routes.put(":id") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            return RestBody.response(try store.updateContact(id: try context.decoded("id"), try ContactChanges(body)))
        }
        routes.delete(":id") { _, context in RestBody.response(try store.deleteContact(id: try context.decoded("id"))) }
        routes.post(":id/archive") { _, context in RestBody.response(try store.setArchived(id: try context.decoded("id"), true)) }
        routes.post(":id/unarchive") { _, context in RestBody.response(try store.setArchived(id: try context.decoded("id"), false)) }
        routes.get(":id/tags") { _, context in RestBody.response(try store.contactTags(contactID: try context.decoded("id"))) }
        contactCompanies(routes)
        routes.post(":id/tags") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let tagID = try body.required(try body.identifier("id"), "id")
            return RestBody.response(try store.setContactTag(contactID: try context.decoded("id"), tagID: tagID, true))
        }
        routes.delete(":id/tags/:tag_id") { _, context in
            let (contactID, tagID) = (try context.decoded("id"), try context.decoded("tag_id"))
            return RestBody.response(try store.setContactTag(contactID: contactID, tagID: tagID, false))
        }
        routes.get(":id/notes") { request, context in
            let query = RequestParameters(values: RequestParameters.parseForm(Substring(request.uri.query ?? "")))
            let page = try RestRoutes.page(try query.string("page"))
            return RestBody.response(
                try store.notesOfContact(id: try context.decoded("id"), page: page, perPage: try RestBody.perPage(try query.string("per_page"))))
        }
        routes.get(":id/segments") { _, context in RestBody.response(try store.segmentsOfContact(id: try context.decoded("id"))) }
        routes.post(":id/notes") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let text = try body.required(try body.string("body"), "body")
            return RestBody.response(try store.createContactNote(id: try context.decoded("id"), body: text))
        }
        return routes
    }

    /// `/tags`: list, create by name (tagging contacts by id), get one.
    func tags() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get { _, _ in RestBody.response(try store.restTags()) }
        routes.post { request, _ in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let name = try body.required(try body.string("name"), "name")
            if let companies = body.values["companies"] {
                guard let items = companies.arrayValue else { throw SandboxError.restInvalid("companies must be an array of objects") }
                return RestBody.response(try store.restTagCompanies(name: name, companies: items))
            }
            var ids: [String] = []
            if let users = body.values["users"] {
                ids = users.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                guard let items = users.arrayValue, ids.count == items.count else {
                    throw SandboxError.restInvalid("users must be an array of objects, each with an id")
                }
            }
            return RestBody.response(try store.restTagContacts(name: name, contactIDs: ids))
        }
        routes.get(":id") { _, context in RestBody.response(try store.restTag(id: try context.decoded("id"))) }
        routes.delete(":id") { _, context in
            try store.deleteTag(id: try context.decoded("id"))
            return Response(status: .ok)
        }
        return routes
    }

    /// `/data_attributes`: list, define and update the custom attributes of contacts and companies.
    func dataAttributes() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get { request, _ in
            let query = RequestParameters(values: RequestParameters.parseForm(Substring(request.uri.query ?? "")))
            let model = try query.string("model") ?? "contact"
            guard ["contact", "company", "conversation"].contains(model) else { throw SandboxError.restInvalid("model must be contact, company or conversation") }
            return RestBody.response(try store.dataAttributes(model: model, includingArchived: try query.bool("include_archived") ?? false))
        }
        routes.post { request, _ in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let name = try p.required(try p.string("name"), "name")
            return RestBody.response(
                try store.createDataAttribute(
                    name: name, dataType: try p.required(try p.string("data_type"), "data_type"), model: try p.required(try p.string("model"), "model"),
                    description: try p.string("description") ?? "", options: p.values["options"]))
        }
        routes.put(":id") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            guard let id = Int64(try context.decoded("id")) else { throw SandboxError(status: 404, type: "not_found", message: "Data Attribute Not Found") }
            return RestBody.response(
                try store.updateDataAttribute(id: id, archived: try p.bool("archived"), description: try p.string("description"), options: p.values["options"]))
        }
        return routes
    }

    /// `/events`: record one (202, empty body; an unknown contact is a 404), and list a contact's events, as a summary
    /// (`summary=true`) or page by page.
    func events() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.post { request, _ in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let name = try p.required(try p.string("event_name"), "event_name")
            var userID = try p.identifier("user_id")
            var email = try p.string("email")
            if let id = try p.string("id") { (userID, email) = try store.eventIdentity(contactID: id) }
            guard userID != nil || email != nil else { throw SandboxError.restInvalid("One of user_id, email or id is required") }
            guard try store.hasContact(userID: userID, email: email) else { throw SandboxError.contactNotFound }
            let metadata = try p.object("metadata")
            // `created` is what v1's clients, which post here too, call `created_at`.
            let created = try p.integer("created_at") ?? p.integer("created")
            try store.recordEvent(name: name, userID: userID, email: email, created: created, metadata: metadata)
            return Response(status: .accepted)
        }
        routes.get { request, context in
            let query = request.uri.queryParameters
            guard query.get("type") == "user" else { throw SandboxError.restInvalid("type=user is required") }
            var identity = (query.get("user_id"), query.get("email"))
            if identity == (nil, nil) {
                guard let id = query.get("intercom_user_id") else { throw SandboxError.restInvalid("one of user_id, email or intercom_user_id is required") }
                identity = try store.eventIdentity(contactID: id)
            }
            if query.get("summary").flatMap(RequestParameters.boolean) == true { return RestBody.response(try store.eventSummary(userID: identity.0, email: identity.1)) }
            return RestBody.response(try eventList(request, identity: identity, port: context.channel.localAddress?.port ?? configuration.port))
        }
        return routes
    }
}
