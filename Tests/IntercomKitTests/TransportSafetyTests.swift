import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import IntercomKit

/// The secret never survives into text, in any encoding, wherever it sits, also where text is cut; credentials
/// that cannot be sent are refused when read; redirects are failures; path segments that cannot be sent are refused.
@Suite("Transport safety")
struct TransportSafetyTests {
    /// A token with every character class that encoders treat differently: unreserved `-._~`, `+/=` of base64, `:`.
    static let token = "tok-en.with_all~kinds+of/chars=and:more0123456789"
    static let credentials = Credentials(accessToken: APIKey(token))

    /// Every form the tool or its libraries may write the token in.
    static var encodings: [(String, String)] {
        var forms: [(String, String)] = [
            ("raw", token),
            ("path segment", IntercomRequest.pathSegment(token)),
            ("form query", IntercomRequest.formEncode(token)),
            ("percent, all but alphanumerics", token.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789"))!),
            ("JSON string", String(JSONValue.string(token).encodedString().dropFirst().dropLast())),
            ("JSON with escaped slashes", token.replacingOccurrences(of: "/", with: "\\/")),
            ("Swift debug description", String(token.debugDescription.dropFirst().dropLast())),
            ("only / escaped (RFC 3986 segment, Go's PathEscape)", token.replacingOccurrences(of: "/", with: "%2F")),
            ("+ and / escaped, = and : not", token.replacingOccurrences(of: "+", with: "%2b").replacingOccurrences(of: "/", with: "%2f")),
            ("JSON \\u escapes", token.replacingOccurrences(of: "/", with: "\\u002f").replacingOccurrences(of: "+", with: "\\u002B")),
            ("Authorization header", credentials.authorization),
            ("Basic credential", credentials.basicToken),
        ]
        forms += forms.filter { $0.1.contains("%") }.map { ("\($0.0), lower-case hex", lowercasedHex($0.1)) }
        return forms
    }

    static func lowercasedHex(_ text: String) -> String {
        var result = ""
        var left = 0
        for character in text {
            if left > 0 { result += character.lowercased(); left -= 1 } else { result.append(character); if character == "%" { left = 2 } }
        }
        return result
    }

    /// Whether `text` holds 8 or more characters in a row of any encoded form of the token.
    static func leaks(_ text: String) -> Bool {
        encodings.contains { _, form in
            let characters = Array(form)
            guard characters.count >= 8 else { return text.contains(form) }
            return (0...(characters.count - 8)).contains { text.contains(String(characters[$0..<($0 + 8)])) }
        }
    }

    @Test("every encoding is redacted at the start, in the middle and across a cut", arguments: Array(TransportSafetyTests.encodings.indices))
    func redactionTable(form: Int) {
        let redaction = SecretRedaction(credentials: Self.credentials)
        SecretRedaction.register(redaction)
        let (name, encoded) = Self.encodings[form]
        for (place, text) in [("start", encoded + " trailing text"), ("middle", "<p>echo: " + encoded + " end</p>")] {
            let redacted = redaction.redacted(text)
            #expect(!Self.leaks(redacted), "\(name) at the \(place): \(redacted)")
        }
        let padding = String(repeating: "x", count: 50)
        for cut in stride(from: 52, through: 50 + encoded.count, by: 3) {
            let shortened = SecretRedaction.cut(padding + encoded + " rest", to: cut)
            #expect(!Self.leaks(shortened), "\(name) cut at \(cut): \(shortened)")
        }
    }

    @Test("a non-JSON answer quoting the Authorization header is redacted before it is cut into the message")
    func bodyRedactedBeforeCut() {
        let redaction = SecretRedaction(credentials: Self.credentials)
        let page = "<html>proxy saw Authorization: \(Self.credentials.authorization) and refused it</html>"
        for status in [200, 500, 302] {
            do {
                _ = try IntercomClient.interpret(
                    status: status, headers: HTTPHeaders([("Location", "/login?t=" + IntercomRequest.formEncode(Self.token))]),
                    body: ByteBuffer(string: page), rest: true, method: .post, redaction: redaction)
                Issue.record("\(status) is a failure")
            } catch let error as IntercomError {
                #expect(!Self.leaks(error.message) && !Self.leaks(error.responseBody ?? ""), "\(status): \(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("a 3xx is a failure naming the status and Location; a write may have been applied, a read not")
    func redirectIsAFailure() throws {
        for (method, applied) in [(IntercomRequest.Method.post, true), (.get, false)] {
            #expect(throws: IntercomError.self) {
                try IntercomClient.interpret(
                    status: 302, headers: HTTPHeaders([("Location", "/contacts")]), body: ByteBuffer(string: "{}"), rest: true, method: method)
            }
            do {
                _ = try IntercomClient.interpret(status: 302, headers: HTTPHeaders([("Location", "/contacts")]), body: ByteBuffer(), rest: true, method: method)
            } catch let error as IntercomError {
                #expect(error.status == 302 && error.kind == .invalidResponse && error.message.contains("/contacts") && error.message.contains("not followed"))
                #expect(error.mayHaveBeenProcessed == applied)
            }
        }
    }

    @Test("identifiers that cannot be a path segment are found in the path; every other text is encoded into one segment")
    func pathSegments() {
        for bad in ["", ".", ".."] {
            #expect(IntercomRequest.contact(externalID: bad).unsendableSegment != nil, "'\(bad)'")
            #expect(IntercomRequest.createContactNote(id: bad, body: "x").unsendableSegment != nil, "'\(bad)'")
        }
        for good in ["...", "a/b", "a?b#c", "%2e%2e", " ", "ü"] {
            let request = IntercomRequest.contact(externalID: good)
            #expect(request.unsendableSegment == nil, "'\(good)'")
            #expect(request.path.split(separator: "/").count == 3, "'\(good)' stays one segment: \(request.path)")
        }
    }

    @Test("credentials with whitespace, control characters, non-ASCII or too many bytes are refused, never quoted")
    func credentialProblems() {
        for bad in ["tok\r", "tok en", "tok\u{0}x", "tök", "\t", String(repeating: "a", count: 4097)] {
            let problem = Credentials.problem(in: bad)
            #expect(problem != nil, "\(bad.debugDescription)")
            #expect(!(problem ?? "").contains("tok"), "the message never quotes the secret")
        }
        #expect(Credentials.problem(in: Self.token) == nil)
        #expect(Credentials(accessToken: "tok\r").problem?.hasPrefix("the access token holds a control character (U+000D)") == true)
        #expect(Credentials(accessToken: "a").fingerprint != Credentials(accessToken: "b").fingerprint)
        #expect(!Credentials(accessToken: APIKey(Self.token)).fingerprint.contains("tok"))
    }
}
