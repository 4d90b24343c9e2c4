import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The sandbox's REST API (2.x) face, over real HTTP on loopback with the REST client.
@Suite("Sandbox REST API (2.x)")
struct RestSandboxTests {
    static func failure(_ body: () async throws -> Void) async -> IntercomError? {
        do { try await body() } catch let error as IntercomError { return error } catch { return nil }
        return nil
    }

    @Test("a wrong token is 401 unauthorized in an error.list; the version asked for is echoed")
    func bearerAuthentication() async throws {
        try await SandboxHarness.withRestSandbox(token: "wrong-token") { server, client in
            let error = await Self.failure { _ = try await client.send(.listContacts()) }
            #expect(error?.kind == .authentication && error?.status == 401 && error?.apiErrorType == "unauthorized", "\(String(describing: error))")
            #expect(error?.message == "Access Token Invalid")
            let answer = try await RawHTTP.send(
                "GET", server.restEndpoint.absoluteString + "contacts", basicAuth: nil,
                headers: ["Authorization": "Bearer dummy-access-token", "Intercom-Version": "2.14"])
            #expect(answer.status == 200)
            #expect(answer.headers.first { $0.key.lowercased() == "intercom-version" }?.value == "2.14", "\(answer.headers)")
            #expect(answer.headers.keys.contains { $0.lowercased() == "x-ratelimit-remaining" })
        }
    }

    @Test("one store: a user made through v1 is a contact through 2.x; a duplicate create is a 409 naming its id")
    func oneStoreAndConflict() async throws {
        try await SandboxHarness.withRestSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let somebody = try #require(try await client.send(.contact(externalID: "123")).body)
            #expect(somebody["type"] == "contact" && somebody["email"] == "somebody@example.com" && somebody["role"] == "user")
            #expect(somebody["custom_attributes"]?["app_name"] == "Genesis")
            let id = try #require(somebody["id"]?.stringValue)
            #expect(try await client.send(.contact(id: id)).body?["external_id"] == "123")
            let error = await Self.failure { _ = try await client.send(.createContact(["email": "SOMEBODY@example.com"])) }
            #expect(error?.kind == .conflict && error?.status == 409 && error?.mayHaveBeenProcessed == false)
            #expect(error?.message == "A contact matching those details already exists with id=\(id)")
        }
    }

    @Test("create, update, archive (invisible, 409 says archived), unarchive, note, delete")
    func contactLifecycle() async throws {
        try await SandboxHarness.withRestSandbox { _, client in
            let created = try #require(try await client.send(.createContact(["external_id": "42", "email": "ada@example.com", "name": "Ada"])).body)
            let id = try #require(created["id"]?.stringValue)
            #expect(id.count == 24 && created["email_domain"] == "example.com" && created["tags"]?["type"] == "list")
            let undefined = await Self.failure { _ = try await client.send(.updateContact(id: id, ["custom_attributes": ["plan": "pro"]])) }
            #expect(undefined?.status == 400 && undefined?.message.contains("'plan'") == true)
            _ = try await client.send(.createDataAttribute(name: "plan", dataType: "string"))
            let updated = try await client.send(.updateContact(id: id, ["name": "Ada L.", "custom_attributes": ["plan": "pro"]])).body
            #expect(updated?["name"] == "Ada L." && updated?["custom_attributes"]?["plan"] == "pro")
            #expect(try await client.send(.archiveContact(id: id)).body?["archived"] == true)
            #expect(await Self.failure { _ = try await client.send(.contact(id: id)) }?.kind == .notFound)
            let archived = await Self.failure { _ = try await client.send(.createContact(["email": "ada@example.com"])) }
            #expect(archived?.message == "An archived contact matching those details already exists with id=\(id)")
            #expect(try await client.send(.unarchiveContact(id: id)).body?["archived"] == false)
            let note = try await client.send(.createContactNote(id: id, body: "likes <b>")).body
            #expect(note?["type"] == "note" && note?["body"] == "<p>likes &lt;b&gt;</p>" && note?["contact"]?["id"] == .string(id))
            #expect(try await client.send(.contact(id: id)).body?["notes"]?["total_count"] == 1)
            let deleted = try await client.send(.deleteContact(id: id)).body
            #expect(deleted?["deleted"] == true && deleted?["external_id"] == "42")
            #expect(await Self.failure { _ = try await client.send(.contact(externalID: "42")) }?.status == 404)
        }
    }

    @Test("list and search walk opaque cursors past several pages; a forged cursor is refused")
    func pagination() async throws {
        try await SandboxHarness.withRestSandbox { _, client in
            for number in 1...7 { _ = try await client.send(.createContact(["external_id": .string("u\(number)"), "email": .string("u\(number)@example.com")])) }
            for request in [
                { (cursor: String?) in IntercomRequest.listContacts(perPage: 3, startingAfter: cursor) },
                { (cursor: String?) in IntercomRequest.searchContacts(.filter(field: "email", operator: .endsWith, value: "@example.com"), perPage: 3, startingAfter: cursor) },
            ] {
                var cursor: String?
                var seen: [String] = []
                var pages = 0
                repeat {
                    let page = try #require(try await client.send(request(cursor)).body)
                    pages += 1
                    #expect(page["total_count"] == 7 && page["pages"]?["page"] == .integer(Int64(pages)))
                    seen += page["data"]?.arrayValue?.compactMap { $0["external_id"]?.stringValue } ?? []
                    cursor = page["pages"]?["next"]?["starting_after"]?.stringValue
                } while cursor != nil && pages < 10
                #expect(pages == 3)
                #expect(seen == (1...7).map { "u\($0)" })
            }
            let forged = await Self.failure { _ = try await client.send(.listContacts(startingAfter: "bm9uc2Vuc2U=")) }
            #expect(forged?.status == 400 && forged?.apiErrorType == "parameter_invalid")
        }
    }

    @Test("--search-delay keeps a new contact out of search, not out of lookups by id or external id")
    func searchLag() async throws {
        try await SandboxHarness.withRestSandbox(SandboxConfiguration(searchDelay: .seconds(600))) { _, client in
            _ = try await client.send(.createContact(["external_id": "fresh", "email": "fresh@example.com"]))
            let search = try await client.send(.searchContacts(.filter(field: "email", operator: .equal, value: "fresh@example.com"))).body
            #expect(search?["data"]?.arrayValue?.isEmpty == true && search?["total_count"] == 0)
            #expect(try await client.send(.contact(externalID: "fresh")).body?["email"] == "fresh@example.com")
        }
        try await SandboxHarness.withRestSandbox { _, client in
            _ = try await client.send(.createContact(["external_id": "fresh", "email": "fresh@example.com"]))
            let search = try await client.send(.searchContacts(.filter(field: "email", operator: .equal, value: "FRESH@example.com"))).body
            #expect(search?["data"]?.arrayValue?.count == 1)
        }
    }

    @Test("events: 202 with no body for a known contact, 404 for an unknown one; a bad search is a 400")
    func eventsAndBadSearch() async throws {
        try await SandboxHarness.withRestSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            let accepted = try await client.send(try .createRestEvent(name: "signed-in", user: .userID("123"), created: 1_700_000_000, metadata: ["a": 1]))
            #expect(accepted.status == 202 && accepted.body == nil)
            #expect(try server.store.statistics().events == 1)
            let unknown = await Self.failure { _ = try await client.send(try .createRestEvent(name: "x", user: .email("nobody@example.com"), created: 1, metadata: nil)) }
            #expect(unknown?.kind == .notFound)
            let badSearch = await Self.failure {
                _ = try await client.send(.searchContacts(.filter(field: "created_at", operator: .contains, value: 1)))
            }
            #expect(badSearch?.status == 400, "\(String(describing: badSearch))")
        }
    }

    @Test("the rate limit is shared with v1 and answers 429 rate_limit_exceeded with X-RateLimit headers")
    func rateLimit() async throws {
        try await SandboxHarness.withRestSandbox(SandboxConfiguration(rateLimit: RateLimitRule(limit: 2, windowSeconds: 600))) { _, client in
            _ = try await client.send(.listContacts())
            _ = try await client.send(.listContacts())
            let limited = await Self.failure { _ = try await client.send(.listContacts()) }
            #expect(limited?.kind == .rateLimited && limited?.apiErrorType == "rate_limit_exceeded")
            #expect(limited?.rateLimit?.limit == 2 && limited?.rateLimit?.remaining == 0)
        }
    }
}

extension RestSandboxTests {
    @Test("the company scroll: a scroll_param unused for longer than the expiry, or after the end, is a 404; a new scroll works")
    func scrollExpiry() async throws {
        var configuration = SandboxConfiguration()
        configuration.scrollExpiry = .milliseconds(300)
        try await SandboxHarness.withRestSandbox(configuration) { _, client in
            for index in 0..<60 { _ = try await client.send(.post("companies", ["company_id": .string("c\(index)")])) }
            let first = try #require(try await client.send(.get("companies/scroll")).body)
            let param = try #require(first["scroll_param"]?.stringValue)
            #expect(first["data"]?.arrayValue?.count == 50)
            let second = try #require(try await client.send(.get("companies/scroll", query: [("scroll_param", param)])).body)
            #expect(second["data"]?.arrayValue?.count == 10, "used within the expiry")
            let next = try #require(second["scroll_param"]?.stringValue)
            try await Task.sleep(for: .milliseconds(500))
            let expired = await Self.failure { _ = try await client.send(.get("companies/scroll", query: [("scroll_param", next)])) }
            #expect(expired?.status == 404 && expired?.message.contains("start the scroll again") == true, "\(String(describing: expired))")
            let again = try #require(try await client.send(.get("companies/scroll")).body)
            #expect(again["data"]?.arrayValue?.count == 50, "a new scroll starts from the first company")
        }
    }
}
