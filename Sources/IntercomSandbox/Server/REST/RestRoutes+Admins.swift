import Hummingbird
import IntercomKit

/// The sandbox workspace's teammates: fixed, as a workspace's admins are to its API. The access token belongs to
/// the first.
enum SandboxAdmins {
    /// The admins, as `GET /admins/{id}` shows them.
    static let all: [JSONValue] = [
        admin(id: "991267459", name: "Ada Admin", email: "ada@sandbox.example.com", job: "Support lead", teams: [814865]),
        admin(id: "991267460", name: "Bob Builder", email: "bob@sandbox.example.com", job: "Engineer", teams: []),
    ]

    /// The workspace the token opens, as `GET /me` shows it.
    static let app: JSONValue = [
        "type": "app", "id_code": "sandbox-app-0000000000000000000000000000000", "name": "intercom-sh sandbox", "created_at": 1_700_000_000,
        "secure": false, "identity_verification": false, "timezone": "UTC", "region": "US",
    ]

    private static func admin(id: String, name: String, email: String, job: String, teams: [Int64]) -> JSONValue {
        [
            "type": "admin", "id": .string(id), "name": .string(name), "email": .string(email), "job_title": .string(job),
            "away_mode_enabled": false, "away_mode_reassign": false, "away_status_reason_id": nil, "has_inbox_seat": true,
            "team_ids": .array(teams.map(JSONValue.integer)), "avatar": nil,
        ]
    }
}

extension RestRoutes {
    /// `/admins`: the list, and one by id.
    func admins() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get { _, _ in RestBody.response(["type": "admin.list", "admins": .array(SandboxAdmins.all)]) }
        routes.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let admin = SandboxAdmins.all.first(where: { $0["id"]?.stringValue == id }) else {
                throw SandboxError(status: 404, type: "admin_not_found", message: "Admin not found")
            }
            return RestBody.response(admin)
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
        routes.get(":id") { _, context in RestBody.response(try store.segment(id: try context.parameters.require("id"))) }
        return routes
    }
}
