import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The sandbox answers every operation of Intercom's 2.16 description, as stripe-mock does Stripe's: each is sent
/// once with a valid request (the description's own request example where it has one that conforms, a request built
/// from the schemas where not), and each answer is checked against the schema the description gives its status.
@Suite("Every operation of the 2.16 description")
struct EveryOperationTests {
    /// A request for one operation.
    struct Call {
        let method: String
        let template: String
        /// The path and query, without the leading `/`.
        let target: String
        let body: JSONValue?
    }

    @Test("each operation gets its documented answer, conforming to the schema of its status")
    func everyOperation() async throws {
        let description = try OpenAPIDescription.intercom216()
        let defects = try DescriptionDefects.load()
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            var problems: [String] = []
            for (method, template) in description.operations {
                let call = Self.call(method, template, description)
                problems += await Self.problems(of: call, server: server, description: description)
            }
            let unexcused = problems.filter { !defects.excuses($0, from: .answers) }
            #expect(unexcused.isEmpty, "\(unexcused.count) problems:\n\(unexcused.joined(separator: "\n"))")
            let stale = defects.stale(problems, from: .answers)
            #expect(stale.isEmpty, "listed defects that no longer occur: \(stale.map(\.operation))")
            #expect(description.operations.count == 231)
        }
    }

    @Test("a request that breaks its operation's description is refused, naming the field")
    func invalidRequests() async throws {
        try await SandboxHarness.withSandbox { server, _ in
            let missing = try await Self.send("POST", "tickets", body: "{}", server: server)
            #expect(missing.status == 400)
            #expect(try JSONValue(parsing: missing.body)["errors"]?.arrayValue?.first?["field"] == "ticket_type_id", "\(missing.body)")
            let typed = try await Self.send("GET", "macros?per_page=many", server: server)
            #expect(typed.status == 400 && typed.body.contains(#""field":"per_page""#) && typed.body.contains("must be an integer"), "\(typed.body)")
            let nested = try await Self.send("PUT", "admins/1/away", body: #"{"away_mode_enabled":"yes","away_mode_reassign":false}"#, server: server)
            #expect(nested.status == 400 && nested.body.contains("away_mode_enabled must be a boolean"), "\(nested.body)")
            let unknown = try await Self.send("GET", "no_such_things/1", server: server)
            #expect(unknown.status == 404 && unknown.body.contains(#""type":"error.list""#) && unknown.body.contains("not_found"))
            let wrongMethod = try await Self.send("PATCH", "teams", server: server)
            #expect(wrongMethod.status == 404 && wrongMethod.body.contains("not_found"))
        }
    }

    @Test("a described answer echoes the ids of its path")
    func echoedIdentifiers() async throws {
        try await SandboxHarness.withSandbox { server, _ in
            let article = try await Self.send("GET", "articles/4242", server: server)
            #expect(article.status == 200)
            #expect(try JSONValue(parsing: article.body)["id"] == "4242", "\(article.body)")
        }
    }

    @Test("every 2.x answer has 2.x's shape, with no credentials or with v1's; only /v1/ is v1")
    func shapesByPath() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            for (method, path) in [("GET", "events?type=user&user_id=123"), ("POST", "events"), ("GET", "contacts"), ("GET", "teams"), ("GET", "nowhere")] {
                for auth in [nil, ("dummy-app-id", "dummy-api-key")] as [(String, String)?] {
                    let answer = try await RawHTTP.send(method, server.restEndpoint.absoluteString + path, basicAuth: auth, body: "{}")
                    #expect(answer.body.hasPrefix("{") && answer.body.contains(#""type":"error.list""#), "\(method) \(path): \(answer.body)")
                    // v1's clients sent events to /events with Basic auth; they get in, and get 2.x's answers.
                    #expect(answer.status == (auth != nil && method == "POST" ? 400 : 401), "\(method) \(path): \(answer.body)")
                }
            }
            let v1 = try await RawHTTP.send("GET", server.endpoint.absoluteString + "users?user_id=nobody", basicAuth: nil)
            #expect(v1.status == 401 && v1.body.contains(#""error":{"#), "\(v1.body)")
        }
    }

    static func send(
        _ method: String, _ target: String, body: String? = nil, headers: [String: String] = [:], server: SandboxServer
    ) async throws -> RawHTTP.Answer {
        let standard = ["Authorization": "Bearer " + server.configuration.accessToken.revealed, "Content-Type": "application/json", "Intercom-Version": "2.16"]
        return try await RawHTTP.send(
            method, server.restEndpoint.absoluteString + target, basicAuth: nil, headers: standard.merging(headers) { _, given in given }, body: body,
            followRedirects: false)
    }

    /// A valid request for `method template`.
    static func call(_ method: String, _ template: String, _ description: OpenAPIDescription) -> Call {
        let check = description.schemaCheck
        let build = JSONSchemaExample(check: check)
        var path = template
        var query: [String] = []
        for parameter in description.parameters(method, template) {
            let name = parameter["name"]?.stringValue ?? ""
            let schema = parameter["schema"] ?? [:]
            let value = parameter["example"] ?? build.value(for: schema) ?? "1"
            let text = { (value: JSONValue) in value.stringValue ?? value.encodedString() }
            if parameter["in"] == "path" {
                path = path.replacingOccurrences(of: "{\(name)}", with: text(value).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")
            } else if parameter["required"] == true {
                switch value {
                case .array(let items): query += items.map { "\(name)=\(Self.encoded(text($0)))" }
                case .object(let members): query += members.map { "\($0.key)=\(Self.encoded(text($0.value)))" }
                default: query.append("\(name)=\(Self.encoded(text(value)))")
                }
            }
        }
        var body: JSONValue?
        if let schema = description.requestSchema(method, template) {
            body = description.requestExamples(method, template).first { check.problems(of: $0, against: schema).isEmpty } ?? build.value(for: schema)
        }
        let target = String(path.dropFirst()) + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return Call(method: method, template: template, target: target, body: body)
    }

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// The ways the sandbox's answer to `call` breaks the description, each starting `METHOD template:`.
    static func problems(of call: Call, server: SandboxServer, description: OpenAPIDescription) async -> [String] {
        let label = "\(call.method) \(call.template):"
        let answer: RawHTTP.Answer
        do { answer = try await send(call.method, call.target, body: call.body?.encodedString(), server: server) } catch { return ["\(label) \(error)"] }
        let documented = description.responses(call.method, call.template)
        let modelled = SandboxServer.modelledOperations.contains("\(call.method) " + SandboxServer.unnamed(call.template))
        let success = documented.keys.filter { (200..<300).contains($0) }.min() ?? documented.keys.filter { (300..<400).contains($0) }.min()
            ?? documented.keys.filter { ![401, 403].contains($0) }.min()
        if modelled ? !(documented.keys.contains(answer.status) || [400, 404, 409, 410, 422].contains(answer.status)) : answer.status != success {
            return ["\(label) status \(answer.status), expected \(modelled ? "a documented one" : "\(success ?? 0)"): \(answer.body.prefix(300))"]
        }
        let mediaType: String? = documented[answer.status] ?? (answer.status >= 400 ? "application/json" : nil)
        guard let expected = mediaType else {
            return answer.body.isEmpty ? [] : ["\(label) \(answer.status) has a body, but none is documented"]
        }
        guard answer.headers["content-type"]?.hasPrefix(expected) == true else {
            return ["\(label) content type \(answer.headers["content-type"] ?? "none"), expected \(expected)"]
        }
        guard expected.hasSuffix("json") else { return [] }
        guard let schema = description.responseSchema(call.method, call.template, status: answer.status) else { return [] }
        guard let body = try? JSONValue(parsing: answer.body) else { return ["\(label) \(answer.status) body is not JSON"] }
        return description.violations(of: body, against: schema, at: "\(label) \(answer.status)")
    }
}
