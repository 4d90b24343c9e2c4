import Foundation

/// The text of a run's progress line: `12,345/100,000 lines (12%)  166 ops/s  27/28 in flight  99% of the rate limit
/// 3 retries  2 failed  ETA 1m12s`. Pure: the caller samples the counters and the clock.
public struct ProgressLine: Sendable, Hashable {
    /// Lines done.
    public var done: Int
    /// The input's lines, when known.
    public var total: Int?
    /// Lines failed.
    public var failed = 0
    /// Lines skipped (done by an earlier run).
    public var skipped = 0
    /// Retries made.
    public var retries = 0
    /// Lines done per second lately.
    public var rate = 0.0
    /// Requests on their way.
    public var inFlight: Int?
    /// How many operations may be in flight.
    public var limit: Int?
    /// Requests sent per second lately.
    public var requestRate: Double?
    /// What the server's rate limit allows per second.
    public var allowedRate: Double?
    /// How far a list being walked has come (shown instead of lines while its items come).
    public var walked: DeliveryStatistics.WalkProgress?
    /// Items written per second lately.
    public var itemRate = 0.0

    /// A line for `done` lines of `total`.
    public init(done: Int, total: Int?) {
        self.done = done
        self.total = total
    }

    /// The line.
    public var text: String {
        if let walked, walked.active { return walkText(walked) }
        var text = Self.grouped(done)
        if let total, total > 0 {
            text += "/\(Self.grouped(total)) lines (\(min(100, done * 100 / total))%)"
        } else {
            text += " lines"
        }
        text += "  \(Self.grouped(Int(rate.rounded()))) ops/s"
        if let inFlight, let limit { text += "  \(inFlight)/\(limit) in flight" }
        if let requestRate, let allowedRate, allowedRate > 0 {
            text += "  \(Int((requestRate / allowedRate * 100).rounded()))% of the rate limit"
        }
        text += "  \(Self.grouped(retries)) retries  \(Self.grouped(failed)) failed"
        if skipped > 0 { text += "  \(Self.grouped(skipped)) skipped" }
        if let total, rate > 0, total > done {
            text += "  ETA " + Self.clock(Double(total - done) / rate)
        }
        return text
    }

    /// The line of a list walk: `12,345/100,000 items (12%)  83 pages  850 items/s  …  ETA 1m42s`, the time left
    /// from the recent rate of items.
    func walkText(_ walked: DeliveryStatistics.WalkProgress) -> String {
        var text = Self.grouped(walked.items)
        if let total = walked.total, total > 0 {
            text += "/\(Self.grouped(total)) items (\(min(100, walked.items * 100 / total))%)"
        } else {
            text += " items"
        }
        text += "  \(Self.grouped(walked.pages)) pages  \(Self.grouped(Int(itemRate.rounded()))) items/s"
        if let inFlight, let limit { text += "  \(inFlight)/\(limit) in flight" }
        text += "  \(Self.grouped(retries)) retries  \(Self.grouped(failed)) failed"
        if let total = walked.total, itemRate > 0, total > walked.items {
            text += "  ETA " + Self.clock(Double(total - walked.items) / itemRate)
        }
        return text
    }

    /// `1,234,567`.
    public static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = number < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }

    /// `45s`, `3m05s`, `2h01m`.
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "?" }
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, total % 3600 / 60)
    }
}
