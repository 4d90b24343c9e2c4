import IntercomKit

extension OperationName {
    /// The workspace's teammates (REST API 2.x only).
    public static let getAdmins = OperationName(rawValue: "get_admins")
    /// One teammate by id (REST API 2.x only).
    public static let getAdmin = OperationName(rawValue: "get_admin")
    /// The teammate the access token belongs to, with its workspace (REST API 2.x only).
    public static let getMe = OperationName(rawValue: "get_me")
}

/// Admins: the workspace's teammates.
enum AdminDefinitions {
    static let all: [OperationDefinition] = [getAdmins, getAdmin, getMe]

    static let getAdmins = OperationDefinition(
        name: .getAdmins, parameters: [], effect: .read,
        commands: [
            CommandSpec(
                words: ["admins"], operation: .getAdmins, positionals: .none, usage: "admins",
                summary: "List the workspace's teammates (REST API 2.x only).", example: "admins", group: "Admins")
        ],
        v1: nil,
        rest: { _, _, _ throws(ResultRecord.Failure) in .request(IntercomRequest(method: .get, path: "admins"), .read) })

    static let getAdmin = OperationDefinition(
        name: .getAdmin, parameters: [ParameterSpec("id", .identifier)], effect: .read,
        commands: [
            CommandSpec(
                words: ["admin"], operation: .getAdmin, positionals: .parameters(["id"]), usage: "admin <id>",
                summary: "Show one teammate (REST API 2.x only).", example: "admin 991267459", group: "Admins", required: ["id"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            .request(IntercomRequest(method: .get, path: "admins/" + IntercomRequest.pathSegment(try p.text("id"))), .read)
        })

    static let getMe = OperationDefinition(
        name: .getMe, parameters: [], effect: .read,
        commands: [
            CommandSpec(
                words: ["me"], operation: .getMe, positionals: .none, usage: "me",
                summary: "Show the teammate the access token belongs to, and its workspace (REST API 2.x only).", example: "me",
                group: "Admins")
        ],
        v1: nil,
        rest: { _, _, _ throws(ResultRecord.Failure) in .request(IntercomRequest(method: .get, path: "me"), .read) })
}
