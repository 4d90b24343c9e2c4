import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends arbitrary HTTP requests, including malformed ones the client library would never send.
public enum RawHTTP {
    /// An answer: status, headers (names lower-cased) and body text.
    public struct Answer: Sendable {
        /// The status code.
        public let status: Int
        /// The headers, names lower-cased.
        public let headers: [String: String]
        /// The body as text.
        public let body: String
    }

    /// A client that does not follow redirects, so that a test sees the 3xx itself.
    private static let direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// Sends `method url` with `headers` and `body` (text, or `bodyBytes` as they are); `basicAuth` adds an
    /// Authorization header. Redirects are followed unless `followRedirects` is false.
    public static func send(
        _ method: String, _ url: String, basicAuth: (String, String)? = ("dummy-app-id", "dummy-api-key"),
        headers: [String: String] = [:], body: String? = nil, bodyBytes: [UInt8]? = nil, followRedirects: Bool = true
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let (user, password) = basicAuth {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bodyBytes { request.body = .bytes(ByteBuffer(bytes: bodyBytes)) }
        let response = try await (followRedirects ? HTTPClient.shared : direct).execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 26)
        var answerHeaders: [String: String] = [:]
        for (name, value) in response.headers { answerHeaders[name.lowercased()] = value }
        return Answer(status: Int(response.status.code), headers: answerHeaders, body: String(buffer: bytes))
    }
}
