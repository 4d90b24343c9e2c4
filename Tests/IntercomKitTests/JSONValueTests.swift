import Foundation
import IntercomKit
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("integers stay integers, decimals stay decimals, and output is stable")
    func numbers() throws {
        let value = try JSONValue(parsing: #"{"b":1300000000,"a":155.5,"c":[true,null,"x"],"d":-7}"#)
        #expect(value["b"] == .integer(1_300_000_000))
        #expect(value["a"] == .double(155.5))
        #expect(value["d"] == .integer(-7))
        #expect(value.encodedString() == #"{"a":155.5,"b":1300000000,"c":[true,null,"x"],"d":-7}"#)
    }

    @Test("invalid JSON throws")
    func invalid() {
        #expect(throws: (any Error).self) { try JSONValue(parsing: "{\"a\":") }
        #expect(throws: (any Error).self) { try JSONValue(parsing: "") }
    }

    @Test("the parser is strict: each malformed document is refused with what and where", arguments: [
        ("{\"a\":1,\"a\":2}", "duplicate key \"a\" at byte 8"),
        ("[1,]", "unexpected character ']' at byte 4"),
        ("{\"a\":1} x", "unexpected text after the JSON value at byte 9"),
        ("1e999", "the number 1e999 is out of range at byte 1"),
        ("01", "a number may not start with 0 at byte 2"),
        ("\"\\ud800\"", "a lone surrogate \\ud800 at byte 8"),
        ("\"a\tb\"", "a control character must be escaped in a string at byte 3"),
        ("\"abc", "unterminated string at byte 1"),
        ("{\"a\" 1}", "expected ':' after a key at byte 6"),
        ("[\"\\x\"]", "unknown escape \\x at byte 4"),
        ("nul", "the JSON ends too early at byte 1"),
        ("\u{FEFF}{}", "unexpected character 0xEF at byte 1"),
    ])
    func strictParser(input: String, expected: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: input) }
        do {
            _ = try JSONValue(parsing: input)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("nesting is limited, invalid UTF-8 is refused, and integers beyond 64 bits keep their digits")
    func limits() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: deep) }
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONValue(parsing: allowed) }
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: Data([0x22, 0xC3, 0x28, 0x22])) }
        #expect(try JSONValue(parsing: "-9223372036854775808") == .integer(.min))
        for digits in ["123456789012345678901234567890", "9223372036854775808", "-9223372036854775809", "12345678901234567890"] {
            let value = try JSONValue(parsing: digits)
            #expect(value == .bigInteger(digits) && value.isNumber && value.integerValue == nil && value.doubleValue == Double(digits))
            let object = try JSONValue(parsing: #"{"big":\#(digits),"n":[\#(digits)]}"#)
            #expect(object.encodedString() == #"{"big":\#(digits),"n":[\#(digits)]}"#, "written back as sent")
        }
        #expect(try JSONValue(parsing: "1.5e300") == .double(1.5e300))
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: "1e400") }
        #expect(try JSONValue(parsing: #""\ud83d\ude00 \u00e9\/""#) == .string("😀 é/"))
    }

    @Test("compact output is the text Foundation's JSONEncoder writes with sorted keys")
    func matchesFoundation() throws {
        let values: [JSONValue] = [
            ["z": 1, "a": [1.5, -0.25, 1e21, 3.0], "m": ["nested": "quote \" backslash \\ slash / tab \t nl \n bell \u{7} é 😀"]],
            [nil, true, false, .integer(.max), .integer(.min), 0.1, 100.0, 1e-7],
            "plain", .object([:]), .array([]),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for value in values {
            #expect(value.encodedString() == String(decoding: try encoder.encode(value), as: UTF8.self))
        }
        // Integral doubles come back as integers ("3.0" is written "3"); everything else reads back the same.
        let exact: JSONValue = ["a": [1.5, -0.25, 1e21, 0.1, 1e-7], "s": "quote \" é 😀 \u{7}", "n": [nil, true, .integer(.min)]]
        #expect(try JSONValue(parsing: exact.encodedString()) == exact)
    }

    @Test("keys are written in UTF-8 byte order, however alike their first eight bytes and whatever their script")
    func keyOrder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["a", "b", "_", "A", "é", "e\u{301}", "😀", "\u{0}", "\u{7f}", "ü", "z"]
        for _ in 0..<200 {
            var object: JSONObject = [:]
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                let stem = ["android_", "ios_app_", "last_email_", "", "a"].randomElement(using: &generator)!
                let tail = (0..<Int.random(in: 0...10, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
                object[stem + tail] = .integer(Int64(object.count))
            }
            let written = JSONValue.object(object).encodedString()
            let expected = object.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            #expect(try JSONValue(parsing: written) == .object(object))
            // The keys as written, read back one by one from the text.
            var seen: [String] = []
            var rest = Substring(written)
            for key in expected {
                let quoted = JSONValue.string(key).encodedString() + ":"
                guard let range = rest.range(of: quoted) else { break }
                seen.append(key)
                rest = rest[range.upperBound...]
            }
            #expect(seen == expected, "\(written)")
        }
    }
}
