import Foundation
import HTTPTypes
import Hummingbird
import IntercomKit
import NIOCore

/// How a face of the sandbox writes a refusal: v1's `{"error":{"type","message"}}`, or the REST API's `error.list`.
/// The middleware both faces share (rate limit, faults) takes one.
enum ErrorShape: Sendable {
    /// The v1 API's.
    case v1
    /// The REST API's (2.x).
    case rest

    /// The answer to `error`, thrown by a route or middleware below.
    func response(for error: any Error, to request: Request) -> Response {
        switch error {
        case let error as SandboxError:
            var response = SandboxAnswer.json(body(error), status: error.status)
            if let link = error.link { response.headers[HTTPField.Name("Link")!] = link }
            return response
        case let error as HTTPError:
            let code = error.status == .notFound ? "not_found" : error.status.code < 500 ? "bad_request" : "server_error"
            return response(for: SandboxError(status: error.status.code, type: code, message: error.body ?? error.status.reasonPhrase), to: request)
        default:
            return response(for: SandboxError(status: 500, type: "server_error", message: "\(error)"), to: request)
        }
    }

    /// The body of `error` in this shape.
    func body(_ error: SandboxError) -> JSONValue {
        self == .v1 ? error.body : error.restBody
    }

    /// The 429 over the rate limit of `limit` requests in `seconds`, worded as this face's API words it.
    func rateLimited(limit: Int, seconds: Int) -> SandboxError {
        SandboxError(status: 429, type: "rate_limit_exceeded", message: "Exceeded rate limit of \(limit) in \(seconds)\(self == .v1 ? " " : "_")seconds")
    }
}

/// Writing the sandbox's JSON answers.
enum SandboxAnswer {
    /// `body` as a JSON answer with `status` (no body when `body` is nil).
    static func json(_ body: JSONValue?, status: Int, headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        guard let body else { return Response(status: .init(code: status), headers: headers) }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encodedData())))
    }

    /// A 200 JSON answer whose body `write` appends.
    static func json(writing write: (inout [UInt8]) -> Void) -> Response {
        var bytes: [UInt8] = []
        write(&bytes)
        let headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
