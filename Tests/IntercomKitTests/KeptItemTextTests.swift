import IntercomKit
import Testing

/// `JSONParser.parse(_:keepingTextOfItemsIn:)`: an item's text is kept only when it is, byte for byte, what
/// `JSONValue.write(to:)` writes for the item, so writing the kept text is writing the value.
@Suite("Keeping the text of a list's items")
struct KeptItemTextTests {
    static func kept(_ items: [String], key: String = "data") throws -> (value: JSONValue, items: [[UInt8]?]) {
        try JSONParser.parse(Array((#"{"pages":{"next":null},"\#(key)":["# + items.joined(separator: ",") + "]}").utf8), keepingTextOfItemsIn: "data")
    }

    static func written(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("items written as write(to:) writes them keep their text, which is exactly what it writes", arguments: [
        #"{"a":1,"b":"x","c":null,"d":[true,false],"e":{}}"#, #"{"":0,"a":-5,"a!":1,"aa":[],"ab":{"x":{"y":[1,{"z":"é ☃"}]}}}"#,
        #"{"big":123456789012345678901234567890,"id":"5a","n":12.5,"neg":-0.25,"tiny":1e-07}"#, #""plain""#, "42", "[]", "null",
        #"{"s":"a/b","url":"/contacts/1/notes"}"#,
    ])
    func canonicalItemsKeepTheirText(item: String) throws {
        let parsed = try Self.kept([item, item])
        let values = try #require(parsed.value["data"]?.arrayValue)
        #expect(parsed.items.count == 2)
        for (value, text) in zip(values, parsed.items) {
            let text = try #require(text, "\(item)")
            #expect(String(decoding: text, as: UTF8.self) == item)
            #expect(Self.written(value) == item, "the kept text is what write(to:) writes")
        }
    }

    @Test("an item written any other way keeps no text, and its value is the same", arguments: [
        #"{"b":1,"a":2}"#, #"{"a":1, "b":2}"#, #"{ "a":1}"#, #"{"a":[1 ,2]}"#, #"{"a":"\u0041"}"#, #"{"a":"x\/y"}"#, #"{"a\"":1}"#,
        #"{"a":-0}"#, #"{"a":1e5}"#, #"{"a":1.50}"#, #"{"a":1E-7}"#, #"{"a":0.1e1}"#, #"{"x":{"b":1,"a":2}}"#, #"{"a!":1,"a":2}"#,
    ])
    func otherItemsKeepNone(item: String) throws {
        let parsed = try Self.kept([item, #"{"a":1}"#])
        #expect(parsed.items.count == 2)
        #expect(parsed.items[0] == nil, "\(item)")
        #expect(parsed.items[1] == Array(#"{"a":1}"#.utf8), "one item's form does not spoil the next")
        #expect(parsed.value["data"]?.arrayValue?.first == (try JSONValue(parsing: item)))
    }

    @Test("whitespace around an item is not part of it; only the top-level member named is kept")
    func onlyTheNamedList() throws {
        let text = #"{"data" : [ {"a":1} , {"b":2}  ],"other":[{"a":1}],"x":{"data":[{"c":3}]}}"#
        let parsed = try JSONParser.parse(Array(text.utf8), keepingTextOfItemsIn: "data")
        #expect(parsed.items == [Array(#"{"a":1}"#.utf8), Array(#"{"b":2}"#.utf8)])
        #expect(try JSONParser.parse(Array(#"{"data":{"a":[1]}}"#.utf8), keepingTextOfItemsIn: "data").items.isEmpty, "not an array")
        #expect(try JSONParser.parse(Array(#"[{"data":[1]}]"#.utf8), keepingTextOfItemsIn: "data").items.isEmpty, "not the top level")
        #expect(try Self.kept([], key: "data").items.isEmpty)
    }

    @Test("a document that does not parse is refused as parse(_:) refuses it")
    func malformedIsRefused() {
        for text in [#"{"data":[{"a":1},{"a":1,"a":2}]}"#, #"{"data":[{"a":1}"#, #"{"data":[1],"data":[2]}"#] {
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8), keepingTextOfItemsIn: "data") }
        }
    }
}
