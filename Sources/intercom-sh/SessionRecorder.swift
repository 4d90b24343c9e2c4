import Foundation
import IntercomKit
import IntercomShell

/// Appends every operation, its result records and its time to a recording file (NDJSON, created 0600):
/// `{"line":3,"operation":{"op":…},"records":[…],"ms":12.5}`. The api key is never written.
actor SessionRecorder {
    private let descriptor: Int32
    private let secret: String

    /// Opens (or creates, mode 0600) `path` for appending.
    init(path: String, secret: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw RecordingError(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        self.secret = secret
    }

    deinit { close(descriptor) }

    /// Writes one entry.
    func record(_ operation: IntercomShell.Operation, records: [ResultRecord], elapsed: Duration) {
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
        var text = JSONValue.object(entry).encodedString() + "\n"
        if secret.count >= 4 { text = text.replacingOccurrences(of: secret, with: "***") }
        try? OutputWriter(descriptor: descriptor).write(text)
    }
}

/// The recording file cannot be opened.
struct RecordingError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
