import Foundation
import Hummingbird
import IntercomKit

/// The REST API (2.x) face of the sandbox: Hummingbird's router, with middleware for errors, authentication,
/// rate limiting and faults in front of one route collection per resource.
enum RestRouter {
    /// The version served to a request that names none.
    static let defaultVersion = "2.16"
    /// The resources the sandbox models, as paths.
    static let modelled = ["/contacts", "/events", "/tags", "/conversations", "/data_attributes", "/admins", "/me", "/companies", "/segments"]

    /// The router over `store`. Requests pass, in order: the error envelope, authentication, the rate limit shared
    /// with the v1 face (`limiter`), injected faults, then the routes.
    static func build(
        store: SandboxStore, configuration: SandboxConfiguration, limiter: FixedWindowRateLimiter, counters: SandboxCounters
    ) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: RestErrorMiddleware(defaultVersion: defaultVersion))
        router.add(middleware: BearerAuthenticationMiddleware(token: configuration.accessToken, counters: counters))
        router.add(middleware: RateLimitMiddleware(limiter: limiter, counters: counters))
        router.add(middleware: FaultMiddleware(faults: configuration.faults, counters: counters))
        let routes = RestRoutes(store: store, configuration: configuration, scroll: CompanyScroll(expiry: configuration.scrollExpiry))
        router.addRoutes(routes.contacts(), atPath: "contacts")
        router.addRoutes(routes.events(), atPath: "events")
        router.addRoutes(routes.tags(), atPath: "tags")
        router.addRoutes(routes.conversations(), atPath: "conversations")
        router.addRoutes(routes.dataAttributes(), atPath: "data_attributes")
        router.addRoutes(routes.admins(), atPath: "admins")
        router.addRoutes(routes.companies(), atPath: "companies")
        router.addRoutes(routes.segments(), atPath: "segments")
        router.addRoutes(routes.me(), atPath: "me")
        return router
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
            RestBody.response(try store.contact(externalID: try context.parameters.require("external_id")))
        }
        routes.get(":id") { _, context in RestBody.response(try store.contact(id: try context.parameters.require("id"))) }
        routes.put(":id") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            return RestBody.response(try store.updateContact(id: try context.parameters.require("id"), try ContactChanges(body)))
        }
        routes.delete(":id") { _, context in RestBody.response(try store.deleteContact(id: try context.parameters.require("id"))) }
        routes.post(":id/archive") { _, context in RestBody.response(try store.setArchived(id: try context.parameters.require("id"), true)) }
        routes.post(":id/unarchive") { _, context in RestBody.response(try store.setArchived(id: try context.parameters.require("id"), false)) }
        routes.get(":id/tags") { _, context in RestBody.response(try store.contactTags(contactID: try context.parameters.require("id"))) }
        contactCompanies(routes)
        routes.post(":id/tags") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let tagID = try body.required(try body.identifier("id"), "id")
            return RestBody.response(try store.setContactTag(contactID: try context.parameters.require("id"), tagID: tagID, true))
        }
        routes.delete(":id/tags/:tag_id") { _, context in
            let (contactID, tagID) = (try context.parameters.require("id"), try context.parameters.require("tag_id"))
            return RestBody.response(try store.setContactTag(contactID: contactID, tagID: tagID, false))
        }
        routes.get(":id/notes") { request, context in
            let query = RequestParameters(values: RequestParameters.parseForm(Substring(request.uri.query ?? "")))
            let page = try RestRoutes.page(try query.string("page"))
            return RestBody.response(
                try store.notesOfContact(id: try context.parameters.require("id"), page: page, perPage: try RestBody.perPage(try query.string("per_page"))))
        }
        routes.get(":id/segments") { _, context in RestBody.response(try store.segmentsOfContact(id: try context.parameters.require("id"))) }
        routes.post(":id/notes") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let text = try body.required(try body.string("body"), "body")
            return RestBody.response(try store.createContactNote(id: try context.parameters.require("id"), body: text))
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
        routes.get(":id") { _, context in RestBody.response(try store.restTag(id: try context.parameters.require("id"))) }
        routes.delete(":id") { _, context in
            try store.deleteTag(id: try context.parameters.require("id"))
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
                    description: try p.string("description") ?? ""))
        }
        routes.put(":id") { request, context in
            let p = try await RestBody.read(request, limit: configuration.maximumBodySize)
            guard let id = Int64(try context.parameters.require("id")) else { throw SandboxError(status: 404, type: "not_found", message: "Data Attribute Not Found") }
            return RestBody.response(
                try store.updateDataAttribute(id: id, archived: try p.bool("archived"), description: try p.string("description"), options: p.values["options"]))
        }
        return routes
    }

    /// `/events`: record one (202, empty body); an unknown contact is a 404.
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
            try store.recordEvent(name: name, userID: userID, email: email, created: try p.integer("created_at"), metadata: metadata)
            return Response(status: .accepted)
        }
        routes.get { request, _ in
            let query = request.uri.queryParameters
            guard query.get("type") == "user" else { throw SandboxError.restInvalid("type=user is required") }
            guard query.get("summary") == "true" else {
                throw SandboxError.restInvalid("the sandbox lists events as a summary only (summary=true), the form the 2.16 description documents")
            }
            let (userID, email) = (query.get("user_id"), query.get("email"))
            guard userID != nil || email != nil else { throw SandboxError.restInvalid("one of user_id or email is required") }
            return RestBody.response(try store.eventSummary(userID: userID, email: email))
        }
        return routes
    }
}
