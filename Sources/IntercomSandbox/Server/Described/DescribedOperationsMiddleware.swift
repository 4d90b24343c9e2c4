import Foundation
import HTTPTypes
import Hummingbird
import IntercomKit
import NIOCore

/// Answers, from Intercom's description, every REST request for an operation the sandbox does not model, as
/// stripe-mock answers Stripe's. The description decides which operation a request is (`/conversations/search` is
/// not `/conversations/{id}`); a modelled one goes on to its route. A path or method the description does not have
/// and no route takes gets the live API's 404; a request that breaks its operation's description gets a 400 naming
/// the field (``DescribedRequestCheck``); a valid one gets the documented success answer (``DescribedAnswer``). A
/// request for a modelled operation has the types of its query's scalars checked the same way before its route sees
/// it (``DescribedRequestCheck/Strictness/modelled``).
struct DescribedOperationsMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    /// The description answered from.
    let description: APIDescription
    /// The operations the routes model, as `METHOD /path/{name}` (``key(of:)``).
    let modelled: Set<String>
    /// The largest request body read.
    let bodyLimit: Int

    /// Answers from `description` what the routes do not model: `modelled` names the operations they do, as
    /// `METHOD /path/{}`.
    init(description: APIDescription, modelled: Set<String>, bodyLimit: Int) {
        self.description = description
        self.modelled = Set(description.operations.filter { modelled.contains("\($0.method) " + SandboxServer.unnamed($0.path)) }.map(Self.key))
        self.bodyLimit = bodyLimit
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if case .operation(let operation, let values) = description.match(method: request.method.rawValue, segments: try Self.segments(request), suggestingNearest: false) {
            guard modelled.contains(Self.key(of: operation)) else {
                return try await answer(request, for: operation, path: values)
            }
            try DescribedRequestCheck(description: description).checkParameters(operation, path: values, query: Self.query(request.uri.query), strictness: .modelled)
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            throw SandboxError.resourceNotFound
        }
    }

    /// An operation's method and path template, which name it.
    static func key(of operation: APIDescription.Operation) -> String { operation.method + " " + operation.path }

    /// The described answer to `request` for `operation`, whose path parameters have `values`, or the refusal it gets.
    func answer(_ request: Request, for operation: APIDescription.Operation, path values: [String: String]) async throws(SandboxError) -> Response {
        let body = operation.body == nil ? nil : try await RestBody.json(request, limit: bodyLimit)
        try DescribedRequestCheck(description: description).check(operation, path: values, query: Self.query(request.uri.query), body: body)
        let answer = DescribedAnswer.make(operation, path: operation.pathParameters.map { ($0, values[$0] ?? "") }, description: description)
        var headers = HTTPFields()
        if let location = answer.location { headers[.location] = location }
        guard let contentType = answer.contentType, let body = answer.body else { return Response(status: .init(code: answer.status), headers: headers) }
        headers[.contentType] = contentType.hasSuffix("json") ? contentType + "; charset=utf-8" : contentType
        let bytes = contentType.hasSuffix("json") ? ByteBuffer(bytes: body.encodedData()) : ByteBuffer(string: body.stringValue ?? "")
        return Response(status: .init(code: answer.status), headers: headers, body: ResponseBody(byteBuffer: bytes))
    }

    /// The request's path segments, percent-decoded (one trailing `/` is ignored). A segment that is not valid
    /// percent-encoding or holds a control character is a 400; an empty one (`//`) matches nothing, a 404.
    static func segments(_ request: Request) throws(SandboxError) -> [String] {
        var path = Substring(request.uri.path)
        if path.hasPrefix("/") { path = path.dropFirst() }
        if path.hasSuffix("/") { path = path.dropLast() }
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !raw.isEmpty else { throw SandboxError.resourceNotFound }
            guard let segment = SandboxContext.decodedSegment(raw) else {
                throw SandboxError.restInvalid("The path segment \(raw) is not valid percent-encoding")
            }
            segments.append(segment)
        }
        return segments
    }

    /// Each query key's values, in order, percent-decoded (`+` is a space).
    static func query(_ text: String?) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for pair in (text ?? "").split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return values
    }
}
