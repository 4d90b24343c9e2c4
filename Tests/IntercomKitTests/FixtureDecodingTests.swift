import Foundation
import IntercomKit
import IntercomTesting
import Testing

/// Every python-intercom 0.2.13 fixture, served by a real HTTP server and decoded by the client.
@Suite("Fixtures decoded by the client")
struct FixtureDecodingTests {
    /// Which call reads which fixture, and what it must find in it.
    static let checks: [String: @Sendable (IntercomClient) async throws -> Void] = [
        "v1-user.json": { client in
            let user = try await client.getUser(.email("somebody@example.com"))
            #expect(user.intercomID == "528f291df8d4a41d8c000088")
            #expect(user.name == "Somebody")
            #expect(user.createdAt == 1_270_000_000)
            #expect(user.customData["team_mates"] == 7)
            #expect(user.socialProfiles.last?.id == "13241141441141413")
            #expect(user.locationData?.latitude == -33.44999999999999)
            #expect(user.locationData?.countryCode == "CHL")
            #expect(user.sessionCount == 0)
            #expect(user.unsubscribedFromEmails == false)
            #expect(user.avatarURL?.hasPrefix("https://graph.facebook.com/") == true)
            #expect(user.companyIDs.isEmpty)
        },
        "v1-user-updated.json": { client in
            let user = try await client.updateUser(UserAttributes(userID: "123", name: "Guido"))
            #expect(user.name == "Guido")
        },
        "v1-users.json": { client in
            let page = try await client.getUsers()
            #expect(page.users.count == 3)
            #expect(page.totalCount == 3)
            #expect(page.page == 1)
            #expect(page.nextPage == nil)
            #expect(page.previousPage == nil)
            #expect(page.totalPages == 1)
            #expect(page.users.last?.name == "Third User")
        },
        "v1-users-impressions.json": { client in
            let impression = try await client.createImpression(for: .email("somebody@example.com"), userIP: "2.3.4.5", userAgent: "MyApp/1.0")
            #expect(impression.unreadMessages == 1)
        },
        "v1-users-note.json": { client in
            let note = try await client.createNote(for: .email("somebody@example.com"), body: "This is a note")
            #expect(note.html == "<p>This is a note</p>")
            #expect(note.createdAt == 1_300_000_000)
            #expect(note.user?.email == "somebody@example.com")
        },
        "v1-users-message_threads.json": { client in
            let threads = try await client.getMessageThreads(for: .email("somebody@example.com"))
            #expect(threads.count == 1)
            let thread = try #require(threads.first)
            #expect(thread.threadID == 5591)
            #expect(thread.messageID == 5591)
            #expect(thread.messageType == "conversation")
            #expect(thread.interrupt == true)
            #expect(thread.createdByUser == true)
            #expect(thread.messages.count == 3)
            #expect(thread.messages[0].subject == "")
            #expect(thread.messages[0].author?.isAdmin == false)
            #expect(thread.messages[0].author?.avatar == [:])
            #expect(thread.messages[1].author == nil)
            #expect(thread.messages[1].url == nil)
        },
        "v1-users-message_thread.json": { client in
            let thread = try await client.getMessageThread(for: .email("somebody@example.com"), threadID: 5591)
            #expect(thread.json.count == 9)
            #expect(thread.read == true)
            #expect(thread.messages[0].author?.name == "Bob")
            #expect(thread.messages[0].html == "<p>Hey Intercom, What is up?</p>\n\n<p></p>")
        },
        "v1-tag.json": { client in
            let tag = try await client.getTag(name: "Free Trial")
            #expect(tag.id == "52322b4150233908a800013c")
            #expect(tag.taggedUserCount == 2)
            #expect(tag.segment == false)
        },
        "v1-user_not_found.json": { client in
            let error = await #expect(throws: IntercomError.self) { try await client.getUser(.userID("nobody")) }
            #expect(error?.kind == .notFound)
            #expect(error?.apiErrorType == "not_found")
            #expect(error?.message == "The User was not found")
        },
        "v1-user_server_error.json": { client in
            let error = await #expect(throws: IntercomError.self) { try await client.getUser(.userID("123")) }
            #expect(error?.kind == .serverError)
            #expect(error?.apiErrorType == "internal_error")
            #expect(error?.message == "oops")
            #expect(error?.responseBody?.contains("internal_error") == true)
        },
    ]

    static func status(of fixture: String) -> Int {
        if fixture.contains("not_found") { return 404 }
        if fixture.contains("server_error") { return 500 }
        return 200
    }

    @Test("every fixture in shared/ has a check", .enabled(if: (try? SharedFixtures.names()) != nil))
    func everyFixtureIsCovered() throws {
        let names = try SharedFixtures.names()
        #expect(names.count >= 10)
        #expect(Set(names) == Set(Self.checks.keys))
    }

    @Test("each fixture decodes", .enabled(if: (try? SharedFixtures.names()) != nil), arguments: checks.keys.sorted())
    func fixtureDecodes(name: String) async throws {
        let body = try SharedFixtures.text(name)
        try await CannedResponseServer.with(.init(status: Self.status(of: name), headers: ["Content-Type": "application/json"], body: body)) { server in
            try await Self.checks[name]!(server.client())
        }
    }

    @Test("fields the model does not know are kept")
    func unknownFieldsAreKept() async throws {
        let body = #"{"email":"x@example.com","user_id":"1","brand_new_field":{"nested":[1,2.5,"three",null,true]},"session_count":4}"#
        try await CannedResponseServer.with(.init(body: body)) { server in
            let user = try await server.client().getUser(.userID("1"))
            #expect(user.json["brand_new_field"] == ["nested": [1, 2.5, "three", nil, true]])
            #expect(user.sessionCount == 4)
            #expect(JSONValue.object(user.json) == (try JSONValue(parsing: body)))
        }
    }
}
