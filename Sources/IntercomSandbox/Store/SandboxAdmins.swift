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

    /// The teams admins belong to.
    static let teamIDs: Set<Int64> = [814865]

    /// The teams, as `GET /teams/{id}` shows them: each with the admins whose `team_ids` name it.
    static let teams: [JSONValue] = {
        teamIDs.sorted().map { id in
            let members = all.filter { $0["team_ids"]?.arrayValue?.contains(.integer(id)) == true }.compactMap { $0["id"]?.stringValue.flatMap(Int64.init) }
            return [
                "type": "team", "id": .string(String(id)), "name": "Support", "admin_ids": .array(members.map(JSONValue.integer)),
                "assignment_limit": nil, "distribution_method": "round_robin",
            ]
        }
    }()

    /// The admin with this id, or nil.
    static func admin(id: String) -> JSONValue? { all.first { $0["id"]?.stringValue == id } }

    private static func admin(id: String, name: String, email: String, job: String, teams: [Int64]) -> JSONValue {
        [
            "type": "admin", "id": .string(id), "name": .string(name), "email": .string(email), "job_title": .string(job),
            "away_mode_enabled": false, "away_mode_reassign": false, "away_status_reason_id": nil, "has_inbox_seat": true,
            "team_ids": .array(teams.map(JSONValue.integer)), "avatar": nil,
        ]
    }
}
