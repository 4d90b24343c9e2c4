import Foundation
import IntercomKit
import IntercomShell
import IntercomTesting
import Testing

/// Error answers of the REST API (2.x): the `error.list` envelope, and the kinds of their own that 403, 409, 410 and
/// 422 have there (v1 keeps `client_error` for them, as `ErrorMappingTests` checks).
@Suite("REST API errors", .serialized)
struct RestErrorMappingTests {
    static let statuses: [(Int, IntercomError.Kind)] = [
        (400, .clientError), (401, .authentication), (403, .forbidden), (404, .notFound), (409, .conflict), (410, .gone),
        (422, .unprocessable), (429, .rateLimited), (503, .serviceUnavailable),
    ]

    static func restClient(_ server: CannedResponseServer) -> IntercomClient {
        IntercomClient(
            configuration: IntercomConfiguration(
                endpoint: server.endpoint, credentials: Credentials(accessToken: "a-token-for-tests"), timeout: .seconds(5), apiVersion: "2.16"))
    }

    @Test("each status maps to its 2.x kind, with the first error's code and message", arguments: statuses.map(\.0))
    func statusMapping(status: Int) async throws {
        let kind = Self.statuses.first { $0.0 == status }!.1
        let body = #"{"type":"error.list","request_id":null,"errors":[{"code":"some_code","message":"the server's words"}]}"#
        try await CannedResponseServer.with(.init(status: status, body: body)) { server in
            let error = await #expect(throws: IntercomError.self) { try await Self.restClient(server).send(.contact(id: "1")) }
            #expect(error?.kind == kind)
            #expect(error?.apiErrorType == "some_code" && error?.message == "the server's words")
            // 401, 403, 409, 410, 422, 429 and 503 refuse a request before carrying it out.
            let refused = [401, 403, 409, 410, 422, 429, 503].contains(status)
            #expect(error?.mayHaveBeenProcessed == !refused)
            let request = server.receivedRequests.last
            #expect(request?.headers.first { $0.key.lowercased() == "authorization" }?.value == "Bearer a-token-for-tests")
            #expect(request?.headers.first { $0.key.lowercased() == "intercom-version" }?.value == "2.16")
        }
    }

    @Test("409 and 422 are never retried; a 410 carries the canonical contact's Link in its message")
    func neverRetriedAndLink() async throws {
        let policy = RetryPolicy(maximumRetries: 5)
        for kind in [IntercomError.Kind.conflict, .unprocessable, .forbidden, .gone] {
            let decision = policy.decide(
                after: IntercomError(kind: kind, status: 409, message: "x", mayHaveBeenProcessed: false), effect: .idempotentWrite, attempt: 1,
                waited: .zero, now: 0, random: 0.5)
            #expect(decision == .fail, "\(kind)")
        }
        let headers = ["Link": #"</contacts/6762f0d01bb69f9f2193bb7d>; rel="canonical""#]
        try await CannedResponseServer.with(.init(status: 410, headers: headers, body: #"{"type":"error.list","errors":[{"code":"contact_merged","message":"merged"}]}"#)) { server in
            let error = await #expect(throws: IntercomError.self) { try await Self.restClient(server).send(.contact(id: "1")) }
            #expect(error?.message.contains("</contacts/6762f0d01bb69f9f2193bb7d>") == true)
        }
    }
}
