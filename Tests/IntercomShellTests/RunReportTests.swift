import IntercomKit
import IntercomShell
import Testing

/// The closing summary and the progress line, as text and JSON, from counts alone.
@Suite("Run reports")
struct RunReportTests {
    static func totals(requests: [OperationName: Int], operations: [OperationName: Int]) -> RunTotals {
        var summary = PipelineSummary()
        summary.succeeded = 97
        summary.failed = 3
        return RunTotals(summary: summary, requests: requests, operations: operations, retries: 5, rateLimited: 2, elapsed: .milliseconds(1840))
    }

    @Test("requests sent and calls per operation, named in the closing line where an operation took more than one")
    func totals() {
        let totals = Self.totals(requests: [.createUser: 105, .getUsers: 3], operations: [.createUser: 100, .getUsers: 3])
        #expect(totals.requestCount == 108)
        #expect(totals.callsPerOperation == [.createUser: 1.05, .getUsers: 1])
        #expect(totals.description == "97 ok, 3 failed, 0 skipped, 108 requests (create_user 1.05 each), 5 retried, 2 rate-limited (429), 1.84 s, 54.3 ops/s")
        #expect(totals.json["requests"] == 108)
        #expect(totals.json["calls_per_operation"] == ["create_user": 1.05, "get_users": 1.0])
        #expect(totals.json["ops_per_second"] == 54.3)
        let plain = Self.totals(requests: [.getUser: 100], operations: [.getUser: 100])
        #expect(plain.description.contains(" 100 requests, 5 retried"))
        let dry = Self.totals(requests: [:], operations: [:])
        #expect(dry.json["calls_per_operation"] == [:])
        #expect(dry.description.contains("0 requests, ") && !dry.description.contains("ops/s"), "nothing sent: no rate")
        #expect(Self.totals(requests: [.getUser: 1], operations: [.getUser: 1]).description.contains(" 1 request, "), "one request, singular")
    }

    @Test("the progress line: lines of the total, rates, what is in flight and how much of the rate limit is used")
    func progressLine() {
        var line = ProgressLine(done: 12_345, total: 100_000)
        line.rate = 166.4
        line.retries = 3
        line.failed = 2
        #expect(line.text == "12,345/100,000 lines (12%)  166 ops/s  3 retries  2 failed  ETA 8m47s")
        line.inFlight = 27
        line.limit = 28
        line.requestRate = 165
        line.allowedRate = 166.7
        line.skipped = 4
        #expect(line.text == "12,345/100,000 lines (12%)  166 ops/s  27/28 in flight  99% of the rate limit  3 retries  2 failed  4 skipped  ETA 8m47s")
        var streaming = ProgressLine(done: 7, total: nil)
        streaming.rate = 0
        #expect(streaming.text == "7 lines  0 ops/s  0 retries  0 failed")
        #expect(ProgressLine.grouped(-1_234_567) == "-1,234,567")
        #expect(ProgressLine.clock(45) == "45s")
        #expect(ProgressLine.clock(7_260) == "2h01m")
        #expect(ProgressLine.clock(.infinity) == "?")
    }

    @Test("while a list is walked, the line counts its items of the reported total and pages, with an ETA from the item rate")
    func walkProgress() {
        var line = ProgressLine(done: 0, total: 1)
        line.retries = 1
        line.walked = DeliveryStatistics.WalkProgress(active: true, items: 12_000, pages: 80, total: 100_000)
        line.itemRate = 1_000
        line.inFlight = 8
        line.limit = 16
        #expect(line.text == "12,000/100,000 items (12%)  80 pages  1,000 items/s  8/16 in flight  1 retry  0 failed  ETA 1m28s")
        line.walked = DeliveryStatistics.WalkProgress(active: true, items: 5, pages: 1, total: nil)
        line.itemRate = 0
        #expect(line.text == "5 items  1 page  0 items/s  8/16 in flight  1 retry  0 failed")
        line.walked?.active = false
        #expect(line.text.hasPrefix("0/1 lines"), "after the walk, lines again")
    }

    @Test("the summary groups its numbers as the progress line does, and names no calls per operation for a list")
    func summaryNumbers() {
        var summary = PipelineSummary()
        summary.succeeded = 20_000
        var totals = RunTotals(
            summary: summary, requests: [.exportConversations: 20_134], operations: [.exportConversations: 1], retries: 1_234, rateLimited: 0,
            elapsed: .seconds(8))
        totals.walks = [.exportConversations]
        #expect(totals.description == "20,000 ok, 0 failed, 0 skipped, 20,134 requests, 1,234 retried, 0 rate-limited (429), 8 s, 2,500 ops/s")
        #expect(totals.json["calls_per_operation"] == ["export_conversations": 20_134.0], "the record keeps them")
    }

    @Test("the rate-limit share reads over 100% only with 429s; a hold for the window is named; the ETA follows the minute's rate")
    func progressHonesty() {
        var line = ProgressLine(done: 1_000, total: 10_000)
        line.rate = 900
        line.etaRate = 150
        line.requestRate = 400
        line.allowedRate = 166.7
        #expect(line.text.contains("  100% of the rate limit") && line.text.hasSuffix("ETA 1m00s"), "\(line.text)")
        line.rateLimitedLately = true
        #expect(line.text.contains("  240% of the rate limit"))
        line.waiting = .seconds(6)
        #expect(line.text.contains("  waiting 6s for the rate-limit window  ETA 1m00s"), "\(line.text)")
        line.waiting = .milliseconds(100)
        #expect(!line.text.contains("waiting"), "a moment's spacing is no wait")
        line.rate = 900
        line.etaRate = 9_000
        line.waiting = .seconds(8)
        #expect(line.text.hasSuffix("waiting 8s for the rate-limit window  ETA 8s"), "the time left is never less than the wait: \(line.text)")
    }

    @Test("the progress line fits the width: the most useful parts that fit stay, the count alone is cut with an ellipsis")
    func progressWidth() {
        var line = ProgressLine(done: 12_345, total: 100_000)
        line.rate = 166.4
        line.retries = 3
        line.failed = 2
        line.inFlight = 27
        line.limit = 28
        line.requestRate = 165
        line.allowedRate = 166.7
        line.skipped = 4
        line.waiting = .seconds(6)
        let whole = line.text
        #expect(whole.count > 120)
        let wide = line.text(width: 120)
        #expect(wide.count <= 119 && wide.contains("waiting 6s") && wide.contains("ETA") && !wide.contains("retries"), "\(wide)")
        let narrow = line.text(width: 40)
        #expect(narrow == "12,345/100,000 lines (12%)  ETA 8m47s", "what fits of the most useful: \(narrow)")
        let tiny = line.text(width: 12)
        #expect(tiny == "12,345/100…", "\(tiny)")
        for width in 1...140 { #expect(line.text(width: width).count <= max(1, width - 1)) }
    }
}
