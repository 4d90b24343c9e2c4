import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Every client call against the sandbox, over real HTTP on loopback.
@Suite("Client round trips against the sandbox")
struct ClientRoundTripTests {
    @Test("get_user by email and by user_id returns the demo seed's Somebody")
    func getUser() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let byEmail = try await client.getUser(.email("somebody@example.com"))
            #expect(byEmail.name == "Somebody")
            #expect(byEmail.userID == "123")
            #expect(byEmail.customData["monthly_spend"] == .double(155.5))
            #expect(byEmail.locationData?.cityName == "Santiago")
            #expect(byEmail.socialProfiles.map(\.type) == ["twitter", "facebook"])
            let byUserID = try await client.getUser(.userID("123"))
            #expect(byUserID == byEmail)
        }
    }

    @Test("create_user with every documented field, as the v1 docs' curl example sends it")
    func createUserWithEveryField() async throws {
        try await SandboxHarness.withSandbox { _, client in
            let user = try await client.createUser(
                UserAttributes(
                    userID: "7902", email: "ben@intercom.io", name: "Ben McRedmond", createdAt: 1_257_553_080,
                    customData: ["plan": "pro", "seats": 3, "trial": true], lastSeenIP: "1.2.3.4", lastSeenUserAgent: "ie6",
                    companies: [["id": 6, "name": "Intercom", "created_at": 103_201, "plan": "Messaging", "monthly_spend": 50]],
                    lastRequestAt: 1_300_000_000, unsubscribedFromEmails: true))
            #expect(user.userID == "7902")
            #expect(user.email == "ben@intercom.io")
            #expect(user.name == "Ben McRedmond")
            #expect(user.createdAt == 1_257_553_080)
            #expect(user.lastImpressionAt == 1_300_000_000)
            #expect(user.customData == ["plan": "pro", "seats": 3, "trial": true])
            #expect(user.lastSeenIP == "1.2.3.4")
            #expect(user.lastSeenUserAgent == "ie6")
            #expect(user.unsubscribedFromEmails == true)
            #expect(user.companyIDs == [6])
            #expect(user.json["companies"] == nil)
            #expect(user.intercomID?.count == 24)
        }
    }

    @Test("create_user upserts by user_id and email; update_user merges custom_data")
    func upsertAndUpdate() async throws {
        try await SandboxHarness.withSandbox { _, client in
            _ = try await client.createUser(UserAttributes(userID: "1", email: "a@example.com", customData: ["plan": "free"]))
            let again = try await client.createUser(UserAttributes(email: "A@example.com", name: "Ann"))
            #expect(again.userID == "1")
            #expect(again.name == "Ann")
            let updated = try await client.updateUser(UserAttributes(userID: "1", name: "Guido", customData: ["seats": 2]))
            #expect(updated.name == "Guido")
            #expect(updated.customData == ["plan": "free", "seats": 2])
            let page = try await client.getUsers()
            #expect(page.totalCount == 1)
        }
    }

    @Test("get_users paginates more than 500 users; allUsers streams every page in order")
    func pagination() async throws {
        try await SandboxHarness.withSandbox { _, client in
            let count = 1_203
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in stride(from: worker, to: count, by: 8) {
                            _ = try await client.createUser(UserAttributes(userID: "u\(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let first = try await client.getUsers()
            #expect(first.users.count == 500)
            #expect(first.totalCount == Int64(count))
            #expect(first.totalPages == 3)
            #expect(first.nextPage == 2)
            #expect(first.previousPage == nil)
            let last = try await client.getUsers(page: 3)
            #expect(last.users.count == count - 1_000)
            #expect(last.nextPage == nil)
            #expect(last.previousPage == 2)
            let small = try await client.getUsers(page: 2, perPage: 50)
            #expect(small.users.count == 50)
            #expect(small.totalPages == 25)
            let beyond = try await client.getUsers(page: 99)
            #expect(beyond.users.isEmpty)
            #expect(beyond.nextPage == nil)

            var streamed: [String] = []
            for try await user in client.allUsers() { streamed.append(user.userID ?? "") }
            #expect(streamed.count == count)
            #expect(Set(streamed).count == count)
            let pageOrder = (first.users + (try await client.getUsers(page: 2)).users + last.users).map { $0.userID ?? "" }
            #expect(streamed == pageOrder)
        }
    }

    @Test("tagging and untagging by user_ids and emails; tag filters on get_users")
    func tags() async throws {
        try await SandboxHarness.withSandbox { _, client in
            for index in 1...4 {
                _ = try await client.createUser(UserAttributes(userID: "t\(index)", email: "t\(index)@example.com"))
            }
            let created = try await client.createTag(name: "Free Trial", tagOrUntag: .tag, userIDs: ["t1", "t2"], emails: ["t3@example.com", "nobody@example.com"])
            #expect(created.name == "Free Trial")
            #expect(created.taggedUserCount == 3)
            #expect(created.segment == false)
            let fetched = try await client.getTag(name: "Free Trial")
            #expect(fetched.id == created.id)
            let tagged = try await client.getUsers(tagName: "Free Trial")
            #expect(tagged.users.compactMap(\.userID) == ["t1", "t2", "t3"])
            let byID = try await client.getUsers(tagID: created.id)
            #expect(byID.totalCount == 3)
            let untagged = try await client.updateTag(name: "Free Trial", tagOrUntag: .untag, userIDs: ["t2"])
            #expect(untagged.taggedUserCount == 2)
            let empty = try await client.createTag(name: "Empty")
            #expect(empty.taggedUserCount == 0)
        }
    }

    @Test("message threads: create, reply, mark read and unread, list, fetch one")
    func threads() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let user = UserIdentifier.email("somebody@example.com")
            let seeded = try await client.getMessageThread(for: user, threadID: 5591)
            #expect(seeded.messages.count == 3)
            #expect(seeded.messages[1].author == nil)
            let thread = try await client.createMessageThread(for: user, body: "Hey Intercom, What is up?")
            let threadID = try #require(thread.threadID)
            #expect(thread.messages.first?.html == "<p>Hey Intercom, What is up?</p>")
            #expect(thread.messages.first?.author?.email == "somebody@example.com")
            #expect(thread.messages.first?.author?.isAdmin == false)
            let replied = try await client.replyMessageThread(for: user, threadID: threadID, body: "Not much", read: false)
            #expect(replied.messages.count == 2)
            #expect(replied.read == false)
            let impression = try await client.createImpression(for: user)
            #expect(impression.unreadMessages == 1)
            let read = try await client.replyMessageThread(for: user, threadID: threadID, read: true)
            #expect(read.read == true)
            #expect(read.messages.count == 2)
            let all = try await client.getMessageThreads(for: user)
            #expect(all.compactMap(\.threadID) == [5591, threadID])
            let one = try await client.getMessageThread(for: .userID("123"), threadID: threadID)
            #expect(one.messages.map(\.html) == ["<p>Hey Intercom, What is up?</p>", "<p>Not much</p>"])
            let missing = await #expect(throws: IntercomError.self) {
                try await client.getMessageThread(for: user, threadID: 999_999)
            }
            #expect(missing?.kind == .notFound)
        }
    }

    @Test("notes are rendered as escaped HTML with the user")
    func notes() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            let note = try await client.createNote(for: .email("somebody@example.com"), body: "Likes <b>tea</b> & \"cake\"")
            #expect(note.html == "<p>Likes &lt;b&gt;tea&lt;/b&gt; &amp; &quot;cake&quot;</p>")
            #expect(note.user?.email == "somebody@example.com")
            #expect(note.createdAt != nil)
            #expect(try server.store.statistics().notes == 1)
        }
    }

    @Test("impressions update the user's last visit, IP, agent and session count")
    func impressions() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let result = try await client.createImpression(for: .userID("123"), userIP: "2.3.4.5", userAgent: "MyApp/1.0", location: "/pricing")
            #expect(result.unreadMessages == 0)
            let user = try await client.getUser(.userID("123"))
            #expect(user.lastSeenIP == "2.3.4.5")
            #expect(user.lastSeenUserAgent == "MyApp/1.0")
            #expect(user.sessionCount == 1)
            #expect((user.lastImpressionAt ?? 0) > 1_300_000_000)
        }
    }

    @Test("events are accepted with 202 and an empty body; created defaults to now")
    func events() async throws {
        try await SandboxHarness.withSandbox { server, client in
            let before = Int64(Date().timeIntervalSince1970)
            let response = try await client.createEvent(
                name: "sent-invite", user: .userID("314159"),
                metadata: ["invite_code": "ADDAFRIEND", "link": ["url": "https://example.com", "value": "site"], "price": ["amount": 2999, "currency": "usd"]])
            #expect(response.status == 202)
            #expect(response.body == nil)
            let events = try server.store.recentEvents()
            #expect(events.count == 1)
            #expect(events[0]["event_name"] == "sent-invite")
            #expect(events[0]["user_id"] == "314159")
            #expect(events[0]["metadata"]?["invite_code"] == "ADDAFRIEND")
            let created = try #require(events[0]["created"]?.integerValue)
            #expect(created >= before && created <= before + 5)
            try await client.createEvent(name: "given-time", user: .email("a@example.com"), created: 1_000)
            #expect(try server.store.recentEvents().last?["created"] == 1_000)
        }
    }

    @Test("delete_user returns the user as it was, then the user is not found")
    func deleteThenNotFound() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { _, client in
            let deleted = try await client.deleteUser(.email("somebody@example.com"))
            #expect(deleted.name == "Somebody")
            let error = await #expect(throws: IntercomError.self) { try await client.getUser(.userID("123")) }
            #expect(error?.kind == .notFound)
            #expect(error?.status == 404)
            #expect(error?.message == "The User was not found")
            let again = await #expect(throws: IntercomError.self) { try await client.deleteUser(.userID("123")) }
            #expect(again?.kind == .notFound)
        }
    }

    @Test("unknown tag is not found; rate-limit headers are readable on every answer")
    func unknownTagAndHeaders() async throws {
        try await SandboxHarness.withSandbox { _, client in
            let error = await #expect(throws: IntercomError.self) { try await client.getTag(name: "nope") }
            #expect(error?.kind == .notFound)
            #expect(error?.rateLimit?.limit == RateLimitRule.default.limit)
            let response = try await client.send(.getUsers())
            let rateLimit = try #require(response.rateLimit)
            #expect(rateLimit.limit == RateLimitRule.default.limit)
            #expect((rateLimit.remaining ?? 0) < RateLimitRule.default.limit)
            #expect((rateLimit.reset ?? 0) > Int64(Date().timeIntervalSince1970) - 1)
        }
    }

    @Test("bad credentials give the authentication error")
    func badCredentials() async throws {
        let wrong = Credentials(appID: "dummy-app-id", apiKey: "wrong-key")
        try await SandboxHarness.withSandbox(credentials: wrong) { _, client in
            let error = await #expect(throws: IntercomError.self) { try await client.getUsers() }
            #expect(error?.kind == .authentication)
            #expect(error?.status == 401)
            #expect(error?.mayHaveBeenProcessed == false)
        }
    }
}
