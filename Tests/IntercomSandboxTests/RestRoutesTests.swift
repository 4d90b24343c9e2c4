import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntercomKit
@testable import IntercomSandbox
import Testing

/// The sandbox's REST API (2.x) router, its route collections and middleware, through Hummingbird's in-process
/// test client: no socket.
@Suite("Sandbox REST routes in process")
struct RestRoutesTests {
    static let bearer: HTTPFields = [.authorization: "Bearer dummy-access-token", .contentType: "application/json"]

    static func application(_ configuration: SandboxConfiguration = SandboxConfiguration(seed: .demo)) -> some ApplicationProtocol {
        let router = RestRouter.build(
            store: SandboxStore(seed: configuration.seed), configuration: configuration,
            limiter: FixedWindowRateLimiter(rule: configuration.rateLimit), counters: SandboxCounters())
        return Application(router: router)
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue(parsing: String(buffer: response.body))
    }

    @Test("contacts: create, then get by id; the version is echoed and the rate limit announced")
    func contactsCollection() async throws {
        try await Self.application().test(.router) { client in
            var headers = Self.bearer
            headers[HTTPField.Name("Intercom-Version")!] = "2.15"
            let created = try await client.execute(
                uri: "/contacts", method: .post, headers: headers, body: ByteBuffer(string: #"{"external_id":"r1","email":"r1@example.com"}"#))
            #expect(created.status == .ok)
            #expect(created.headers[HTTPField.Name("Intercom-Version")!] == "2.15")
            #expect(created.headers[HTTPField.Name("X-RateLimit-Remaining")!] != nil)
            let id = try #require(try Self.json(created)["id"]?.stringValue)
            let fetched = try await client.execute(uri: "/contacts/\(id)", method: .get, headers: Self.bearer)
            #expect(try Self.json(fetched)["external_id"] == "r1")
        }
    }

    @Test("authentication, unknown routes and faults answer the error.list envelope")
    func middleware() async throws {
        try await Self.application().test(.router) { client in
            let refused = try await client.execute(uri: "/contacts", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(refused.status == .unauthorized)
            #expect(try Self.json(refused)["errors"]?.arrayValue?.first?["code"] == "unauthorized")
            let unknown = try await client.execute(uri: "/nowhere", method: .get, headers: Self.bearer)
            let unknownBody = try Self.json(unknown)
            #expect(unknown.status == .notFound && unknownBody["type"] == "error.list")
        }
        try await Self.application(SandboxConfiguration(faults: try FaultPlan(parsing: "503=100%"))).test(.router) { client in
            let injected = try await client.execute(uri: "/tags", method: .get, headers: Self.bearer)
            let injectedBody = try Self.json(injected)
            #expect(injected.status == .serviceUnavailable && injectedBody["errors"]?.arrayValue?.first?["code"] == "server_error")
        }
    }

    @Test("tags: creating by name tags contacts by id and lists the tag")
    func tagsCollection() async throws {
        try await Self.application().test(.router) { client in
            let tagged = try await client.execute(
                uri: "/tags", method: .post, headers: Self.bearer, body: ByteBuffer(string: #"{"name":"VIP","users":[{"id":"528f291df8d4a41d8c000088"}]}"#))
            #expect(try Self.json(tagged)["users"]?.arrayValue?.first?["tagged"] == true)
            let listed = try await client.execute(uri: "/tags", method: .get, headers: Self.bearer)
            #expect(try Self.json(listed)["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.contains("VIP") == true)
        }
    }
}
