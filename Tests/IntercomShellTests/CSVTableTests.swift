import Foundation
import IntercomKit
import IntercomShell
import Testing

/// CSV output: RFC 4180 quoting, the header, flattening, late fields, times and the formula guard.
@Suite("CSV output")
struct CSVTableTests {
    static func csv(_ results: [JSONValue], fields: [String]? = nil, times: TimeFormatter = TimeFormatter(display: .utc)) -> String {
        var table = CSVTable(fields: fields, times: times)
        var bytes: [UInt8] = []
        for result in results { table.append(result, into: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("a list result is one row per item under a header of its flattened fields, id first, then _more; CRLF lines")
    func header() {
        let page: JSONValue = ["type": "list", "data": [
            ["type": "contact", "id": "c1", "email": "a@x.io", "location": ["city": "Paris", "country": "FR"], "tags": ["a", "b"]],
            ["type": "contact", "id": "c2", "email": "b@x.io", "location": ["city": nil, "country": "DE"], "tags": []],
        ]]
        #expect(Self.csv([page]) == "id,email,location.city,location.country,tags,type,_more\r\nc1,a@x.io,Paris,FR,\"[\"\"a\"\",\"\"b\"\"]\",contact,\r\nc2,b@x.io,,DE,[],contact,\r\n")
    }

    @Test("a field that first appears in a later item goes to _more as JSON; the header never changes")
    func lateFields() {
        let first: JSONValue = ["id": "1", "name": "Ann"]
        let later: JSONValue = ["id": "2", "name": "Ben", "custom_attributes": ["plan": "pro"]]
        #expect(Self.csv([first, later]) == "id,name,_more\r\n1,Ann,\r\n2,Ben,\"{\"\"custom_attributes.plan\"\":\"\"pro\"\"}\"\r\n")
    }

    @Test("quoting: commas, quotes, CR and LF; the formula guard on text, not on numbers")
    func quotingAndGuard() {
        let item: JSONValue = [
            "id": "1", "a": "x,y", "b": "say \"hi\"", "c": "two\nlines", "d": "=SUM(A1:A9)", "e": "+1", "f": "-2", "g": "@cmd",
            "h": "\tx", "i": "\rx", "j": -5, "k": 1.5, "l": true, "m": "plain",
        ]
        let lines = Self.csv([item]).components(separatedBy: "\r\n")
        #expect(lines[0] == "id,a,b,c,d,e,f,g,h,i,j,k,l,m,_more")
        #expect(lines[1] == "1,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",'=SUM(A1:A9),'+1,'-2,'@cmd,'\tx,\"'\rx\",-5,1.5,true,plain,")
    }

    @Test("--fields picks and orders the columns, nested ones dotted; times follow --time")
    func fieldsAndTimes() {
        let item: JSONValue = ["id": "1", "created_at": 1_700_000_000, "location": ["city": "Oslo"], "extra": 1]
        #expect(Self.csv([item], fields: ["location.city", "created_at", "missing"]) == "location.city,created_at,missing\r\nOslo,2023-11-14T22:13:20Z,\r\n")
        #expect(Self.csv([item], fields: ["created_at"], times: TimeFormatter(display: .epoch)) == "created_at\r\n1700000000\r\n")
        #expect(Self.csv([item], fields: ["location"]) == "location\r\n\"{\"\"city\"\":\"\"Oslo\"\"}\"\r\n", "a field naming an object gives it as JSON")
    }

    @Test("a result that is no object, or a list with nothing in it, writes no row and no header")
    func nothing() {
        #expect(Self.csv([.array([]), ["type": "list", "data": []], "text"]).isEmpty)
    }
}
