import Foundation
import IntercomKit

/// A file intercom-sh writes that may hold customer data: created with mode 0600, written line by line
/// (each write reaches the kernel at once, so a killed process loses nothing already written), with the
/// connection's secret redacted (``SecretRedaction``) in everything written.
actor PrivateFile {
    private let descriptor: Int32
    private let redaction: SecretRedaction
    private let path: String
    /// The first write that failed; every later one throws it again.
    private(set) var failure: PrivateFileError?

    /// Opens `path` for appending (or truncates it first), creating it 0600.
    init(path: String, truncate: Bool, redaction: SecretRedaction) throws {
        switch PrivateFileDescriptor.open(path, flags: O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND)) {
        case .success(let descriptor): self.descriptor = descriptor
        case .failure(let code): throw PrivateFileError(message: "cannot open \(path): \(code)")
        }
        self.redaction = redaction
        self.path = path
    }

    deinit { close(descriptor) }

    /// Writes `text` and a newline; throws (now and on every later call) when the file cannot take it.
    func writeLine(_ text: String) throws(PrivateFileError) {
        if let failure { throw failure }
        do {
            try OutputWriter(descriptor: descriptor).write(redaction.redacted(text) + "\n")
        } catch {
            let failure = PrivateFileError(message: "cannot write \(path): \(error)")
            self.failure = failure
            throw failure
        }
    }
}

/// A file cannot be opened.
struct PrivateFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
