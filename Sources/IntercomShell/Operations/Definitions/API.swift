import Foundation
import IntercomKit

extension OperationName {
    /// Any operation of the REST API, by method and path.
    public static let api = OperationName(rawValue: "api")
}

/// `api`: any request of the REST API (2.x), checked against Intercom's description, through the same engine.
enum APIDefinitions {
    static let all: [OperationDefinition] = [api]

    static let api = OperationDefinition(
        name: .api,
        parameters: [
            ParameterSpec("method", .string), ParameterSpec("path", .string), ParameterSpec("body", .object), ParameterSpec("query", .object),
            ParameterSpec("all", .boolean),
        ],
        effectOf: { APICall.effect(of: $0) },
        yieldsItemsOf: { $0["all"]?.boolValue == true },
        ordering: OrderingRule { operation in
            operation.parameters["all"]?.boolValue == true ? nil : orderingKeys(operation.parameters)
        },
        commands: [
            CommandSpec(
                words: ["api"], operation: .api, positionals: .request,
                usage: "api <METHOD> <path> [key=value…] [body={…}] [query={…}] [all]",
                summary: "Send any request of the REST API (2.x); key=value builds the body of a POST/PUT, the query of a GET/DELETE.",
                example: "api POST /companies company_id=6 name=\"Blue Sun\" plan=pro", group: "API", details: APIHelp.details)
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .api(try call(p)) })

    /// The checked call of an `api` line.
    static func call(_ p: CheckedParameters) throws(ResultRecord.Failure) -> APICall {
        try APICall(
            method: p.string("method"), path: p.string("path"), query: p.object("query"), body: p.object("body"), all: p.bool("all") ?? false,
            description: .current)
    }

    /// What an `api` line is ordered by: the contact its path names (by id, or by external id), the emails and
    /// external ids a contact body gives, or else the resource its path names (`companies/6`).
    static func orderingKeys(_ parameters: JSONObject) -> Set<OrderingKey> {
        guard let call = try? call(CheckedParameters(values: parameters)) else { return [] }
        let segments = call.request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var keys = Set<OrderingKey>()
        guard let resource = segments.first else { return keys }
        if resource == "contacts" {
            if let email = call.request.body?["email"]?.stringValue { keys.insert(.email(normalizing: email)) }
            if let external = call.request.body?["external_id"]?.stringValue { keys.insert(.userID(external)) }
        }
        for (index, template) in call.documented.segments.enumerated() where index < segments.count {
            guard let name = APIDescription.Operation.parameterName(template) else { continue }
            switch (resource, name) {
            case ("contacts", "external_id"): keys.insert(.userID(segments[index]))
            case ("contacts", _) where index == 1: keys.insert(.contactID(segments[index]))
            default: if index == 1 { keys.insert(.resource("\(resource)/\(segments[index])")) }
            }
        }
        return keys
    }
}
