import IntercomKit

/// One line of a session recording (`--record FILE`, `record FILE`), written and read by this one type:
/// `{"line":3,"source":"…","operation":{"op":…},"records":[…],"ms":12.5}`.
public struct RecordingEntry: Sendable, Hashable {
    /// The input line the operation came from (its first record's), when it made a record.
    public var line: Int?
    /// The file the line was in, when it was sourced.
    public var source: String?
    /// The operation as run (references replaced).
    public var operation: Operation
    /// Its records as they came.
    public var records: [ResultRecord]
    /// How long it took, to the microsecond.
    public var elapsed: Duration?

    /// An entry for `operation` and the records it made in `elapsed`.
    public init(operation: Operation, records: [ResultRecord], elapsed: Duration?) {
        self.operation = operation
        self.records = records
        self.elapsed = elapsed
        line = records.first?.line
        source = records.first?.source
    }

    /// The entry as one line of compact JSON.
    public var text: String {
        var entry: JSONObject = ["operation": .object(operation.json), "records": .array(records.map(\.json))]
        if let elapsed { entry["ms"] = .double((elapsed.milliseconds * 1000).rounded() / 1000) }
        if let line { entry["line"] = .integer(Int64(line)) }
        if let source { entry["source"] = .string(source) }
        return JSONValue.object(entry).encodedString()
    }

    /// Reads an entry from one line of a recording.
    public init(parsing text: String) throws(InputError) {
        let entry: JSONValue
        do {
            entry = try JSONValue(parsing: text)
        } catch {
            throw InputError("not JSON: \(error)")
        }
        guard let operation = entry["operation"] else { throw InputError("no \"operation\"") }
        self.operation = try NDJSONOperationDecoder().decode(operation.encodedString())
        records = try (entry["records"]?.arrayValue ?? []).map { value throws(InputError) in
            guard let record = ResultRecord(json: value) else { throw InputError("a record that is not one: \(value.encodedString())") }
            return record
        }
        line = entry["line"]?.integerValue.flatMap { Int(exactly: $0) }
        source = entry["source"]?.stringValue
        elapsed = entry["ms"]?.doubleValue.map { .microseconds(Int64(($0 * 1000).rounded())) }
    }
}
