import Foundation
import IntercomKit
import Testing

/// The parser makes the objects of a long document's lists from the shapes of those before them, and a series parser
/// keeps those shapes from one document to the next: what they make must be exactly what a fresh parse makes.
@Suite("Parsing objects of shapes seen before")
struct JSONInterningTests {
    /// Objects that share keys, reorder them, repeat their count and first key with other keys, nest, and use keys
    /// beyond ASCII: the cases a shape reused wrongly would get wrong.
    static let items: [JSONValue] = [
        ["id": "1", "name": "a", "tags": ["data": [], "type": "list"], "n": 1],
        ["id": "2", "name": "b", "tags": ["data": [["id": "t"]], "type": "list"], "n": 2.5],
        ["name": "c", "id": "3", "tags": .null, "n": .null],
        ["id": "4", "nom": "d", "tags": "x", "n": true],
        ["id": "5", "name": "e"],
        ["é": 1, "ü": ["é": 2]],
        ["é": 3, "ü": ["é": 4]],
        ["id": "6", "name": "f", "tags": ["data": [["id": "u"], ["id": "v"]], "type": "list"], "n": -7],
        ["a_key_longer_than_fifteen_bytes": "x", "another_key_longer_than_fifteen": ["a_key_longer_than_fifteen_bytes": "y"]],
        [:],
    ]

    /// `value` written compactly, then with spaces after each comma and colon.
    static func texts(of value: JSONValue) -> [String] {
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        let compact = String(decoding: bytes, as: UTF8.self)
        return [compact, compact.replacingOccurrences(of: ",", with: ", ").replacingOccurrences(of: ":", with: ": ")]
    }

    @Test("a long list of objects of a few shapes parses to the value it was written from")
    func longListsParseExactly() throws {
        let list = JSONValue.array((0..<400).map { Self.items[$0 % Self.items.count] })
        for document in [list, ["data": list, "pages": ["next": ["starting_after": "c"]]]] {
            for text in Self.texts(of: document) {
                #expect(text.utf8.count > 4_096)
                #expect(try JSONParser.parse(Array(text.utf8)) == document)
                #expect(try JSONParser.parse(Array(text.utf8), keepingTextOfItemsIn: "data").value == document)
            }
        }
    }

    @Test("a repeated key is refused, with its offset, in an object whose other keys match a shape seen before")
    func duplicateKeysAfterAShape() throws {
        let item = #"{"id":"1","name":"abcdefghij","n":12345678}"#
        let items = Array(repeating: item, count: 120)
        let duplicated = #"{"id":"1","name":"abcdefghij","id":"2"}"#
        for (index, bad) in [duplicated, #"{"id":"1","name":"abcdefghij","n":1,"n":2}"#].enumerated() {
            let prefix = "[" + items.joined(separator: ",") + ","
            let text = prefix + bad + "]"
            #expect(text.utf8.count > 4_096)
            let failure = try #require(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
            let key = index == 0 ? #""id":"2""# : #""n":2"#
            let offset = prefix.utf8.count + bad.utf8.count - key.utf8.count - 1
            #expect(failure.message.hasPrefix("duplicate key"), "\(failure)")
            #expect(failure.offset == offset, "\(failure)")
        }
    }

    @Test("keys Swift holds equal but spelled in other bytes (é and e with an accent, K and the Kelvin sign) keep their own bytes")
    func canonicallyEquivalentKeys() throws {
        let spellings = [("\u{E9}", "e\u{301}"), ("K", "\u{212A}"), ("\u{C5}", "\u{212B}")]
        for (a, b) in spellings {
            for (first, second) in [(a, b), (b, a)] {
                let items = (0..<200).map { index -> String in
                    #"{"x":\#(index),"\#(index.isMultiple(of: 2) ? first : second)":\#(index)}"#
                }
                let text = "[" + items.joined(separator: ",") + "]"
                for document in [text, #"{"data":\#(text)}"#] {
                    let parsed = try JSONParser.parse(Array(document.utf8), keepingTextOfItemsIn: "data").value
                    let list = try #require(parsed.arrayValue ?? parsed["data"]?.arrayValue)
                    for (index, item) in list.enumerated() {
                        let keys = try #require(item.objectValue).keys.map { Array($0.utf8) }
                        let expected = Array((index.isMultiple(of: 2) ? first : second).utf8)
                        #expect(keys.contains(expected), "item \(index): \(keys)")
                    }
                }
                var series = JSONSeriesParser()
                for (index, item) in items.prefix(6).enumerated() {
                    let keys = try #require(try series.parse(Array(item.utf8)).objectValue).keys.map { Array($0.utf8) }
                    #expect(keys.contains(Array((index.isMultiple(of: 2) ? first : second).utf8)), "document \(index): \(keys)")
                }
            }
        }
    }

    @Test("a series parser parses each document as a fresh parse does, before and after one it refuses")
    func seriesParsing() throws {
        var series = JSONSeriesParser()
        let documents = Self.items.flatMap(Self.texts(of:)) + [#"{"id":"1","name":"a","id":"x"}"#, "{", #"{"id":"7","name":"g"}"#]
        for _ in 0..<3 {
            for text in documents {
                let fresh = Result { try JSONParser.parse(Array(text.utf8)) }
                let again = Result { try series.parse(Array(text.utf8)) }
                switch (fresh, again) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(text)")
                case (.failure(let a), .failure(let b)): #expect(String(describing: a) == String(describing: b), "\(text)")
                default: Issue.record("\(text): \(fresh) against \(again)")
                }
            }
        }
        #expect(try series.parse(#"{"id":"8","name":"h"}"#.utf8) == ["id": "8", "name": "h"], "a String's UTF-8 view")
    }
}
