import Foundation
import IntercomKit
import IntercomShell
import Testing

/// The secret is redacted by value, in the forms intercom-sh sends it, and data that merely contains a short key's
/// letters is left alone.
@Suite("Secret redaction")
struct SecretRedactionTests {
    static let long = Credentials(appID: "pi3243fa", apiKey: APIKey("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
    static let short = Credentials(appID: "app", apiKey: APIKey("example"))

    @Test("a long key is redacted wherever it appears, and the Basic credential in any text")
    func longKey() {
        let redaction = SecretRedaction(credentials: Self.long)
        #expect(redaction.redacted("key da39a3ee5e6b4b0d3255bfef95601890afd80709 here") == "key *** here")
        let basic = Self.long.basicAuthorization
        #expect(redaction.redacted("you sent Authorization: \(basic)") == "you sent Authorization: Basic ***")
        #expect(redaction.redacted("pi3243fa:da39a3ee5e6b4b0d3255bfef95601890afd80709") == "***")
        #expect(!redaction.appears(in: "nothing secret"))
    }

    @Test("a long secret echoed as hex or base64, at any alignment inside longer base64, is redacted")
    func hexAndBase64() {
        let token = "tok_live_echoed_0123456789abcdef"
        let redaction = SecretRedaction(credentials: Credentials(accessToken: APIKey(token)))
        let hex = token.utf8.map { String(format: "%02x", $0) }.joined()
        #expect(!redaction.redacted("h=\(hex)").contains(hex) && !redaction.redacted(hex.uppercased()).contains(hex.uppercased()))
        for prefix in ["", "a", "ab", "abc", "Bearer "] {
            let encoded = Data((prefix + token + "!").utf8).base64EncodedString()
            let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            for text in [encoded, urlSafe] {
                let shown = redaction.redacted("echo: \(text)")
                #expect(shown.contains("***"), "\(prefix): \(shown)")
                let recovered = Data(base64Encoded: String(shown.dropFirst("echo: ".count)).replacingOccurrences(of: "***", with: ""))
                #expect(recovered.map { String(decoding: $0, as: UTF8.self).contains(token) } != true, "\(prefix)")
            }
        }
    }

    @Test("the Basic credential, Bearer TOKEN and a long key's base64 are redacted with any of their characters escaped")
    func escapedForms() {
        let credentials = Credentials(appID: "myappid42", apiKey: APIKey("Zq9/Sx+Wk7=Pm2_Lr4.Tv8~Qh1Kj5Ny3"))
        let basic = credentials.basicToken
        #expect(basic.contains("+") || basic.contains("/"), "\(basic)")
        let redaction = SecretRedaction(credentials: credentials)
        func percent(_ text: String, lower: Bool = false) -> String {
            text.map { "+/=: ".contains($0) ? String(format: lower ? "%%%02x" : "%%%02X", $0.asciiValue!) : String($0) }.joined()
        }
        for echoed in [percent("Basic " + basic), percent("Basic " + basic, lower: true), basic.replacingOccurrences(of: "/", with: "\\/")] {
            let shown = redaction.redacted("Location: /next?auth=\(echoed)&x=1")
            #expect(!shown.contains(percent(basic)) && !shown.contains(String(basic.prefix(12))), "\(shown)")
            #expect(shown.hasSuffix("&x=1"), "\(shown)")
        }
        let keyBase64 = Data("Zq9/Sx+Wk7=Pm2_Lr4.Tv8~Qh1Kj5Ny3".utf8).base64EncodedString()
        #expect(!redaction.redacted("k=" + percent(keyBase64)).contains(String(percent(keyBase64).prefix(16))))
        let short = SecretRedaction(credentials: Credentials(accessToken: APIKey("tok+/short")))
        #expect(short.redacted("auth=Bearer%20tok%2B%2Fshort;") == "auth=***;")
        #expect(short.redacted("auth=Bearer+tok%2B%2Fshort;") == "auth=***;", "form-encoded: + for the space")
        #expect(short.redacted("next=%3Fauth%3DBearer%2520tok%252B%252Fshort;") == "next=%3Fauth%3D***;", "encoded twice")
        let twice = percent(basic).replacingOccurrences(of: "%", with: "%25")
        #expect(!redaction.redacted("next=" + twice).contains(String(twice.prefix(12))), "the Basic credential encoded twice")
        #expect(!redaction.redacted("n=" + twice.replacingOccurrences(of: "%25", with: "%2525")).contains(String(basic.prefix(12))), "three times")
        #expect(short.redacted("a tok+/shortcut in data") == "a tok+/shortcut in data")
    }

    @Test("a short key's letters in data are data; its encoded forms are still redacted")
    func shortKey() {
        let redaction = SecretRedaction(credentials: Self.short)
        #expect(redaction.redacted("ben@example.com") == "ben@example.com")
        #expect(redaction.redacted("echo: \(Self.short.basicAuthorization)") == "echo: Basic ***")
        #expect(redaction.redacted("app:example") == "***")
        #expect(redaction.mayMention("find user user_id=example"), "the history filter still keeps such a line out")
    }

    @Test("records are rendered with the forms redacted, in every format")
    func renderer() {
        let basic = Self.short.basicAuthorization
        let record = ResultRecord(
            line: 1, op: "get_user", outcome: .failure(.init(type: .api(.serverError), status: 500, message: "you sent Authorization: \(basic)")))
        for format in OutputFormat.allCases {
            var renderer = RecordRenderer(format: format, redaction: SecretRedaction(credentials: Self.short))
            // CSV keeps failures out of its rows: they go to standard error, as diagnostics.
            let text = renderer.render(record) + (renderer.takeDiagnostics() ?? "")
            #expect(!text.contains(Self.short.basicToken), "\(format): \(text)")
            #expect(text.contains("Basic ***"), "\(format): \(text)")
        }
        var renderer = RecordRenderer(format: .ndjson, redaction: SecretRedaction(credentials: Self.short))
        let data = renderer.render(ResultRecord(line: 2, op: "get_user", outcome: .success(["email": "ben@example.com"])))
        #expect(data.contains("ben@example.com"))
    }

    @Test("a secret's hex, and a secret of hex digits, are found with their letters in any case")
    func hexInAnyCase() {
        let token = "tok-mixed-CASE-hex-0123456789"
        let redaction = SecretRedaction(credentials: Credentials(accessToken: APIKey(token)))
        let hex = token.utf8.map { String(format: "%02x", $0) }.joined()
        let mixed = String(hex.enumerated().map { index, character in index % 3 == 0 ? Character(character.uppercased()) : character })
        for text in [hex, hex.uppercased(), mixed, "h=\(mixed);", "\"\(mixed)\""] {
            let shown = redaction.redacted(text)
            #expect(shown.contains("***") && !shown.lowercased().contains(String(hex.prefix(16))), "\(text): \(shown)")
        }
        let key = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        let hexKey = SecretRedaction(credentials: Credentials(appID: "app", apiKey: APIKey(key)))
        #expect(hexKey.redacted("k=" + key.uppercased() + ".") == "k=***.")
        #expect(hexKey.redacted("k=DA39a3EE5e6b4b0d3255bfef95601890AFD80709") == "k=***")
        #expect(hexKey.redacted("k=da39a3ee5e6b4b0d3255bfef95601890afd8070") == "k=da39a3ee5e6b4b0d3255bfef95601890afd8070", "one digit short")
        #expect(hexKey.redacted("k=ea39a3ee5e6b4b0d3255bfef95601890afd80709") == "k=ea39a3ee5e6b4b0d3255bfef95601890afd80709", "another letter")
    }

    @Test("a form is found wherever its rarest byte falls, next to partial copies of it and at either end of the text")
    func formsAnywhere() {
        let token = "dummy-access-token-0123"
        let redaction = SecretRedaction(credentials: Credentials(accessToken: APIKey(token)))
        for text in [
            token, "x" + token, token + "x", "dummy-access-" + token, token + token, "\(token.dropLast())\(token)",
            "\"data\":[\"dummy-access\",\"\(token)\"]", String(repeating: "-", count: 40) + token + String(repeating: "-", count: 40),
        ] {
            let shown = redaction.redacted(text)
            #expect(!shown.contains(token) && shown.contains("***"), "\(text): \(shown)")
        }
        for text in ["dummy-access-token", "-0123", "dummy-access-token-012", "ummy-access-token-0123"] {
            #expect(redaction.redacted(text) == text, "\(text)")
            #expect(!redaction.appears(in: text), "\(text)")
        }
    }

    @Test("a secret in a value a table cuts to the terminal's width is redacted before it is cut, not left in part")
    func tableCutsAfterRedacting() {
        let token = "tok-cut-in-table-0123456789abcdefghij"
        let redaction = SecretRedaction(credentials: Credentials(accessToken: APIKey(token)))
        SecretRedaction.register(redaction)
        let items: [JSONValue] = [
            ["type": "contact", "id": "1", "name": .string("Bearer \(token)"), "email": "a@example.com"],
            ["type": "contact", "id": "2", "name": .string(token + " and more text after it"), "email": "b@example.com"],
        ]
        for width in [24, 40, 60] {
            var list = RecordRenderer(format: .table, redaction: redaction)
            list.width = width
            var text = ""
            for item in items {
                var record = ResultRecord(line: 1, op: "all_users", outcome: .success(item))
                record.isListItem = true
                text += list.render(record)
            }
            var single = RecordRenderer(format: .table, redaction: redaction)
            single.width = width
            text += single.render(ResultRecord(line: 1, op: "get_user", outcome: .success(items[0])))
            #expect(text.contains("***"), "width \(width):\n\(text)")
            for start in stride(from: 0, to: token.count - 8, by: 4) {
                let piece = String(token.dropFirst(start).prefix(8))
                #expect(!text.contains(piece), "width \(width): \(piece) in\n\(text)")
            }
        }
        #expect(TerminalText.cut("Bearer \(token)", to: 12) == "***", "the Bearer form is one of the token's forms")
        #expect(TerminalText.cut("token: \(token)", to: 12) == "token: ***")
    }
}
