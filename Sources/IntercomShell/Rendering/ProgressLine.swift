import Foundation
import IntercomKit

/// The text of a run's progress line: `12,345/100,000 lines (12%)  166 ops/s  27/28 in flight  99% of the rate limit
/// 3 retries  2 failed  ETA 1m12s`. Pure: the caller samples the counters and the clock.
///
/// - The rate-limit share is the requests of the last window against what the window allows, and reads over 100%
///   only when 429s came in it (a burst at the start is not "400%").
/// - While the pacer holds requests for the window to reset, the line says so: `waiting 6s for the rate-limit window`.
/// - The ETA comes from ``etaRate`` (the caller's average over the last minute), not the momentary rate.
/// - ``text(width:)`` never exceeds the width: the most useful parts that fit stay (the count, what it waits for,
///   the ETA, the rate, failures, …; retries go first), and the count alone is cut, with an ellipsis.
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
    /// The rate the time left is reckoned from (the average over the last minute); ``rate`` when nil.
    public var etaRate: Double?
    /// Requests on their way.
    public var inFlight: Int?
    /// How many operations may be in flight.
    public var limit: Int?
    /// Requests sent per second over the last rate-limit window, measured against the whole window.
    public var requestRate: Double?
    /// What the server's rate limit allows per second.
    public var allowedRate: Double?
    /// Whether 429s came in the last window (only then may the share read over 100%).
    public var rateLimitedLately = false
    /// How long the pacer still holds requests for the rate-limit window to reset, when it does.
    public var waiting: Duration?
    /// How far a list being walked has come (shown instead of lines while its items come).
    public var walked: DeliveryStatistics.WalkProgress?
    /// Items written per second lately.
    public var itemRate = 0.0
    /// The item rate the time left is reckoned from; ``itemRate`` when nil.
    public var etaItemRate: Double?

    /// A line for `done` lines of `total`.
    public init(done: Int, total: Int?) {
        self.done = done
        self.total = total
    }

    /// The whole line.
    public var text: String { text(width: nil) }

    /// The line in at most `width - 1` columns (the last is left free, so a terminal does not wrap); whole when nil.
    public func text(width: Int?) -> String {
        Self.fitted(walked?.active == true ? walkSegments(walked!) : lineSegments(), width: width)
    }

    /// A part of the line, and how long it stays as the width shrinks (higher: longer).
    struct Segment: Sendable {
        var text: String
        var keep: Int
    }

    private func lineSegments() -> [Segment] {
        var count = Self.grouped(done)
        if let total, total > 0 {
            count += "/\(Self.grouped(total)) lines (\(min(100, done * 100 / total))%)"
        } else {
            count += " lines"
        }
        var segments = [Segment(text: count, keep: 100), Segment(text: "\(Self.grouped(Int(rate.rounded()))) ops/s", keep: 70)]
        segments += sharedSegments()
        if skipped > 0 { segments.append(Segment(text: "\(Self.grouped(skipped)) skipped", keep: 20)) }
        if let waiting = waitingSegment() { segments.append(waiting) }
        if let total, let eta = Self.eta(left: total - done, rate: etaRate ?? rate, waiting: waiting) { segments.append(eta) }
        return segments
    }

    private func walkSegments(_ walked: DeliveryStatistics.WalkProgress) -> [Segment] {
        var count = Self.grouped(walked.items)
        if let total = walked.total, total > 0 {
            count += "/\(Self.grouped(total)) items (\(min(100, walked.items * 100 / total))%)"
        } else {
            count += " items"
        }
        var segments = [
            Segment(text: count, keep: 100), Segment(text: "\(Self.grouped(walked.pages)) page\(walked.pages == 1 ? "" : "s")", keep: 50),
            Segment(text: "\(Self.grouped(Int(itemRate.rounded()))) items/s", keep: 70),
        ]
        segments += sharedSegments()
        if let waiting = waitingSegment() { segments.append(waiting) }
        if let total = walked.total, let eta = Self.eta(left: total - walked.items, rate: etaItemRate ?? itemRate, waiting: waiting) { segments.append(eta) }
        return segments
    }

    /// In flight, the rate-limit share, retries and failures.
    private func sharedSegments() -> [Segment] {
        var segments: [Segment] = []
        if let inFlight, let limit { segments.append(Segment(text: "\(inFlight)/\(limit) in flight", keep: 40)) }
        if let requestRate, let allowedRate, allowedRate > 0 {
            var share = Int((requestRate / allowedRate * 100).rounded())
            if !rateLimitedLately { share = min(share, 100) }
            segments.append(Segment(text: "\(share)% of the rate limit", keep: 30))
        }
        segments.append(Segment(text: "\(Self.grouped(retries)) \(retries == 1 ? "retry" : "retries")", keep: 10))
        segments.append(Segment(text: "\(Self.grouped(failed)) failed", keep: 60))
        return segments
    }

    private func waitingSegment() -> Segment? {
        guard let waiting, waiting >= .milliseconds(500) else { return nil }
        return Segment(text: "waiting \(Self.clock(waiting / .seconds(1))) for the rate-limit window", keep: 90)
    }

    /// The time left at `rate`, never less than a wait under way.
    private static func eta(left: Int, rate: Double, waiting: Duration?) -> Segment? {
        guard left > 0, rate > 0 else { return nil }
        let wait = waiting.map { $0 / .seconds(1) } ?? 0
        return Segment(text: "ETA " + clock(max(Double(left) / rate, wait)), keep: 80)
    }

    /// `segments` joined by two spaces in `width - 1` columns: the first always, then the others from the most kept
    /// down, each where it still fits, in their order; a first segment too long is cut with `…`.
    static func fitted(_ segments: [Segment], width: Int?) -> String {
        guard let width, let first = segments.first else { return segments.map(\.text).joined(separator: "  ") }
        let room = max(1, width - 1)
        guard first.text.count <= room else { return SecretRedaction.cut(first.text, to: room - 1) + "…" }
        var used = first.text.count
        var chosen: Set<Int> = [0]
        for index in segments.indices.dropFirst().sorted(by: { segments[$0].keep > segments[$1].keep }) where used + 2 + segments[index].text.count <= room {
            used += 2 + segments[index].text.count
            chosen.insert(index)
        }
        return segments.indices.filter(chosen.contains).map { segments[$0].text }.joined(separator: "  ")
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
