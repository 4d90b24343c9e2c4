import Foundation
import IntercomKit
import IntercomShell

/// Appends every operation, its result records and its time to a recording file (NDJSON, created 0600):
/// `{"line":3,"operation":{"op":…},"records":[…],"ms":12.5}`. The api key is never written.
actor SessionRecorder {
    private let file: PrivateFile

    /// Opens (or creates, mode 0600) `path` for appending.
    init(path: String, secret: String) throws {
        file = try PrivateFile(path: path, truncate: false, secret: secret)
    }

    /// Writes one entry.
    func record(_ operation: IntercomShell.Operation, records: [ResultRecord], elapsed: Duration) async {
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
        await file.writeLine(JSONValue.object(entry).encodedString())
    }
}
