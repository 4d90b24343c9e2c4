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
}
