import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The requests python-intercom 0.2.13 sends, exactly as captured (Appendix B of the protocol notes), all work,
/// including the JSON `null`s it sends for unset parameters.
@Suite("python-intercom 0.2.13 requests")
struct PythonWireCompatibilityTests {
    @Test("every captured request succeeds against the demo seed")
    func appendixB() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            func send(_ method: IntercomRequest.Method, _ path: String, _ query: [(name: String, value: String)] = [], _ body: JSONObject? = nil)
                async throws -> IntercomResponse
            {
                try await client.send(IntercomRequest(method: method, path: path, query: query, body: body))
            }
            let byEmail = try await send(.get, "users", [("email", "somebody@example.com")])
            #expect(byEmail.body?["name"] == "Somebody")
            let byID = try await send(.get, "users", [("user_id", "123")])
            #expect(byID.body?["email"] == "somebody@example.com")
            let all = try await send(.get, "users", [("page", "1")])
            #expect(all.body?["total_count"] == 3)
            let tagged = try await send(.get, "users", [("page", "1"), ("per_page", "50"), ("tag_name", "Free Trial")])
            #expect(tagged.body?["users"]?.arrayValue?.count == 2)
            let created = try await send(.post, "users", [], [
                "user_id": "7902", "email": "ben@intercom.io", "name": "Somebody", "created_at": 1_270_000_000,
                "custom_data": ["app_name": "Genesis"], "last_request_at": 1_300_000_000,
            ])
            #expect(created.status == 201)
            #expect(created.body?["last_impression_at"] == 1_300_000_000)
            let updated = try await send(.put, "users", [], ["user_id": "123", "name": "Guido"])
            #expect(updated.body?["name"] == "Guido")
            let impression = try await send(.post, "users/impressions", [], [
                "email": "somebody@example.com", "user_id": nil, "user_ip": "2.3.4.5", "user_agent": "MyApp/1.0", "location": nil,
            ])
            #expect(impression.body?["unread_messages"] == 0)
            let note = try await send(.post, "users/notes", [], ["email": "somebody@example.com", "user_id": nil, "body": "This is a note"])
            #expect(note.body?["html"] == "<p>This is a note</p>")
            let threads = try await send(.get, "users/message_threads", [("email", "somebody@example.com")])
            #expect(threads.body?.arrayValue?.count == 1)
            let thread = try await send(.get, "users/message_threads", [("email", "somebody@example.com"), ("thread_id", "5591")])
            #expect(thread.body?["thread_id"] == 5591)
            let started = try await send(.post, "users/message_threads", [], [
                "email": "somebody@example.com", "user_id": nil, "body": "Hey Intercom, What is up?",
            ])
            #expect(started.body?["messages"]?.arrayValue?.count == 1)
            let reply = try await send(.put, "users/message_threads", [], [
                "email": "somebody@example.com", "user_id": nil, "thread_id": 5591, "body": "Not much", "read": true,
            ])
            #expect(reply.body?["messages"]?.arrayValue?.count == 4)
            #expect(reply.body?.objectValue?.count == 9)
            let tag = try await send(.get, "tags", [("name", "Free Trial")])
            #expect(tag.body?["tagged_user_count"] == 2)
            let tagging = try await send(.post, "tags", [], ["name": "Free Trial", "tag_or_untag": "tag", "user_ids": ["abc123", "def456"], "emails": nil])
            #expect(tagging.body?["tagged_user_count"] == 2)
            let untagging = try await send(.put, "tags", [], ["name": "Free Trial", "tag_or_untag": "untag", "user_ids": nil, "emails": ["abc123@example.com"]])
            #expect(untagging.body?["tagged_user_count"] == 1)
            let event = try await send(.post, "events", [], [
                "event_name": "sent-invite", "user_id": "314159", "email": nil, "created": 1_795_606_734, "metadata": ["invite_code": "ADDAFRIEND"],
            ])
            #expect(event.status == 202)
            #expect(event.body == nil)
            let deleted = try await send(.delete, "users", [], ["email": "somebody@example.com", "user_id": nil])
            #expect(deleted.body?["name"] == "Guido")
        }
    }

    @Test("events are also accepted on /events without the /v1 prefix, with v1's credentials and 2.x's answers")
    func eventsWithoutPrefix() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let url = server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/events")
            let answer = try await RawHTTP.send(
                "POST", url, headers: ["Content-Type": "application/json"], body: #"{"event_name":"e","email":"abc123@example.com","created":1700000000}"#)
            #expect(answer.status == 202)
            #expect(answer.body.isEmpty)
            #expect(try server.store.statistics().events == 1)
            let unknown = try await RawHTTP.send("POST", url, headers: ["Content-Type": "application/json"], body: #"{"event_name":"e","email":"nobody@example.com"}"#)
            #expect(unknown.status == 404 && unknown.body.contains(#""type":"error.list""#), "\(unknown.body)")
        }
    }

    @Test("DELETE falls back to the query string; form-encoded bodies are read")
    func olderClientShapes() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let root = server.endpoint.absoluteString
            let deleted = try await RawHTTP.send("DELETE", root + "users?user_id=abc123")
            #expect(deleted.status == 200)
            #expect(try JSONValue(parsing: deleted.body)["user_id"] == "abc123")
            let form = try await RawHTTP.send(
                "POST", root + "users", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "user_id=f1&name=Form+User")
            #expect(form.status == 201)
            #expect(try JSONValue(parsing: form.body)["name"] == "Form User")
        }
    }
}
