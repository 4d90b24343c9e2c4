import Foundation
import IntercomKit
import IntercomShell

/// Appends a ``RecordingEntry`` for every operation to a recording file (NDJSON, created 0600). The secret is never
/// written (``SecretRedaction``).
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
        try await file.writeLine(RecordingEntry(operation: operation, records: records, elapsed: elapsed).text)
    }
}
