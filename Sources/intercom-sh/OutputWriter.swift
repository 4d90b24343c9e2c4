import Foundation

/// Writes text straight to a file descriptor (no stdio buffering), so each record is out as soon as it is known.
/// A closed reader (EPIPE, as with `| head -1`) is reported as ``OutputClosed`` rather than a crash.
struct OutputWriter: Sendable {
    let descriptor: Int32

    static let standardOutput = OutputWriter(descriptor: STDOUT_FILENO)
    static let standardError = OutputWriter(descriptor: STDERR_FILENO)

    /// Writes all of `text`.
    func write(_ text: String) throws(OutputClosed) {
        var text = text
        let result = text.withUTF8 { bytes in Result { () throws(OutputClosed) in try write(bytes: bytes) } }
        try result.get()
    }

    /// Writes all of `bytes`.
    func write(bytes: UnsafeBufferPointer<UInt8>) throws(OutputClosed) {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Foundation.write(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw OutputClosed()
            }
            next += written
            remaining -= written
        }
    }
}

/// The output was closed by its reader.
struct OutputClosed: Error {}
