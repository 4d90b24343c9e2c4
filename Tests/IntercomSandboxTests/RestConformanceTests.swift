import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Every REST API (2.x) request intercom-sh sends and every answer the sandbox gives, checked against Intercom's own
/// 2.16 OpenAPI description: each request body against the operation's request schema, each answer against the
/// schema the operation documents for its status (an undocumented error status against the shared `error` schema).
@Suite("REST API conformance to the 2.16 OpenAPI description")
struct RestConformanceTests {
    /// One exchange: the request as the client builds it, the operation's path template, and the status expected.
    struct Exchange {
        let request: IntercomRequest
        let template: String
        let status: Int
    }

    /// Sends `exchange` and returns the problems of its request body and answer.
    static func check(_ exchange: Exchange, _ client: IntercomClient, _ description: OpenAPIDescription) async -> [String] {
        let method = exchange.request.method.rawValue
        var problems: [String] = []
        if let body = exchange.request.body {
            if let schema = description.requestSchema(method, exchange.template) {
                problems += description.violations(of: .object(body), against: schema, at: "request")
            } else {
                problems.append("no request schema for \(method) \(exchange.template)")
            }
        }
        let status: Int
        let answer: JSONValue?
        do {
            let response = try await client.send(exchange.request)
            (status, answer) = (response.status, response.body)
        } catch let error as IntercomError {
            (status, answer) = (error.status ?? 0, error.responseBody.flatMap { try? JSONValue(parsing: $0) })
        } catch {
            return problems + ["\(method) \(exchange.template): \(error)"]
        }
        guard status == exchange.status else { return problems + ["\(method) \(exchange.template): status \(status), expected \(exchange.status)"] }
        guard let answer else { return problems }
        guard let schema = description.responseSchema(method, exchange.template, status: status) else {
            return problems + ["\(method) \(exchange.template): no schema for status \(status)"]
        }
        return problems + description.violations(of: answer, against: schema, at: "\(method) \(exchange.template) \(status)")
    }

    @Test("requests and answers of every route intercom-sh uses validate against the 2.16 description")
    func everyRoute() async throws {
        let description = try OpenAPIDescription.intercom216()
        try await SandboxHarness.withRestSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let created = try #require(try await client.send(.createContact(["external_id": "c1", "email": "c1@example.com", "role": "user"])).body)
            let id = try #require(created["id"]?.stringValue)
            let tag = try #require(try await client.send(.listTags).body?["data"]?.arrayValue?.first?["id"]?.stringValue)
            let conversation = try #require(try await client.send(.startConversation(contactID: id, body: "hi")).body?["conversation_id"]?.stringValue)
            let company = try #require(
                try await client.send(IntercomRequest(method: .post, path: "companies", body: ["company_id": "co1", "name": "Co"])).body?["id"]?.stringValue)
            let exchanges: [Exchange] = [
                Exchange(request: .createContact(["external_id": "c2", "email": "c2@example.com", "name": "C", "signed_up_at": 1, "role": "user"]), template: "/contacts", status: 200),
                Exchange(request: .createContact(["email": "c1@example.com", "role": "user"]), template: "/contacts", status: 409),
                Exchange(request: .listContacts(perPage: 2), template: "/contacts", status: 200),
                Exchange(request: .contact(id: id), template: "/contacts/{contact_id}", status: 200),
                Exchange(request: .contact(id: "000000000000000000000000"), template: "/contacts/{contact_id}", status: 404),
                Exchange(request: .contact(externalID: "123"), template: "/contacts/find_by_external_id/{external_id}", status: 200),
                Exchange(request: .updateContact(id: id, ["name": "Renamed", "custom_attributes": ["app_name": "x"]]), template: "/contacts/{contact_id}", status: 200),
                Exchange(request: .searchContacts(.group(.and, [.filter(field: "email", operator: .endsWith, value: "example.com"), .filter(field: "role", operator: .equal, value: "user")]), perPage: 2), template: "/contacts/search", status: 200),
                Exchange(request: .createContactNote(id: id, body: "a note"), template: "/contacts/{contact_id}/notes", status: 200),
                Exchange(request: .listTags, template: "/tags", status: 200),
                Exchange(request: .createRestTag(["name": "VIP", "users": [["id": .string(id)]]]), template: "/tags", status: 200),
                Exchange(request: .untagContact(id: id, tagID: tag), template: "/contacts/{contact_id}/tags/{tag_id}", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "contacts/\(id)/tags", body: ["id": .string(tag)]),
                    template: "/contacts/{contact_id}/tags", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "contacts/\(id)/tags"), template: "/contacts/{contact_id}/tags", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "tags/\(tag)"), template: "/tags/{tag_id}", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "tags/999999"), template: "/tags/{tag_id}", status: 404),
                Exchange(request: IntercomRequest(method: .delete, path: "tags/999999"), template: "/tags/{tag_id}", status: 404),
                Exchange(request: .createContact(["email": "bad@example.com", "custom_attributes": ["undefined": 1]]), template: "/contacts", status: 400),
                Exchange(request: .searchContacts(.filter(field: "created_at", operator: .contains, value: 1)), template: "/contacts/search", status: 400),
                Exchange(request: .listDataAttributes, template: "/data_attributes", status: 200),
                Exchange(request: .createDataAttribute(name: "seats", dataType: "integer"), template: "/data_attributes", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "data_attributes", body: ["name": "tier", "model": "company", "data_type": "string", "description": "Tier"]),
                    template: "/data_attributes", status: 200),
                Exchange(
                    request: IntercomRequest(method: .get, path: "data_attributes", query: [("model", "company"), ("include_archived", "true")]),
                    template: "/data_attributes", status: 200),
                Exchange(
                    request: IntercomRequest(method: .put, path: "data_attributes/1", body: ["archived": true, "description": "old"]),
                    template: "/data_attributes/{data_attribute_id}", status: 200),
                Exchange(
                    request: IntercomRequest(method: .put, path: "data_attributes/999999", body: ["archived": true]),
                    template: "/data_attributes/{data_attribute_id}", status: 404),
                Exchange(request: try .createRestEvent(name: "signed-in", user: .userID("c1"), created: 1_700_000_000, metadata: ["a": 1]), template: "/events", status: 202),
                Exchange(request: .listEvents(of: .userID("c1")), template: "/events", status: 200),
                Exchange(request: .startConversation(contactID: id, body: "hello"), template: "/conversations", status: 200),
                Exchange(request: .conversations(ofContact: id), template: "/conversations/search", status: 200),
                Exchange(request: .conversation(id: conversation), template: "/conversations/{conversation_id}", status: 200),
                Exchange(request: .replyAsContact(conversationID: conversation, body: "more", contact: ["intercom_user_id": .string(id)]), template: "/conversations/{conversation_id}/reply", status: 200),
                Exchange(request: .markConversation(id: conversation, read: true), template: "/conversations/{conversation_id}", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "conversations", query: [("per_page", "1")]), template: "/conversations", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "conversations/search", body: [
                        "query": ["operator": "AND", "value": [["field": "state", "operator": "=", "value": "open"], ["field": "tag_ids", "operator": "IN", "value": ["1", "2"]]]],
                        "pagination": ["per_page": 1],
                    ]),
                    template: "/conversations/search", status: 200),
                Exchange(request: .post("conversations/\(conversation)/reply", ["message_type": "comment", "type": "admin", "admin_id": "991267459", "body": "hello"]), template: "/conversations/{conversation_id}/reply", status: 200),
                Exchange(request: .post("conversations/\(conversation)/reply", ["message_type": "note", "type": "admin", "admin_id": "991267460", "body": "internal"]), template: "/conversations/{conversation_id}/reply", status: 200),
                Exchange(request: .post("conversations/\(conversation)/reply", ["message_type": "note", "type": "admin", "admin_id": "1", "body": "who"]), template: "/conversations/{conversation_id}/reply", status: 404),
                Exchange(request: .post("conversations/\(conversation)/parts", ["message_type": "assignment", "type": "admin", "admin_id": "991267459", "assignee_id": "991267460", "body": "yours"]), template: "/conversations/{conversation_id}/parts", status: 200),
                Exchange(request: .post("conversations/\(conversation)/parts", ["message_type": "assignment", "type": "team", "admin_id": "991267459", "assignee_id": "814865"]), template: "/conversations/{conversation_id}/parts", status: 200),
                Exchange(request: .post("conversations/\(conversation)/parts", ["message_type": "snoozed", "admin_id": "991267459", "snoozed_until": 4_102_444_800]), template: "/conversations/{conversation_id}/parts", status: 200),
                Exchange(request: .post("conversations/\(conversation)/parts", ["message_type": "open", "admin_id": "991267459"]), template: "/conversations/{conversation_id}/parts", status: 200),
                Exchange(request: .post("conversations/\(conversation)/parts", ["message_type": "close", "type": "admin", "admin_id": "991267459", "body": "done"]), template: "/conversations/{conversation_id}/parts", status: 200),
                Exchange(request: .post("conversations/999999/parts", ["message_type": "open", "admin_id": "991267459"]), template: "/conversations/{conversation_id}/parts", status: 404),
                Exchange(request: .post("conversations/\(conversation)/tags", ["id": .string(tag), "admin_id": "991267459"]), template: "/conversations/{conversation_id}/tags", status: 200),
                Exchange(request: .get("conversations/\(conversation)"), template: "/conversations/{conversation_id}", status: 200),
                Exchange(request: IntercomRequest(method: .delete, path: "conversations/\(conversation)/tags/\(tag)", body: ["admin_id": "991267459"]), template: "/conversations/{conversation_id}/tags/{tag_id}", status: 200),
                Exchange(request: IntercomRequest(method: .delete, path: "conversations/\(conversation)/tags/\(tag)", body: ["admin_id": "991267459"]), template: "/conversations/{conversation_id}/tags/{tag_id}", status: 404),
                Exchange(
                    request: IntercomRequest(method: .post, path: "companies", body: ["company_id": "6", "name": "Blue Sun", "plan": "pro", "size": 87]),
                    template: "/companies", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "companies", query: [("company_id", "co1")]), template: "/companies", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "companies", query: [("page", "1"), ("per_page", "5")]), template: "/companies", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "companies/\(company)"), template: "/companies/{company_id}", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "companies/nope"), template: "/companies/{company_id}", status: 404),
                Exchange(
                    request: IntercomRequest(method: .put, path: "companies/\(company)", body: ["industry": "Shipping"]),
                    template: "/companies/{company_id}", status: 200),
                Exchange(request: IntercomRequest(method: .post, path: "companies/list"), template: "/companies/list", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "tags", body: ["name": "Key", "companies": [["company_id": "co1"]]]),
                    template: "/tags", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "tags", body: ["name": "Key", "companies": [["company_id": "co1", "untag": true]]]),
                    template: "/tags", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "companies/scroll"), template: "/companies/scroll", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "contacts/\(id)/companies", body: ["id": .string(company)]),
                    template: "/contacts/{contact_id}/companies", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "contacts/\(id)/companies"), template: "/contacts/{contact_id}/companies", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "companies/\(company)/contacts"), template: "/companies/{company_id}/contacts", status: 200),
                Exchange(
                    request: IntercomRequest(method: .delete, path: "contacts/\(id)/companies/\(company)"),
                    template: "/contacts/{contact_id}/companies/{company_id}", status: 200),
                Exchange(request: IntercomRequest(method: .delete, path: "companies/\(company)"), template: "/companies/{company_id}", status: 200),
                Exchange(
                    request: IntercomRequest(method: .get, path: "contacts/\(id)/notes", query: [("page", "1"), ("per_page", "5")]),
                    template: "/contacts/{contact_id}/notes", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "segments"), template: "/segments", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "segments/seg-users"), template: "/segments/{segment_id}", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "segments/nope"), template: "/segments/{segment_id}", status: 404),
                Exchange(request: IntercomRequest(method: .get, path: "contacts/\(id)/segments"), template: "/contacts/{contact_id}/segments", status: 200),
                Exchange(request: .archiveContact(id: id), template: "/contacts/{contact_id}/archive", status: 200),
                Exchange(request: .unarchiveContact(id: id), template: "/contacts/{contact_id}/unarchive", status: 200),
                Exchange(request: .deleteContact(id: id), template: "/contacts/{contact_id}", status: 200),
                Exchange(
                    request: IntercomRequest(method: .post, path: "contacts/merge", body: ["from": "528f27c330972d7836000072", "into": "528f291df8d4a41d8c000088"]),
                    template: "/contacts/merge", status: 200),
                Exchange(request: .contact(id: "528f27c330972d7836000072"), template: "/contacts/{contact_id}", status: 410),
                Exchange(request: .contact(externalID: "def456"), template: "/contacts/find_by_external_id/{external_id}", status: 410),
                Exchange(request: IntercomRequest(method: .get, path: "admins"), template: "/admins", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "admins/991267460"), template: "/admins/{admin_id}", status: 200),
                Exchange(request: IntercomRequest(method: .get, path: "admins/1"), template: "/admins/{admin_id}", status: 404),
                Exchange(request: IntercomRequest(method: .get, path: "me"), template: "/me", status: 200),
            ]
            let exercised = Set(exchanges.map { "\($0.request.method.rawValue) \($0.template)" })
            #expect(ConformanceCoverage.restRoutes.subtracting(exercised).isEmpty, "not exercised: \(ConformanceCoverage.restRoutes.subtracting(exercised))")
            let defects = try DescriptionDefects.load()
            var excused: [String] = []
            for exchange in exchanges {
                let operation = "\(exchange.request.method.rawValue) \(exchange.template)"
                let reports = await Self.check(exchange, client, description).map { "\(operation): \($0)" }
                excused += reports
                let problems = reports.filter { !defects.excuses($0, from: .requests) && !defects.excuses($0, from: .answers) }
                #expect(problems.isEmpty, "\(problems.prefix(8))")
            }
            let stale = defects.stale(excused, from: .requests)
            #expect(stale.isEmpty, "listed request defects that no longer occur: \(stale.map(\.operation))")
        }
        // Refusals before any route: a wrong token (401) and the rate limit (429).
        try await SandboxHarness.withRestSandbox(SandboxConfiguration(rateLimit: RateLimitRule(limit: 1, windowSeconds: 600)), token: "wrong") { server, client in
            let unauthorized = Exchange(request: .listContacts(), template: "/contacts", status: 401)
            #expect(await Self.check(unauthorized, client, description).isEmpty)
            let allowed = IntercomClient(
                configuration: IntercomConfiguration(endpoint: server.restEndpoint, credentials: Credentials(accessToken: "dummy-access-token"), apiVersion: "2.16"))
            _ = try await allowed.send(.listTags)
            #expect(await Self.check(Exchange(request: .listTags, template: "/tags", status: 429), allowed, description).isEmpty)
        }
    }

    @Test("the validator finds what breaks a schema: a wrong type, a missing required key, a null that may not be")
    func validatorFindsProblems() throws {
        let description = try OpenAPIDescription.intercom216()
        let schema: JSONValue = ["$ref": "#/components/schemas/error"]
        #expect(description.violations(of: ["type": "error.list", "errors": [["code": "not_found"]]], against: schema).isEmpty)
        #expect(!description.violations(of: ["type": "error.list"], against: schema).isEmpty)
        #expect(!description.violations(of: ["type": "error.list", "errors": [["code": 404]]], against: schema).isEmpty)
        let contact: JSONValue = ["$ref": "#/components/schemas/contact"]
        #expect(!description.violations(of: ["type": "contact", "id": "x", "created_at": "yesterday"], against: contact).isEmpty)
        #expect(!description.violations(of: ["type": "contact", "email": .null], against: contact).isEmpty)
    }
}
