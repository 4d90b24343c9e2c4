import Hummingbird
import IntercomKit

extension RestRoutes {
    /// `/admins`: the list, and one by id.
    func admins() -> RouteCollection<SandboxContext> {
        fixed(
            SandboxAdmins.all, list: "admin.list", key: "admins", missing: SandboxError(status: 404, type: "admin_not_found", message: "Admin not found"))
    }

    /// `/teams`: the list, and one by id, with their admins.
    func teams() -> RouteCollection<SandboxContext> {
        fixed(SandboxAdmins.teams, list: "team.list", key: "teams", missing: SandboxError(status: 404, type: "team_not_found", message: "Team not found"))
    }

    /// A fixed collection's routes: the list (`{"type": list, key: items}`), and one item by its `id`, or `missing`.
    private func fixed(_ items: [JSONValue], list: String, key: String, missing: SandboxError) -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get { _, _ in RestBody.response(["type": .string(list), key: .array(items)]) }
        routes.get(":id") { _, context in
            let id = try context.decoded("id")
            guard let item = items.first(where: { $0["id"]?.stringValue == id }) else { throw missing }
            return RestBody.response(item)
        }
        return routes
    }

    /// `/me`: the admin the access token belongs to, with its workspace.
    func me() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get { _, _ in
            guard case .object(var me) = SandboxAdmins.all[0] else { return RestBody.response(SandboxAdmins.all[0]) }
            me["email_verified"] = true
            me["app"] = SandboxAdmins.app
            me["avatar"] = ["type": "avatar", "image_url": "https://static.intercomassets.com/assets/default-avatars/admins/128.png"]
            return RestBody.response(.object(me))
        }
        return routes
    }
}

extension RestRoutes {
    /// `/segments`: the list, and one by id.
    func segments() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get { _, _ in RestBody.response(try store.segments()) }
        routes.get(":id") { _, context in RestBody.response(try store.segment(id: try context.decoded("id"))) }
        return routes
    }
}
