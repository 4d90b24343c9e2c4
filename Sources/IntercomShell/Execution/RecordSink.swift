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
