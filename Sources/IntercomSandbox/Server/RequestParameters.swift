import Foundation
import Hummingbird
import NIOCore
import IntercomKit

/// The parameters of one API request, merged from the JSON (or form) body and the query string,
/// with typed getters that refuse a wrong type with a 400 naming the parameter. JSON `null` counts as absent.
struct RequestParameters: Sendable {
    let values: JSONObject

    init(values: JSONObject) {
        self.values = values.filter { !$0.value.isNull }
    }

    /// The parameters of a v1 request: the query string, with the body's over it (a JSON object, or a form when
    /// the content type says so). A body that is not UTF-8, not JSON, not an object, or over `limit` is refused.
    static func of(_ request: Request, limit: Int) async throws(SandboxError) -> RequestParameters {
        var values = request.uri.query.map { RequestParameters.parseForm($0[...]) } ?? [:]
        guard request.method != .get else { return RequestParameters(values: values) }
        let buffer = try await collectBody(request, limit: limit)
        guard let text = String(strictUTF8: buffer.readableBytesView) else {
            throw SandboxError.badRequest("The request body is not valid UTF-8")
        }
        guard !text.allSatisfy(\.isWhitespace) else { return RequestParameters(values: values) }
        let isForm = request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true
        if isForm && !text.drop(while: \.isWhitespace).hasPrefix("{") {
            values.merge(RequestParameters.parseForm(text[...])) { _, body in body }
            return RequestParameters(values: values)
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch {
            throw SandboxError.badRequest("The request body is not valid JSON")
        }
        guard case .object(let object) = json else {
            throw SandboxError.badRequest("The request body must be a JSON object, not \(json.typeDescription)")
        }
        values.merge(object) { _, body in body }
        return RequestParameters(values: values)
    }

    /// The whole body of `request`: a 413 when it is over `limit` bytes, a 400 when it cannot be read (a malformed
    /// chunk), in v1's or 2.x's words as the face's middleware writes them.
    static func collectBody(_ request: Request, limit: Int) async throws(SandboxError) -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw SandboxError(status: 413, type: "request_too_large", message: "The request body is larger than \(limit) bytes")
        } catch {
            throw SandboxError.badRequest("The request body could not be read")
        }
    }

    /// Parses `a=1&b=x+y` (form encoding: `+` is a space, `%XX` escapes).
    static func parseForm(_ text: Substring) -> JSONObject {
        var values: JSONObject = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            values[decode(parts[0])] = .string(parts.count > 1 ? decode(parts[1]) : "")
        }
        return values
    }

    func string(_ key: String) throws(SandboxError) -> String? {
        guard let value = values[key] else { return nil }
        guard case .string(let text) = value else { throw SandboxError.badRequest("\(key) must be a string, not \(value.typeDescription)") }
        return text
    }

    /// A user_id: a string, or a number as clients such as python-intercom may send it.
    func identifier(_ key: String) throws(SandboxError) -> String? {
        switch values[key] {
        case nil: return nil
        case .string(let text): return text.isEmpty ? nil : text
        case .integer(let number): return String(number)
        case .double(let number) where number == number.rounded() && abs(number) < 9e15: return String(Int64(number))
        case let value?: throw SandboxError.badRequest("\(key) must be a string or a number, not \(value.typeDescription)")
        }
    }

    /// A whole number; numeric strings (from a query string or form) and integral decimals are accepted.
    func integer(_ key: String) throws(SandboxError) -> Int64? {
        switch values[key] {
        case nil: return nil
        case .integer(let number): return number
        case .double(let number) where number.isFinite && abs(number) < 9e15: return Int64(number)
        case .string(let text):
            if let number = Int64(text) { return number }
            if let number = Double(text), number.isFinite, abs(number) < 9e15 { return Int64(number) }
            throw SandboxError.badRequest("\(key) must be a number, not '\(text)'")
        case let value?: throw SandboxError.badRequest("\(key) must be a number, not \(value.typeDescription)")
        }
    }

    /// A boolean in text as Rails reads it: `true`, `false`, `1` or `0`, in any case; nil for anything else.
    static func boolean(_ text: String) -> Bool? {
        ["true": true, "1": true, "false": false, "0": false][text.lowercased()]
    }

    func bool(_ key: String) throws(SandboxError) -> Bool? {
        switch values[key] {
        case nil: return nil
        case .bool(let flag): return flag
        case .string(let text) where Self.boolean(text) != nil: return Self.boolean(text)
        case let value?: throw SandboxError.badRequest("\(key) must be true or false, not \(value.description)")
        }
    }

    func object(_ key: String) throws(SandboxError) -> JSONObject? {
        guard let value = values[key] else { return nil }
        guard case .object(let object) = value else { throw SandboxError.badRequest("\(key) must be an object, not \(value.typeDescription)") }
        return object
    }

    /// A flat object: custom_data's rule (string, number or boolean values).
    func flatObject(_ key: String) throws(SandboxError) -> JSONObject? {
        guard let object = try object(key) else { return nil }
        do {
            try CustomDataRules.checkCustomData(object, parameter: key)
        } catch {
            throw SandboxError.badRequest((error as? ParameterError)?.message ?? "\(key) must be flat")
        }
        return object
    }

    func strings(_ key: String) throws(SandboxError) -> [String] {
        guard let value = values[key] else { return [] }
        guard case .array(let items) = value else { throw SandboxError.badRequest("\(key) must be an array of strings, not \(value.typeDescription)") }
        var strings: [String] = []
        for item in items {
            switch item {
            case .string(let text): strings.append(text)
            case .integer(let number): strings.append(String(number))
            default: throw SandboxError.badRequest("\(key) must hold only strings, not \(item.typeDescription)")
            }
        }
        return strings
    }

    func required(_ text: String?, _ key: String) throws(SandboxError) -> String {
        guard let text, !text.isEmpty else { throw SandboxError.badRequest("\(key) is required") }
        return text
    }

    /// The writable user fields of a create or update.
    func userChanges() throws(SandboxError) -> UserChanges {
        var changes = UserChanges()
        changes.userID = try identifier("user_id")
        changes.email = try string("email").flatMap { $0.isEmpty ? nil : $0 }
        changes.name = try string("name")
        changes.createdAt = try integer("created_at")
        changes.customData = try flatObject("custom_data")
        changes.lastSeenIP = try string("last_seen_ip")
        changes.lastSeenUserAgent = try string("last_seen_user_agent")
        let lastRequestAt = try integer("last_request_at")
        let lastImpressionAt = try integer("last_impression_at")
        changes.lastImpressionAt = lastRequestAt ?? lastImpressionAt
        changes.unsubscribedFromEmails = try bool("unsubscribed_from_emails")
        if let company = try object("company") { changes.companies = [company] }
        if let value = values["companies"] {
            guard case .array(let items) = value, items.allSatisfy({ $0.objectValue?["id"] != nil }) else {
                throw SandboxError.badRequest("companies must be an array of objects, each with an id")
            }
            changes.companies = (changes.companies ?? []) + items.compactMap(\.objectValue)
        }
        if let increments = try object("increments") {
            var deltas: [String: Double] = [:]
            for (key, value) in increments {
                guard let delta = value.doubleValue else { throw SandboxError.badRequest("increments.\(key) must be a number") }
                deltas[key] = delta
            }
            changes.increments = deltas
        }
        return changes
    }
}
