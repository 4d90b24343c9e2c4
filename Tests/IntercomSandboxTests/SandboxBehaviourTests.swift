import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// How the sandbox answers odd, malformed and excessive requests, and what its fault injection does.
@Suite("Sandbox behaviour")
struct SandboxBehaviourTests {
    @Test("the fixed-window rate limit answers 429 with Retry-After, and headers count down")
    func rateLimit() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(rateLimit: RateLimitRule(limit: 3, windowSeconds: 3600))) { server, client in
            var remaining: [Int?] = []
            for _ in 0..<3 { remaining.append(try await client.send(.getUsers()).rateLimit?.remaining) }
            #expect(remaining == [2, 1, 0])
            let error = await #expect(throws: IntercomError.self) { try await client.getUsers() }
            #expect(error?.kind == .rateLimited)
            #expect(error?.apiErrorType == "rate_limit_exceeded")
            #expect((error?.retryAfter ?? 0) >= 1)
            #expect(error?.rateLimit?.remaining == 0)
            #expect(error?.rateLimit?.limit == 3)
            let stats = try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats"))
            #expect(try JSONValue(parsing: stats.body)["rate_limited"] == 1)
        }
    }

    @Test("missing or wrong credentials get 401 JSON with rate-limit headers")
    func unauthorized() async throws {
        try await SandboxHarness.withSandbox { server, _ in
            for auth in [nil, ("dummy-app-id", "nope")] as [(String, String)?] {
                let answer = try await RawHTTP.send("GET", server.endpoint.absoluteString + "users", basicAuth: auth)
                #expect(answer.status == 401)
                #expect(try JSONValue(parsing: answer.body)["error"]?["type"] == "not_authenticated")
                #expect(answer.headers["x-ratelimit-limit"] != nil)
            }
        }
    }

    @Test(
        "malformed requests get a 4xx with a JSON error naming the problem, and the server keeps serving",
        arguments: [
            ("POST", "users", #"{"email": "#, 400, "not valid JSON"),
            ("POST", "users", "[1,2]", 400, "must be a JSON object"),
            ("POST", "users", #"{"name":"No Id"}"#, 400, "Either email or user_id"),
            ("POST", "users", #"{"user_id":{"a":1}}"#, 400, "user_id must be a string or a number"),
            ("POST", "users", #"{"user_id":"1","custom_data":{"plan":{"nested":true}}}"#, 400, "custom_data.plan"),
            ("POST", "users", #"{"user_id":"1","created_at":"yesterday"}"#, 400, "created_at must be a number"),
            ("POST", "users/notes", #"{"user_id":"123"}"#, 400, "body is required"),
            ("POST", "users/notes", #"{"user_id":"nobody","body":"x"}"#, 404, "The User was not found"),
            ("POST", "tags", #"{"name":"T","user_ids":["a"],"tag_or_untag":"maybe"}"#, 400, "tag_or_untag"),
            ("POST", "tags", #"{"name":"T","user_ids":["a"]}"#, 400, "tag_or_untag"),
            ("PUT", "users/message_threads", #"{"user_id":"123","body":"x"}"#, 400, "thread_id is required"),
            ("POST", "events", #"{"user_id":"1"}"#, 400, "event_name is required"),
            ("POST", "users", #"{"user_id":"1","user_id":"2"}"#, 400, "not valid JSON"),
            ("POST", "users", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), 400, "not valid JSON"),
            ("POST", "users", #"{"user_id":"1","created_at":1e400}"#, 400, "not valid JSON"),
            ("POST", "users", #"{"user_id":"1","created_at":99999999999999999999}"#, 400, "created_at"),
            ("POST", "users", #"{"user_id":"\ud800"}"#, 400, "not valid JSON"),
            ("POST", "users", #"{"user_id":"1","email":["a@example.com"]}"#, 400, "email"),
            ("POST", "events", #"{"event_name":"e","user_id":"1","metadata":[1]}"#, 400, "metadata"),
            ("GET", "users?page=0", nil, 400, "page must be 1 or more"),
            ("GET", "users?page=abc", nil, 400, "page"),
            ("GET", "nothing-here", nil, 404, "No such resource"),
            ("PATCH", "users", "{}", 405, "not allowed"),
        ] as [(String, String, String?, Int, String)])
    func malformed(method: String, path: String, body: String?, status: Int, message: String) async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            let answer = try await RawHTTP.send(method, server.endpoint.absoluteString + path, headers: ["Content-Type": "application/json"], body: body)
            #expect(answer.status == status)
            let error = try JSONValue(parsing: answer.body)["error"]
            #expect(error?["message"]?.stringValue?.contains(message) == true, "\(answer.body)")
            #expect(try await client.getUser(.userID("123")).name == "Somebody")
        }
    }

    @Test("a body that is not UTF-8 gets 400, as JSON and as a form")
    func invalidUTF8Body() async throws {
        try await SandboxHarness.withSandbox { server, client in
            for contentType in ["application/json", "application/x-www-form-urlencoded"] {
                let answer = try await RawHTTP.send(
                    "POST", server.endpoint.absoluteString + "users", headers: ["Content-Type": contentType],
                    bodyBytes: Array(#"{"user_id":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))
                #expect(answer.status == 400, "\(contentType)")
                #expect(try JSONValue(parsing: answer.body)["error"]?["message"] == "The request body is not valid UTF-8")
            }
            let statistics = try server.store.statistics()
            #expect(statistics.users == 0)
            _ = try await client.createUser(UserAttributes(userID: "still-serving"))
        }
    }

    @Test("a body over the limit gets 413")
    func bodyTooLarge() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(maximumBodySize: 1_024)) { server, _ in
            let big = #"{"user_id":"1","name":""# + String(repeating: "x", count: 4_096) + #""}"#
            let answer = try await RawHTTP.send("POST", server.endpoint.absoluteString + "users", headers: ["Content-Type": "application/json"], body: big)
            #expect(answer.status == 413)
            #expect(try JSONValue(parsing: answer.body)["error"]?["type"] == "request_too_large")
        }
    }

    @Test("null is absent, numeric user_ids become strings, float timestamps become integers, per_page is capped at 500")
    func lenientReading() async throws {
        try await SandboxHarness.withSandbox { _, client in
            let created = try await client.send(IntercomRequest(method: .post, path: "users", body: [
                "user_id": 42, "email": nil, "name": nil, "created_at": 1_331_764_344.0, "last_impression_at": 1_331_764_345.7,
            ]))
            #expect(created.body?["user_id"] == "42")
            #expect(created.body?["email"] == .null)
            #expect(created.body?["created_at"] == 1_331_764_344)
            #expect(created.body?["last_impression_at"] == 1_331_764_345)
            let page = try await client.send(IntercomRequest(method: .get, path: "users", query: [("per_page", "1000")]))
            #expect(page.body?["total_pages"] == 1)
            let increments = try await client.send(IntercomRequest(method: .post, path: "users", body: [
                "user_id": "42", "custom_data": ["visits": 2], "increments": ["visits": 3],
            ]))
            #expect(increments.body?["custom_data"]?["visits"] == 5)
        }
    }

    @Test("an email belonging to another user is refused, not silently merged")
    func identityConflict() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let error = await #expect(throws: IntercomError.self) {
                try await client.updateUser(UserAttributes(userID: "abc123", email: "somebody@example.com"))
            }
            #expect(error?.kind == .clientError)
            #expect(error?.status == 400)
        }
    }

    @Test("injected 503s are answered without processing")
    func injectedStatus() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: try FaultPlan(parsing: "503=100%"))) { server, client in
            let error = await #expect(throws: IntercomError.self) { try await client.createUser(UserAttributes(userID: "1")) }
            #expect(error?.kind == .serviceUnavailable)
            let statistics = try server.store.statistics()
            #expect(statistics.users == 0)
        }
    }

    @Test("drop-before closes the connection without processing; drop-after processes, then closes")
    func droppedConnections() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: try FaultPlan(parsing: "drop-before=100%"))) { server, client in
            let error = await #expect(throws: IntercomError.self) { try await client.createNote(for: .userID("123"), body: "x") }
            #expect(error?.kind == .connection)
            let statistics = try server.store.statistics()
            #expect(statistics.notes == 0)
        }
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: try FaultPlan(parsing: "drop-after=100%"))) { server, client in
            let error = await #expect(throws: IntercomError.self) { try await client.createNote(for: .userID("123"), body: "x") }
            #expect(error?.kind == .connection)
            let statistics = try server.store.statistics()
            #expect(statistics.notes == 1)
        }
    }

    @Test("stats count requests and injected faults")
    func statistics() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: try FaultPlan(parsing: "latency=1ms"))) { server, client in
            _ = try await client.getUsers()
            let stats = try JSONValue(parsing: try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats")).body)
            #expect(stats["requests"] == 2)
            #expect(stats["faults"]?["latency"] == 1)
        }
    }

    @Test("a port in use is a clear start error")
    func portInUse() async throws {
        try await SandboxHarness.withSandbox { server, _ in
            await #expect(throws: SandboxStartError.self) { try await SandboxServer.start(SandboxConfiguration(port: server.port)) }
        }
    }
}
