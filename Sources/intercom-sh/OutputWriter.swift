import Foundation
import IntercomKit

/// Writes text straight to a file descriptor (no stdio buffering), so each record is out as soon as it is known.
/// A failed write is reported as ``OutputClosed`` with its errno: a closed reader (EPIPE, as with `| head -1`) or
/// a real failure (a full disk), which the caller must not treat alike.
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
        if let code = PrivateFileDescriptor.writeAll(descriptor, UnsafeRawBufferPointer(bytes)) { throw OutputClosed(code: code.code) }
    }
}

/// A write failed: the reader closed the output (EPIPE), or the file cannot take more (ENOSPC, EIO, ...).
struct OutputClosed: Error, CustomStringConvertible {
    /// The errno of the failed write.
    var code: Int32 = EPIPE

    /// Whether the reader went away, which ends a run quietly (`| head -1`); anything else lost output.
    var readerClosed: Bool { code == EPIPE }

    var description: String { String(cString: strerror(code)) }
}
