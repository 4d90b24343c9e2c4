import IntercomKit
import Testing

@Suite("Peeking at one string of a JSON document")
struct JSONPeekTests {
    static func peek(_ path: [String], _ text: String) -> String? {
        Array(text.utf8).withUnsafeBytes { JSONPeek.string(at: path, in: $0) }
    }

    static let cursor = ["pages", "next", "starting_after"]

    @Test("finds the string past members of every kind, whitespace and escapes in the text stepped over")
    func findsTheString() {
        let text = #"{ "data" : [ {"a":"x\"}],[{"}, {"b":[1,2,{"c":null}]} ], "total_count": 12.5e3, "ok":true, "no":null,"#
            + #" "pages" : { "next" : { "per_page": 2, "starting_after" : "WzE3MDQwNjcyNjAwMDAsIjVhIl0=" } } }"#
        #expect(Self.peek(Self.cursor, text) == "WzE3MDQwNjcyNjAwMDAsIjVhIl0=")
        #expect(Self.peek(["total_count"], text) == nil, "a number is not a string")
        #expect(Self.peek(["data", "a"], text) == nil, "an array is not an object")
    }

    @Test("answers nil for what it does not read plainly")
    func answersNil() {
        for text in [
            #"{"pages":{"next":{"starting_after":"c\u0032"}}}"#,  // an escape in the string
            #"{"pages":{"next":null}}"#,  // not an object
            #"{"pages":{"next":{}}}"#,  // no such member
            #"{"pages":{"next":{"starting_after":"c2"#,  // cut short
            #"{"data":[{"x":"unterminated}],"pages":{"next":{"starting_after":"c2"}}}"#,  // a string that never ends
            #"{"data":[1,2]],"pages":{"next":{"starting_after":"c2"}}}"#,  // brackets that do not match
            #"["pages"]"#, "", "   ", #"{"pages""#,
        ] {
            #expect(Self.peek(Self.cursor, text) == nil, "\(text)")
        }
    }

    @Test("a key is matched whole, not by its prefix, and a key with an escape is not matched")
    func keysMatchWhole() {
        #expect(Self.peek(["page"], #"{"pages":"a","page":"b"}"#) == "b")
        #expect(Self.peek(["pages"], #"{"pag\u0065s":"a"}"#) == nil)
    }
}
