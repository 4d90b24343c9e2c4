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
            #"{"data":[{"x":"unterminated}],"pages":{"next":{"starting_after":"c2"}}"#,  // a string that never ends
            #"{"data":[1,2]],"pages":{"next":{"starting_after":"c2"}}"#,  // brackets that do not match
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

    @Test("the paging written last is found from the end; a member of that name anywhere else is not taken for it")
    func fromTheEnd() {
        let items = #"[{"id":"1","pages":{"next":{"starting_after":"item"}}},{"s":",\"pages\":{"}]"#
        let cases: [(String, String?)] = [
            (#"{"data":\#(items),"pages":{"next":{"starting_after":"last"}}}"#, "last"),
            (#"{"data":\#(items),"pages":{"next":{"page":2,"starting_after":"last"}},"total_count":2,"type":"list"}"#, "last"),
            (#"{"pages":{"next":{"starting_after":"first"}},"data":\#(items)}"#, "first"),
            (#"{"pages":{"next":{"starting_after":"first"}},"data":\#(items),"meta":{"pages":{"next":{"starting_after":"meta"}}}}"#, "first"),
            (#"{"data":\#(items),"pages":{"page":3}}"#, nil),
            (#"{"data":\#(items),"pages":{"next":{"starting_after":"last"}}"#, "last"),  // stepped to from the start
            (#"{"data":\#(items),"pages":{"next":{"starting_after":"last"}}} x"#, "last"),
            (#"[{"pages":{"next":{"starting_after":"nested"}}}]"#, nil),
            (#"{"data":[{"pages":{"next":{"starting_after":"nested"}}}]}"#, nil),
            (#"{ "data" : [ ] , "pages" : { "next" : { "starting_after" : "spaced" } } }  "#, "spaced"),
        ]
        for (text, expected) in cases {
            #expect(Self.peek(Self.cursor, text) == expected, "\(text)")
        }
    }

    @Test("a document broken before the paging read from its end still gives the guess, which the parse then refuses")
    func brokenBeforeThePaging() {
        for text in [
            #"{"data":[{"x":"unterminated}],"pages":{"next":{"starting_after":"c2"}}}"#, #"{"data":[1,2]],"pages":{"next":{"starting_after":"c2"}}}"#,
        ] {
            #expect(Self.peek(Self.cursor, text) == "c2", "\(text)")
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
        }
    }
}
