import Foundation
import IntercomKit
import IntercomShell

/// Appends every operation, its result records and its time to a recording file (NDJSON, created 0600):
/// `{"line":3,"operation":{"op":…},"records":[…],"ms":12.5}`. The secret is never written (``SecretRedaction``).
actor SessionRecorder {
    private let file: PrivateFile

    /// Opens (or creates, mode 0600) `path` for appending.
    init(path: String, redaction: SecretRedaction) throws {
        file = try PrivateFile(path: path, truncate: false, redaction: redaction)
    }

    /// The first write that failed, if one did.
    var failure: PrivateFileError? { get async { await file.failure } }

    /// Writes one entry; throws when the file cannot take it.
    func record(_ operation: IntercomShell.Operation, records: [ResultRecord], elapsed: Duration) async throws(PrivateFileError) {
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var entry: JSONObject = [
            "operation": .object(operation.json),
            "records": .array(records.map(\.json)),
            "ms": .double((milliseconds * 1000).rounded() / 1000),
        ]
        if let first = records.first {
            entry["line"] = .integer(Int64(first.line))
            if let source = first.source { entry["source"] = .string(source) }
        }
        try await file.writeLine(JSONValue.object(entry).encodedString())
    }
}
