import IntercomKit
import IntercomTesting
import Testing

/// Parameters are checked before anything is sent.
@Suite("Parameter validation")
struct ParameterValidationTests {
    @Test(
        "custom_data with a nested or null value is refused, naming the key, and nothing is sent",
        arguments: [
            (["plan": ["nested": 1]], "custom_data.plan"),
            (["tags": ["a", "b"]], "custom_data.tags"),
            (["gone": nil], "custom_data.gone"),
            (["fine": "x", "zz": [:]], "custom_data.zz"),
        ] as [(JSONObject, String)])
    func nestedCustomData(customData: JSONObject, parameter: String) async throws {
        try await CannedResponseServer.with(.init(body: "{}")) { server in
            let error = await #expect(throws: ParameterError.self) {
                try await server.client().createUser(UserAttributes(userID: "1", customData: customData))
            }
            #expect(error?.parameter == parameter)
            #expect(error?.message.contains(parameter) == true)
            #expect(server.receivedRequests.isEmpty)
        }
    }

    @Test("flat custom_data with strings, numbers and booleans is accepted")
    func flatCustomData() throws {
        let request = try IntercomRequest.createUser(UserAttributes(email: "a@example.com", customData: ["s": "x", "i": 1, "d": 1.5, "b": false]))
        #expect(request.body?["custom_data"] == ["s": "x", "i": 1, "d": 1.5, "b": false])
    }

    @Test("event metadata allows the link and amount shapes, nothing else nested")
    func metadata() throws {
        let ok: JSONObject = ["code": "X", "link": ["url": "https://e.com", "value": "e"], "price": ["amount": 2999, "currency": "usd"]]
        _ = try IntercomRequest.createEvent(name: "e", user: .userID("1"), created: 1, metadata: ok)
        #expect(throws: ParameterError.self) {
            try IntercomRequest.createEvent(name: "e", user: .userID("1"), created: 1, metadata: ["deep": ["a": ["b": 1]]])
        }
        #expect(throws: ParameterError.self) {
            try IntercomRequest.createEvent(name: "e", user: .userID("1"), created: 1, metadata: ["list": [1, 2]])
        }
        #expect(throws: ParameterError.self) {
            try IntercomRequest.createEvent(name: "e", user: .userID("1"), created: 1, metadata: ["price": ["amount": "lots", "currency": "usd"]])
        }
    }

    @Test("user-scoped calls need a user_id or an email")
    func identifierRequired() {
        #expect(throws: ParameterError.self) { try IntercomRequest.getUser(UserIdentifier()) }
        #expect(throws: ParameterError.self) { try IntercomRequest.createNote(for: UserIdentifier(email: ""), body: "x") }
        #expect(throws: ParameterError.self) { try IntercomRequest.createUser(UserAttributes(name: "No Id")) }
    }

    @Test("tagging users needs tag_or_untag; per_page is 1 to 500; a reply needs a body or read")
    func otherRules() {
        #expect(throws: ParameterError.self) { try IntercomRequest.createTag(name: "T", userIDs: ["a"]) }
        #expect(throws: ParameterError.self) { try IntercomRequest.getUsers(perPage: 501) }
        #expect(throws: ParameterError.self) { try IntercomRequest.getUsers(page: 0) }
        #expect(throws: ParameterError.self) { try IntercomRequest.replyMessageThread(for: .userID("1"), threadID: 1) }
        #expect(throws: ParameterError.self) { try IntercomRequest.createUser(UserAttributes(userID: "1", companies: [["name": "No id"]])) }
    }

    @Test("a bare identifier with @ is an email, otherwise a user_id")
    func guessIdentifier() {
        #expect(UserIdentifier.guess("ben@intercom.io") == .email("ben@intercom.io"))
        #expect(UserIdentifier.guess("314159") == .userID("314159"))
    }
}
