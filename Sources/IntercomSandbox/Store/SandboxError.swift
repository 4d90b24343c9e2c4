public import IntercomKit

/// A refusal the sandbox answers with, as the v1 API does: a 4xx/5xx status and `{"error":{"type","message"}}`.
public struct SandboxError: Error, Sendable, Hashable {
    /// The HTTP status.
    public let status: Int
    /// The API error type (`not_found`, `bad_request`, ...).
    public let type: String
    /// A human-readable message.
    public let message: String
    /// The `Link` header of the answer, if any (a merged contact's canonical contact on the REST API).
    public var link: String?
    /// The request field the refusal is about (`name`, `source.id`), which the REST API names in `errors[].field`.
    public var field: String?

    /// Creates a refusal.
    public init(status: Int, type: String, message: String, link: String? = nil, field: String? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.link = link
        self.field = field
    }

    /// The body: `{"error":{"type":…,"message":…}}`.
    public var body: JSONValue { ["error": ["type": .string(type), "message": .string(message)]] }

    static func badRequest(_ message: String) -> SandboxError {
        SandboxError(status: 400, type: "bad_request", message: message)
    }

    static func notFound(_ resource: String) -> SandboxError {
        SandboxError(status: 404, type: "not_found", message: "The \(resource) was not found")
    }

    static let missingIdentifier = badRequest("Either email or user_id must be specified")
}
