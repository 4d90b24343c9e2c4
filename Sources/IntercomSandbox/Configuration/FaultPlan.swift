import Foundation
import IntercomKit

/// Failures a sandbox injects at random, per request, for testing clients.
///
/// Written as a comma-separated list of `KIND=PROBABILITY` items, the probability as a percentage (`5%`) or a
/// fraction (`0.05`):
/// - `500`, `502`, `503`, `429`: answer with that status before processing (429 with `Retry-After: 1`);
/// - `drop-before`: close the connection without processing the request;
/// - `drop-after`: process the request, then close the connection without answering;
/// - `latency=DURATION[@PROBABILITY]`: wait before processing (`250ms`, `2s`), always or with that probability.
///
/// Example: `503=5%,429=2%,drop-before=1%,drop-after=1%,latency=300ms@5%`.
public struct FaultPlan: Sendable, Hashable, CustomStringConvertible {
    /// A failure instead of an answer.
    public enum Failure: String, Sendable, Hashable, CaseIterable {
        case status500 = "500"
        case status502 = "502"
        case status503 = "503"
        case status429 = "429"
        case dropBefore = "drop-before"
        case dropAfter = "drop-after"
    }

    /// The probability of each failure, from 0 to 1.
    public var failures: [Failure: Double]
    /// Added latency and its probability.
    public var latency: (delay: Duration, probability: Double)?

    /// No faults.
    public init(failures: [Failure: Double] = [:], latency: (delay: Duration, probability: Double)? = nil) {
        self.failures = failures
        self.latency = latency
    }

    /// Whether the plan injects nothing.
    public var isEmpty: Bool { failures.values.allSatisfy { $0 == 0 } && latency == nil }

    /// Parses the `--faults` syntax; throws ``FaultPlanSyntaxError`` naming the bad item.
    public init(parsing text: String) throws {
        self.init()
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw FaultPlanSyntaxError(item: item, reason: "expected KIND=PROBABILITY") }
            if pair[0] == "latency" {
                let parts = pair[1].split(separator: "@", maxSplits: 1).map(String.init)
                guard let delay = Self.parseDuration(parts[0]) else {
                    throw FaultPlanSyntaxError(item: item, reason: "latency needs a duration from 0 to a day, such as 250ms or 2s")
                }
                let probability = try parts.count == 2 ? Self.parseProbability(parts[1], item: item) : 1
                latency = (delay, probability)
            } else if let failure = Failure(rawValue: pair[0]) {
                failures[failure] = try Self.parseProbability(pair[1], item: item)
            } else {
                throw FaultPlanSyntaxError(
                    item: item,
                    reason: "unknown fault '\(pair[0])'; use 500, 502, 503, 429, drop-before, drop-after or latency")
            }
        }
        guard failures.values.reduce(0, +) <= 1 else {
            throw FaultPlanSyntaxError(item: text, reason: "the failure probabilities add up to more than 100%")
        }
    }

    /// Draws the failure for one request (at most one), or `nil`.
    func drawFailure(excluding excluded: Set<Failure> = [], using generator: inout some RandomNumberGenerator) -> Failure? {
        let roll = Double.random(in: 0..<1, using: &generator)
        var cumulative = 0.0
        for failure in Failure.allCases where !excluded.contains(failure) {
            cumulative += failures[failure] ?? 0
            if roll < cumulative { return failure }
        }
        return nil
    }

    /// Draws the added latency for one request, or `nil`.
    /// ``drawFailure(excluding:using:)``, counting a drawn failure in `counters` under its name.
    func drawFailure(countedIn counters: SandboxCounters, using generator: inout some RandomNumberGenerator) -> Failure? {
        let failure = drawFailure(using: &generator)
        if let failure { counters.count { $0.faults[failure.rawValue, default: 0] += 1 } }
        return failure
    }

    func drawLatency(using generator: inout some RandomNumberGenerator) -> Duration? {
        guard let latency else { return nil }
        return Double.random(in: 0..<1, using: &generator) < latency.probability ? latency.delay : nil
    }

    static func parseProbability(_ text: String, item: String) throws -> Double {
        let value: Double? = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let value, (0...1).contains(value) else {
            throw FaultPlanSyntaxError(item: item, reason: "probability must be from 0% to 100% (or 0 to 1)")
        }
        return value
    }

    /// The longest latency a plan may add: a day.
    static let maximumLatencySeconds = 86_400.0

    /// `250ms`, `2s` or `1m`, from zero to a day; `nil` for anything else (also a number too large to be a time).
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number >= 0, number * scale <= maximumLatencySeconds else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        return nil
    }

    /// The plan in `--faults` syntax.
    public var description: String {
        var items = Failure.allCases.compactMap { failure in
            failures[failure].map { "\(failure.rawValue)=\(Self.percent($0))" }
        }
        if let latency {
            items.append("latency=\(Int64(latency.delay.milliseconds.rounded()))ms@\(Self.percent(latency.probability))")
        }
        return items.joined(separator: ",")
    }

    private static func percent(_ value: Double) -> String {
        let percent = value * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }

    /// Plans are equal when they inject the same failures with the same latency.
    public static func == (lhs: FaultPlan, rhs: FaultPlan) -> Bool { lhs.description == rhs.description }

    /// Hashes the plan's description.
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// A `--faults` item that could not be read.
public struct FaultPlanSyntaxError: Error, Sendable, CustomStringConvertible {
    /// The item as written.
    public let item: String
    /// What is wrong with it.
    public let reason: String

    /// `bad fault 'ITEM': REASON`.
    public var description: String { "bad fault '\(item)': \(reason)" }
}
