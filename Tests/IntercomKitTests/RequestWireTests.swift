import Foundation
import IntercomKit
import IntercomTesting
import Testing

/// What the client puts on the wire: headers, query strings and JSON bodies, as Appendix B of the protocol notes lists.
@Suite("Requests on the wire")
struct RequestWireTests {
    @Test("GET: Basic auth, Accept and User-Agent headers; query encoded as python's requests does")
    func getHeadersAndQuery() async throws {
        try await CannedResponseServer.with(.init(body: #"{"users":[],"total_count":0,"page":2,"next_page":null,"previous_page":1,"total_pages":0}"#)) { server in
            let client = server.client()
            _ = try await client.getUsers(page: 2, perPage: 50, tagName: "Free Trial")
            _ = try? await client.getUser(.email("somebody@example.com"))
            let requests = server.receivedRequests
            #expect(requests[0].method == "GET")
            #expect(requests[0].uri == "/v1/users?page=2&per_page=50&tag_name=Free+Trial")
            #expect(requests[0].headers["authorization"] == "Basic " + Data("app:key".utf8).base64EncodedString())
            #expect(requests[0].headers["accept"] == "application/json")
            #expect(requests[0].headers["user-agent"] == "intercom-sh/\(IntercomKitVersion.current)")
            #expect(requests[0].body.isEmpty)
            #expect(requests[1].uri == "/v1/users?email=somebody%40example.com")
        }
    }

    @Test("POST, PUT and DELETE send JSON bodies and leave unset parameters out")
    func bodies() async throws {
        try await CannedResponseServer.with(.init(body: "{}")) { server in
            let client = server.client()
            _ = try await client.createNote(for: .email("somebody@example.com"), body: "This is a note")
            _ = try await client.deleteUser(.email("somebody@example.com"))
            _ = try await client.updateTag(name: "Free Trial", tagOrUntag: .untag, emails: ["a@example.com"])
            _ = try await client.replyMessageThread(for: .email("somebody@example.com"), threadID: 5591, body: "Not much", read: true)
            _ = try await client.createEvent(name: "sent-invite", user: .userID("314159"), created: 1_795_606_734, metadata: ["invite_code": "ADDAFRIEND"])
            let requests = server.receivedRequests
            let expected: [(String, String, JSONValue)] = [
                ("POST", "/v1/users/notes", ["email": "somebody@example.com", "body": "This is a note"]),
                ("DELETE", "/v1/users", ["email": "somebody@example.com"]),
                ("PUT", "/v1/tags", ["name": "Free Trial", "tag_or_untag": "untag", "emails": ["a@example.com"]]),
                ("PUT", "/v1/users/message_threads", ["email": "somebody@example.com", "thread_id": 5591, "body": "Not much", "read": true]),
                ("POST", "/v1/events", ["event_name": "sent-invite", "user_id": "314159", "created": 1_795_606_734, "metadata": ["invite_code": "ADDAFRIEND"]]),
            ]
            #expect(requests.count == expected.count)
            for (request, (method, uri, body)) in zip(requests, expected) {
                #expect(request.method == method)
                #expect(request.uri == uri)
                #expect(request.headers["content-type"] == "application/json")
                #expect(try JSONValue(parsing: request.body) == body)
                #expect(!request.body.contains("null"))
            }
        }
    }

    @Test("the timeout honours fractional seconds")
    func fractionalTimeout() {
        let configuration = IntercomConfiguration(credentials: Credentials(appID: "a", apiKey: "k"), timeout: .milliseconds(1_500))
        #expect(configuration.timeout == .milliseconds(1_500))
        #expect(configuration.endpoint.absoluteString == "https://api.intercom.io/v1/")
        let noSlash = IntercomConfiguration(endpoint: URL(string: "http://127.0.0.1:1/v1")!, credentials: Credentials(appID: "a", apiKey: "k"))
        #expect(noSlash.endpoint.absoluteString == "http://127.0.0.1:1/v1/")
    }

    @Test("the api key never shows in descriptions")
    func apiKeyIsRedacted() {
        let credentials = Credentials(appID: "app", apiKey: "super-secret-key")
        #expect(!"\(credentials)".contains("super-secret-key"))
        #expect(!String(reflecting: credentials).contains("super-secret-key"))
        #expect("\(credentials.apiKey)" == "***")
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("super-secret-key"))
    }
}
