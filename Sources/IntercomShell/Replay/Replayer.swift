public import IntercomKit

/// Replays a recording against a server, one entry at a time: the decisions of `replay`, with no I/O. It maps the
/// recorded ids to the ones this server gives (learned from each compared result), and with checking on compares
/// every result with the recorded one.
public struct Replayer: Sendable {
    /// The outcome of a replay.
    public struct Report: Sendable, Hashable {
        /// Entries whose results differ from the recording, or that could not be read.
        public var differing = 0
        /// Records that failed.
        public var failed = 0

        /// The exit status: 1 when anything differed or failed, else 0.
        public var exitStatus: ExitStatus { differing > 0 || failed > 0 ? .failed : .success }

        /// The closing line of a checked replay.
        public var verdict: String {
            differing == 0 ? "replay: every result matches the recording" : "replay: \(differing) operation(s) differ from the recording"
        }
    }

    /// How results are compared.
    public let comparison: RecordComparison
    /// Whether results are compared at all (`--check`).
    public let checks: Bool
    /// The recorded ids and the ones this server gave for them.
    public private(set) var ids: [JSONValue: JSONValue] = [:]
    /// What the replay has found so far.
    public private(set) var report = Report()

    /// A replayer comparing with `comparison` when `checks`.
    public init(comparison: RecordComparison = RecordComparison(), checks: Bool) {
        self.comparison = comparison
        self.checks = checks
    }

    /// The operation to send for `entry`: the recorded one, with ids this replay has learned replaced.
    public func operation(for entry: RecordingEntry) -> Operation {
        var operation = entry.operation
        operation.parameters = RecordComparison.mapIDs(in: operation.parameters, ids)
        if operation.name == .api, let path = entry.operation.parameters["path"]?.stringValue {
            operation.parameters["path"] = .string(RecordComparison.mapIDs(inPath: path, ids))
        }
        return operation
    }

    /// Counts an entry that could not be read.
    public mutating func unreadable() {
        report.differing += 1
    }

    /// Takes the records `records` that `entry` gave now: counts failures and, when checking, returns how they
    /// differ from the recorded ones (and learns the id pairs in them).
    public mutating func finished(_ entry: RecordingEntry, with records: [ResultRecord]) -> [RecordComparison.Difference] {
        report.failed += records.count { !$0.ok }
        guard checks else { return [] }
        var differences: [RecordComparison.Difference] = []
        if entry.records.count != records.count {
            differences.append(.init(path: "records", recorded: .integer(Int64(entry.records.count)), now: .integer(Int64(records.count))))
        }
        for (old, new) in zip(entry.records, records) {
            let (found, pairs) = comparison.compare(recorded: old.json, now: new.json)
            differences += found
            for pair in pairs { ids[pair.old] = pair.new }
        }
        if !differences.isEmpty { report.differing += 1 }
        return differences
    }

    /// Where an entry came from, for messages: `FILE:LINE` for a sourced line, else `line LINE`.
    public static func location(of entry: RecordingEntry, fallback line: Int) -> String {
        (entry.source.map { "\($0):" } ?? "line ") + String(entry.line ?? line)
    }
}
