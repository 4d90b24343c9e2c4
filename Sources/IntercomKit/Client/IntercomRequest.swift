/// One call to the v1 API, ready to send: method, path below the endpoint, query and JSON body.
///
/// Build requests with the static factories (``getUser(_:)``, ``createNote(for:body:)``, ...), which check
/// parameters first and leave unset ones out. A request is a value: it can be logged, retried or recorded.
public struct IntercomRequest: Sendable, Hashable {
    /// The HTTP methods the APIs use (PATCH: the REST API only).
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
        case patch = "PATCH"
    }

    /// The HTTP method.
    public var method: Method
    /// The path below the endpoint, without a leading slash (`users`, `users/notes`, `events`).
    public var path: String
    /// Query parameters, in order (GET only).
    public var query: [(name: String, value: String)]
    /// The JSON body (POST, PUT and DELETE).
    public var body: JSONObject?

    /// Creates a request; prefer the checked factories.
    public init(method: Method, path: String, query: [(name: String, value: String)] = [], body: JSONObject? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    /// Requests are equal when method, path, query and body are.
    public static func == (lhs: IntercomRequest, rhs: IntercomRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body
            && lhs.query.map(\.name) == rhs.query.map(\.name) && lhs.query.map(\.value) == rhs.query.map(\.value)
    }

    /// Hashes method, path, query and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        for item in query {
            hasher.combine(item.name)
            hasher.combine(item.value)
        }
        hasher.combine(body)
    }

    /// The query string in `application/x-www-form-urlencoded` form, as python's requests writes it
    /// (`email=somebody%40example.com`, `tag_name=Free+Trial`); empty without parameters.
    public var encodedQuery: String {
        query.map { "\(Self.formEncode($0.name))=\(Self.formEncode($0.value))" }.joined(separator: "&")
    }

    static func formEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                encoded += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}

extension IntercomRequest {
    /// A `GET` of `path`.
    public static func get(_ path: String, query: [(name: String, value: String)] = []) -> IntercomRequest {
        IntercomRequest(method: .get, path: path, query: query)
    }

    /// A `POST` of `body` to `path`.
    public static func post(_ path: String, _ body: JSONObject) -> IntercomRequest { IntercomRequest(method: .post, path: path, body: body) }
}
