import Foundation
import IntercomKit
import IntercomShell
import Testing

/// Times typed as dates, and times shown as dates in the pretty and table views.
@Suite("Times")
struct TimeTests {
    static let utc = TimeZone(secondsFromGMT: 0)!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static let accepted: [(String, TimeZone, Int64)] = [
        ("2014-01-01", utc, 1_388_534_400),
        ("2014-01-01", berlin, 1_388_530_800),
        ("2014-01-01T10:30", utc, 1_388_572_200),
        ("2014-01-01T10:30:15", utc, 1_388_572_215),
        ("2014-01-01 10:30:15", utc, 1_388_572_215),
        ("2014-01-01t10:30:15.999", utc, 1_388_572_215),
        ("2014-01-01T10:30:15,5Z", berlin, 1_388_572_215),
        ("2014-01-01T10:30:15Z", newYork, 1_388_572_215),
        ("2014-01-01T12:30:15+02:00", utc, 1_388_572_215),
        ("2014-01-01T12:30:15+0200", utc, 1_388_572_215),
        ("2014-01-01T12:30:15+02", utc, 1_388_572_215),
        ("2014-01-01T05:30:15-05:00", berlin, 1_388_572_215),
        // Summer time: New York is 4 hours behind UTC in July, 5 in January.
        ("2014-07-01T12:00", newYork, 1_404_230_400),
        ("2014-01-01T12:00", newYork, 1_388_595_600),
        ("2016-02-29", utc, 1_456_704_000),
        ("1969-12-31T23:59:59Z", utc, -1),
        ("1270000000", berlin, 1_270_000_000),
    ]

    @Test("ISO 8601 dates and date-times, with or without a zone, and Unix seconds as digits", arguments: accepted)
    func accepts(text: String, zone: TimeZone, seconds: Int64) {
        #expect(TimeInput.unixSeconds(from: text, timeZone: zone) == seconds)
    }

    static let refused = [
        "", "yesterday", "2014-02-30", "2015-02-29", "2014-13-01", "2014-00-10", "2014-1-1", "14-01-01", "2014-01-01T24:00",
        "2014-01-01T10:60", "2014-01-01T10:30:61", "2014-01-01T10", "2014-01-01T10:30:15.", "2014-01-01T10:30+2", "2014-01-01T10:30+25:00",
        "2014-01-01T10:30Zulu", "2014-01-01x", "-5", "1.5", "99999999999999999999", "２０１４-01-01",
    ]

    @Test("texts that are no date are refused", arguments: refused)
    func refuses(text: String) {
        #expect(TimeInput.unixSeconds(from: text, timeZone: Self.utc) == nil)
    }

    @Test("times are shown in the local zone with its offset, in UTC with Z, or as sent")
    func showsTimes() {
        let seconds: Int64 = 1_270_000_000  // 2010-03-31T01:46:40Z
        #expect(TimeFormatter(display: .utc).text(unixSeconds: seconds) == "2010-03-31T01:46:40Z")
        #expect(TimeFormatter(display: .local, localZone: Self.berlin).text(unixSeconds: seconds) == "2010-03-31T03:46:40+02:00")
        #expect(TimeFormatter(display: .local, localZone: Self.newYork).text(unixSeconds: seconds) == "2010-03-30T21:46:40-04:00")
        #expect(TimeFormatter(display: .epoch).text(unixSeconds: seconds) == "1270000000")
        #expect(TimeFormatter(display: .utc).text(unixSeconds: Int64.max) == String(Int64.max))
    }

    @Test("a shown time reads back as the same second")
    func roundTrip() {
        for seconds: Int64 in [0, 1_270_000_000, 1_404_230_400, -86_400, 253_402_214_400] {
            for zone in [Self.utc, Self.berlin, Self.newYork] {
                let text = TimeFormatter(display: .local, localZone: zone).text(unixSeconds: seconds)
                #expect(TimeInput.unixSeconds(from: text, timeZone: Self.utc) == seconds, "\(text)")
            }
        }
    }

    @Test("only numbers under time keys become dates, at any depth")
    func displaysResult() throws {
        let result = try JSONValue(parsing: """
            {"created_at":1270000000,"name":"updated_at","session_count":1270000000,"user":{"last_impression_at":1300000000.0},
             "messages":[{"created_at":1385114400,"html":"x"}],"custom_data":{"renewal_at":"soon"},"created":0}
            """)
        let shown = TimeFormatter(display: .utc).displaying(result)
        #expect(shown["created_at"] == "2010-03-31T01:46:40Z")
        #expect(shown["name"] == "updated_at")
        #expect(shown["session_count"] == 1_270_000_000)
        #expect(shown["user"]?["last_impression_at"] == "2011-03-13T07:06:40Z")
        #expect(shown["messages"]?.arrayValue?.first?["created_at"] == "2013-11-22T10:00:00Z")
        #expect(shown["custom_data"]?["renewal_at"] == "soon")
        #expect(shown["created"] == "1970-01-01T00:00:00Z")
        #expect(TimeFormatter(display: .epoch).displaying(result) == result)
    }

    @Test("pretty output shows dates; ndjson and json keep the server's numbers")
    func renderers() {
        let record = ResultRecord(line: 1, op: "get_user", outcome: .success(["created_at": 1_270_000_000, "name": "Somebody"]))
        let times = TimeFormatter(display: .local, localZone: Self.berlin)
        var pretty = RecordRenderer(format: .pretty, times: times)
        #expect(pretty.render(record).contains("\"created_at\": \"2010-03-31T03:46:40+02:00\""))
        var ndjson = RecordRenderer(format: .ndjson, times: times)
        #expect(ndjson.render(record).contains("\"created_at\":1270000000"))
        var json = RecordRenderer(format: .json, times: times)
        #expect(json.render(record).contains("\"created_at\":1270000000"))
    }
}
