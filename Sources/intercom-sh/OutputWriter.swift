import Foundation

/// Writes text straight to a file descriptor (no stdio buffering), so each record is out as soon as it is known.
/// A closed reader (EPIPE, as with `| head -1`) is reported as ``OutputClosed`` rather than a crash.
struct OutputWriter: Sendable {
    let descriptor: Int32

    static let standardOutput = OutputWriter(descriptor: STDOUT_FILENO)
    static let standardError = OutputWriter(descriptor: STDERR_FILENO)

    /// Writes all of `text`.
    func write(_ text: String) throws(OutputClosed) {
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw OutputClosed()
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// The output was closed by its reader.
struct OutputClosed: Error {}
