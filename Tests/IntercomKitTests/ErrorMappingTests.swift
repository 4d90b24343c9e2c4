import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Every error status, odd bodies, timeouts and connection failures map to their ``IntercomError`` case.
@Suite("Errors", .serialized)
struct ErrorMappingTests {
    static let statuses: [(Int, IntercomError.Kind)] = [
        (400, .clientError), (401, .authentication), (402, .clientError), (403, .clientError), (404, .notFound),
        (410, .clientError), (422, .clientError), (429, .rateLimited), (500, .serverError), (502, .badGateway),
        (503, .serviceUnavailable), (504, .serverError),
    ]

    @Test("each status maps to its kind and keeps status and body", arguments: statuses.map(\.0))
    func statusMapping(status: Int) async throws {
        let kind = Self.statuses.first { $0.0 == status }!.1
        let body = #"{"error":{"type":"some_type","message":"the server's words"}}"#
        try await CannedResponseServer.with(.init(status: status, body: body)) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getUser(.userID("1")) }
            #expect(error?.kind == kind)
            #expect(error?.status == status)
            #expect(error?.apiErrorType == "some_type")
            #expect(error?.message == "the server's words")
            #expect(error?.responseBody == body)
        }
    }

    @Test("a 429 carries Retry-After and the rate-limit headers")
    func rateLimited() async throws {
        let headers = ["Retry-After": "7", "X-RateLimit-Limit": "167", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1795606800"]
        try await CannedResponseServer.with(.init(status: 429, headers: headers, body: "")) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getUsers() }
            #expect(error?.kind == .rateLimited)
            #expect(error?.retryAfter == 7)
            #expect(error?.rateLimit == RateLimit(limit: 167, remaining: 0, reset: 1_795_606_800))
            #expect(error?.mayHaveBeenProcessed == false)
            #expect(error?.responseBody == nil)
        }
    }

    @Test("a 4xx never comes back as data, even with a JSON body")
    func clientErrorIsNotData() async throws {
        try await CannedResponseServer.with(.init(status: 422, body: #"{"error":{"type":"not_found","message":"The User was not found"}}"#)) { server in
            await #expect(throws: IntercomError.self) { try await server.client().createNote(for: .userID("1"), body: "x") }
        }
    }

    @Test("a 200 whose body is not JSON is an invalid response")
    func nonJSONBody() async throws {
        try await CannedResponseServer.with(.init(status: 200, body: "<html>oops</html>")) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getUser(.userID("1")) }
            #expect(error?.kind == .invalidResponse)
            #expect(error?.status == 200)
            #expect(error?.responseBody == "<html>oops</html>")
        }
    }

    @Test("a body that is not JSON is refused with the parser's reason and place, the secret redacted in both")
    func nonJSONReason() async throws {
        let body = #"{"pages":{"next":null},"data":[],"pages":{"next":null}}"#
        try await CannedResponseServer.with(.init(status: 200, body: body)) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getUser(.userID("1")) }
            #expect(error?.message.contains(#"not JSON (duplicate key "pages" at byte 34)"#) == true, "\(String(describing: error?.message))")
        }
        let basic = Credentials(appID: "app", apiKey: "key").basicToken
        try await CannedResponseServer.with(.init(status: 200, body: #"{"\#(basic)":1,"\#(basic)":2}"#)) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getUser(.userID("1")) }
            let message = try #require(error?.message)
            #expect(!message.contains(basic) && message.contains(#"(duplicate key "***" at byte"#), "\(message)")
        }
    }

    @Test("a 200 with an empty body where a user is expected is an invalid response")
    func emptyBody() async throws {
        try await CannedResponseServer.with(.init(status: 200, body: "  ")) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getUser(.userID("1")) }
            #expect(error?.kind == .invalidResponse)
        }
    }

    @Test("a JSON array where an object is expected is an invalid response")
    func wrongShape() async throws {
        try await CannedResponseServer.with(.init(status: 200, body: "[1,2]")) { server in
            let error = await #expect(throws: IntercomError.self) { try await server.client().getTag(name: "x") }
            #expect(error?.kind == .invalidResponse)
        }
    }

    @Test("the timeout is honoured within 10 % (sandbox latency fault)")
    func timeout() async throws {
        let faults = try FaultPlan(parsing: "latency=6s")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults), timeout: .seconds(2)) { _, client in
            // Never early; and on time in the best of five tries, so that a busy CI machine's scheduling
            // delays do not count against the deadline itself.
            var elapsedTimes: [Duration] = []
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let error = await #expect(throws: IntercomError.self) { try await client.getUser(.userID("123")) }
                elapsedTimes.append(ContinuousClock.now - started)
                #expect(error?.kind == .timeout)
                if elapsedTimes.last! <= .milliseconds(2_200) { break }
                try await Task.sleep(for: .seconds(1))
            }
            #expect(elapsedTimes.allSatisfy { $0 >= .milliseconds(1_800) })
            #expect(elapsedTimes.min()! <= .milliseconds(2_200), "\(elapsedTimes)")
        }
    }

    @Test("the timeout bounds the whole answer: a body that never ends is a timeout, for a read and a write")
    func neverEndingBody() async throws {
        let body = #"{"type":"user","id":"1","user_id":"123","email":"a@example.com"}"#
        try await CannedResponseServer.with(.init(status: 200, body: body, neverEnds: true)) { server in
            let client = server.client(timeout: .seconds(1))
            for call in [{ _ = try await client.getUser(.userID("123")) }, { _ = try await client.createNote(for: .userID("123"), body: "hi") }] {
                let started = ContinuousClock.now
                let error = await #expect(throws: IntercomError.self) { try await call() }
                #expect(error?.kind == .timeout)
                #expect(error?.mayHaveBeenProcessed == true)
                #expect(ContinuousClock.now - started < .seconds(5))
            }
        }
    }

    @Test("a refused connection is a connection error that provably was not processed")
    func connectionRefused() async throws {
        let client = IntercomClient(
            configuration: IntercomConfiguration(
                endpoint: URL(string: "http://127.0.0.1:1/v1/")!, credentials: SandboxConfiguration.defaultCredentials,
                timeout: .seconds(1)))
        let error = await #expect(throws: IntercomError.self) { try await client.getUsers() }
        #expect(error?.kind == .connection)
        #expect(error?.mayHaveBeenProcessed == false)
    }

    @Test("cancelling the task cancels the request")
    func cancellation() async throws {
        let faults = try FaultPlan(parsing: "latency=3s")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { _, client in
            let task = Task { try await client.getUsers() }
            try await Task.sleep(for: .milliseconds(100))
            let started = ContinuousClock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }
}
