public import IntercomKit

/// What a run did, for the closing line on standard error and the `{"summary":{…}}` record: lines that succeeded,
/// failed or were skipped, and what went over the wire (requests, and calls per operation where one operation took
/// more than one, through retries or pages).
public struct RunTotals: Sendable, Hashable, CustomStringConvertible {
    /// The runner's counts.
    public var summary: PipelineSummary
    /// Requests sent, by operation (retries included).
    public var requests: [OperationName: Int]
    /// Operations that went to the API, by name.
    public var operations: [OperationName: Int]
    /// Retries made.
    public var retries: Int
    /// 429 answers seen.
    public var rateLimited: Int
    /// How long the run took.
    public var elapsed: Duration
    /// Walks over pages that ended with fewer items than the API's `total_count` said.
    public var shortWalks: [String] = []
    /// Where `api` requests differed from the API's description, one line each.
    public var warnings: [String] = []
    /// What walks did that their records do not show (a scroll started again, an item left out, a resume).
    public var notes: [String] = []
    /// The operations that walked a list (their requests are its pages).
    public var walks: Set<OperationName> = []

    /// Totals of a run that `summary` counted and `statistics` watched for `elapsed`.
    public init(summary: PipelineSummary, statistics: DeliveryStatistics, elapsed: Duration) {
        self.init(
            summary: summary, requests: statistics.requestsByOperation, operations: statistics.operationsByName,
            retries: statistics.retries, rateLimited: statistics.rateLimited, elapsed: elapsed)
        shortWalks = statistics.shortWalks
        warnings = statistics.warnings
        notes = statistics.notes
        walks = statistics.walkedOperations
    }

    /// Totals from their parts.
    public init(
        summary: PipelineSummary, requests: [OperationName: Int], operations: [OperationName: Int], retries: Int, rateLimited: Int,
        elapsed: Duration
    ) {
        self.summary = summary
        self.requests = requests
        self.operations = operations
        self.retries = retries
        self.rateLimited = rateLimited
        self.elapsed = elapsed
    }

    /// Every request sent.
    public var requestCount: Int { requests.values.reduce(0, +) }

    /// Requests per operation of each name that went to the API, to two decimals.
    public var callsPerOperation: [OperationName: Double] {
        var calls: [OperationName: Double] = [:]
        for (name, count) in operations where count > 0 {
            calls[name] = (Double(requests[name] ?? 0) / Double(count) * 100).rounded() / 100
        }
        return calls
    }

    /// Records per second over the whole run, to one decimal.
    public var operationsPerSecond: Double {
        let seconds = elapsed / .seconds(1)
        return seconds > 0 ? (Double(summary.succeeded + summary.failed) / seconds * 10).rounded() / 10 : 0
    }

    /// The `summary` record's object.
    public var json: JSONValue {
        [
            "ok": .integer(Int64(summary.succeeded)), "failed": .integer(Int64(summary.failed)),
            "skipped": .integer(Int64(summary.skipped)), "unknown_outcome": .integer(Int64(summary.unknownOutcomes)),
            "partially_applied": .integer(Int64(summary.partiallyApplied)), "short_walks": .array(shortWalks.map(JSONValue.string)),
            "notes": .array(notes.map(JSONValue.string)),
            "retried": .integer(Int64(retries)), "rate_limited": .integer(Int64(rateLimited)),
            "requests": .integer(Int64(requestCount)),
            "calls_per_operation": .object(JSONObject(uniqueKeysWithValues: callsPerOperation.map { ($0.key.rawValue, .double($0.value)) })),
            "seconds": .double((elapsed / .seconds(1) * 1000).rounded() / 1000),
            "ops_per_second": .double(operationsPerSecond),
        ]
    }

    /// `1,097 ok, 3 failed, 0 skipped, 1,155 requests (create_user 1.05 each), 5 retried, 2 rate-limited (429), 1.84 s,
    /// 597.8 ops/s`, numbers grouped as the progress line groups them: calls per operation are named where an
    /// operation that sent requests took more than one (not a list, whose requests are its pages), and the rate
    /// only when something was sent.
    public var description: String {
        let several = callsPerOperation.filter { $0.value != 1 && $0.value > 0 && !walks.contains($0.key) }.sorted { $0.key.rawValue < $1.key.rawValue }
        let calls = several.isEmpty ? "" : " (" + several.map { "\($0.key.rawValue) \(Self.decimal($0.value)) each" }.joined(separator: ", ") + ")"
        let seconds = (elapsed / .seconds(1) * 1000).rounded() / 1000
        let grouped = ProgressLine.grouped
        var text = "\(grouped(summary.succeeded)) ok, \(grouped(summary.failed)) failed, \(grouped(summary.skipped)) skipped, "
            + "\(grouped(requestCount)) request\(requestCount == 1 ? "" : "s")\(calls), \(grouped(retries)) retried, "
            + "\(grouped(rateLimited)) rate-limited (429), \(Self.decimal(seconds)) s"
        if requestCount > 0 { text += ", \(Self.grouping(operationsPerSecond)) ops/s" }
        return text
    }

    /// `1,234.5`: a rate with its thousands grouped.
    static func grouping(_ value: Double) -> String {
        let text = decimal(value)
        let whole = text.prefix { $0 != "." }
        guard let number = Int(whole) else { return text }
        return ProgressLine.grouped(number) + text.dropFirst(whole.count)
    }

    /// A number as the summary record writes it: `1.05`, `3`.
    static func decimal(_ value: Double) -> String {
        JSONValue.double(value).encodedString()
    }
}
