import Hummingbird
import Synchronization
import IntercomKit

extension RestRoutes {
    /// `/companies`: upsert, find by id, `company_id` or name, update, delete, list by page, scroll, and the
    /// contacts attached to one.
    func companies() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.post { request, _ in
            RestBody.response(try store.upsertCompany(try await RestBody.read(request, limit: configuration.maximumBodySize).values))
        }
        routes.get { request, _ in
            let query = RequestParameters(values: RequestParameters.parseForm(Substring(request.uri.query ?? "")))
            return RestBody.response(
                try store.companies(
                    page: try Self.page(try query.string("page")), perPage: try RestBody.perPage(try query.string("per_page")),
                    companyID: try query.string("company_id"), name: try query.string("name")))
        }
        routes.post("list") { request, _ in
            let query = RequestParameters(values: RequestParameters.parseForm(Substring(request.uri.query ?? "")))
            return RestBody.response(
                try store.companies(
                    page: try Self.page(try query.string("page")), perPage: try RestBody.perPage(try query.string("per_page")), companyID: nil,
                    name: nil))
        }
        routes.get("scroll") { request, _ in
            let query = RequestParameters(values: RequestParameters.parseForm(Substring(request.uri.query ?? "")))
            let param = try query.string("scroll_param")
            if param != nil { try scroll.check() }
            let page = try store.scrollCompanies(after: param, perPage: 50)
            scroll.used(open: page["data"]?.arrayValue?.isEmpty == false)
            return RestBody.response(page)
        }
        routes.get(":id") { _, context in RestBody.response(try store.company(id: try context.decoded("id"))) }
        routes.put(":id") { request, context in
            let fields = try await RestBody.read(request, limit: configuration.maximumBodySize).values
            return RestBody.response(try store.updateCompany(id: try context.decoded("id"), fields))
        }
        routes.delete(":id") { _, context in RestBody.response(try store.deleteCompany(id: try context.decoded("id"))) }
        routes.get(":id/contacts") { _, context in RestBody.response(try store.contactsOfCompany(id: try context.decoded("id"))) }
        return routes
    }

    /// The companies routes under `/contacts/{id}`: attach, detach, list.
    func contactCompanies(_ routes: RouteCollection<SandboxContext>) {
        routes.post(":id/companies") { request, context in
            let body = try await RestBody.read(request, limit: configuration.maximumBodySize)
            let company = try body.required(try body.string("id"), "id")
            return RestBody.response(try store.attachCompany(contactID: try context.decoded("id"), companyID: company))
        }
        routes.delete(":id/companies/:company") { _, context in
            RestBody.response(
                try store.detachCompany(contactID: try context.decoded("id"), companyID: try context.decoded("company")))
        }
        routes.get(":id/companies") { _, context in RestBody.response(try store.companiesOfContact(id: try context.decoded("id"))) }
    }

    /// `page` from a query: 1 or more, 1 by default.
    static func page(_ text: String?) throws(SandboxError) -> Int {
        guard let text else { return 1 }
        guard let page = Int(text), page >= 1 else { throw SandboxError.restInvalid("page must be 1 or more") }
        return page
    }
}

/// The app's one company scroll: when it was last used. A `scroll_param` is refused once the scroll has gone unused
/// for `expiry`, or has reached its end (as the API documents: it then expires).
final class CompanyScroll: Sendable {
    private let lastUse = Mutex<ContinuousClock.Instant?>(nil)
    let expiry: Duration

    init(expiry: Duration) { self.expiry = expiry }

    /// Throws the API's 404 when no scroll is open, or it went unused for longer than `expiry`.
    func check() throws(SandboxError) {
        let fresh = lastUse.withLock { last in last.map { ContinuousClock.now - $0 <= expiry } ?? false }
        guard fresh else {
            throw SandboxError(status: 404, type: "not_found", message: "scroll_param has expired or is unknown; start the scroll again without it")
        }
    }

    /// Notes a page answered: the scroll stays open (`open`), or has ended.
    func used(open: Bool) {
        lastUse.withLock { $0 = open ? ContinuousClock.now : nil }
    }
}
