public import IntercomKit

/// Where a run's records go, in input order.
///
/// A sink that can render a record by itself, apart from the others (``render(_:into:)`` returns true), lets a
/// parallel dry run render records in its workers: the bytes and the memory of each record then stay on the
/// task that made them, and only rendered text crosses to the task that writes.
public protocol RecordSink: Sendable {
    /// Writes one record.
    func write(_ record: ResultRecord) async throws
    /// Appends the text of `record` to `bytes`, on whatever task calls it; false (and nothing appended) when records
    /// must go one by one through ``write(_:)``, as when their text depends on the records before them. A sink
    /// gives the same answer for every record.
    func render(_ record: ResultRecord, into bytes: inout [UInt8]) -> Bool
    /// Writes the text of `count` records made by ``render(_:into:)``, in input order.
    func write(rendered bytes: [UInt8], count: Int) async throws
    /// Writes out every record written so far and says where the output stands, for a journal's checkpoint.
    func position() async throws -> OutputPosition
    /// Puts the output back where `position` (from an earlier run) was: a file cut back to its length, CSV under
    /// the same header. Returns a note when records after it may come out again (the output is no file).
    /// - Throws: ``OutputPosition/RestoreError`` when it cannot (another format, a file emptied since).
    func restore(_ position: OutputPosition) async throws -> String?
    /// Cuts NDJSON output back to `position` (where an earlier run's journal last left it) when it is the same
    /// file and longer, so that what that run wrote after its journal's last word (a torn record, records a resume
    /// writes again) goes; returns the bytes cut. Any other output (another file, a pipe) is left alone.
    func cutOutput(to position: OutputPosition) async throws -> Int
}

extension RecordSink {
    /// No position known.
    public func position() async throws -> OutputPosition { OutputPosition(format: nil) }
    /// Nothing to put back.
    public func restore(_ position: OutputPosition) async throws -> String? { nil }
    /// Nothing to cut.
    public func cutOutput(to position: OutputPosition) async throws -> Int { 0 }
}

/// Where an output stands after the records written so far: what a journal's checkpoint keeps so that a resumed
/// list goes on without writing a record twice.
public struct OutputPosition: Sendable, Equatable {
    /// The output format, when records are written as text.
    public var format: OutputFormat?
    /// The output's length, when it is a regular file (nil: a pipe or a terminal, which cannot be cut back).
    public var offset: Int?
    /// The CSV header's columns, once written.
    public var columns: [String]?
    /// Which file the output is (`device:inode`), when it is a regular file: a resume cuts back only that file.
    public var file: String?

    /// A position in output of `format`.
    public init(format: OutputFormat?, offset: Int? = nil, columns: [String]? = nil, file: String? = nil) {
        self.format = format
        self.offset = offset
        self.columns = columns
        self.file = file
    }

    /// Why an output cannot be put back where a checkpoint was.
    public struct RestoreError: Error, CustomStringConvertible, Sendable {
        /// What is wrong, and what to do.
        public let description: String

        /// An error saying `description`.
        public init(_ description: String) { self.description = description }
    }

    /// The position as JSON, for the journal.
    public var json: JSONValue {
        var object: JSONObject = [:]
        if let format { object["format"] = .string(format.rawValue) }
        if let offset { object["offset"] = .integer(Int64(offset)) }
        if let columns { object["columns"] = .array(columns.map(JSONValue.string)) }
        if let file { object["file"] = .string(file) }
        return .object(object)
    }

    /// The position `json` describes (what it does not name, unknown).
    public init(json: JSONValue) {
        format = json["format"]?.stringValue.flatMap(OutputFormat.init(rawValue:))
        offset = json["offset"]?.integerValue.flatMap { $0 >= 0 ? Int($0) : nil }
        columns = json["columns"]?.arrayValue?.compactMap(\.stringValue)
        file = json["file"]?.stringValue
    }
}

/// A sink that hands each record to a closure (and renders nothing apart).
public struct ClosureRecordSink: RecordSink {
    let emit: @Sendable (ResultRecord) async throws -> Void

    /// A sink that calls `emit` with each record.
    public init(emit: @escaping @Sendable (ResultRecord) async throws -> Void) {
        self.emit = emit
    }

    /// Hands `record` to the closure.
    public func write(_ record: ResultRecord) async throws { try await emit(record) }
    /// Renders nothing apart: records go one by one to the closure.
    public func render(_ record: ResultRecord, into bytes: inout [UInt8]) -> Bool { false }
    /// Never called, as nothing is rendered apart.
    public func write(rendered bytes: [UInt8], count: Int) async throws {}
}
